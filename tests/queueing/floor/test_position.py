"""Where a ticket stands when the counters that serve it serve several services: the
people ahead are the tickets those counters will call first, in the order "call next"
really calls them, and the wait uses those counters' service times."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from queueing.estimates import estimated_wait_minutes, people_ahead
from queueing.floor.tickets import ticket_act, ticket_call_next, ticket_issue_walk_in
from queueing.models import Ticket, TicketAction, TicketEvent
from tests.factories import CounterFactory, OpeningHoursFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ktp_el(disdukcapil):
    """KTP-el at Disdukcapil, open around the clock like ``kk``."""
    service = ServiceFactory(agency=disdukcapil, code="ktp-24", name="KTP-el", daily_quota=50, walk_in_reserve=0)
    for weekday in range(7):
        OpeningHoursFactory(service=service, agency=disdukcapil, weekday=weekday, opens=dt.time(0), closes=dt.time.max)
    return service


@pytest.fixture
def both_counters(disdukcapil, kk, ktp_el, bob):
    """Loket 1 and 2 at Disdukcapil serve all its services; bob works at both."""
    counters = [CounterFactory(agency=disdukcapil, number=n) for n in (1, 2)]
    for service in (kk, ktp_el):
        service.counters.add(*counters)
    bob.counters.add(*counters)
    return counters


@pytest.fixture
def mall_morning(kk, ktp_el):
    """The day at the mall: B-001 KTP-el, B-002 Kartu Keluarga, B-003 KTP-el, B-004 an
    elderly visitor for KTP-el."""
    return [
        ticket_issue_walk_in(service=ktp_el),
        ticket_issue_walk_in(service=kk),
        ticket_issue_walk_in(service=ktp_el),
        ticket_issue_walk_in(service=ktp_el, priority_group="elderly"),
    ]


def test_the_kk_ticket_has_the_two_ktp_tickets_the_counters_call_first_ahead(both_counters, mall_morning):
    b001, b002, b003, b004 = mall_morning
    assert [people_ahead(ticket) for ticket in (b004, b001, b002, b003)] == [0, 1, 2, 3]
    body = APIClient().get(f"/api/v1/tickets/{b002.code}/").json()
    assert (body["number"], body["people_ahead"]) == ("B-002", 2)


def test_the_position_is_the_index_in_the_order_call_next_produces(both_counters, mall_morning, bob):
    more = [ticket_issue_walk_in(service=s, priority_group=g) for s, g in [(mall_morning[1].service, "pregnant")]]
    tickets = [Ticket.objects.get(pk=t.pk) for t in mall_morning + more]
    positions = {ticket.pk: people_ahead(ticket) for ticket in tickets}
    called = []
    for turn in range(len(tickets)):
        counter = both_counters[turn % 2]
        ticket = ticket_call_next(counter=counter, officer=bob)
        called.append(ticket.pk)
        ticket_act(ticket=ticket, action=TicketAction.STARTED, officer=bob)
        ticket_act(ticket=ticket, action=TicketAction.COMPLETED, officer=bob)
    assert positions == {pk: index for index, pk in enumerate(called)}


def test_a_counter_serving_one_service_only_still_counts_what_the_shared_counters_call(
    disdukcapil, kk, ktp_el, mall_morning
):
    """Loket 5 serves KK alone, loket 6 both: the KTP-el tickets are still ahead of
    B-002 at loket 6, but never at loket 5; the position follows every counter that can
    call the ticket, so it counts the services any of them serves."""
    only_kk, shared = CounterFactory(agency=disdukcapil, number=5), CounterFactory(agency=disdukcapil, number=6)
    kk.counters.add(only_kk, shared)
    ktp_el.counters.add(shared)
    assert people_ahead(Ticket.objects.get(pk=mall_morning[1].pk)) == 2


def test_the_wait_uses_the_service_times_of_the_counters_that_serve_the_ticket(
    both_counters, mall_morning, ktp_el, bob
):
    """The counters took 20 minutes a visit (all of them KTP-el; no Kartu Keluarga yet):
    B-002 has two ahead and two open counters, so about 20 minutes, not the default."""
    cache.clear()
    started = timezone.now() - dt.timedelta(hours=2)
    for minutes_ago in (0, 30):
        visit = ticket_issue_walk_in(service=ktp_el, now=timezone.now())
        # Called and served before the day's tickets: it is the counters' history.
        Ticket.objects.filter(pk=visit.pk).update(queue_time=started, priority=True)
        visit = ticket_call_next(counter=both_counters[0], officer=bob)
        begin = timezone.now() - dt.timedelta(minutes=minutes_ago + 20)
        ticket_act(ticket=visit, action=TicketAction.STARTED, officer=bob, now=begin)
        ticket_act(ticket=visit, action=TicketAction.COMPLETED, officer=bob, now=begin + dt.timedelta(minutes=20))
    assert TicketEvent.objects.filter(action=TicketAction.COMPLETED).count() == 2
    b002 = Ticket.objects.select_related("service").get(pk=mall_morning[1].pk)
    assert people_ahead(b002) == 2
    assert estimated_wait_minutes(b002) == 20  # 2 ahead × 20 minutes ÷ 2 open counters


def test_a_checked_in_booking_says_where_its_ticket_stands(ktp, kk, disdukcapil, tomorrow):
    """GET /api/v1/bookings/<code>/ gives, once checked in, the ticket's number, the
    people ahead and the wait, by the same rule: a Kartu Keluarga walk-in who came at
    08.30 is ahead of a 09.00 KTP-el booking at counters that serve both."""
    from queueing.bookings.services import booking_create
    from queueing.floor.tickets import booking_check_in
    from tests.queueing.conftest import VALID_NIK, at

    counter = CounterFactory(agency=disdukcapil, number=7)
    ktp.counters.add(counter)
    kk.counters.add(counter)
    booking = booking_create(service=ktp, start=at(tomorrow, 9), nik=VALID_NIK, name="Siti", phone="0812345678")
    api = APIClient()
    assert api.get(f"/api/v1/bookings/{booking.code}/").json()["ticket"] is None
    ticket_issue_walk_in(service=kk, now=at(tomorrow, 8, 30))
    ticket = booking_check_in(booking=booking, now=at(tomorrow, 8, 50))
    body = api.get(f"/api/v1/bookings/{booking.code}/").json()
    assert body["status"] == "checked_in"
    assert body["ticket"] == {
        "code": ticket.code,
        "number": "B-002",
        "status": "waiting",
        "people_ahead": 1,
        "estimated_wait_minutes": 10,  # 1 ahead × 10 minutes (no history yet) ÷ 1 open counter
    }
