"""When a service is open: opening hours by level and date range, and closure days.

Every booking, slot list and kiosk screen asks this, so each process keeps a copy of a
service's schedule (the service with its agency, the hours rows that can apply, the
closure days) for a few seconds. A change made in this process drops the copies at
once; other processes see it within ``CACHE_SECONDS``. A booking does not rely on the
copy: it reads ``ScheduleStamp`` under its lock and checks again with a fresh copy when
the version moved (``queueing.bookings.services``).
"""

import dataclasses
import datetime as dt
import threading
import time

from django.db import connection, transaction
from django.db.models import F, Q, Subquery
from django.utils.translation import gettext as _

from agencies.models import Agency
from mpp_common.clock import local
from mpp_common.clock import zone as portal_zone
from services.models import ClosureDay, OpeningHours, ScheduleStamp, Service

Interval = tuple[dt.time, dt.time]

CACHE_SECONDS = 10


def _rows_for(service: Service) -> list[OpeningHours]:
    return list(
        OpeningHours.objects.filter(
            Q(service=service)
            | Q(service__isnull=True, agency_id=service.agency_id)
            | Q(service__isnull=True, agency__isnull=True)
        )
    )


def _level(row: OpeningHours) -> int:
    if row.service_id:
        return 2
    return 1 if row.agency_id else 0


def hours_on(service: Service | None, day: dt.date, rows: list[OpeningHours] | None = None) -> list[Interval]:
    """The open intervals of ``service`` on ``day``, ignoring closure days.

    The most specific level (service, then agency, then mall) with a row for that
    weekday in force on that date decides; a level without one leaves the day to the
    wider level. Within a level, dated rows covering the date replace the undated rows
    of their weekday. A row marked closed closes the day at its level.
    """
    rows = _rows_for(service) if rows is None else rows
    on_weekday = [r for r in rows if r.weekday == day.weekday()]
    for level in (2, 1, 0):
        in_level = [r for r in on_weekday if _level(r) == level]
        dated = [r for r in in_level if r.valid_from and r.valid_from <= day <= r.valid_until]
        chosen = dated or [r for r in in_level if r.valid_from is None]
        if chosen:
            return [] if any(r.closed for r in chosen) else sorted((r.opens, r.closes) for r in chosen)
    return []


def week_hours(service: Service, day: dt.date) -> list[tuple[dt.date, list[Interval]]]:
    """The seven days from ``day`` with their intervals, for the service page."""
    schedule = schedule_for(service.pk)
    days = [day + dt.timedelta(days=i) for i in range(7)]
    return [(d, schedule.hours_on(d)) for d in days]


def levels_week(agency_id: int | None, days: list[dt.date]) -> list[tuple[str, list[list[Interval]]]]:
    """The hours on ``days`` at each level, as the database holds them now (closure
    days applied): the mall's; with an agency, what its services follow unless they
    have hours of their own; and each of its services that has. For showing staff a
    change before it is saved."""
    levels = Q(agency__isnull=True, service__isnull=True)
    if agency_id is not None:
        levels |= Q(agency_id=agency_id) | Q(service__agency_id=agency_id)
    rows = list(OpeningHours.objects.filter(levels).select_related("service"))
    closures = set(
        ClosureDay.objects.filter(date__in=days)
        .filter(Q(agency__isnull=True) | Q(agency_id=agency_id))
        .values_list("date", "agency_id")
    )

    def week(level_rows: list[OpeningHours], *, agency_closures: bool) -> list[list[Interval]]:
        return [
            []
            if (day, None) in closures or (agency_closures and (day, agency_id) in closures)
            else hours_on(None, day, level_rows)
            for day in days
        ]

    mall_rows = [r for r in rows if _level(r) == 0]
    lines = [(str(_("Seluruh mal")), week(mall_rows, agency_closures=False))]
    if agency_id is None:
        return lines
    agency_rows = mall_rows + [r for r in rows if _level(r) == 1]
    lines.append((Agency.objects.get(pk=agency_id).name, week(agency_rows, agency_closures=True)))
    services = {r.service.pk: r.service for r in rows if r.service_id}
    for service in sorted(services.values(), key=lambda s: (s.order, s.name)):
        own = [r for r in rows if r.service_id == service.pk]
        lines.append((service.name, week(agency_rows + own, agency_closures=True)))
    return lines


