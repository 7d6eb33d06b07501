"""The IKM publication of a period (PermenPAN-RB 14/2017): for the mall, each agency
and each service, the respondents, NRR per element, the IKM, the 25–100 figure and its
grade, and the newest suggestions.

The sums come from the daily tallies the database keeps (``SurveyTally``) in one
aggregate query per publication: SUM of each element's scores and of how many answered
it, per agency and service. An agency's and the mall's figures add up their services'
sums (the respondents pooled, as the regulation computes a unit's NRR), then
``queueing.surveys.ikm`` does the exact arithmetic."""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils import timezone

from agencies.models import Agency
from queueing.models import Survey, SurveyTally, Ticket, TicketStatus
from queueing.surveys.ikm import ELEMENTS, EMPTY, ENOUGH_FOR_ANY_POPULATION, Ikm
from services.models import Service

COMMENTS_SHOWN = 100
# What a citizen may type into a suggestion that names a person: long runs of digits
# (a NIK, a phone number) and email addresses. Names cannot be told from other words:
# the suggestions are shown only to the agency's staff and DPMPTSP.
PERSONAL = re.compile(r"\+?\d(?:[\s.\-]?\d){7,}|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
MASK = "•••"


def masked(text: str) -> str:
    """A suggestion with the numbers and email addresses typed into it masked."""
    return PERSONAL.sub(MASK, text)


@dataclass(frozen=True)
class Comment:
    day: dt.date
    agency: Agency
    service: Service
    text: str


@dataclass
class Row:
    """The figures of one agency, or of one of its services."""

    agency: Agency
    service: Service | None
    ikm: Ikm


@dataclass
class Publication:
    first: dt.date | None
    last: dt.date | None
    total: Ikm = EMPTY
    agencies: list[Row] = field(default_factory=list)
    services: list[Row] = field(default_factory=list)
    comment_count: int = 0
    comments: list[Comment] = field(default_factory=list)


def _start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _tallies(*, agency_id: int | None, service_id: int | None, first: dt.date | None, last: dt.date | None):
    rows = SurveyTally.objects.all()
    if agency_id:
        rows = rows.filter(agency_id=agency_id)
    if service_id:
        rows = rows.filter(service_id=service_id)
    if first:
        rows = rows.filter(day__gte=first)
    if last:
        rows = rows.filter(day__lte=last)
    sums = {"respondents": Sum("respondents"), "comments": Sum("comments")}
    for n in range(1, ELEMENTS + 1):
        sums |= {f"score_{n}": Sum(f"score_{n}"), f"answered_{n}": Sum(f"answered_{n}")}
    return rows.values("agency_id", "service_id").annotate(**sums).order_by().filter(respondents__gt=0)


def _ikm(row: dict) -> Ikm:
    return Ikm(
        respondents=row["respondents"],
        totals=tuple(row[f"score_{n}"] for n in range(1, ELEMENTS + 1)),
        counts=tuple(row[f"answered_{n}"] for n in range(1, ELEMENTS + 1)),
    )


def served_visits(service_ids, *, first: dt.date | None, last: dt.date | None) -> dict[int, int]:
    """Visits completed at a counter per service in the period: tickets ``done``, by
    their day and their last service, the one their survey is counted for. PostgreSQL
    reads them by day (``ticket_day_idx``) for a short period, by service for a few
    services over a long one."""
    tickets = Ticket.objects.filter(service_id__in=service_ids, status=TicketStatus.DONE)
    if first:
        tickets = tickets.filter(date__gte=first)
    if last:
        tickets = tickets.filter(date__lte=last)
    return dict(tickets.values_list("service_id").annotate(n=Count("pk")).order_by())


def _served_where_needed(rows: list[dict], scope: dict[int, int], first, last) -> dict[int, int]:
    """The visits served of each service in ``scope`` (service → agency) whose figures,
    its own, its agency's or the whole selection's, have fewer respondents than are
    enough whatever the population: only those need the count."""
    by_agency: dict[int, int] = {}
    wanted = set()
    for row in rows:
        by_agency[row["agency_id"]] = by_agency.get(row["agency_id"], 0) + row["respondents"]
        if row["respondents"] < ENOUGH_FOR_ANY_POPULATION:
            wanted.add(row["service_id"])
    if sum(by_agency.values()) < ENOUGH_FOR_ANY_POPULATION:
        wanted |= set(scope)
    else:
        few = {agency for agency, respondents in by_agency.items() if respondents < ENOUGH_FOR_ANY_POPULATION}
        wanted |= {service for service, agency in scope.items() if agency in few}
    served = served_visits(wanted, first=first, last=last) if wanted else {}
    return {service: served.get(service, 0) for service in wanted}


def _counted(ikm: Ikm, served: dict[int, int], services) -> Ikm:
    """``ikm`` with the visits served of ``services``, when each of them was counted."""
    services = list(services)
    if not all(service in served for service in services):
        return ikm
    return Ikm(ikm.respondents, ikm.totals, ikm.counts, served=sum(served[service] for service in services))


def ikm_publication(
    *,
    agency_id: int | None = None,
    service_id: int | None = None,
    first: dt.date | None = None,
    last: dt.date | None = None,
    comments: int = COMMENTS_SHOWN,
) -> Publication:
    """The publication of the surveys answered from ``first`` to ``last`` (days in
    the portal's zone, both included; open-ended when None), of one agency or service
    or of them all."""
    rows = list(_tallies(agency_id=agency_id, service_id=service_id, first=first, last=last))
    publication = Publication(first=first, last=last)
    if not rows:
        return publication
    scope = Service.objects.all()
    if agency_id:
        scope = scope.filter(agency_id=agency_id)
    if service_id:
        scope = scope.filter(pk=service_id)
    scope = dict(scope.values_list("pk", "agency_id"))
    served = _served_where_needed(rows, scope, first, last)

    agencies = Agency.objects.in_bulk({row["agency_id"] for row in rows})
    services = Service.objects.in_bulk({row["service_id"] for row in rows})
    by_agency: dict[int, Ikm] = {}
    for row in rows:
        ikm = _ikm(row)
        by_agency[row["agency_id"]] = by_agency.get(row["agency_id"], EMPTY) + ikm
        publication.comment_count += row["comments"]
        ikm = _counted(ikm, served, [row["service_id"]])
        publication.services.append(Row(agencies[row["agency_id"]], services[row["service_id"]], ikm))
    total = EMPTY
    for agency_pk, ikm in by_agency.items():
        total = total + ikm
        own = [service for service, agency in scope.items() if agency == agency_pk]
        publication.agencies.append(Row(agencies[agency_pk], None, _counted(ikm, served, own)))
    publication.total = _counted(total, served, scope)
    publication.agencies.sort(key=lambda row: row.agency.name)
    publication.services.sort(key=lambda row: (row.agency.name, row.service.name))
    if comments:
        publication.comments = _comments(
            agency_id=agency_id,
            service_id=service_id,
            first=first,
            last=last,
            limit=comments,
            agencies=agencies,
            services=services,
        )
    return publication


def _comments(*, agency_id, service_id, first, last, limit: int, agencies: dict, services: dict) -> list[Comment]:
    """The newest suggestions of the selection: the day, the agency, the service and
    the text with personal numbers masked; nothing else of the visit. ``agencies`` and
    ``services`` are those of the selection's tallies, which hold every one surveyed."""
    surveys = Survey.objects.exclude(comment="")
    if agency_id:
        surveys = surveys.filter(agency_id=agency_id)
    if service_id:
        surveys = surveys.filter(service_id=service_id)
    if first:
        surveys = surveys.filter(created_at__gte=_start(first))
    if last:
        surveys = surveys.filter(created_at__lt=_start(last + dt.timedelta(days=1)))
    rows = surveys.order_by("-created_at", "-pk").values_list("created_at", "agency_id", "service_id", "comment")
    comments = []
    for created_at, agency, service, text in rows[:limit]:
        if agency not in agencies:
            agencies[agency] = Agency.objects.get(pk=agency)
        if service not in services:
            services[service] = Service.objects.get(pk=service)
        comments.append(
            Comment(timezone.localtime(created_at).date(), agencies[agency], services[service], masked(text))
        )
    return comments
