"""A citizen who lost the booking code gets it again on the phone on record, from the
web or at the kiosk, with NIK and phone: the screen says the same whether or not a
booking matched, the codes never appear on it, the NIK never in a URL or the log, and
the form is slowed down against guessing."""

import datetime as dt
import logging
import re

import pytest
from django.urls import reverse

from mpp_common.throttling import SwitchableScopedRateThrottle
from queueing.bookings.services import booking_cancel, booking_create
from queueing.models import Notification, NotificationEvent
from tests.queueing.conftest import OTHER_NIK, VALID_NIK, at

pytestmark = pytest.mark.django_db

PHONE = "+6281234567890"
TYPED = {"nik": VALID_NIK, "phone": "0812-3456-7890"}


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def csrf(client, url: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(url).content.decode()).group(1)


@pytest.fixture
def bookings(ktp, tomorrow):
    later = tomorrow + dt.timedelta(days=2)
    mine = [
        booking_create(service=ktp, start=at(tomorrow, 9), nik=VALID_NIK, name="Siti", phone=PHONE),
        booking_create(service=ktp, start=at(later, 10), nik=VALID_NIK, name="Siti", phone=PHONE),
    ]
    gone = booking_create(
        service=ktp, start=at(later + dt.timedelta(days=1), 9), nik=VALID_NIK, name="Siti", phone=PHONE
    )
    booking_cancel(booking=gone)
    other = booking_create(service=ktp, start=at(tomorrow, 10), nik=OTHER_NIK, name="Ani", phone=PHONE)
    return mine, gone, other


def codes_sent():
    return Notification.objects.filter(event=NotificationEvent.BOOKING_CODES)


def test_the_codes_of_the_upcoming_bookings_go_to_the_phone_on_record(client, bookings):
    (first, second), gone, other = bookings
    url = reverse("booking-code-recovery")
    form = client.get(url)
    assert form.status_code == 200
    answer = client.post(url, TYPED)
    assert answer.status_code == 302
    done = client.get(answer["Location"])
    assert done.status_code == 200
    for booking in (first, second, gone, other):
        assert booking.display_code not in done.content.decode()

    message = codes_sent().get()
    assert (message.channel, message.recipient) == ("sms", PHONE)
    assert first.display_code in message.message and second.display_code in message.message
    assert gone.display_code not in message.message  # cancelled
    assert other.display_code not in message.message  # another person's on the same phone
    assert VALID_NIK not in message.message


def test_the_answer_is_the_same_whether_or_not_a_booking_matched(client, bookings):
    url = reverse("booking-code-recovery")
    matched = client.post(url, TYPED)
    unknown = client.post(url, {"nik": "3674011708900099", "phone": "0812 3456 7890"})
    wrong_phone = client.post(url, {"nik": VALID_NIK, "phone": "0813 0000 1111"})
    assert matched.status_code == unknown.status_code == wrong_phone.status_code == 302
    assert matched["Location"] == unknown["Location"] == wrong_phone["Location"]
    assert text(client.get(matched["Location"])) == text(client.get(unknown["Location"]))
    assert codes_sent().count() == 1  # only the match wrote a message


def test_asking_again_at_once_sends_nothing_more(client, bookings):
    url = reverse("booking-code-recovery")
    client.post(url, TYPED)
    client.post(url, TYPED)
    assert codes_sent().count() == 1


def test_the_nik_is_never_in_a_url_or_the_log(client, bookings, caplog):
    caplog.set_level(logging.DEBUG)
    url = reverse("booking-code-recovery")
    answer = client.post(url, TYPED)
    assert VALID_NIK not in answer["Location"]
    client.get(answer["Location"])
    client.post(url, {"nik": VALID_NIK, "phone": "12"})
    assert VALID_NIK not in caplog.text
    assert "<form" in client.get(url).content.decode()
    assert 'method="post"' in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("data", "field", "says"),
    [
        ({"nik": "abc", "phone": "081234567890"}, "nik", "NIK hanya berisi angka"),
        ({"nik": "1234", "phone": "081234567890"}, "nik", "NIK harus 16 digit"),
        ({"nik": VALID_NIK, "phone": "12"}, "phone", "Nomor ponsel tidak sah"),
        ({"nik": "9" * 1_000_000, "phone": "081234567890"}, "nik", "NIK terlalu panjang"),
        ({"nik": VALID_NIK, "phone": "<script>alert(1)</script>" * 1000}, "phone", "Nomor ponsel terlalu panjang"),
        ({"nik": "", "phone": ""}, "nik", "Isi NIK Anda"),
    ],
)
def test_bad_input_is_shown_at_its_field(client, db, data, field, says):
    answer = client.post(reverse("booking-code-recovery"), data)
    assert answer.status_code == 400
    error = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</p>', answer.content.decode(), re.S)
    assert error and says in error.group(1)
    assert "<script>alert" not in answer.content.decode()
    assert len(answer.content) < 100_000  # a huge input is not echoed back whole
    assert not codes_sent().exists()


def test_too_many_requests_from_one_address_are_slowed_down(client, bookings, monkeypatch):
    monkeypatch.setattr(SwitchableScopedRateThrottle, "THROTTLE_RATES", {"code_recovery": "1/hour"})
    url = reverse("booking-code-recovery")
    assert client.post(url, {"nik": OTHER_NIK, "phone": PHONE}).status_code == 302
    again = client.post(url, TYPED)
    assert again.status_code == 429
    assert "Terlalu banyak permintaan" in text(again)
    assert codes_sent().count() == 1


def test_the_lookup_page_offers_the_way_back_to_a_lost_code(client, db):
    assert reverse("booking-code-recovery") in client.get(reverse("booking-lookup")).content.decode()


def test_the_message_is_in_the_language_of_the_booking(client, ktp, tomorrow):
    booking = booking_create(service=ktp, start=at(tomorrow, 9), nik=VALID_NIK, name="Siti", phone=PHONE, language="en")
    client.post(reverse("booking-code-recovery"), TYPED)
    message = codes_sent().get()
    assert message.language == "en"
    assert "booking code" in message.message and booking.display_code in message.message


# At the kiosk


def test_the_kiosk_check_in_offers_a_lost_code_and_sends_it(kiosk_client, bookings):
    client = kiosk_client
    (first, _second), _gone, _other = bookings
    check_in = client.get("/kiosk/check-in/").content.decode()
    assert "Lupa kode booking?" in check_in
    url = reverse("kiosk-code-recovery")
    assert url in check_in
    form = client.get(url)
    assert form.status_code == 200
    answer = client.post(url, TYPED)
    assert answer.status_code == 302
    assert VALID_NIK not in answer["Location"]
    done = client.get(answer["Location"])
    assert first.display_code not in done.content.decode()
    assert first.display_code in codes_sent().get().message
    unknown = client.post(url, {"nik": "3674011708900099", "phone": "0812 3456 7890"})
    assert unknown["Location"] == answer["Location"]


def test_the_kiosk_form_shows_bad_input_at_its_field(kiosk_client):
    answer = kiosk_client.post(reverse("kiosk-code-recovery"), {"nik": "x" * 100_000, "phone": ""})
    assert answer.status_code == 400
    assert "NIK terlalu panjang" in text(answer)
    assert len(answer.content) < 100_000
