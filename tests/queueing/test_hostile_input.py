"""Input a crawler, a fuzzer or a bad client sends the API: never a 5xx, always JSON."""

import pytest
from rest_framework.test import APIClient

from queueing.bookings.services import booking_create
from tests.queueing.conftest import VALID_NIK, at

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
# Deeper than Python's recursion limit lets its JSON decoder go.
DEEP = "[" * 100_000 + "]" * 100_000
# The ends of the calendar, with the widest offsets an ISO time can carry.
EDGES = ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:00+07:00"]


@pytest.fixture
def api():
    return APIClient(raise_request_exception=False)


@pytest.fixture
def booking(ktp, tomorrow):
    return booking_create(service=ktp, start=at(tomorrow, 9), nik=VALID_NIK, name="Siti R", phone="081234567890")


def assert_json_error(answer, status: int = 400):
    assert answer.status_code == status, answer.content[:300]
    assert answer["Content-Type"] == "application/json"
    return answer.json()


@pytest.mark.parametrize("query", [f"limit={HUGE}", f"offset={HUGE}", f"limit=1&offset={HUGE}", f"agency={HUGE}"])
@pytest.mark.parametrize("url", ["/api/v1/agencies/", "/api/v1/services/", "/api/v1/counters/", "/api/v1/display/"])
def test_a_huge_number_in_a_list_query_is_never_a_server_error(api, ktp, admin_user, url, query):
    api.force_authenticate(admin_user)
    answer = api.get(f"{url}?{query}")
    assert answer.status_code in (200, 400), answer.content[:300]
    assert answer["Content-Type"] == "application/json"


def test_a_huge_limit_is_cut_to_the_largest_page(api, ktp):
    answer = api.get(f"/api/v1/services/?limit={HUGE}")
    assert answer.status_code == 200
    assert [service["id"] for service in answer.json()["results"]] == [ktp.id]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/bookings/",
        "/api/v1/surveys/",
        "/api/v1/tickets/",
        "/api/v1/auth/token/",
        "reschedule",
        "/api/v1/complaints/",
    ],
)
def test_json_nested_too_deep_is_a_400(api, kiosk_api, booking, url):
    if url == "reschedule":
        url = f"/api/v1/bookings/{booking.display_code}/reschedule/"
    client = kiosk_api if url == "/api/v1/tickets/" else api  # walk-in tickets come from a kiosk
    body = assert_json_error(client.post(url, DEEP, content_type="application/json"))
    assert "detail" in body


def test_json_nested_a_little_is_still_read(api, ktp):
    body = assert_json_error(api.post("/api/v1/bookings/", "[" * 50 + "]" * 50, content_type="application/json"))
    assert "non_field_errors" in body


@pytest.mark.parametrize("start", EDGES)
def test_a_booking_at_the_ends_of_the_calendar_is_a_400_at_start(api, ktp, start):
    payload = {"service": ktp.id, "start": start, "nik": VALID_NIK, "name": "Siti R", "phone": "081234567890"}
    body = assert_json_error(api.post("/api/v1/bookings/", payload, format="json"))
    assert body["start"] == ["Waktu tidak sah: tulis seperti 2026-11-27T09:00:00+07:00."]


@pytest.mark.parametrize("start", EDGES)
def test_a_reschedule_to_the_ends_of_the_calendar_is_a_400_at_start(api, booking, start):
    url = f"/api/v1/bookings/{booking.display_code}/reschedule/"
    body = assert_json_error(api.post(url, {"start": start}, format="json"))
    assert body["start"] == ["Waktu tidak sah: tulis seperti 2026-11-27T09:00:00+07:00."]
    booking.refresh_from_db()
    assert booking.reschedule_count == 0


def test_an_unknown_api_address_is_a_json_404(api, db):
    assert "detail" in assert_json_error(api.get("/api/v1/tidak-ada/"), 404)


def test_a_server_error_in_the_api_is_json_too(rf):
    from mpp_portal.errors import server_error

    answer = server_error(rf.get("/api/v1/bookings/"))
    assert answer.status_code == 500
    assert answer["Content-Type"] == "application/json"
    assert server_error(rf.get("/"))["Content-Type"].startswith("text/html")
