"""What the mall publishes about its service, per agency, for anyone (``/transparansi/``,
``GET /api/v1/transparency/``): how many wait now and the typical wait today, last
month's IKM and grade, and the share of last month's visits called within the
service's waiting target. Figures only: no ticket, no name, no comment.

- **waiting**: tickets waiting now in the agency's queues (as the display board counts);
- **typical wait today**: the median minutes from taking a number to the first call,
  of the tickets the agency issued today that have been called;
- **IKM**: the IKM publication of last month (``queueing.surveys.publication``, its daily tallies);
- **within target**: of the tickets the agency issued last month, the share whose first
  call came within the ``waiting_target_minutes`` of the service they were issued for
  after issue; a ticket never called counts as not within.

Both halves are kept in the portal's cache (``mpp_common.cache``: while Redis is down
every request computes them), per language (the grades' words are translated): today's
for a minute, last month's for an hour.
"""

import datetime as dt
import statistics
from collections import defaultdict

from django.core.cache import cache
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import get_language

from agencies.models import Agency
from mpp_common.clock import local, zone
from queueing.models import Ticket, TicketAction, TicketEvent, TicketStatus
from queueing.surveys.ikm import EMPTY
from queueing.surveys.publication import ikm_publication

TODAY_SECONDS = 60
MONTH_SECONDS = 3600
IKM_FIELDS = ("respondents", "ikm", "skm", "grade", "performance")


def last_month(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first day of the month before ``day``'s, and the first day of ``day``'s."""
    this_month = day.replace(day=1)
    return (this_month - dt.timedelta(days=1)).replace(day=1), this_month


def _first_calls(first: dt.date, end: dt.date) -> list[tuple]:
    """``(agency id, issued at, first called at or None, target minutes)`` of each
    ticket of the days ``first`` to ``end`` (excluded), from its history: the ISSUED row
    and the first CALLED row. The history is read by action and time (a ticket's rows
    are all on its day: the day's end expires what is left), through its index, so a
    month costs the month's rows whatever the years behind it."""
    start, stop = (dt.datetime.combine(day, dt.time.min, tzinfo=zone()) for day in (first, end))
    return list(
        TicketEvent.objects.filter(
            action__in=(TicketAction.ISSUED, TicketAction.CALLED),
            at__gte=start,
            at__lt=stop,
            ticket__date__gte=first,
            ticket__date__lt=end,
        )
        .values("ticket_id", "ticket__agency_id", "ticket__issued_for__waiting_target_minutes")
        .annotate(
            issued=Min("at", filter=Q(action=TicketAction.ISSUED)),
            first_call=Min("at", filter=Q(action=TicketAction.CALLED)),
        )
        .values_list("ticket__agency_id", "issued", "first_call", "ticket__issued_for__waiting_target_minutes")
        .order_by()
    )


def _minutes(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).total_seconds() / 60


def today_figures(day: dt.date) -> dict[int, dict]:
    """Per agency: waiting now, and the typical (median) wait of today's calls."""
    waiting = dict(
        Ticket.objects.filter(date=day, status=TicketStatus.WAITING)
        .values_list("service__agency_id")
        .annotate(n=Count("pk"))
        .values_list("service__agency_id", "n")
        .order_by()
    )
    waits = defaultdict(list)
    for agency_id, issued, first_call, _target in _first_calls(day, day + dt.timedelta(days=1)):
        if issued and first_call:
            waits[agency_id].append(_minutes(issued, first_call))
    figures = defaultdict(lambda: {"waiting": 0, "typical_wait_minutes": None})
    for agency_id, count in waiting.items():
        figures[agency_id]["waiting"] = count
    for agency_id, minutes in waits.items():
        figures[agency_id]["typical_wait_minutes"] = round(statistics.median(minutes))
    return dict(figures)


def month_figures(first: dt.date, end: dt.date, agency_ids: list[int]) -> dict[int, dict]:
    """Per agency, over the days ``first`` to ``end`` (excluded): the IKM of its
    surveys, and its tickets and the share of them called within the target."""
    tickets, within = defaultdict(int), defaultdict(int)
    for agency_id, issued, first_call, target in _first_calls(first, end):
        tickets[agency_id] += 1
        if issued and first_call and _minutes(issued, first_call) <= target:
            within[agency_id] += 1
    # Every agency's IKM from the publication's daily tallies, in one read.
    published = ikm_publication(first=first, last=end - dt.timedelta(days=1), comments=0)
    scores_of = {row.agency.pk: row.ikm.as_dict() for row in published.agencies}
    figures = {}
    for agency_id in agency_ids:
        scores = scores_of.get(agency_id) or EMPTY.as_dict()
        figures[agency_id] = {
            "ikm": {key: scores[key] for key in IKM_FIELDS},
            "within_target": {
                "tickets": tickets[agency_id],
                "share": round(within[agency_id] / tickets[agency_id], 4) if tickets[agency_id] else None,
            },
        }
    return figures


def _cached(key: str, seconds: int, compute):
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def transparency(*, now: dt.datetime | None = None) -> dict:
    """Every active agency's published figures, from the cache when it has them."""
    now = now or timezone.now()
    day = local(now).date()
    first, end = last_month(day)
    language = (get_language() or "id").split("-")[0]
    agencies = list(Agency.objects.active().order_by("name"))
    ids = [agency.pk for agency in agencies]
    today = _cached(f"transparency:today:{day.isoformat()}", TODAY_SECONDS, lambda: today_figures(day))
    month = _cached(
        f"transparency:month:{first.isoformat()}:{language}:{','.join(map(str, ids))}",
        MONTH_SECONDS,
        lambda: month_figures(first, end, ids),
    )
    empty_today = {"waiting": 0, "typical_wait_minutes": None}
    return {
        "date": day,
        "month": first.strftime("%Y-%m"),
        "agencies": [
            {
                "agency": agency.pk,
                "code": agency.code,
                "name": agency.localized.name,
                **today.get(agency.pk, empty_today),
                **month[agency.pk],
            }
            for agency in agencies
        ],
    }
