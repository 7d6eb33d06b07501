"""A committed notification due now is announced to the notifier's listener; a rolled
back one never is; the listener enqueues what it hears."""

import threading
import time

import pytest
from django.db import transaction

from queueing import outbox_listener
from queueing.bookings import booking_create
from queueing.live import redis_client
from queueing.models import Notification, NotificationEvent
from tests.queueing.conftest import at, nik
from tests.require import missing


@pytest.fixture(autouse=True)
def _with_redis(settings, transactional_db):
    if settings.EMBEDDED:
        missing("Redis (set REDIS_URL): the outbox is announced over pub/sub")


@pytest.fixture
def ear():
    pubsub = redis_client().pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(outbox_listener.CHANNEL)
    yield pubsub
    pubsub.close()


def heard(pubsub, wait: float = 2.0) -> list[str]:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if ids := outbox_listener._ids(pubsub.get_message(timeout=0.1)):
            return ids
    return []


def book(service, day, n: int):
    return booking_create(service=service, start=at(day, 9), nik=nik(n), name="Siti", phone="+62812345678")


def test_a_committed_booking_announces_its_confirmation(ear, ktp, tomorrow):
    booking = book(ktp, tomorrow, 1)
    confirmed = Notification.objects.get(booking=booking, event=NotificationEvent.BOOKING_CONFIRMED)
    assert heard(ear) == [str(confirmed.pk)]


def test_a_rolled_back_booking_announces_nothing(ear, ktp, tomorrow):
    with pytest.raises(RuntimeError), transaction.atomic():
        book(ktp, tomorrow, 1)
        raise RuntimeError
    assert heard(ear, wait=0.5) == []


def test_the_announcement_waits_for_the_commit(ear, ktp, tomorrow):
    with transaction.atomic():
        book(ktp, tomorrow, 1)
        assert heard(ear, wait=0.3) == []
    assert len(heard(ear)) == 1


def test_the_listener_enqueues_what_it_hears(ktp, tomorrow, monkeypatch):
    enqueued: list[str] = []
    got_one = threading.Event()

    def record(ids, countdown=None):
        enqueued.extend(ids)
        got_one.set()

    monkeypatch.setattr("queueing.notifications.enqueue", record)
    monkeypatch.setattr(outbox_listener, "WAIT_SECONDS", 0.1)
    thread, stop = outbox_listener.start_listening()
    try:
        # Subscribed (and its first sweep done: nothing was due) before the booking.
        deadline = time.monotonic() + 5
        while redis_client().pubsub_numsub(outbox_listener.CHANNEL)[0][1] < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
        booking = book(ktp, tomorrow, 2)
        assert got_one.wait(5.0)
    finally:
        stop.set()
        thread.join(5)
    confirmed = Notification.objects.get(booking=booking, event=NotificationEvent.BOOKING_CONFIRMED)
    assert str(confirmed.pk) in enqueued
