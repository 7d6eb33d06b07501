"""Surveys for the IKM's tests, written straight to the tables: a served visit (ticket
and service request) and its survey, on the day asked for, per row of answers. A
skipped element is ``None`` in its row."""

import datetime as dt
import itertools

from django.utils import timezone

from queueing.models import RequestStatus, ServiceRequest, Survey, Ticket, TicketStatus

NUMBERS = itertools.count(1)


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


def served_visit(service, day: dt.date) -> Ticket:
    at = noon(day)
    ticket = Ticket.objects.create(
        agency=service.agency,
        date=day,
        number=next(NUMBERS),
        prefix=service.agency.ticket_prefix,
        queue_time=at,
        issued_for=service,
        service=service,
        status=TicketStatus.DONE,
    )
    ServiceRequest.objects.create(ticket=ticket, service=service, status=RequestStatus.SERVED, finished_at=at)
    return ticket


def add_surveys(service, rows, *, day: dt.date | None = None, comment: str = "") -> list[Survey]:
    day = day or timezone.localdate()
    made = []
    for answers in rows:
        survey = Survey.objects.create(
            ticket=served_visit(service, day),
            service=service,
            agency=service.agency,
            answers=list(answers),
            comment=comment,
        )
        Survey.objects.filter(pk=survey.pk).update(created_at=noon(day))
        made.append(survey)
    return made


def add_visits_without_survey(service, count: int, *, day: dt.date | None = None) -> None:
    for _ in range(count):
        served_visit(service, day or timezone.localdate())
