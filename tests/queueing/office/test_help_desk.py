"""DPMPTSP's help desk: staff find a citizen's booking by its code or by NIK and phone,
book, move or cancel it on their behalf, send the confirmation again and print it;
every act is recorded with the staff member's name. Only DPMPTSP's help-desk staff
and administrators get in; an agency's officers and supervisors get 403."""

import datetime as dt
import logging
import re

import pytest
from django.urls import reverse

from agencies.models import Role
from queueing.bookings.services import booking_create, booking_reschedule
from queueing.models import Booking, BookingAct, BookingActKind, BookingStatus, Notification, NotificationEvent
from tests.factories import UserFactory
from tests.queueing.conftest import OTHER_NIK, VALID_NIK, at

pytestmark = pytest.mark.django_db

PHONE = "+6281234567890"
MASKED = "3674••••••••0001"


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def field_error(response, field: str) -> str:
    found = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</p>', response.content.decode(), re.S)
    assert found, f"no error at {field}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


@pytest.fixture
def desk(db):
    """Dina, at DPMPTSP's help desk."""
    return UserFactory(username="dina", first_name="Dina", last_name="Lestari", role=Role.HELP_DESK, agency=None)


@pytest.fixture
def staff_client(client, desk):
    client.force_login(desk)
    return client


@pytest.fixture
def booking(ktp, tomorrow):
    later = tomorrow + dt.timedelta(days=3)
    return booking_create(service=ktp, start=at(later, 9), nik=VALID_NIK, name="Siti Rahmawati", phone=PHONE)


def booking_url(name: str, booking: Booking) -> str:
    return reverse(name, args=[booking.display_code])


# Who may use it


def test_anonymous_visitors_are_sent_to_the_staff_login(client, db):
    answer = client.get(reverse("help-desk"))
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("officer-login") + "?next=")


@pytest.mark.parametrize("who", ["bob", "alice", "carol"])
def test_an_agencys_officers_and_supervisors_get_403(request, client, booking, who):
    client.force_login(request.getfixturevalue(who))
    for url in [
        reverse("help-desk"),
        booking_url("help-desk-booking", booking),
        booking_url("help-desk-print", booking),
        reverse("help-desk-book"),
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("help-desk"), {"nik": VALID_NIK, "phone": PHONE}).status_code == 403
    assert client.post(booking_url("help-desk-cancel", booking)).status_code == 403
    assert Booking.objects.get().status == BookingStatus.BOOKED


def test_help_desk_staff_and_administrators_get_in(client, desk, admin_user):
    for user in (desk, admin_user):
        client.force_login(user)
        assert client.get(reverse("help-desk")).status_code == 200


def test_help_desk_staff_belong_to_no_agency(disdukcapil):
    from django.core.exceptions import ValidationError

    from agencies.services import staff_check_role

    staff_check_role(role=Role.HELP_DESK, agency=None)
    with pytest.raises(ValidationError):
        staff_check_role(role=Role.HELP_DESK, agency=disdukcapil)


def test_the_staff_login_leads_help_desk_staff_to_the_help_desk(client, desk):
    answer = client.post(reverse("officer-login"), {"username": "dina", "password": "rahasia-uji-2026"})
    assert answer.status_code == 302
    assert answer["Location"] == reverse("help-desk")


# Finding a booking


def test_found_by_nik_and_phone_with_the_nik_masked(staff_client, booking, ktp, tomorrow):
    other = booking_create(service=ktp, start=at(tomorrow, 10), nik=OTHER_NIK, name="Ani", phone=PHONE)
    answer = staff_client.post(reverse("help-desk"), {"nik": VALID_NIK, "phone": "0812 3456 7890"})
    assert answer.status_code == 200
    page = answer.content.decode()
    assert booking.display_code in page
    assert booking_url("help-desk-booking", booking) in page
    assert other.display_code not in page  # another person on the same phone
    assert MASKED in page
    assert VALID_NIK not in page


def test_found_by_code_however_it_is_typed(staff_client, booking):
    answer = staff_client.post(reverse("help-desk"), {"kode": booking.code.lower()})
    assert answer.status_code == 200
    assert booking_url("help-desk-booking", booking) in answer.content.decode()


def test_each_booking_a_search_shows_is_recorded_as_seen_by_the_staff_member(staff_client, booking, ktp, tomorrow):
    other = booking_create(service=ktp, start=at(tomorrow, 10), nik=OTHER_NIK, name="Ani", phone=PHONE)
    staff_client.post(reverse("help-desk"), {"nik": VALID_NIK, "phone": PHONE})
    act = BookingAct.objects.get()
    assert (act.booking, act.kind, act.staff_name) == (booking, BookingActKind.FOUND, "Dina Lestari")
    staff_client.post(reverse("help-desk"), {"kode": other.code})
    assert BookingAct.objects.filter(booking=other, kind=BookingActKind.FOUND).count() == 1
    assert "Ditemukan lewat pencarian" in text(staff_client.get(booking_url("help-desk-booking", booking)))


