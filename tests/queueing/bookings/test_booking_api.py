"""POST /api/v1/bookings/ and friends: the contract, every bad input, never a 500."""

import datetime as dt
import json

import pytest
from rest_framework.test import APIClient

from queueing.models import Booking
from tests.queueing.conftest import VALID_NIK, at, nik

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def payload(ktp, tomorrow):
    return {
        "service": ktp.id,
        "start": at(tomorrow, 9).isoformat(),
        "nik": VALID_NIK,
        "name": "Siti Rahmawati",
        "phone": "0812-3456-7890",
    }


def test_the_written_out_answer_is_what_its_model_writes(api, payload):
    from queueing.bookings.schemas import BookingOut

    payload |= {"email": "siti@example.org", "channels": ["email", "whatsapp"], "priority_group": "elderly"}
    booking = Booking.objects.get(
        code=api.post("/api/v1/bookings/", payload, format="json").json()["code"].replace("-", "")
    )
    written = BookingOut.of(booking)
    assert written == BookingOut.model_validate(written).model_dump(mode="json")
    assert list(written) == list(BookingOut.model_fields)
    assert written["created_at"].count(".") == 1  # microseconds too, as pydantic writes them


def test_booking_is_created_with_a_code_and_masked_personal_data(api, payload, tomorrow):
    answer = api.post("/api/v1/bookings/", payload, format="json")
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["status"] == "booked"
    assert body["start"] == at(tomorrow, 9).isoformat()
    assert body["end"] == at(tomorrow, 9, 30).isoformat()
    assert body["nik"] == "3674••••••••0001"
    assert VALID_NIK not in answer.content.decode()
    assert body["name"] == "S" + "•" * 3 + " R" + "•" * 8
    assert body["phone"] == "+62812•••••890"
    assert body["channels"] == ["sms"]
    booking = Booking.objects.get()
    assert booking.phone == "+6281234567890"
    assert body["code"] == booking.display_code

    looked_up = api.get(f"/api/v1/bookings/{body['code']}/")
    assert looked_up.status_code == 200
    assert looked_up.json()["code"] == body["code"]


def test_a_looked_up_booking_masks_name_email_nik_and_phone(api, payload):
    payload |= {"email": "siti.rahma@example.org"}
    code = api.post("/api/v1/bookings/", payload, format="json").json()["code"]
    answer = api.get(f"/api/v1/bookings/{code}/")
    body = answer.json()
    assert (body["name"], body["email"]) == ("S" + "•" * 3 + " R" + "•" * 8, "s" + "•" * 9 + "@e" + "•" * 6 + ".org")
    assert (body["nik"], body["phone"]) == ("3674••••••••0001", "+62812•••••890")
    for personal in ("Siti", "Rahmawati", "siti.rahma", "example.org", VALID_NIK, "81234567890"):
        assert personal not in answer.content.decode()


def test_email_adds_the_email_channel(api, payload):
    answer = api.post("/api/v1/bookings/", payload | {"email": "siti@example.org"}, format="json")
    assert answer.json()["channels"] == ["sms", "email"]


