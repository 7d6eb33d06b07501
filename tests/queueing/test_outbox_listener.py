"""A committed notification due now is announced to the notifier's listener; a rolled
back one never is."""

import select
import threading

import pytest
from django.db import connection, transaction

from queueing import outbox_listener
from queueing.bookings import booking_create
from queueing.models import Notification, NotificationEvent
from tests.queueing.conftest import at, nik
from tests.require import missing

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _postgres_only(transactional_db):
    if connection.vendor != "postgresql":
        missing("PostgreSQL (LISTEN/NOTIFY)")


@pytest.fixture
def listener():
    ear = outbox_listener._connect()
    yield ear
    ear.close()


def heard(ear, wait: float = 2.0) -> list[str]:
    select.select([ear], [], [], wait)
    return outbox_listener._ids(ear)


def book(service, day, n: int):
    return booking_create(service=service, start=at(day, 9), nik=nik(n), name="Siti", phone="+62812345678")


def test_a_committed_booking_announces_its_confirmation(listener, ktp, tomorrow):
    booking = book(ktp, tomorrow, 1)
    confirmed = Notification.objects.get(booking=booking, event=NotificationEvent.BOOKING_CONFIRMED)
    # Only the message due now: reminders wait in the outbox for the sweep.
    assert heard(listener) == [str(confirmed.pk)]


def test_a_rolled_back_booking_announces_nothing(listener, ktp, tomorrow):
    with pytest.raises(RuntimeError), transaction.atomic():
        book(ktp, tomorrow, 1)
        raise RuntimeError
    assert heard(listener, wait=0.5) == []


def test_the_listener_enqueues_what_it_hears(ktp, tomorrow, monkeypatch):
    enqueued: list[str] = []
    got_one = threading.Event()

    def record(ids, countdown=None):
        enqueued.extend(ids)
        got_one.set()

    monkeypatch.setattr("queueing.notifications._enqueue", record)
    monkeypatch.setattr(outbox_listener, "WAIT_SECONDS", 0.1)
    thread, stop = outbox_listener.start_listening()
    try:
        # Wait for the listener's first sweep (nothing due) before booking.
        got_one.wait(1.0)
        enqueued.clear()
        got_one.clear()
        booking = book(ktp, tomorrow, 2)
        assert got_one.wait(5.0)
    finally:
        stop.set()
        thread.join(5)
    confirmed = Notification.objects.get(booking=booking, event=NotificationEvent.BOOKING_CONFIRMED)
    assert str(confirmed.pk) in enqueued