# The per-process copy ------------------------------------------------------------------

MEMO_DAYS = 400


@dataclasses.dataclass
class ServiceSchedule:
    """A service with everything that decides when it is open, as read at ``stamp``."""

    service: Service
    hours: list[OpeningHours]
    closed_days: frozenset[dt.date]
    stamp: int
    # A copy never changes (a new version is a new copy): each day's intervals are
    # worked out once, as the bookings of a rush ask for the same few days.
    _by_day: dict[dt.date, list[Interval]] = dataclasses.field(default_factory=dict, compare=False, repr=False)

    def hours_on(self, day: dt.date) -> list[Interval]:
        """The open intervals on ``day``; none on a closure day."""
        known = self._by_day.get(day)
        if known is None:
            known = [] if day in self.closed_days else hours_on(self.service, day, self.hours)
            if len(self._by_day) < MEMO_DAYS:
                self._by_day[day] = known
        return list(known)


_copies: dict[int, ServiceSchedule] = {}
_lock = threading.Lock()


def _read(service_id: int) -> ServiceSchedule | None:
    # The stamp with the service, before the hours and closures: a change that lands
    # while they are read makes the copy look older than it is, never newer, so a
    # booking rechecks rather than trusts it.
    service = (
        Service.objects.select_related("agency")
        .annotate(schedule_version=Subquery(ScheduleStamp.objects.filter(pk=1).values("version")))
        .filter(pk=service_id)
        .first()
    )
    if service is None:
        return None
    return ServiceSchedule(
        service=service,
        hours=_rows_for(service),
        closed_days=frozenset(
            ClosureDay.objects.filter(Q(agency__isnull=True) | Q(agency_id=service.agency_id)).values_list(
                "date", flat=True
            )
        ),
        stamp=service.schedule_version or 0,
    )


# The schedule's version as the database holds it now, as SQL: a booking reads it
# inside its own statement (``queueing.bookings.services``), ``current_stamp`` alone.
VERSION_SQL = (
    f"COALESCE((SELECT {connection.ops.quote_name('version')} FROM {ScheduleStamp._meta.db_table}"  # noqa: S608
    f" WHERE {connection.ops.quote_name(ScheduleStamp._meta.pk.column)} = 1), 0)"
)


