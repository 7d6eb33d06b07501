"""The queue floor's API, as CONTRACT.md describes it."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from queueing.floor.api import TicketOutput
from queueing.floor.tickets import ticket_call_next, ticket_issue_walk_in
from queueing.models import Announcement, Booking, Ticket
from tests.factories import CounterFactory, ServiceFactory
from tests.queueing.conftest import VALID_NIK

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(kiosk_api):
    """The kiosk's client, with its token (the display and the ticket pages need none)."""
    return kiosk_api


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
    answer = moved.json()
    assert (answer["service"], answer["status"], answer["number"]) == (pajak.id, "waiting", "S/B-001")
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


def test_unknown_ticket_code_is_a_404_for_every_action(officer_api, kk, counter):
    assert officer_api.post("/api/v1/tickets/0000-0000-0000/start/").status_code == 404
    assert (
        officer_api.post("/api/v1/tickets/0000-0000-0000/transfer/", {"service": kk.id}, format="json").status_code
        == 404
    )


# What an officer's actions may cost, with token authentication as the console and the
# floor use it. In tests each transaction is a savepoint and its release, so a budget
# here is the statements plus two: call next 9, start and complete 5 each (they were
# 11, 8 and 9 before the officer path was trimmed; bench/queue_floor.py measures
# the floor).
CALL_NEXT_QUERIES = 11
ACTION_QUERIES = 7


def test_officer_actions_stay_within_their_query_budget(api, kk, counter, bob, django_assert_max_num_queries):
    officer = APIClient()
    officer.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=bob).key}")
    codes = [api.post("/api/v1/tickets/", {"service": kk.id}, format="json").json()["code"] for _ in range(3)]
    with django_assert_max_num_queries(CALL_NEXT_QUERIES):
        called = officer.post(f"/api/v1/counters/{counter.id}/call-next/")
    assert (called.status_code, called.json()["code"]) == (200, codes[0])
    with django_assert_max_num_queries(ACTION_QUERIES):
        assert officer.post(f"/api/v1/tickets/{codes[0]}/start/").json()["status"] == "serving"
    with django_assert_max_num_queries(ACTION_QUERIES):
        assert officer.post(f"/api/v1/tickets/{codes[0]}/complete/").json()["status"] == "done"
    with django_assert_max_num_queries(CALL_NEXT_QUERIES):
        assert officer.post(f"/api/v1/counters/{counter.id}/call-next/").json()["code"] == codes[1]


def test_the_ticket_output_is_what_its_declared_fields_say(kk, counter, bob):
    tickets = [ticket_issue_walk_in(service=kk) for _ in range(3)]
    ticket_issue_walk_in(service=kk, priority_group="elderly")
    ticket_call_next(counter=counter, officer=bob)  # the elderly visitor goes first
    for ticket in Ticket.objects.select_related("service__agency", "counter").filter(
        pk__in=[t.pk for t in tickets] + [Ticket.objects.get(priority=True).pk]
    ):
        output = TicketOutput(ticket)
        # Serializer.to_representation: DRF's own walk over the declared fields.
        assert output.data == serializers.Serializer.to_representation(output, ticket)
    called = TicketOutput(Ticket.objects.get(priority=True)).data
    assert (called["status"], called["counter"], called["called_at"] is not None) == ("called", 3, True)
    assert [TicketOutput(t).data["people_ahead"] for t in tickets] == [0, 1, 2]
