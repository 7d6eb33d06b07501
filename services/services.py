"""Writes of the services app."""

import datetime as dt

import holidays as holidays_lib
from django.db import transaction

from services.models import ClosureDay, ClosureSource, OpeningHours, Weekday


@transaction.atomic
def closure_days_sync_holidays(*, years: list[int]) -> int:
    """Add Indonesia's public holidays and cuti bersama as mall-wide closure days.

    Days staff added or removed by hand are left as they are: an existing day on the
    same date is not touched, so running it again changes nothing.
    """
    calendar = holidays_lib.country_holidays("ID", years=years, categories=("public", "government"), language="id")
    created = 0
    for day, name in sorted(calendar.items()):
        _, was_created = ClosureDay.objects.get_or_create(
            date=day, agency=None, defaults={"name": name[:200], "source": ClosureSource.HOLIDAYS}
        )
        created += was_created
    return created


AROUND_THE_CLOCK_LABEL = "Demo: buka 24 jam"


@transaction.atomic
def opening_hours_around_the_clock(*, on: bool, today: dt.date, days: int = 366) -> int:
    """Open the whole mall around the clock from ``today`` for ``days`` days (``on``),
    or end it: mall-wide dated rows for every weekday, labelled so they are found
    again. The usual hours stay as they are and decide again once the rows go.
    Agencies and services with hours of their own, and closure days, still decide.
    Returns the number of rows written."""
    OpeningHours.objects.filter(agency=None, service=None, label=AROUND_THE_CLOCK_LABEL).delete()
    if not on:
        return 0
    rows = [
        OpeningHours(
            weekday=weekday,
            opens=dt.time(0),
            closes=dt.time.max,
            valid_from=today,
            valid_until=today + dt.timedelta(days=days),
            label=AROUND_THE_CLOCK_LABEL,
        )
        for weekday in Weekday.values
    ]
    return len(OpeningHours.objects.bulk_create(rows))
