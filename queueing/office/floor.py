"""The floor now (``/kantor/lantai/``, ``GET /api/v1/reports/floor/``): per agency, who
waits and for how long, its counters open, on a break and serving, and what it served
and marked no-show today; the mall's total and its busiest agency.

Every query looks at today only, through indexes that hold today's rows or the
open ones, however much history the tables keep: the waiting tickets (the partial
``ticket_waiting_idx``), the tickets at a counter (``ticket_at_counter_idx``), today's
completions and no-shows (``ticket_event_action_at_idx``), and the counters.
"""

import datetime as dt
from collections import Counter as Tally
from collections import defaultdict

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from agencies.models import Agency, Counter
from mpp_common.clock import local, zone
from queueing.models import AT_COUNTER, Ticket, TicketAction, TicketEvent, TicketStatus


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of ``day`` in the portal's zone and the first of the next."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone())
    return start, start + dt.timedelta(days=1)


def _minutes(since: dt.datetime | None, now: dt.datetime) -> int | None:
    return None if since is None else max(int((now - since).total_seconds() // 60), 0)


def _waiting(day: dt.date, agency_ids: list[int]) -> dict[int, list[dt.datetime]]:
    """Per agency, when each of its waiting tickets entered its queue: the newest
    history row that put it there (issued, resumed after a hold, transferred in), so a
    citizen moved from another agency has waited here since the move."""
    entered = (
        TicketEvent.objects.filter(ticket=OuterRef("pk"), to_status=TicketStatus.WAITING)
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    rows = (
        Ticket.objects.filter(date=day, status=TicketStatus.WAITING, service__agency_id__in=agency_ids)
        .annotate(entered=Subquery(entered))
        .values_list("service__agency_id", "entered", "issued_at")
        .order_by()
    )
    since = defaultdict(list)
    for agency_id, entered_at, issued_at in rows:
        since[agency_id].append(entered_at or issued_at)
    return since


def _counters(day: dt.date, agency_ids: list[int]) -> dict[int, Tally]:
    """Per agency, its counters open for calls, on a break, and with a ticket called
    or in service. A closed counter (not staffed today) counts in none."""
    busy = set(
        Ticket.objects.filter(status__in=AT_COUNTER, counter__isnull=False, date=day)
        .values_list("counter_id", flat=True)
        .order_by()
    )
    counts: dict[int, Tally] = defaultdict(Tally)
    rows = Counter.objects.filter(agency_id__in=agency_ids).values_list("pk", "agency_id", "is_open", "paused_since")
    for pk, agency_id, is_open, paused_since in rows.order_by():
        tally = counts[agency_id]
        if pk in busy:
            tally["serving"] += 1
        if is_open and paused_since is None:
            tally["open"] += 1
        elif is_open:
            tally["on_break"] += 1
    return counts


def _done_today(day: dt.date, agency_ids: list[int]) -> dict[int, Tally]:
    """Per agency, the visits it completed and the no-shows it marked today (a visit
    served by two agencies after a transfer counts at each)."""
    start, end = day_bounds(day)
    rows = (
        TicketEvent.objects.filter(
            action__in=(TicketAction.COMPLETED, TicketAction.NO_SHOW),
            at__gte=start,
            at__lt=end,
            request__service__agency_id__in=agency_ids,
        )
        .values_list("request__service__agency_id", "action")
        .order_by()
    )
    counts: dict[int, Tally] = defaultdict(Tally)
    for agency_id, action in rows:
        counts[agency_id]["served" if action == TicketAction.COMPLETED else "no_shows"] += 1
    return counts


def floor_overview(*, agency_id: int | None = None, now: dt.datetime | None = None) -> dict:
    """The floor now, for every active agency or for one: per agency and for them all.

    ``longest_wait_minutes`` is the wait so far of the ticket waiting longest in the
    agency's queue (``None`` while nobody waits); ``busiest`` is the agency with the
    most people waiting (then the longest wait, then the name), ``None`` while nobody
    waits anywhere."""
    now = now or timezone.now()
    day = local(now).date()
    agencies = list(Agency.objects.active().order_by("name"))
    if agency_id is not None:
        agencies = [agency for agency in agencies if agency.pk == agency_id]
    ids = [agency.pk for agency in agencies]
    waiting, counters, done = _waiting(day, ids), _counters(day, ids), _done_today(day, ids)

    rows = []
    for agency in agencies:
        since = min(waiting[agency.pk], default=None)
        rows.append(
            {
                "agency": agency.pk,
                "code": agency.code,
                "name": agency.localized.name,
                "waiting": len(waiting[agency.pk]),
                "longest_wait_minutes": _minutes(since, now),
                "waiting_since": since,
                "counters": {key: counters[agency.pk][key] for key in ("open", "on_break", "serving")},
                "served_today": done[agency.pk]["served"],
                "no_shows_today": done[agency.pk]["no_shows"],
            }
        )
    return {
        "date": day,
        "agencies": rows,
        "total": _total(rows),
        "busiest": _busiest(rows),
    }


def _total(rows: list[dict]) -> dict:
    longest = [row["longest_wait_minutes"] for row in rows if row["longest_wait_minutes"] is not None]
    return {
        "waiting": sum(row["waiting"] for row in rows),
        "longest_wait_minutes": max(longest, default=None),
        "counters": {key: sum(row["counters"][key] for row in rows) for key in ("open", "on_break", "serving")},
        "served_today": sum(row["served_today"] for row in rows),
        "no_shows_today": sum(row["no_shows_today"] for row in rows),
    }


def _busiest(rows: list[dict]) -> dict | None:
    waiting = [row for row in rows if row["waiting"]]
    if not waiting:
        return None
    row = min(waiting, key=lambda row: (-row["waiting"], -(row["longest_wait_minutes"] or 0), row["name"]))
    return {"agency": row["agency"], "name": row["name"], "waiting": row["waiting"]}
