"""The queue floor's API, as CONTRACT.md describes it."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from queueing.models import Announcement, Booking, Ticket
from tests.factories import CounterFactory, ServiceFactory
from tests.queueing.conftest import VALID_NIK

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def officer_api(bob):
    client = APIClient()
    client.force_authenticate(bob)
    return client


def test_kiosk_ticket_then_follow_it_by_code(api, kk):
    answer = api.post("/api/v1/tickets/", {"service": kk.id}, format="json")
    assert answer.status_code == 201
    body = answer.json()
    assert (body["number"], body["status"], body["service"]) == ("B-001", "waiting", kk.id)
    followed = api.get(f"/api/v1/tickets/{body['code']}/")
    assert followed.status_code == 200
    assert followed.json()["people_ahead"] == 0
    assert followed.json()["counter"] is None
    again = api.get(f"/api/v1/tickets/{body['code']}/", HTTP_IF_NONE_MATCH=followed["ETag"])
    assert again.status_code == 304


def test_people_ahead_and_estimated_wait(api, kk, counter):
    codes = [api.post("/api/v1/tickets/", {"service": kk.id}, format="json").json()["code"] for _ in range(3)]
    last = api.get(f"/api/v1/tickets/{codes[-1]}/").json()
    assert last["people_ahead"] == 2
    assert last["estimated_wait_minutes"] == 20  # 2 ahead × 10 minutes (no history yet) ÷ 1 open counter


@pytest.mark.parametrize("body", [{}, {"service": "x"}, {"service": 99999}, {"service": 1, "priority": "vip"}])
def test_bad_kiosk_input_is_a_400(api, kk, body):
    assert api.post("/api/v1/tickets/", body, format="json").status_code == 400


def test_call_next_start_complete_through_the_api(officer_api, api, kk, counter):
    code = api.post("/api/v1/tickets/", {"service": kk.id}, format="json").json()["code"]
    called = officer_api.post(f"/api/v1/counters/{counter.id}/call-next/")
    assert called.status_code == 200
    assert (called.json()["code"], called.json()["counter"]) == (code, 3)
    assert api.get(f"/api/v1/tickets/{code}/").json()["counter"] == 3
    assert officer_api.post(f"/api/v1/tickets/{code}/start/").json()["status"] == "serving"
    assert officer_api.post(f"/api/v1/tickets/{code}/complete/").json()["status"] == "done"
    assert officer_api.post(f"/api/v1/counters/{counter.id}/call-next/").status_code == 204


def test_an_action_out_of_state_is_409_and_an_unknown_one_404(officer_api, api, kk, counter):
    code = api.post("/api/v1/tickets/", {"service": kk.id}, format="json").json()["code"]
    wrong = officer_api.post(f"/api/v1/tickets/{code}/complete/")
    assert wrong.status_code == 409
    assert wrong.json()["code"] == "wrong_state"
    assert officer_api.post(f"/api/v1/tickets/{code}/explode/").status_code == 404


def test_another_agencys_officer_gets_403_on_counters_and_tickets(api, kk, counter, samsat):
    from agencies.models import Role
    from tests.factories import UserFactory

    stranger = APIClient()
    stranger.force_authenticate(UserFactory(role=Role.OFFICER, agency=samsat))
    code = api.post("/api/v1/tickets/", {"service": kk.id}, format="json").json()["code"]
    assert stranger.post(f"/api/v1/counters/{counter.id}/call-next/").status_code in (403, 404)
    answer = stranger.post(f"/api/v1/tickets/{code}/hold/")
    assert answer.status_code == 403
    assert APIClient().post(f"/api/v1/counters/{counter.id}/call-next/").status_code == 401


def test_transfer_to_another_agency_by_service(officer_api, api, kk, counter, samsat):
    pajak = ServiceFactory(agency=samsat)
    code = api.post("/api/v1/tickets/", {"service": kk.id}, format="json").json()["code"]
    officer_api.post(f"/api/v1/counters/{counter.id}/call-next/")
    moved = officer_api.post(f"/api/v1/tickets/{code}/transfer/", {"service": pajak.id}, format="json")
    assert moved.status_code == 200
    assert (moved.json()["service"], moved.json()["status"], moved.json()["number"]) == (pajak.id, "waiting", "B-001")
    assert officer_api.post(f"/api/v1/tickets/{code}/transfer/", {}, format="json").status_code in (400, 403, 409)


def test_transfer_to_a_counter(officer_api, api, kk, counter, disdukcapil):
    other_service = ServiceFactory(agency=disdukcapil)
    other_counter = CounterFactory(agency=disdukcapil)
    other_service.counters.add(other_counter)
    code = api.post("/api/v1/tickets/", {"service": kk.id}, format="json").json()["code"]
    officer_api.post(f"/api/v1/counters/{counter.id}/call-next/")
    moved = officer_api.post(f"/api/v1/tickets/{code}/transfer/", {"counter": other_counter.id}, format="json")
    assert moved.json()["service"] == other_service.id


def test_check_in_by_booking_code(api, kk):
    now = timezone.now()
    booking = Booking.objects.create(
        service=kk,
        date=timezone.localdate(),
        start=now + dt.timedelta(minutes=20),
        end=now + dt.timedelta(minutes=50),
        nik=VALID_NIK,
        name="Siti",
        phone="+62812345678",
        consent_at=now,
    )
    answer = api.post(f"/api/v1/bookings/{booking.display_code.lower()}/check-in/")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["number"] == "B-001"
    assert Ticket.objects.get().booking == booking
    assert api.post(f"/api/v1/bookings/{booking.display_code}/check-in/").status_code == 409


def test_display_shows_latest_calls_and_waiting_counts(officer_api, api, kk, counter, disdukcapil):
    Announcement.objects.create(text="Selamat datang di MPP Kota Tangerang Selatan")
    for _ in range(3):
        api.post("/api/v1/tickets/", {"service": kk.id}, format="json")
    officer_api.post(f"/api/v1/counters/{counter.id}/call-next/")
    board = api.get("/api/v1/display/").json()
    assert board["calls"][0]["number"] == "B-001"
    assert board["calls"][0]["counter"] == 3
    waiting = {row["agency"]: row["waiting"] for row in board["waiting"]}
    assert waiting[disdukcapil.id] == 2
    assert board["running_text"] == ["Selamat datang di MPP Kota Tangerang Selatan"]
    only = api.get(f"/api/v1/display/?agency={disdukcapil.id}").json()
    assert [row["agency"] for row in only["waiting"]] == [disdukcapil.id]
    assert api.get("/api/v1/display/?agency=abc").status_code == 400


def test_pause_stops_calling(officer_api, api, kk, counter):
    api.post("/api/v1/tickets/", {"service": kk.id}, format="json")
    assert officer_api.post(f"/api/v1/counters/{counter.id}/pause/", {"paused": True}, format="json").json()["paused"]
    assert officer_api.post(f"/api/v1/counters/{counter.id}/call-next/").status_code == 409
