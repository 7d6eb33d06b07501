"""On PostgreSQL: a booking that waited for its day lock while staff closed the day is
refused, although it checked the slot against the schedule before the change."""

import threading
import time

import pytest
from django.db import connection, transaction

from queueing.bookings.services import BookingError, booking_create
from services.models import ClosureDay
from tests.queueing.conftest import at, day_held_elsewhere, nik
from tests.require import missing

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _postgres_only(transactional_db):
    if connection.vendor != "postgresql":
        missing("PostgreSQL (row locks)")


def test_a_booking_queued_on_the_lock_sees_a_closure_made_meanwhile(ktp, tomorrow):
    outcome: dict = {}

    def book():
        try:
            booking_create(service=ktp, start=at(tomorrow, 9), nik=nik(1), name="Siti", phone="+6281234567890")
            outcome["result"] = "booked"
        except BookingError as error:
            outcome["result"] = error.code
        finally:
            connection.close()

    with day_held_elsewhere(ktp.pk, tomorrow):
        booker = threading.Thread(target=book)
        booker.start()
        time.sleep(0.5)  # the booking has checked its slot and waits for the lock
        assert booker.is_alive()
        with transaction.atomic():
            ClosureDay.objects.create(date=tomorrow, name="Rapat mendadak")
    booker.join(10)
    assert outcome["result"] == "closed"
