"""The citizen's ticket page: the receipt's QR code opens it. It shows the people
ahead, the estimated wait and the counter once called, and updates itself by polling
its ticket (``GET /api/v1/tickets/<code>/`` with ``If-None-Match``). Once the visit is
done it offers the survey, so a walk-in without a phone number reaches it too: from
the open page, or by scanning the receipt again."""

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from queueing.estimates import estimated_wait_minutes, people_ahead
from queueing.floor.tickets import ticket_by_code
from queueing.models import Survey, Ticket, TicketStatus


def _ticket_texts() -> dict:
    """What the ticket page says in each state; the page's script uses the same words."""
    return {
        "labels": {value: str(label) for value, label in TicketStatus.choices},
        "headlines": {
            "waiting": _("Menunggu dipanggil"),
            "transferred": _("Dialihkan ke layanan %(service)s. Menunggu dipanggil."),
            "called": _("Silakan ke loket %(counter)s"),
            "serving": _("Sedang dilayani di loket %(counter)s"),
            "on_hold": _("Ditunda. Tunggu panggilan berikutnya dari petugas."),
            "done": _("Selesai. Terima kasih telah datang ke MPP."),
            "no_show": _("Nomor ini sudah dipanggil tetapi tidak hadir. Silakan hubungi petugas informasi."),
            "expired": _("Nomor ini sudah tidak berlaku. Silakan ambil nomor baru."),
        },
        "minutes": _("± %(minutes)s menit"),
        "next": _("Segera; Anda berikutnya"),
        "updated": _("Diperbarui pukul %(time)s"),
        "notify_title": _("Nomor %(number)s dipanggil"),
        "notify_body": _("Silakan ke loket %(counter)s"),
        "called_title": _("Loket %(counter)s · %(number)s"),
    }


def _ticket_state(ticket: Ticket) -> str:
    """The ticket's status, with "transferred" for a ticket waiting at a service it
    was moved to."""
    if ticket.status == TicketStatus.WAITING and ticket.service_id != ticket.issued_for_id:
        return "transferred"
    return ticket.status


LIVE_STATES = ("waiting", "transferred", "called", "serving", "on_hold")


@never_cache
@require_GET
def citizen_ticket(request, code: str):
    ticket = ticket_by_code(code)
    if ticket is None:
        return render(request, "citizen/not_found.html", status=404)
    if code != ticket.code:
        return redirect("citizen-ticket", ticket.code)
    ahead = people_ahead(ticket)
    wait = estimated_wait_minutes(ticket, ahead)
    texts = _ticket_texts()
    state = _ticket_state(ticket)
    values = {"counter": ticket.counter.number if ticket.counter else "", "service": ticket.service.name}
    context = {
        "ticket": ticket,
        "service": ticket.service,
        "agency": ticket.service.agency,
        "state": state,
        "live": state in LIVE_STATES,
        "waiting": ticket.status == TicketStatus.WAITING,
        "headline": texts["headlines"][state] % values,
        "ahead": ahead,
        "wait_text": texts["minutes"] % {"minutes": wait} if ahead else texts["next"],
        "updated_text": texts["updated"] % {"time": f"{timezone.localtime():%H.%M}"},
        "texts": texts,
        # Once done the page offers the survey, until it is answered (on any device).
        "survey_answered": state == TicketStatus.DONE and Survey.objects.filter(ticket=ticket).exists(),
    }
    return render(request, "citizen/ticket.html", context)