def test_nothing_found_says_so(staff_client, booking):
    answer = staff_client.post(reverse("help-desk"), {"nik": OTHER_NIK, "phone": PHONE})
    assert answer.status_code == 200
    assert "Tidak ada pemesanan" in text(answer)


@pytest.mark.parametrize(
    ("data", "field", "says"),
    [
        ({"nik": "abc", "phone": PHONE}, "nik", "NIK hanya berisi angka"),
        ({"nik": "1" * 15, "phone": PHONE}, "nik", "NIK harus 16 digit"),
        ({"nik": "9" * 2_000_000, "phone": PHONE}, "nik", "NIK terlalu panjang"),
        ({"nik": VALID_NIK, "phone": "<script>alert(1)</script>"}, "phone", "Nomor ponsel tidak sah"),
        ({"nik": VALID_NIK, "phone": ""}, "phone", "Isi nomor ponsel"),
        ({"nik": "", "phone": PHONE}, "nik", "Isi NIK"),
        ({"kode": "x" * 500_000}, "kode", "12 huruf dan angka"),
        ({"kode": "ABCD"}, "kode", "12 huruf dan angka"),
        ({"kode": "'; DROP TABLE queueing_booking; --"}, "kode", "12 huruf dan angka"),
        ({"kode": "\x00\x01"}, "kode", "Karakter null tidak diizinkan"),
        ({}, "kode", "Isi kode pemesanan, atau NIK dan nomor ponsel"),
    ],
)
def test_bad_search_input_is_shown_at_its_field(staff_client, booking, data, field, says):
    answer = staff_client.post(reverse("help-desk"), data)
    assert answer.status_code == 400
    assert says in field_error(answer, field)
    assert "<script>alert" not in answer.content.decode()
    assert len(answer.content) < 100_000


def test_the_nik_is_never_in_a_url_or_the_log(staff_client, booking, caplog):
    caplog.set_level(logging.DEBUG)
    answer = staff_client.post(reverse("help-desk"), {"nik": VALID_NIK, "phone": PHONE})
    assert 'method="post"' in answer.content.decode()
    staff_client.post(booking_url("help-desk-move", booking), {"tanggal": booking.date.isoformat(), "jam": "1000"})
    staff_client.post(booking_url("help-desk-cancel", booking))
    assert VALID_NIK not in caplog.text
    assert not re.search(r'href="[^"]*' + VALID_NIK, answer.content.decode())


# Acting on the citizen's behalf


def test_moving_a_booking_records_who_moved_it(staff_client, booking):
    day = booking.date
    slots = staff_client.get(booking_url("help-desk-move", booking), {"tanggal": day.isoformat()})
    assert slots.status_code == 200
    assert "10.00" in text(slots)
    answer = staff_client.post(booking_url("help-desk-move", booking), {"tanggal": day.isoformat(), "jam": "1000"})
    assert answer.status_code == 302
    booking.refresh_from_db()
    assert booking.start == at(day, 10)
    act = BookingAct.objects.get()
    assert (act.kind, act.staff_name, act.from_start, act.to_start) == (
        BookingActKind.MOVED,
        "Dina Lestari",
        at(day, 9),
        at(day, 10),
    )
    assert Notification.objects.filter(booking=booking, event=NotificationEvent.BOOKING_RESCHEDULED).exists()
    page = text(staff_client.get(answer["Location"]))
    assert "Dijadwalkan ulang" in page and "Dina Lestari" in page


def test_a_move_follows_the_same_rules_as_the_citizens(staff_client, booking):
    booking_reschedule(booking=booking, start=at(booking.date, 10))  # the citizen's one move
    answer = staff_client.post(
        booking_url("help-desk-move", booking), {"tanggal": booking.date.isoformat(), "jam": "1100"}
    )
    assert answer.status_code == 409
    assert "hanya dapat dijadwalkan ulang 1 kali" in text(answer)
    assert not BookingAct.objects.exists()


@pytest.mark.parametrize(
    "data", [{"tanggal": "kemarin", "jam": "1000"}, {"tanggal": "2026-02-30", "jam": "99"}, {"jam": "x" * 10_000}]
)
def test_a_move_to_garbage_is_refused_at_its_field(staff_client, booking, data):
    answer = staff_client.post(booking_url("help-desk-move", booking), data)
    assert answer.status_code == 400
    assert Booking.objects.get().start == booking.start
    assert len(answer.content) < 100_000


