"""The officer's pages and the display board.

The console acts through the JSON API (``queueing.floor.api``); these views render
the pages and answer the console's small state document, which it re-reads whenever
the live event stream says something changed. The board reads ``/api/v1/display/``.
"""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.db.models import Case, F, Value, When
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from agencies.models import Counter, User
from agencies.permissions import staff_person_required
from mpp_common.lockout import LockoutAwareLoginForm
from queueing.floor.tickets import ACTIONS, TRANSITIONS, counter_current_ticket, may_use_counter, waiting_for_counter
from queueing.floor.views.kiosk import keep_kiosk_logged_in
from queueing.models import PriorityGroup, Ticket, TicketStatus
from services.models import Service

LOGIN_URL = "officer-login"
# The console lists the head of the queue; the heading shows the full count.
WAITING_SHOWN = 50

# What the console's script says; {placeholders} are filled in the page.
CONSOLE_TEXT = {
    "call-next": gettext_lazy("Nomor {number} dipanggil ke loket {counter}."),
    "recall": gettext_lazy("Nomor {number} dipanggil ulang."),
    "start": gettext_lazy("Nomor {number} mulai dilayani."),
    "complete": gettext_lazy("Nomor {number} selesai dilayani."),
    "no-show": gettext_lazy("Nomor {number} ditandai tidak hadir."),
    "hold": gettext_lazy("Nomor {number} ditunda."),
    "resume": gettext_lazy("Nomor {number} kembali ke antrean."),
    "transfer": gettext_lazy("Nomor {number} dialihkan ke {service}."),
    "nobody_waiting": gettext_lazy("Tidak ada yang menunggu."),
    "paused": gettext_lazy("Istirahat dimulai."),
    "reopened": gettext_lazy("Loket dibuka kembali."),
    "pause_button": gettext_lazy("Istirahat"),
    "open_button": gettext_lazy("Buka loket"),
    "paused_since": gettext_lazy("Loket istirahat sejak {time}. Tekan Buka loket untuk memanggil lagi."),
    "closed": gettext_lazy("Loket ditutup oleh administrator; tidak dapat memanggil nomor."),
    "no_current": gettext_lazy("Belum ada nomor di loket. Tekan Panggil berikutnya."),
    "service": gettext_lazy("Layanan"),
    "name": gettext_lazy("Nama pemesan"),
    "booking": gettext_lazy("slot {slot} · kode {code}"),
    "priority": gettext_lazy("Prioritas"),
    "called_at": gettext_lazy("Dipanggil"),
    "recalls": gettext_lazy("{count}× dipanggil ulang"),
    "since": gettext_lazy("sejak {time}"),
    "minutes": gettext_lazy("{minutes} mnt"),
    "more_waiting": gettext_lazy("Dan {count} nomor lainnya."),
    "resume_button": gettext_lazy("Lanjutkan"),
    "resume_label": gettext_lazy("Lanjutkan nomor {number}"),
    "live_on": gettext_lazy("Pembaruan langsung aktif"),
    "live_off": gettext_lazy("Koneksi terputus — menyambung ulang…"),
    "session_ended": gettext_lazy("Sesi Anda berakhir. Masuk lagi untuk melanjutkan:"),
    "login": gettext_lazy("Masuk"),
    "network_error": gettext_lazy("Server tidak dapat dihubungi. Periksa jaringan, lalu coba lagi."),
    "server_error": gettext_lazy("Terjadi gangguan di server. Coba lagi sebentar lagi."),
    "refused": gettext_lazy("Permintaan ditolak."),
    "choose_target": gettext_lazy("Pilih layanan atau loket tujuan."),
    "survey": gettext_lazy("Serahkan tablet: survei nomor {number}"),
}


class OfficerLoginForm(LockoutAwareLoginForm, AuthenticationForm):
    pass


class OfficerLoginView(LoginView):
    """Failed logins lock the username out at that address (django-axes, see settings)."""

    form_class = OfficerLoginForm
    template_name = "officer/login.html"
    next_page = "officer-home"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        # Help-desk staff work at the help desk, not at a counter; a kiosk at the kiosk.
        user = self.request.user
        if user.is_authenticated and user.can_use_help_desk and not user.is_mall_admin:
            return reverse("help-desk")
        if user.is_authenticated and user.can_issue_walk_ins:
            return reverse("kiosk-home")
        return super().get_default_redirect_url()

    def form_valid(self, form):
        response = super().form_valid(form)
        keep_kiosk_logged_in(self.request)
        return response


def _counters_for_list(user: User):
    return (
        Counter.objects.usable_by(user)
        .select_related("agency")
        .prefetch_related("services")
        .order_by("agency__name", "number")
    )


@staff_person_required(LOGIN_URL)
@require_GET
def counter_list(request):
    return render(request, "officer/counters.html", {"counters": _counters_for_list(request.user)})


