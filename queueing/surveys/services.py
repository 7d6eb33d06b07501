"""The satisfaction survey (SKM) of a served visit: one per visit, nine answers 1–4."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import User
from queueing.errors import QueueError
from queueing.models import RequestStatus, Survey, Ticket, TicketStatus
from queueing.surveys.ikm import ELEMENTS


def served_request(ticket: Ticket):
    """The last service request of the visit that was served at a counter."""
    return (
        ticket.requests.filter(
            status__in=(RequestStatus.SERVED, RequestStatus.PROCESSING, RequestStatus.READY, RequestStatus.PICKED_UP)
        )
        .select_related("service")
        .order_by("-pk")
        .first()
    )


ALREADY_ANSWERED = _("Survei untuk kunjungan ini sudah diisi.")
NOT_FOR_HANDOVER = _("Survei di loket hanya untuk kunjungan hari ini yang sudah selesai dilayani.")


def may_hand_over(user: User, ticket: Ticket) -> bool:
    """Whether the user may hand the tablet over for this visit: staff of the agency
    that served it (its officers and supervisor), no one else."""
    return user.is_active and user.staff_agency_id is not None and user.staff_agency_id == ticket.service.agency_id


def handover_refusal(ticket: Ticket) -> str | None:
    """Why the tablet at the counter cannot take this visit's survey, or None: only a
    visit completed today, and only while it has no survey."""
    if ticket.status != TicketStatus.DONE or ticket.date != timezone.localdate():
        return str(NOT_FOR_HANDOVER)
    if Survey.objects.filter(ticket=ticket).exists():
        return str(ALREADY_ANSWERED)
    return None


def survey_submit(
    *, ticket: Ticket, answers: list[int], comment: str = "", handed_over_by: User | None = None
) -> Survey:
    """Record the visit's one survey; ``handed_over_by`` is the officer whose tablet
    took it at the counter."""
    request = served_request(ticket)
    if request is None:
        raise QueueError("not_served", _("Survei dibuka setelah Anda dilayani."))
    if len(answers) != ELEMENTS or any(not isinstance(a, int) or not 1 <= a <= 4 for a in answers):
        raise QueueError(
            "answers",
            _("Jawab kesembilan pertanyaan dengan 1–4."),
            field="answers",
        )
    try:
        with transaction.atomic():
            return Survey.objects.create(
                ticket=ticket,
                service=request.service,
                agency_id=request.service.agency_id,
                answers=answers,
                comment=comment.strip()[:1000],
                handed_over_by=handed_over_by,
            )
    except IntegrityError:
        raise QueueError("already_answered", ALREADY_ANSWERED) from None
