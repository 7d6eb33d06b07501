"""Transferring a ticket from the console: the dialog chooses nothing by itself and
lists the officer's own agency first, and a ticket that waits at another agency is
shown and announced with that agency's prefix before its own number, everywhere."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from agencies.models import Role
from queueing.floor.tickets import ticket_act, ticket_call_next, ticket_issue_walk_in
from queueing.models import TicketAction
from tests.factories import AgencyFactory, CounterFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bpjs(db):
    """An agency whose name sorts before Disdukcapil's, with a service that sorts first."""
    agency = AgencyFactory(code="bpjstk", name="BPJS Ketenagakerjaan", ticket_prefix="L")
    ServiceFactory(agency=agency, name="Klaim JHT")
    return agency


def _select(body: str, name: str) -> str:
    return re.search(rf'<select id="transfer-{name}" name="{name}"[^>]*>(.*?)</select>', body, re.S).group(1)


def test_the_transfer_dialog_preselects_nothing_and_lists_the_own_agency_first(client, bob, counter, kk, bpjs):
    CounterFactory(agency=bpjs, number=12)
    CounterFactory(agency=counter.agency, number=4)
    client.force_login(bob)
    body = client.get(reverse("officer-console", args=[counter.pk])).content.decode()
    for name in ("service", "counter"):
        options = _select(body, name)
        # The first option is an empty choice, and it is the one chosen.
        first = re.search(r"<option[^>]*>", options).group(0)
        assert 'value=""' in first and "selected" in first, (name, first)
        assert re.findall(r"<option[^>]*\bselected\b[^>]*>", options) == [first]
        groups = re.findall(r'<optgroup label="([^"]*)"', options)
        assert groups[0] == counter.agency.name, (name, groups)
        assert "BPJS Ketenagakerjaan" in groups


def test_a_transfer_without_a_target_is_refused_at_the_field(bob, counter, kk):
    ticket_issue_walk_in(service=kk)
    ticket = ticket_call_next(counter=counter, officer=bob)
    api = APIClient()
    api.force_authenticate(bob)
    for body in ({}, {"service": ""}, {"service": "x" * 5000}, {"counter": -1}):
        answer = api.post(f"/api/v1/tickets/{ticket.code}/transfer/", body, format="json")
        assert answer.status_code == 400, body
    assert api.get(f"/api/v1/tickets/{ticket.code}/").json()["status"] == "called"


def test_a_ticket_moved_to_another_agency_carries_its_prefix_on_the_board_api_and_ticket_page(
    client, bob, counter, kk, bpjs
):
    jht = bpjs.services.get()
    ticket_issue_walk_in(service=kk)
    ticket = ticket_call_next(counter=counter, officer=bob)
    moved = ticket_act(ticket=ticket, action=TicketAction.TRANSFERRED, officer=bob, service=jht)
    assert (moved.display_number, moved.spoken_number) == ("L/B-001", "L B 1")

    api = APIClient()
    assert api.get(f"/api/v1/tickets/{moved.code}/").json()["number"] == "L/B-001"
    assert "L/B-001" in client.get(reverse("citizen-ticket", args=[moved.code])).content.decode()

    desk = CounterFactory(agency=bpjs, number=12)
    jht.counters.add(desk)
    officer = UserFactory(username="lia", role=Role.OFFICER, agency=bpjs)
    officer.counters.add(desk)
    called = ticket_call_next(counter=desk, officer=officer)
    assert called.pk == moved.pk
    calls = api.get("/api/v1/display/").json()["calls"]
    assert (calls[0]["number"], calls[0]["spoken"], calls[0]["counter"]) == ("L/B-001", "L B 1", 12)


def test_a_ticket_moved_within_its_agency_keeps_its_plain_number(bob, counter, kk, disdukcapil):
    other = ServiceFactory(agency=disdukcapil)
    ticket_issue_walk_in(service=kk)
    ticket = ticket_call_next(counter=counter, officer=bob)
    moved = ticket_act(ticket=ticket, action=TicketAction.TRANSFERRED, officer=bob, service=other)
    assert (moved.display_number, moved.spoken_number) == ("B-001", "B 1")
