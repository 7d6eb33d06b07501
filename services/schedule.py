"""When a service is open: opening hours by level and date range, and closure days."""

import datetime as dt

from django.db.models import Q

from services.models import ClosureDay, OpeningHours, Service

Interval = tuple[dt.time, dt.time]


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


def hours_on(service: Service, day: dt.date, rows: list[OpeningHours] | None = None) -> list[Interval]:
    """The open intervals of ``service`` on ``day``, ignoring closure days.

    The most specific level (service, then agency, then mall) with any row in force on
    that date decides; within it, dated rows covering the date replace undated ones.
    """
    rows = _rows_for(service) if rows is None else rows
    for level in (2, 1, 0):
        in_level = [r for r in rows if _level(r) == level]
        dated = [r for r in in_level if r.valid_from and r.valid_from <= day <= r.valid_until]
        undated = [r for r in in_level if r.valid_from is None]
        chosen = dated or undated
        if chosen:
            return sorted((r.opens, r.closes) for r in chosen if r.weekday == day.weekday())
    return []


def closure_on(service: Service, day: dt.date) -> ClosureDay | None:
    return (
        ClosureDay.objects.filter(Q(agency__isnull=True) | Q(agency_id=service.agency_id), date=day)
        .order_by("agency_id")
        .first()
    )


def week_hours(service: Service, day: dt.date) -> list[tuple[dt.date, list[Interval]]]:
    """The seven days from ``day`` with their intervals, for the service page."""
    rows = _rows_for(service)
    days = [day + dt.timedelta(days=i) for i in range(7)]
    closed = set(
        ClosureDay.objects.filter(
            Q(agency__isnull=True) | Q(agency_id=service.agency_id), date__range=(days[0], days[-1])
        ).values_list("date", flat=True)
    )
    return [(d, [] if d in closed else hours_on(service, d, rows)) for d in days]
