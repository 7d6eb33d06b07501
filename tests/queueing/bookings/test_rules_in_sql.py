"""Where a booking's rule is written twice, once in Python (embedded mode, the reasons
for a refusal) and once in the SQL of the booking's one statement (PostgreSQL), the
two say the same."""

import datetime as dt
import itertools

import pytest
from django.db import connection

from queueing.bookings.seats import ROOM_SQL, DaySeats, slot_key
from queueing.bookings.services import booking_create
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
