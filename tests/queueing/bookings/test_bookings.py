"""The booking rules, on the service functions."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from queueing.bookings.services import BookingError, booking_cancel, booking_create, booking_reschedule
from queueing.bookings.slots import days_with_room, slots_for
from queueing.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Booking,
    BookingStatus,
    Notification,
    NotificationEvent,
    format_code,
    new_code,
    normalize_code,
)
from services.models import BookingPolicy, ClosureDay
from tests.queueing.conftest import OTHER_NIK, VALID_NIK, at, nik
from tests.require import missing

pytestmark = pytest.mark.django_db


def book(service, start, n=0, **extra):
    values = {"nik": nik(n), "name": f"Warga {n}", "phone": "+6281234567890"} | extra
    return booking_create(service=service, start=start, **values)


def error_code(call) -> str:
    with pytest.raises(BookingError) as caught:
        call()
    return caught.value.code


def test_slots_follow_the_opening_hours(ktp, tomorrow):
    slots = slots_for(ktp, tomorrow)
    assert [timezone.localtime(s.start).strftime("%H.%M") for s in slots][:3] == ["08.00", "08.30", "09.00"]
    assert len(slots) == 8
    assert all(s.capacity == 5 and s.available == 5 for s in slots)
    assert slots[0].start.utcoffset() == dt.timedelta(hours=7)


def test_a_closed_day_has_no_slots(ktp, tomorrow):
    ClosureDay.objects.create(date=tomorrow, name="Cuti bersama")
    assert slots_for(ktp, tomorrow) == []
    assert error_code(lambda: book(ktp, at(tomorrow, 8))) == "closed"


def test_a_closure_of_another_agency_does_not_close_this_one(ktp, tomorrow, samsat):
    ClosureDay.objects.create(date=tomorrow, agency=samsat, name="Rapat")
    assert len(slots_for(ktp, tomorrow)) == 8


def test_booking_takes_a_seat_and_cancelling_frees_it_at_once(ktp, tomorrow):
    booking = book(ktp, at(tomorrow, 8))
    assert booking.status == BookingStatus.BOOKED
    assert booking.date == tomorrow
    assert booking.end == at(tomorrow, 8, 30)
    assert slots_for(ktp, tomorrow)[0].available == 4
    booking_cancel(booking=booking)
    assert slots_for(ktp, tomorrow)[0].available == 5
    assert error_code(lambda: booking_cancel(booking=booking)) == "not_cancellable"


def test_a_full_slot_refuses_the_next_booking(ktp, tomorrow):
    for n in range(5):
        book(ktp, at(tomorrow, 9), n)
    assert error_code(lambda: book(ktp, at(tomorrow, 9), 99)) == "slot_full"
    assert Booking.objects.filter(start=at(tomorrow, 9)).count() == 5


def test_the_daily_quota_keeps_the_reserves_for_walk_ins_and_priority(ktp, tomorrow):
    # 20 a day minus 2 walk-in minus 2 priority: 16 online seats.
    for n in range(16):
        book(ktp, at(tomorrow, 8) + dt.timedelta(minutes=30 * (n // 5)), n)
    assert error_code(lambda: book(ktp, at(tomorrow, 11), 50)) == "quota_reached"
    assert all(slot.available == 0 for slot in slots_for(ktp, tomorrow))
    # Priority groups may still use their reserve, and no more.
    book(ktp, at(tomorrow, 11), 51, priority_group="elderly")
    book(ktp, at(tomorrow, 11), 52, priority_group="pregnant")
    assert error_code(lambda: book(ktp, at(tomorrow, 11), 53, priority_group="disability")) == "quota_reached"


def test_one_active_booking_per_nik_service_and_day(ktp, tomorrow):
    first = book(ktp, at(tomorrow, 8), 1)
    assert error_code(lambda: book(ktp, at(tomorrow, 10), 1)) == "duplicate"
    booking_cancel(booking=first)
    assert book(ktp, at(tomorrow, 10), 1).status == BookingStatus.BOOKED


@pytest.mark.parametrize(
    ("when", "code"),
    [
        (lambda day: at(day, 8, 15), "no_such_slot"),
        (lambda day: at(day, 13), "no_such_slot"),
        (lambda day: at(day, 7, 30), "no_such_slot"),
        (lambda day: at(day - dt.timedelta(days=2), 8), "past"),
        (lambda day: at(day + dt.timedelta(days=60), 8), "too_far_ahead"),
    ],
)
def test_a_start_outside_the_slots_is_refused_at_the_start_field(ktp, tomorrow, when, code):
    with pytest.raises(BookingError) as caught:
        book(ktp, when(tomorrow))
    assert caught.value.code == code
    assert caught.value.field == "start"


def test_the_minimum_notice_holds(ktp):
    now = at(timezone.localdate() + dt.timedelta(days=1), 7, 30)
    with pytest.raises(BookingError) as caught:
        booking_create(service=ktp, start=at(now.date(), 8), nik=VALID_NIK, name="Ani", phone="+6281234567890", now=now)
    assert caught.value.code == "too_late"
    assert slots_for(ktp, now.date(), now=now)[0].start == at(now.date(), 8, 30)


def test_registration_hours_are_a_setting(ktp, tomorrow):
    policy = BookingPolicy.current()
    policy.registration_hours = "06.00-10.00, 16.00-22.00"
    policy.save()
    evening = at(timezone.localdate(), 23)
    with pytest.raises(BookingError) as caught:
        booking_create(service=ktp, start=at(tomorrow, 9), nik=VALID_NIK, name="Ani", phone="+62812345678", now=evening)
    assert caught.value.code == "registration_closed"
    morning = at(timezone.localdate(), 6, 30)
    booking = booking_create(
        service=ktp, start=at(tomorrow, 9), nik=VALID_NIK, name="Ani", phone="+62812345678", now=morning
    )
    assert booking.pk


def test_a_walk_in_only_service_takes_no_booking(ktp, tomorrow):
    ktp.online_booking = False
    ktp.save()
    assert slots_for(ktp, tomorrow) == []
    assert error_code(lambda: book(ktp, at(tomorrow, 8))) == "not_bookable"


def test_reschedule_once_and_not_later_than_the_day_before(ktp, tomorrow):
    later = tomorrow + dt.timedelta(days=3)
    booking = book(ktp, at(later, 8), 1)
    moved = booking_reschedule(booking=booking, start=at(later + dt.timedelta(days=1), 10))
    assert moved.date == later + dt.timedelta(days=1)
    assert moved.reschedule_count == 1
    assert slots_for(ktp, later)[0].available == 5  # the old seat is free again
    assert error_code(lambda: booking_reschedule(booking=moved, start=at(later, 9))) == "reschedule_limit"

    soon = book(ktp, at(tomorrow, 8), 2)
    on_the_day = at(tomorrow, 7)
    assert error_code(lambda: booking_reschedule(booking=soon, start=at(later, 9), now=on_the_day)) == (
        "reschedule_too_late"
    )
    # The day before is still in time.
    the_day_before = at(tomorrow - dt.timedelta(days=1), 20)
    assert booking_reschedule(booking=soon, start=at(later, 9), now=the_day_before).date == later


def test_reschedule_into_a_full_slot_is_refused_and_keeps_the_booking(ktp, tomorrow):
    later = tomorrow + dt.timedelta(days=3)
    for n in range(5):
        book(ktp, at(later, 9), n)
    mine = book(ktp, at(later, 8), 10)
    assert error_code(lambda: booking_reschedule(booking=mine, start=at(later, 9))) == "slot_full"
    mine.refresh_from_db()
    assert mine.start == at(later, 8)
    assert mine.reschedule_count == 0


def test_days_with_room_show_full_and_closed_days(ktp, tomorrow):
    ClosureDay.objects.create(date=tomorrow + dt.timedelta(days=1), name="Libur")
    days = dict(days_with_room(ktp))
    assert days[tomorrow] == 16
    assert days[tomorrow + dt.timedelta(days=1)] == 0


def test_codes_are_long_random_and_forgiving_to_type(ktp, tomorrow):
    codes = {book(ktp, at(tomorrow, 8) + dt.timedelta(minutes=30 * (n // 5)), n).code for n in range(10)}
    assert len(codes) == 10
    assert all(len(c) == 12 for c in codes)  # 12 base-32 characters: 60 random bits
    code = codes.pop()
    typed = format_code(code).lower().replace("0", "o").replace("1", "l")
    assert normalize_code(typed) == code


def test_female_nik_with_day_plus_forty_is_accepted(ktp, tomorrow):
    assert book(ktp, at(tomorrow, 8), nik=OTHER_NIK).nik == OTHER_NIK


def test_on_postgresql_a_booking_and_its_confirmation_are_written_in_one_round_trip(ktp, tomorrow):
    if connection.vendor != "postgresql":
        missing("PostgreSQL (set DATABASE_URL): the single statement is PostgreSQL's")
    book(ktp, at(tomorrow, 9), 1)  # prepares the statements of this connection
    with CaptureQueriesContext(connection) as queries:
        booking = book(ktp, at(tomorrow, 9), 2)
    # One round trip: the day lock, then the seat count, the booking and its
    # confirmation (inside the test's own transaction the booking's is a savepoint).
    sent = [q["sql"] for q in queries.captured_queries if q["sql"].split()[0] not in ("SAVEPOINT", "RELEASE")]
    assert len(sent) == 1
    assert [statement.split()[0] for statement in sent[0].split("; ")] == ["EXECUTE", "EXECUTE"]
    confirmation = Notification.objects.get(booking=booking, event=NotificationEvent.BOOKING_CONFIRMED)
    assert confirmation.recipient == "+6281234567890"
    assert confirmation.dedupe_key == f"booking_confirmed:{booking.code}:{booking.start.isoformat()}:booked:sms"
    assert (confirmation.language, confirmation.message) == ("id", "")  # composed when sent
    # As the ORM would have written it.
    assert (confirmation.status, confirmation.attempts, confirmation.last_error) == ("pending", 0, "")
    assert confirmation.lease_until is None and confirmation.sent_at is None
    assert confirmation.created_at <= timezone.now() and confirmation.due_at <= timezone.now()
    assert confirmation.agency_id == ktp.agency_id


def test_codes_use_the_whole_alphabet_and_differ():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(code) == CODE_LENGTH for code in codes)
    assert set("".join(codes)) == set(CODE_ALPHABET)
