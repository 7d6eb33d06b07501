"""On PostgreSQL: a booking that waited for its day lock while staff closed the day is
refused, although it checked the slot against the schedule before the change."""

import threading
import time

import pytest
from django.db import close_old_connections, connection, transaction

from queueing.bookings import BookingError, booking_create
from queueing.locks import locked_service_day
from services.models import ClosureDay
from tests.queueing.conftest import at, nik
from tests.require import missing

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _postgres_only(transactional_db):
    if connection.vendor != "postgresql":
        missing("PostgreSQL (row locks)")


def test_a_booking_queued_on_the_lock_sees_a_closure_made_meanwhile(ktp, tomorrow):
    holding, release = threading.Event(), threading.Event()
    outcome: dict = {}

    def hold_the_day():
        try:
            with locked_service_day(ktp.pk, tomorrow):
                holding.set()
                release.wait(10)
        finally:
            close_old_connections()
            connection.close()

    def book():
        try:
            booking_create(service=ktp, start=at(tomorrow, 9), nik=nik(1), name="Siti", phone="+6281234567890")
            outcome["result"] = "booked"
        except BookingError as error:
            outcome["result"] = error.code
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_day)
    holder.start()
    assert holding.wait(5)
    booker = threading.Thread(target=book)
    booker.start()
    time.sleep(0.5)  # the booking has checked its slot and waits for the lock
    assert booker.is_alive()
    with transaction.atomic():
        ClosureDay.objects.create(date=tomorrow, name="Rapat mendadak")
    release.set()
    holder.join(10)
    booker.join(10)
    assert outcome["result"] == "closed"
