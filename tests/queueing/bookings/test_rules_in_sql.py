"""Where a booking's rule is written twice, once in Python (embedded mode, the reasons
for a refusal) and once in the SQL of the booking's one statement (PostgreSQL), the
two say the same."""

import datetime as dt
import itertools
import time

import pytest
from django.db import connection
from django.utils import timezone

from queueing.bookings.seats import ROOM_SQL, DaySeats, slot_key
from queueing.bookings.services import BookingError, booking_create
from queueing.models import Notification, NotificationEvent, ServiceDay
from queueing.notifications.confirmation import confirmation_rows
from services.schedule import VERSION_SQL, current_stamp, schedule_changed
from tests.queueing.conftest import at, nik
from tests.require import missing

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        missing("PostgreSQL (set DATABASE_URL)")


def test_room_in_a_slot_is_the_same_rule_in_python_and_in_sql(ktp, tomorrow):
    start = at(tomorrow, 9)
    row = ServiceDay.objects.create(service=ktp, date=tomorrow)
    counts = range(4)
    with connection.cursor() as cursor:
        for booked, in_slot, other_slot in itertools.product(counts, counts, (0, 2)):
            slots = {slot_key(start): in_slot, slot_key(start + dt.timedelta(hours=1)): other_slot}
            ServiceDay.objects.filter(pk=row.pk).update(booked=booked, slot_booked=slots)
            seats = DaySeats(row.pk, booked, slots)
            for slot_capacity, day_capacity in itertools.product(counts, counts):
                params = {"slot": slot_key(start), "slot_capacity": slot_capacity, "day_capacity": day_capacity}
                cursor.execute(f"SELECT {ROOM_SQL} FROM queueing_serviceday WHERE id = %(id)s", params | {"id": row.pk})  # noqa: S608
                in_sql = cursor.fetchone()[0]
                in_python = seats.has_room(start, slot_capacity=slot_capacity, day_capacity=day_capacity)
                assert in_sql == in_python, (booked, slots, slot_capacity, day_capacity)
    # A slot the row has never counted has room as long as the day has.
    seats = DaySeats(row.pk, 0, {})
    assert seats.has_room(at(tomorrow, 11), slot_capacity=1, day_capacity=1)


def test_the_schedule_version_read_in_a_booking_is_the_one_current_stamp_reads(ktp):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {VERSION_SQL}")
        before = cursor.fetchone()[0]
        assert before == current_stamp() > 0  # saving the service's hours moved it
        schedule_changed()
        schedule_changed()
        cursor.execute(f"SELECT {VERSION_SQL}")
        assert cursor.fetchone()[0] == current_stamp() == before + 2


def test_a_confirmation_written_in_the_booking_statement_equals_the_rows_python_writes(ktp, tomorrow, settings):
    settings.NOTIFICATIONS_ENABLED = True
    booking = booking_create(
        service=ktp,
        start=at(tomorrow, 9),
        nik=nik(1),
        name="Siti",
        phone="+6281234567890",
        email="siti@example.org",
        channels=["sms", "whatsapp", "email"],
    )
    written = {
        row.channel: row
        for row in Notification.objects.filter(booking=booking, event=NotificationEvent.BOOKING_CONFIRMED)
    }
    made = {row.channel: row for row in confirmation_rows(booking, now=booking.created_at)}
    assert sorted(written) == sorted(made) == ["email", "sms", "whatsapp"]
    for channel, row in made.items():
        for field in Notification._meta.concrete_fields:
            if field.name in ("id", "created_at"):
                continue  # a new id per row; the time of writing is the booking's
            assert getattr(written[channel], field.attname) == getattr(row, field.attname), (channel, field.name)
        assert written[channel].created_at == booking.created_at


# Which hours apply: the rule is written once, in Python (``services.schedule.hours_on``);
# the booking's statement holds to it through the schedule's version (``VERSION_SQL``).
# A copy read before a change is refused by the statement and checked again under the
# rule, so the two paths cannot disagree.


def _weekday_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def test_the_booking_statement_books_exactly_the_days_the_hours_rule_opens(disdukcapil, settings):
    import services.schedule as schedule
    from services.models import OpeningHours
    from services.schedule import intervals_on, read_schedule, schedule_for
    from tests.factories import OpeningHoursFactory, ServiceFactory

    service = ServiceFactory(agency=disdukcapil, slot_capacity=5, daily_quota=50)
    for weekday in range(5):
        OpeningHoursFactory(weekday=weekday, opens=dt.time(8), closes=dt.time(15))
    monday = _weekday_after(timezone.localdate() + dt.timedelta(days=2), 0)
    week = [monday + dt.timedelta(days=i) for i in range(7)]
    stale = schedule_for(service.pk)
    assert all(intervals_on(stale, day) for day in week[:5])

    # The agency decides Friday (mornings only) and closes Wednesday; every other
    # weekday is left to the mall.
    OpeningHoursFactory(agency=disdukcapil, weekday=4, opens=dt.time(8), closes=dt.time(11, 30))
    OpeningHours.objects.create(agency=disdukcapil, weekday=2, closed=True)
    fresh = read_schedule(service.pk)
    assert fresh.stamp > stale.stamp

    outcomes = {}
    for n, day in enumerate(week):
        for hour in (9, 13):
            # This process still holds the copy read before the change, as another
            # process would: the statement finds the version moved and the booking is
            # checked again under the rule.
            schedule._copies[service.pk] = stale
            schedule._seen["stamp"] = (stale.stamp, time.monotonic())
            try:
                booking_create(
                    service=service, start=at(day, hour), nik=nik(n * 2 + hour), name="Siti", phone="+6281234567890"
                )
                outcomes[(day.weekday(), hour)] = True
            except BookingError:
                outcomes[(day.weekday(), hour)] = False
            in_python = any(opens <= at(day, hour) < closes for opens, closes in intervals_on(fresh, day))
            assert outcomes[(day.weekday(), hour)] == in_python, (day, hour)
    assert [weekday for weekday in range(7) if outcomes[(weekday, 9)]] == [0, 1, 3, 4]
    assert [weekday for weekday in range(7) if outcomes[(weekday, 13)]] == [0, 1, 3]
