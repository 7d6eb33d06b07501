"""What the floor's screens show: a booked ticket's slot time and booking code in the
console, and the board's last several calls of each agency."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from queueing.floor.api import CALLS_PER_AGENCY
from queueing.floor.tickets import booking_check_in, ticket_act, ticket_call_next, ticket_issue_walk_in
from queueing.models import TicketAction
from tests.queueing.conftest import VALID_NIK
from tests.queueing.floor.test_kiosk_pages import booking_for

pytestmark = pytest.mark.django_db


def test_the_console_shows_a_booked_tickets_slot_time_and_code_beside_the_name(client, bob, counter, kk):
    # Its slot began five minutes ago: it queues before the walk-in who came just now.
    first = booking_for(kk, minutes_from_now=-5)
    booking_check_in(booking=first)
    start = first.start
    walk_in = ticket_issue_walk_in(service=kk)
    client.force_login(bob)

    state = client.get(reverse("officer-console-state", args=[counter.pk])).json()
    slot = f"{timezone.localtime(start):%H.%M}"
    booked = next(row for row in state["waiting"] if row["code"] == first.ticket.code)
    assert (booked["name"], booked["slot"], booked["booking_code"]) == ("Siti Rahmawati", slot, first.display_code)
    plain = next(row for row in state["waiting"] if row["code"] == walk_in.code)
    assert (plain["name"], plain["slot"], plain["booking_code"]) == ("", "", "")
    assert VALID_NIK not in str(state)

    ticket_call_next(counter=counter, officer=bob)
    current = client.get(reverse("officer-console-state", args=[counter.pk])).json()["current"]
    assert (current["name"], current["slot"], current["booking_code"]) == ("Siti Rahmawati", slot, first.display_code)


def test_the_board_keeps_the_last_several_calls_of_an_agency_with_one_counter(bob, counter, kk):
    tickets = [ticket_issue_walk_in(service=kk) for _ in range(CALLS_PER_AGENCY + 2)]
    for _ in tickets:
        called = ticket_call_next(counter=counter, officer=bob)
        ticket_act(ticket=called, action=TicketAction.STARTED, officer=bob)
        ticket_act(ticket=called, action=TicketAction.COMPLETED, officer=bob)
    calls = APIClient().get("/api/v1/display/").json()["calls"]
    numbers = [call["number"] for call in calls]
    assert numbers == [f"B-{n:03d}" for n in range(len(tickets), len(tickets) - CALLS_PER_AGENCY, -1)]


def test_a_recalled_ticket_is_on_the_board_once(bob, counter, kk):
    ticket_issue_walk_in(service=kk)
    ticket_issue_walk_in(service=kk)
    first = ticket_call_next(counter=counter, officer=bob)
    ticket_act(ticket=first, action=TicketAction.RECALLED, officer=bob)
    ticket_act(ticket=first, action=TicketAction.STARTED, officer=bob)
    ticket_act(ticket=first, action=TicketAction.COMPLETED, officer=bob)
    ticket_call_next(counter=counter, officer=bob)
    numbers = [call["number"] for call in APIClient().get("/api/v1/display/").json()["calls"]]
    assert numbers == ["B-002", "B-001"]