def test_cancelling_records_who_cancelled(staff_client, booking):
    asked = staff_client.get(booking_url("help-desk-cancel", booking))
    assert asked.status_code == 200
    assert "Batalkan pemesanan ini?" in text(asked)
    assert Booking.objects.get().status == BookingStatus.BOOKED  # a GET only asks
    answer = staff_client.post(booking_url("help-desk-cancel", booking))
    assert answer.status_code == 302
    assert Booking.objects.get().status == BookingStatus.CANCELLED
    act = BookingAct.objects.get()
    assert (act.kind, act.staff_name) == (BookingActKind.CANCELLED, "Dina Lestari")
    again = staff_client.post(booking_url("help-desk-cancel", booking))
    assert again.status_code == 409
    assert "tidak dapat dibatalkan lagi" in text(again)
    assert BookingAct.objects.count() == 1


def test_resending_writes_a_new_confirmation_and_records_it(staff_client, booking):
    before = Notification.objects.filter(booking=booking, event=NotificationEvent.BOOKING_CONFIRMED).count()
    answer = staff_client.post(booking_url("help-desk-resend", booking))
    assert answer.status_code == 302
    sent = Notification.objects.filter(booking=booking, event=NotificationEvent.BOOKING_CONFIRMED)
    assert sent.count() == before + 1
    assert booking.display_code in sent.order_by("-created_at").first().message
    staff_client.post(booking_url("help-desk-resend", booking))  # and again: each press is a message
    assert sent.count() == before + 2
    assert BookingAct.objects.filter(kind=BookingActKind.RESENT).count() == 2


def test_a_cancelled_booking_gets_no_confirmation(staff_client, booking):
    staff_client.post(booking_url("help-desk-cancel", booking))
    answer = staff_client.post(booking_url("help-desk-resend", booking))
    assert answer.status_code == 409
    assert not BookingAct.objects.filter(kind=BookingActKind.RESENT).exists()


def test_the_print_page_has_the_qr_code_and_is_recorded(staff_client, booking):
    answer = staff_client.get(booking_url("help-desk-print", booking))
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "<svg" in page and f"Kode QR pemesanan {booking.display_code}" in page
    assert booking.display_code in page
    assert VALID_NIK not in page
    assert 'media="print"' in page or "@media print" in page or "print.css" in page
    assert BookingAct.objects.get().kind == BookingActKind.PRINTED


def test_booking_on_behalf_of_a_citizen(staff_client, ktp, tomorrow):
    url = reverse("help-desk-book")
    chosen = staff_client.get(url, {"layanan": ktp.pk, "tanggal": tomorrow.isoformat()})
    assert chosen.status_code == 200
    assert "09.00" in text(chosen)
    data = {
        "layanan": ktp.pk,
        "tanggal": tomorrow.isoformat(),
        "jam": "0900",
        "nik": VALID_NIK,
        "name": "Siti Rahmawati",
        "phone": "0812 3456 7890",
        "language": "id",
        "channels": ["sms"],
        "consent": "on",
    }
    answer = staff_client.post(url, data)
    assert answer.status_code == 302
    booking = Booking.objects.get()
    assert booking.start == at(tomorrow, 9)
    act = BookingAct.objects.get()
    assert (act.kind, act.staff_name, act.booking) == (BookingActKind.BOOKED, "Dina Lestari", booking)
    assert answer["Location"] == reverse("help-desk-booking", args=[booking.display_code])
    # The same rules as the citizen's: a second booking that day is a conflict.
    again = staff_client.post(url, data | {"jam": "1000"})
    assert again.status_code == 409
    assert Booking.objects.count() == 1


def test_booking_with_bad_input_keeps_it_and_shows_each_error(staff_client, ktp, tomorrow):
    url = reverse("help-desk-book")
    data = {"layanan": ktp.pk, "tanggal": tomorrow.isoformat(), "jam": "0900", "nik": "12", "name": "S", "phone": "1"}
    answer = staff_client.post(url, data)
    assert answer.status_code == 400
    assert "NIK harus 16 digit" in field_error(answer, "nik")
    assert "Nomor ponsel tidak sah" in field_error(answer, "phone")
    for garbage in ({"layanan": "x", "tanggal": "y"}, {"layanan": "9" * 5000, "tanggal": "2026-13-45"}):
        assert staff_client.get(url, garbage).status_code == 400
    assert not Booking.objects.exists()


# The record, in the help desk and in the administration


def test_the_administration_shows_the_record_on_the_booking(client, staff_client, booking, admin_user):
    staff_client.post(booking_url("help-desk-resend", booking))
    client.force_login(admin_user)
    page = text(client.get(reverse("admin:queueing_booking_change", args=[booking.pk])))
    assert "Konfirmasi dikirim ulang" in page and "Dina Lestari" in page


@pytest.mark.parametrize("junk", ["ZZZZ-ZZZZ-ZZZZ", "x" * 3000, "%00", "<script>"])
def test_an_unknown_code_in_the_address_is_the_desks_not_found_page(staff_client, booking, junk):
    for name in ("help-desk-booking", "help-desk-move", "help-desk-print", "help-desk-cancel"):
        answer = staff_client.get(reverse(name, args=[junk]))
        assert answer.status_code == 404
        assert "Pemesanan tidak ditemukan" in text(answer)