def test_cancel_and_reschedule_through_the_api(api, payload, tomorrow):
    later = tomorrow + dt.timedelta(days=3)
    code = api.post("/api/v1/bookings/", payload | {"start": at(later, 8).isoformat()}, format="json").json()["code"]
    moved = api.post(f"/api/v1/bookings/{code}/reschedule/", {"start": at(later, 10).isoformat()}, format="json")
    assert moved.status_code == 200
    assert moved.json()["start"] == at(later, 10).isoformat()
    again = api.post(f"/api/v1/bookings/{code}/reschedule/", {"start": at(later, 11).isoformat()}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "reschedule_limit"
    cancelled = api.post(f"/api/v1/bookings/{code}/cancel/")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert api.post(f"/api/v1/bookings/{code}/cancel/").status_code == 409


def test_unknown_code_is_a_404(api):
    assert api.get("/api/v1/bookings/AAAA-BBBB-CCCC/").status_code == 404
    assert api.post("/api/v1/bookings/%3Cscript%3E/cancel/").status_code == 404


def test_a_full_slot_and_a_duplicate_are_409_with_a_code(api, payload, ktp):
    for n in range(5):
        assert api.post("/api/v1/bookings/", payload | {"nik": nik(n)}, format="json").status_code == 201
    full = api.post("/api/v1/bookings/", payload | {"nik": nik(9)}, format="json")
    assert full.status_code == 409
    assert full.json()["code"] == "slot_full"
    assert "penuh" in full.json()["detail"]
    duplicate = api.post(
        "/api/v1/bookings/", payload | {"nik": nik(0), "start": payload["start"][:11] + "10:00:00+07:00"}, format="json"
    )
    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "duplicate"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nik", "12345"),  # too short
        ("nik", "36740117089000AB"),  # letters
        ("nik", "3674013002901234"),  # 30 February
        ("nik", "9974011708900001"),  # unknown province
        ("nik", ""),
        ("phone", "021 5551234"),  # a landline
        ("phone", "0812"),
        ("phone", "+1 650 253 0000"),
        ("phone", "<b>0812</b>"),
        ("name", "x"),
        ("name", "Budi\u0000Santoso"),
        ("name", "A" * 101),
        ("email", "not-an-email"),
        ("service", 999999),
        ("service", "abc"),
        ("service", True),  # JSON true is not service 1
        ("service", 2**40),
        ("start", 1795000000),  # seconds since 1970 are not a time
        ("nik", 3674011708900001),  # a number, not the text of one
        ("channels", []),
        ("channels", None),
        ("start", "tomorrow morning"),
        ("start", "2026-13-45T09:00:00+07:00"),
        ("channels", ["pigeon"]),
        ("channels", "sms"),
        ("priority_group", "vip"),
        ("language", "fr"),
    ],
)
def test_bad_input_is_a_400_at_its_field(api, payload, field, value):
    answer = api.post("/api/v1/bookings/", payload | {field: value}, format="json")
    assert answer.status_code == 400, answer.content
    assert field in answer.json()
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    "start_of",
    [lambda day: at(day, 8, 15), lambda day: at(day, 14), lambda day: at(day - dt.timedelta(days=3), 9)],
)
def test_a_time_without_a_slot_is_a_400_at_start(api, payload, tomorrow, start_of):
    answer = api.post("/api/v1/bookings/", payload | {"start": start_of(tomorrow).isoformat()}, format="json")
    assert answer.status_code == 400
    assert "start" in answer.json()


def test_every_wrong_field_is_reported_at_once_in_indonesian_or_as_accept_language_asks(api, payload):
    wrong = payload | {"nik": "12", "phone": "0812", "email": "x@"}

    indonesian = api.post("/api/v1/bookings/", wrong, format="json").json()
    english = api.post("/api/v1/bookings/", wrong, format="json", HTTP_ACCEPT_LANGUAGE="en").json()

    assert set(indonesian) == set(english) == {"nik", "phone", "email"}
    assert indonesian["nik"] == ["NIK harus 16 digit."]
    assert english["nik"] == ["The NIK must have 16 digits."]
    assert english["email"] == ["Invalid email address: write it like name@example.id."]
    for body in (indonesian, english):
        assert not any(" / " in message for messages in body.values() for message in messages)
    assert api.post("/api/v1/bookings/", [], format="json", HTTP_ACCEPT_LANGUAGE="en").json() == {
        "non_field_errors": ["Invalid data: send a JSON object."]
    }


def test_garbage_bodies_are_400_never_500(api, payload):
    for body, content_type in [
        ("{not json", "application/json"),
        ("[]", "application/json"),
        ("null", "application/json"),
        ('{"service": {"$gt": ""}}', "application/json"),
        ("\xff\xfe", "application/json"),
        ("a=b", "text/plain"),
    ]:
        answer = api.generic("POST", "/api/v1/bookings/", body, content_type=content_type)
        assert answer.status_code in (400, 415), (body, answer.status_code)


