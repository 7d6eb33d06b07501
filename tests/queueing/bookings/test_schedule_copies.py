"""Each process keeps a copy of a service's schedule; a change reaches it at once in
this process, within seconds in others, and never lets a booking through on a copy
that went out of date."""

import dataclasses

import pytest
from django.db.models import F

from queueing.bookings.schedule_changes import bookings_flag_schedule_conflicts
from queueing.bookings.services import BookingError, booking_create
from queueing.bookings.slots import slots_for
from services import schedule
from services.models import ClosureDay, OpeningHours, ScheduleStamp
from services.schedule import schedule_changed
from tests.queueing.conftest import at, nik

pytestmark = pytest.mark.django_db


def change_elsewhere(**hours):
    """What another process's change looks like from here: the rows and the version
    move in the database, but this process's copy is not dropped."""
    OpeningHours.objects.update(**hours)  # a queryset update sends no signal
    ScheduleStamp.objects.filter(pk=1).update(version=F("version") + 1)


def test_a_change_here_is_seen_at_once(ktp, tomorrow):
    assert len(slots_for(ktp, tomorrow)) == 8
    ClosureDay.objects.create(date=tomorrow, name="Rapat")
    assert slots_for(ktp, tomorrow) == []


def test_a_change_elsewhere_reaches_the_slot_list_when_the_copy_expires(ktp, tomorrow, monkeypatch):
    schedule_changed()
    assert len(slots_for(ktp, tomorrow)) == 8
    change_elsewhere(closes=at(tomorrow, 10).time())
    assert len(slots_for(ktp, tomorrow)) == 8  # the copy, still fresh
    monkeypatch.setattr(schedule, "CACHE_SECONDS", 0)
    assert len(slots_for(ktp, tomorrow)) == 4  # 08.00 to 10.00


def test_a_booking_on_an_outdated_copy_is_checked_again_under_the_lock(ktp, tomorrow):
    schedule_changed()
    assert len(slots_for(ktp, tomorrow)) == 8
    change_elsewhere(closes=at(tomorrow, 10).time())
    with pytest.raises(BookingError) as caught:
        booking_create(service=ktp, start=at(tomorrow, 11), nik=nik(1), name="Warga", phone="+6281234567890")
    assert caught.value.code == "no_such_slot"
    # The fresh copy it read is the one later requests use.
    assert len(slots_for(ktp, tomorrow)) == 4
    assert booking_create(service=ktp, start=at(tomorrow, 9), nik=nik(2), name="Warga", phone="+6281234567890")


def test_an_unknown_service_has_no_schedule():
    assert schedule.schedule_for(987654) is None


def test_an_expired_copy_whose_version_did_not_move_is_kept(ktp, tomorrow, monkeypatch, django_assert_num_queries):
    slots_for(ktp, tomorrow)
    monkeypatch.setattr(schedule, "CACHE_SECONDS", 0)
    with django_assert_num_queries(2):  # the version, and the seats of the day (its row)
        assert len(slots_for(ktp, tomorrow)) == 8


def test_a_booking_takes_capacity_from_the_schedule_it_was_checked_against(ktp, tomorrow):
    schedule_changed()
    assert slots_for(ktp, tomorrow)[0].capacity == 5
    # Elsewhere the slot shrinks to one seat; this process still holds five.
    type(ktp).objects.filter(pk=ktp.pk).update(slot_capacity=1)
    ScheduleStamp.objects.filter(pk=1).update(version=F("version") + 1)
    booking_create(service=ktp, start=at(tomorrow, 9), nik=nik(1), name="Warga", phone="+6281234567890")
    with pytest.raises(BookingError) as caught:
        booking_create(service=ktp, start=at(tomorrow, 9), nik=nik(2), name="Warga", phone="+6281234567890")
    assert caught.value.code == "slot_full"


def test_a_copy_never_goes_back_to_an_older_version(ktp):
    newer = schedule.schedule_for(ktp.pk)
    older = dataclasses.replace(newer, stamp=newer.stamp - 1)
    schedule._copies[ktp.pk] = newer
    monkey_read = schedule._read
    try:
        schedule._read = lambda service_id: older
        assert schedule.schedule_for(ktp.pk, fresh=True) is newer
    finally:
        schedule._read = monkey_read


def test_the_conflict_check_of_a_change_reads_the_schedule_it_makes(ktp, tomorrow):
    booking = booking_create(service=ktp, start=at(tomorrow, 9), nik=nik(1), name="Warga", phone="+6281234567890")
    before = schedule.schedule_for(ktp.pk)
    ClosureDay.objects.create(date=tomorrow, name="Rapat")
    # Another thread of this process stored the committed (old) schedule meanwhile.
    schedule._copies[ktp.pk] = before
    assert bookings_flag_schedule_conflicts(service_id=ktp.pk) == [booking]


def test_one_version_check_serves_the_copies_of_every_service(ktp, kk, monkeypatch, django_assert_num_queries):
    schedule.schedule_for(ktp.pk)
    schedule.schedule_for(kk.pk)
    with django_assert_num_queries(0):
        schedule.schedule_for(ktp.pk)
        schedule.schedule_for(kk.pk)
    monkeypatch.setattr(schedule, "CACHE_SECONDS", 0)
    with django_assert_num_queries(1):  # the version, once, for both copies
        assert schedule.schedule_for(ktp.pk).service == ktp
        monkeypatch.setattr(schedule, "CACHE_SECONDS", 10)
        assert schedule.schedule_for(kk.pk).service == kk
