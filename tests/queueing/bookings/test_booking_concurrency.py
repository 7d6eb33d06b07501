"""Capacity and quota hold under a rush of concurrent requests (PostgreSQL)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from queueing.models import Booking
from tests.queueing.conftest import at, day_held_elsewhere, nik
from tests.require import missing

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _postgres_only(transactional_db, settings):
    if connection.vendor != "postgresql":
        missing("PostgreSQL (set DATABASE_URL)")
    # Fifty requests from one address: the per-address throttle is not under test here.
    settings.RATELIMIT_ENABLED = False


def rush(requests: list[dict]) -> list[int]:
    """POST every payload at once, each from its own thread and connection."""
    barrier = threading.Barrier(len(requests))

    def post(payload):
        client = APIClient()
        try:
            barrier.wait(timeout=30)
            return client.post("/api/v1/bookings/", payload, format="json").status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(post, requests))


def payload(service, start, n):
    return {
        "service": service.id,
        "start": start.isoformat(),
        "nik": nik(n),
        "name": f"Warga {n}",
        "phone": "0812345678",
    }


def test_fifty_concurrent_bookings_for_five_seats_give_five_successes(ktp, tomorrow):
    start = at(tomorrow, 9)
    codes = rush([payload(ktp, start, n) for n in range(50)])
    assert codes.count(201) == 5
    assert codes.count(409) == 45
    assert Booking.objects.filter(service=ktp, start=start).count() == 5


def test_the_daily_quota_holds_across_slots_under_a_rush(ktp, tomorrow):
    # 16 online seats a day over 8 slots of 5: 40 requests spread across the slots.
    codes = rush([payload(ktp, at(tomorrow, 8 + (n % 8) // 2, 30 * (n % 2)), n) for n in range(40)])
    assert codes.count(201) == 16
    assert codes.count(409) == 24
    assert Booking.objects.filter(service=ktp, date=tomorrow).count() == 16
    per_slot = [
        Booking.objects.filter(service=ktp, start=at(tomorrow, 8 + i // 2, 30 * (i % 2))).count() for i in range(8)
    ]
    assert max(per_slot) <= 5


def test_the_same_person_twice_at_once_gets_one_booking(ktp, tomorrow):
    same = payload(ktp, at(tomorrow, 9), 7)
    codes = rush([same] * 10)
    assert codes.count(201) == 1
    assert codes.count(409) == 9


def test_a_booking_that_cannot_get_the_day_lock_is_busy_and_writes_nothing(ktp, tomorrow):
    from queueing.bookings.services import BookingBusy, booking_create
    from queueing.models import Notification, ServiceDay

    booking_create(service=ktp, start=at(tomorrow, 9), nik=nik(1), name="Siti", phone="+6281234567890")
    try:
        with day_held_elsewhere(ktp.pk, tomorrow):
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '100ms'")
            with pytest.raises(BookingBusy):
                booking_create(service=ktp, start=at(tomorrow, 9), nik=nik(2), name="Budi", phone="+6281234567891")
    finally:
        connection.close()
    assert Booking.objects.filter(service=ktp).count() == 1
    assert Notification.objects.filter(booking__service=ktp).count() == 1
    assert ServiceDay.objects.get(service=ktp, date=tomorrow).booked == 1
    # Once the lock is free the same booking goes through.
    booking_create(service=ktp, start=at(tomorrow, 9), nik=nik(2), name="Budi", phone="+6281234567891")
    assert ServiceDay.objects.get(service=ktp, date=tomorrow).booked == 2