def test_a_huge_body_is_refused_cleanly(api, payload):
    answer = api.post("/api/v1/bookings/", payload | {"name": "A" * 3_000_000}, format="json")
    assert answer.status_code in (400, 413)
    assert not Booking.objects.exists()


def test_script_in_the_name_is_stored_as_text_and_returned_as_data(api, payload):
    answer = api.post("/api/v1/bookings/", payload | {"name": "<script>alert(1)</script>"}, format="json")
    assert answer.status_code == 201
    assert answer["Content-Type"] == "application/json"
    assert json.loads(answer.content)["name"] == "<" + "•" * 24
    assert Booking.objects.get().name == "<script>alert(1)</script>"


def test_slots_endpoint_lists_free_seats_and_empty_on_closed_days(api, ktp, tomorrow):
    slots = api.get(f"/api/v1/services/{ktp.id}/slots/", {"date": tomorrow.isoformat()}).json()
    assert slots[0] == {
        "start": at(tomorrow, 8).isoformat(),
        "end": at(tomorrow, 8, 30).isoformat(),
        "capacity": 5,
        "available": 5,
    }
    far = tomorrow + dt.timedelta(days=100)
    assert api.get(f"/api/v1/services/{ktp.id}/slots/", {"date": far.isoformat()}).json() == []
    bad = api.get(f"/api/v1/services/{ktp.id}/slots/", {"date": "kemarin"})
    assert bad.status_code == 400
    assert "date" in bad.json()
    assert api.get("/api/v1/services/999999/slots/", {"date": tomorrow.isoformat()}).status_code == 404


def test_booking_is_throttled_per_client_address(api, payload, settings, ktp):
    settings.RATELIMIT_ENABLED = True
    codes = [api.post("/api/v1/bookings/", payload | {"nik": nik(n)}, format="json").status_code for n in range(22)]
    assert codes[-1] == 429
    settings.RATELIMIT_ENABLED = False
    assert api.post("/api/v1/bookings/", payload | {"nik": nik(30)}, format="json").status_code != 429


def test_the_nik_never_reaches_the_log(api, payload, caplog):
    caplog.set_level("DEBUG")
    api.post("/api/v1/bookings/", payload, format="json")
    api.post("/api/v1/bookings/", payload, format="json")  # a duplicate, logged as a conflict
    assert VALID_NIK not in caplog.text


def test_a_service_that_takes_no_bookings_is_a_400_at_service(api, payload, ktp):
    ktp.online_booking = False
    ktp.save()
    answer = api.post("/api/v1/bookings/", payload, format="json")
    assert answer.status_code == 400
    assert answer.json()["code"] == "not_bookable"
    assert "service" in answer.json()
    assert not Booking.objects.exists()


def test_the_booking_endpoint_answers_other_methods_as_the_rest_of_the_api(api):
    assert api.options("/api/v1/bookings/").status_code == 200
    refused = api.get("/api/v1/bookings/")
    assert refused.status_code == 405
    assert "detail" in refused.json()


def test_a_body_that_is_not_json_is_a_415_and_broken_json_a_400(api, payload):
    plain = api.generic("POST", "/api/v1/bookings/", "service=1", content_type="text/plain")
    assert plain.status_code == 415
    broken = api.generic("POST", "/api/v1/bookings/", '{"service": 1,', content_type="application/json")
    assert broken.status_code == 400
    assert broken.json()["detail"] == "Data bukan JSON yang sah."
    assert not Booking.objects.exists()


def test_the_booking_names_its_service_in_the_language_asked(api, payload, ktp):
    ktp.name_en = "Electronic identity card"
    ktp.save()

    english = api.post("/api/v1/bookings/", payload, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    indonesian = api.get(f"/api/v1/bookings/{english['code']}/").json()

    assert english["service_name"] == "Electronic identity card"
    assert indonesian["service_name"] == ktp.name