def _local(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _ticket_row(ticket: Ticket) -> dict:
    """A ticket as the console lists it. A booked citizen's name, slot time and booking
    code are shown to the agency's staff (the ticket is read with its booking); the NIK
    never is."""
    booking = ticket.booking
    return {
        "code": ticket.code,
        "number": ticket.display_number,
        "status": ticket.status,
        "status_label": str(TicketStatus(ticket.status).label),
        "service": ticket.service_id,
        "service_name": ticket.service.name,
        "priority": ticket.priority,
        "priority_label": str(PriorityGroup(ticket.priority_group).label) if ticket.priority_group else "",
        "issued_at": _local(ticket.issued_at),
        "name": booking.name if booking else "",
        "slot": f"{timezone.localtime(booking.start):%H.%M}" if booking else "",
        "booking_code": booking.display_code if booking else "",
    }


def _current_ticket(ticket: Ticket) -> dict:
    """The ticket at the counter, with what the officer can do with it next."""
    return {
        **_ticket_row(ticket),
        "called_at": _local(ticket.called_at),
        "recalls": ticket.recalls,
        "actions": [name for name, action in ACTIONS.items() if ticket.status in TRANSITIONS[action][0]],
    }


def _survey_offer(counter: Counter, today: dt.date) -> dict | None:
    """The visit this counter has just completed, while it has no survey: the officer
    may hand a tablet over for it until the next ticket is called."""
    last = (
        Ticket.objects.filter(counter=counter, date=today, status__in=(TicketStatus.DONE, TicketStatus.NO_SHOW))
        .select_related("service__agency")
        .annotate(survey_id=F("survey"))
        .order_by("-called_at", "-pk")
        .first()
    )
    if last is None or last.status != TicketStatus.DONE or last.survey_id is not None:
        return None
    # The number as the board showed it: with the prefix of the agency that served it.
    return {"number": last.display_number, "url": reverse("officer-survey", args=[last.code])}


def counter_state(counter: Counter) -> dict:
    """What the console shows: the counter, its current ticket, its waiting queue (in
    call order) and the held tickets of its services."""
    today = timezone.localdate()
    current = counter_current_ticket(counter)
    waiting = waiting_for_counter(counter, today).select_related("service", "booking")
    held = (
        Ticket.objects.filter(date=today, status=TicketStatus.ON_HOLD, service_id__in=counter.services.values("pk"))
        .select_related("service", "booking")
        .order_by("queue_time", "id")
    )
    paused = counter.paused_since is not None
    return {
        "counter": {
            "id": counter.pk,
            "number": counter.number,
            "agency": counter.agency_id,
            "is_open": counter.is_open,
            "paused": paused,
            "paused_since": _local(counter.paused_since),
        },
        "can_call_next": counter.is_open and not paused and current is None,
        "current": _current_ticket(current) if current else None,
        "waiting": [_ticket_row(ticket) for ticket in waiting[:WAITING_SHOWN]],
        "waiting_count": waiting.count(),
        "held": [_ticket_row(ticket) for ticket in held],
        "survey": None if current else _survey_offer(counter, today),
    }


def _others_after(counter: Counter) -> Case:
    """Order key: the counter's own agency (0) before every other (1)."""
    return Case(When(agency_id=counter.agency_id, then=Value(0)), default=Value(1))


def _denied(request, counter: Counter):
    return render(request, "officer/forbidden.html", {"counter": counter}, status=403)


@login_required(login_url=LOGIN_URL)
@require_GET
def console(request, pk: int):
    counter = get_object_or_404(Counter.objects.select_related("agency"), pk=pk)
    if not may_use_counter(request.user, counter):
        return _denied(request, counter)
    return render(
        request,
        "officer/console.html",
        {
            "counter": counter,
            "state": counter_state(counter),
            "text": CONSOLE_TEXT,
            "services": counter.services.order_by("name"),
            # The officer's own agency first: most transfers stay inside it.
            "transfer_services": Service.objects.published()
            .select_related("agency")
            .order_by(_others_after(counter), "agency__name", "order", "name"),
            "transfer_counters": Counter.objects.open()
            .exclude(pk=counter.pk)
            .select_related("agency")
            .order_by(_others_after(counter), "agency__name", "number"),
        },
    )


def _json_error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code}, status=status)


@never_cache
@require_GET
def console_state(request, pk: int):
    """The console's state as JSON; a fetch gets 401, not a login page, once the
    session has ended."""
    if not request.user.is_authenticated:
        return _json_error(401, "not_authenticated", _("Sesi Anda berakhir. Silakan masuk lagi."))
    counter = Counter.objects.select_related("agency").filter(pk=pk).first()
    if counter is None:
        return _json_error(404, "not_found", _("Loket tidak ditemukan."))
    if not may_use_counter(request.user, counter):
        return _json_error(403, "forbidden", _("Anda tidak bertugas di loket ini."))
    return JsonResponse(counter_state(counter))
