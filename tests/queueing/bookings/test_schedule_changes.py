"""Changing hours or closing a day never strands a booking silently: staff see which
bookings a change affects, and the citizens get a notification in the outbox."""

import datetime as dt

import pytest
from django.urls import reverse

from queueing.bookings.services import booking_create
from queueing.models import Booking, Notification, NotificationEvent
from services.models import OpeningHours
from tests.conftest import post_confirmed
from tests.queueing.conftest import VALID_NIK, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(ktp, tomorrow):
    return booking_create(
        service=ktp,
        start=at(tomorrow, 9),
        nik=VALID_NIK,
        name="Siti",
        phone="+6281234567890",
        email="siti@example.org",
    )


def test_moving_the_agency_hours_flags_the_booking_and_queues_a_notice(client, admin_user, booking, tomorrow):
    row = OpeningHours.objects.get(agency=booking.service.agency, weekday=tomorrow.weekday())
    client.force_login(admin_user)
    page = client.get(reverse("admin:services_openinghours_change", args=[row.pk]))
    data = {
        "agency": str(row.agency_id),
        "weekday": str(row.weekday),
        "opens": "10:00",
        "closes": "12:00",
    }
    answer = post_confirmed(client, reverse("admin:services_openinghours_change", args=[row.pk]), data, follow=True)
    assert page.status_code == 200
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "1 pemesanan tidak lagi sesuai jadwal" in text
    booking.refresh_from_db()
    assert booking.schedule_conflict_at is not None
    notices = Notification.objects.filter(booking=booking, event=NotificationEvent.SCHEDULE_CHANGED)
    assert sorted(notices.values_list("channel", flat=True)) == ["email", "sms"]

    # Putting the hours back clears the flag; the citizen is told the booking stands.
    data["opens"] = "08:00"
    post_confirmed(client, reverse("admin:services_openinghours_change", args=[row.pk]), data)
    booking.refresh_from_db()
    assert booking.schedule_conflict_at is None
    assert notices.count() == 2
    restored = Notification.objects.filter(booking=booking, event=NotificationEvent.SCHEDULE_RESTORED)
    assert sorted(restored.values_list("channel", flat=True)) == ["email", "sms"]


def test_closing_the_day_flags_its_bookings_only(client, admin_user, booking, ktp, tomorrow):
    later = booking_create(
        service=ktp,
        start=at(tomorrow + dt.timedelta(days=2), 9),
        nik="3674015708920002",
        name="Ani",
        phone="0812345678",
    )
    client.force_login(admin_user)
    answer = post_confirmed(
        client,
        reverse("admin:services_closureday_add"),
        {"date": tomorrow.isoformat(), "name": "Cuti bersama"},
        follow=True,
    )
    assert "1 pemesanan tidak lagi sesuai jadwal" in answer.content.decode()
    assert Booking.objects.get(pk=booking.pk).schedule_conflict_at is not None
    assert Booking.objects.get(pk=later.pk).schedule_conflict_at is None
    assert not Notification.objects.filter(booking=later, event=NotificationEvent.SCHEDULE_CHANGED).exists()


def test_a_new_slot_length_flags_bookings_off_the_new_grid(booking, ktp):
    from queueing.bookings.schedule_changes import bookings_flag_schedule_conflicts

    ktp.slot_minutes = 45
    ktp.save()
    assert bookings_flag_schedule_conflicts(service_id=ktp.pk) == [booking]  # 09.00 is not on a 45-minute grid
    assert bookings_flag_schedule_conflicts(service_id=ktp.pk) == []  # flagged once, notified once


def test_supervisor_sees_own_bookings_with_nik_and_admin_sees_it_masked(client, booking, alice, carol, admin_user):
    url = reverse("admin:queueing_booking_changelist")
    client.force_login(alice)
    assert VALID_NIK in client.get(url).content.decode()
    client.force_login(admin_user)
    page = client.get(url).content.decode()
    assert VALID_NIK not in page
    assert "3674••••••••0001" in page
    client.force_login(carol)
    assert booking.name not in client.get(url).content.decode()
    assert client.get(reverse("admin:queueing_booking_change", args=[booking.pk])).status_code in (302, 403)


# A booking the staff's change stranded can always be moved, and that move is not the citizen's


def test_a_booking_stranded_after_its_one_move_can_be_moved_again(client, ktp, tomorrow):
    from queueing.bookings.schedule_changes import bookings_flag_schedule_conflicts
    from queueing.bookings.services import booking_reschedule

    later = tomorrow + dt.timedelta(days=3)
    booking = booking_create(service=ktp, start=at(later, 8), nik=VALID_NIK, name="Siti", phone="+6281234567890")
    booking = booking_reschedule(booking=booking, start=at(later, 9))  # the citizen's one move
    assert booking.reschedule_count == 1
    # Staff shorten the day: 09.00 is gone.
    OpeningHours.objects.filter(agency=ktp.agency, weekday=later.weekday()).update(opens=dt.time(10))
    assert bookings_flag_schedule_conflicts(service_id=ktp.pk) == [booking]
    booking.refresh_from_db()

    mine = client.get(reverse("booking-detail", args=[booking.display_code])).content.decode()
    assert reverse("booking-reschedule", args=[booking.display_code]) in mine
    assert "hanya dapat dijadwalkan ulang" not in mine

    moved = booking_reschedule(booking=booking, start=at(later, 10))
    assert moved.start == at(later, 10)
    assert moved.schedule_conflict_at is None
    assert moved.reschedule_count == 1  # the move the staff caused does not count


def test_a_move_the_staff_caused_leaves_the_citizen_their_own(ktp, tomorrow):
    from queueing.bookings.schedule_changes import bookings_flag_schedule_conflicts
    from queueing.bookings.services import BookingError, booking_reschedule

    later = tomorrow + dt.timedelta(days=3)
    booking = booking_create(service=ktp, start=at(later, 8), nik=VALID_NIK, name="Siti", phone="+6281234567890")
    OpeningHours.objects.filter(agency=ktp.agency, weekday=later.weekday()).update(opens=dt.time(9))
    bookings_flag_schedule_conflicts(service_id=ktp.pk)
    booking.refresh_from_db()
    booking = booking_reschedule(booking=booking, start=at(later, 9))
    assert booking.reschedule_count == 0
    booking = booking_reschedule(booking=booking, start=at(later, 10))  # the citizen's own move
    assert booking.reschedule_count == 1
    with pytest.raises(BookingError) as refused:
        booking_reschedule(booking=booking, start=at(later, 11))
    assert refused.value.code == "reschedule_limit"


def test_a_stranded_booking_can_be_moved_past_the_deadline(ktp, tomorrow):
    from queueing.bookings.schedule_changes import bookings_flag_schedule_conflicts
    from queueing.bookings.services import booking_reschedule
    from services.models import BookingPolicy

    policy = BookingPolicy.current()
    policy.reschedule_deadline_days = 2
    policy.save()
    booking = booking_create(service=ktp, start=at(tomorrow, 8), nik=VALID_NIK, name="Siti", phone="+6281234567890")
    OpeningHours.objects.filter(agency=ktp.agency, weekday=tomorrow.weekday()).update(opens=dt.time(9))
    bookings_flag_schedule_conflicts(service_id=ktp.pk)
    booking.refresh_from_db()
    # The deadline (two days before) has passed for tomorrow's booking, but the slot is gone.
    moved = booking_reschedule(booking=booking, start=at(tomorrow, 9))
    assert moved.start == at(tomorrow, 9)
