"""Working days (hari kerja): Monday to Friday, less the mall's closure days."""

import datetime as dt

import pytest

from services.models import ClosureDay, ClosureSource
from services.schedule import working_days_after

pytestmark = pytest.mark.django_db

# 27 November 2026 is a Friday.
FRIDAY = dt.date(2026, 11, 27)


def test_working_days_skip_the_weekend():
    assert FRIDAY.weekday() == 4
    assert working_days_after(FRIDAY, 1) == dt.date(2026, 11, 30)  # Monday
    assert working_days_after(FRIDAY, 3) == dt.date(2026, 12, 2)  # Wednesday
    # From a Saturday or a Sunday: the week's first three days.
    assert working_days_after(FRIDAY + dt.timedelta(days=1), 3) == dt.date(2026, 12, 2)
    assert working_days_after(FRIDAY + dt.timedelta(days=2), 3) == dt.date(2026, 12, 2)
    # Within the week.
    assert working_days_after(dt.date(2026, 11, 23), 3) == dt.date(2026, 11, 26)  # Monday → Thursday


def test_a_mall_closure_day_is_no_working_day():
    ClosureDay.objects.create(date=dt.date(2026, 12, 1), name="Cuti bersama", source=ClosureSource.HOLIDAYS)
    assert working_days_after(FRIDAY, 3) == dt.date(2026, 12, 3)
    # Two days in a row, one of them a Monday.
    ClosureDay.objects.create(date=dt.date(2026, 11, 30), name="Libur")
    assert working_days_after(FRIDAY, 3) == dt.date(2026, 12, 4)


def test_an_agencys_own_closure_day_does_not_move_the_mall_calendar(disdukcapil):
    ClosureDay.objects.create(date=dt.date(2026, 12, 1), agency=disdukcapil, name="Pemeliharaan sistem")
    assert working_days_after(FRIDAY, 3) == dt.date(2026, 12, 2)


def test_a_long_closure_is_read_in_windows():
    # Lebaran: two weeks closed, longer than nothing, across the first read window's end.
    start = dt.date(2027, 3, 1)
    ClosureDay.objects.bulk_create(
        [ClosureDay(date=start + dt.timedelta(days=n), name="Libur panjang") for n in range(1, 80)]
    )
    assert working_days_after(start, 1) == dt.date(2027, 5, 20)  # the first weekday after the 79 days
    assert working_days_after(start, 0) == start


def test_a_calendar_closed_without_end_does_not_search_forever():
    start = dt.date(2030, 1, 1)
    ClosureDay.objects.bulk_create([ClosureDay(date=start + dt.timedelta(days=n), name="Tutup") for n in range(1, 900)])
    found = working_days_after(start, 3)
    assert start < found <= start + dt.timedelta(days=900)
