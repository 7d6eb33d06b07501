"""The satisfaction survey (SKM) of a served visit: one per visit, nine answers 1–4."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from queueing.errors import QueueError
from queueing.models import RequestStatus, Survey, Ticket
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


def survey_submit(*, ticket: Ticket, answers: list[int], comment: str = "") -> Survey:
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
            )
    except IntegrityError:
        raise QueueError("already_answered", _("Survei untuk kunjungan ini sudah diisi.")) from None
