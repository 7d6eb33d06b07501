"""The day row keeps the count of its bookings: after every booking, cancellation and
move it holds what counting the bookings gives."""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from queueing.bookings.seats import counted
from queueing.bookings.services import BookingError, booking_cancel, booking_create, booking_reschedule
from queueing.models import Booking, BookingStatus, ServiceDay
from tests.queueing.conftest import at, nik

pytestmark = pytest.mark.django_db


def book(service, start, n):
    return booking_create(service=service, start=start, nik=nik(n), name=f"Warga {n}", phone="+6281234567890")


def kept(service, day) -> tuple[int, dict]:
    row = ServiceDay.objects.get(service=service, date=day)
    return row.booked, row.slot_booked


def test_bookings_cancellations_and_moves_keep_the_day_rows_count(ktp, tomorrow):
    later = tomorrow + dt.timedelta(days=2)
    first = book(ktp, at(tomorrow, 9), 1)
    book(ktp, at(tomorrow, 9), 2)
    third = book(ktp, at(tomorrow, 10), 3)
    assert kept(ktp, tomorrow) == (3, {"09:00": 2, "10:00": 1}) == counted(ktp.pk, tomorrow)

    booking_cancel(booking=first)
    assert kept(ktp, tomorrow) == (2, {"09:00": 1, "10:00": 1}) == counted(ktp.pk, tomorrow)

    booking_reschedule(booking=third, start=at(tomorrow, 11))  # within the day
    assert kept(ktp, tomorrow) == (2, {"09:00": 1, "11:00": 1}) == counted(ktp.pk, tomorrow)

    fourth = book(ktp, at(tomorrow, 8), 4)
    booking_reschedule(booking=fourth, start=at(later, 9))  # to another day
    assert kept(ktp, tomorrow) == (2, {"09:00": 1, "11:00": 1}) == counted(ktp.pk, tomorrow)
    assert kept(ktp, later) == (1, {"09:00": 1}) == counted(ktp.pk, later)


def test_a_refused_booking_leaves_the_count_as_it_was(ktp, tomorrow):
    ktp.slot_capacity = 1
    ktp.save()
    book(ktp, at(tomorrow, 9), 1)
    with pytest.raises(BookingError):
        book(ktp, at(tomorrow, 9), 2)  # slot full
    with pytest.raises(BookingError):
        book(ktp, at(tomorrow, 10), 1)  # the same person again that day
    assert kept(ktp, tomorrow) == (1, {"09:00": 1})


def test_a_day_row_made_after_its_bookings_counts_them(ktp, tomorrow):
    # Bookings written before the row kept counts: the row made for the day's next
    # booking starts from their count, so the slot's capacity still holds.
    ktp.slot_capacity = 2
    ktp.save()
    Booking.objects.create(
        service=ktp,
        date=tomorrow,
        start=at(tomorrow, 9),
        end=at(tomorrow, 10),
        nik=nik(1),
        name="Warga 1",
        phone="+6281234567890",
        consent_at=at(tomorrow, 7),
    )
    assert not ServiceDay.objects.filter(service=ktp, date=tomorrow).exists()
    book(ktp, at(tomorrow, 9), 2)
    with pytest.raises(BookingError) as refused:
        book(ktp, at(tomorrow, 9), 3)
    assert refused.value.code == "slot_full"
    assert kept(ktp, tomorrow) == (2, {"09:00": 2})


def test_the_migration_counts_the_bookings_already_made(ktp, tomorrow):
    book(ktp, at(tomorrow, 9), 1)
    book(ktp, at(tomorrow, 10), 2)
    cancelled = book(ktp, at(tomorrow, 10), 3)
    Booking.objects.filter(pk=cancelled.pk).update(status=BookingStatus.CANCELLED)
    ServiceDay.objects.update(booked=0, slot_booked={})
    migration = importlib.import_module("queueing.migrations.0008_service_day_counts")
    migration.count_active_bookings(apps, None)
    assert kept(ktp, tomorrow) == (2, {"09:00": 1, "10:00": 1})