def current_stamp() -> int:
    """The schedule's version as the database holds it now (no process's copy)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {VERSION_SQL}")
        return cursor.fetchone()[0]


# The version as last read, and when: one small query every ``CACHE_SECONDS`` tells
# every copy of this process whether it is still current.
_seen: dict[str, tuple[int, float]] = {}


def _version_now() -> int:
    seen = _seen.get("stamp")
    if seen is None or time.monotonic() - seen[1] > CACHE_SECONDS:
        checked_at = time.monotonic()
        seen = (current_stamp(), checked_at)
        _seen["stamp"] = seen
    return seen[0]


def _saw_version(stamp: int) -> None:
    # A copy just read names the version as it is now: no need to ask again soon.
    seen = _seen.get("stamp")
    if seen is None or stamp > seen[0]:
        _seen["stamp"] = (stamp, time.monotonic())


def schedule_for(service_id: int, *, fresh: bool = False) -> ServiceSchedule | None:
    """The schedule of a service (active or not), or None when there is no such service.

    A copy is used while its version is the version this process read at most
    ``CACHE_SECONDS`` ago (one small query per process then, for every service), and
    read again once the version moved."""
    copy = _copies.get(service_id)
    if not fresh and copy is not None and copy.stamp == _version_now():
        return copy
    copy = _read(service_id)
    with _lock:
        if copy is not None:
            _saw_version(copy.stamp)
        stored = _copies.get(service_id)
        if copy is None:
            _copies.pop(service_id, None)
        elif stored is not None and stored.stamp > copy.stamp:
            copy = stored  # another thread read a newer one meanwhile: never go back
        else:
            _copies[service_id] = copy
    return copy


def read_schedule(service_id: int) -> ServiceSchedule | None:
    """The schedule as this connection sees it now, not kept: for rechecking bookings
    inside the transaction that changes the schedule."""
    return _read(service_id)


def forget_schedules() -> None:
    """Drop this process's copies and the version it read (tests, and after a change
    here)."""
    with _lock:
        _copies.clear()
        _seen.clear()


def schedule_changed(**_signal) -> None:
    """Something that decides opening times changed: move the version on, so bookings
    in every process recheck, and drop this process's copies."""
    updated = ScheduleStamp.objects.filter(pk=1).update(version=F("version") + 1)
    if not updated:
        ScheduleStamp.objects.get_or_create(pk=1, defaults={"version": 1})
    forget_schedules()
    # Other threads of this process may read the old schedule until this commits.
    transaction.on_commit(forget_schedules)


# As intervals of aware times ----------------------------------------------------------


def intervals_on(schedule: ServiceSchedule | None, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The open intervals of a schedule on ``day`` as aware datetimes; [] when closed."""
    zone = portal_zone()
    return [
        (dt.datetime.combine(day, opens, tzinfo=zone), dt.datetime.combine(day, closes, tzinfo=zone))
        for opens, closes in (schedule.hours_on(day) if schedule else [])
    ]


def open_intervals(service: Service, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The open intervals of ``service`` on ``day`` (this process's copy of its schedule)."""
    return intervals_on(schedule_for(service.pk), day)


LOOK_AHEAD_DAYS = 14


def opening_after(schedule: ServiceSchedule | None, moment: dt.datetime) -> dt.datetime | None:
    """When the schedule's service next opens after ``moment``; None when it does not
    within ``LOOK_AHEAD_DAYS``."""
    first = local(moment).date()
    for offset in range(LOOK_AHEAD_DAYS + 1):
        for opens, _closes in intervals_on(schedule, first + dt.timedelta(days=offset)):
            if opens > moment:
                return opens
    return None


# Working days ----------------------------------------------------------------------------

# The civil service's working week (Monday to Friday), whatever hours the counters keep:
# deadlines in working days (hari kerja) follow it, less the mall's closure days.
WORKING_WEEKDAYS = frozenset(range(5))
# How far ahead the mall's closure days are read at a time.
_CLOSURE_WINDOW_DAYS = 62
_CLOSURE_WINDOWS = 12


def working_days_after(day: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``day`` (which itself never counts): days from
    Monday to Friday that are none of the mall's closure days (public holidays, cuti
    bersama, a day staff closed the whole mall). An agency's own closure days do not
    move it: it is the mall's calendar, the same for every agency. ``count`` 0 is
    ``day`` itself; a calendar closed for years on end stops the search after
    ``_CLOSURE_WINDOWS`` windows, at the last day read."""
    if count <= 0:
        return day
    found, start = 0, day
    for _window in range(_CLOSURE_WINDOWS):
        end = start + dt.timedelta(days=_CLOSURE_WINDOW_DAYS)
        closed = set(
            ClosureDay.objects.filter(agency__isnull=True, date__gt=start, date__lte=end).values_list("date", flat=True)
        )
        current = start
        while current < end:
            current += dt.timedelta(days=1)
            if current.weekday() in WORKING_WEEKDAYS and current not in closed:
                found += 1
                if found == count:
                    return current
        start = end
    return start
