"""Numbers without gaps and one counter per ticket, under concurrency (PostgreSQL)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from agencies.models import Role
from queueing.errors import QueueError
from queueing.floor.tickets import ticket_call_next, ticket_issue_walk_in
from queueing.models import Ticket, TicketEvent
from tests.factories import CounterFactory, UserFactory
from tests.require import missing

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _postgres_only(transactional_db):
    if connection.vendor != "postgresql":
        missing("PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def room_for_a_hundred():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        if int(cursor.fetchone()[0]) < 150:
            missing("PostgreSQL with max_connections >= 150 (.ci/services sets it)")


def at_once(count: int, work):
    barrier = threading.Barrier(count)

    def run(index):
        try:
            barrier.wait(timeout=30)
            return work(index)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_a_hundred_concurrent_walk_ins_get_a_hundred_numbers_without_a_gap(kk, room_for_a_hundred):
    kk.daily_quota = 500
    kk.save()
    tickets = at_once(100, lambda _: ticket_issue_walk_in(service=kk))
    numbers = sorted(ticket.number for ticket in tickets)
    assert numbers == list(range(1, 101))
    assert Ticket.objects.filter(agency=kk.agency).count() == 100


def test_twenty_officers_calling_at_once_call_each_of_ten_tickets_once(kk, disdukcapil):
    for _ in range(10):
        ticket_issue_walk_in(service=kk)
    counters = [CounterFactory(agency=disdukcapil) for _ in range(20)]
    officers = []
    for counter in counters:
        kk.counters.add(counter)
        officer = UserFactory(role=Role.OFFICER, agency=disdukcapil)
        officer.counters.add(counter)
        officers.append(officer)

    def call(index):
        try:
            return ticket_call_next(counter=counters[index], officer=officers[index])
        except QueueError as error:
            return error.code

    results = at_once(20, call)
    called = [ticket.pk for ticket in results if isinstance(ticket, Ticket)]
    assert len(called) == 10
    assert len(set(called)) == 10
    assert results.count(None) == 10
    assert TicketEvent.objects.filter(action="called").count() == 10
    assert set(Ticket.objects.values_list("status", flat=True)) == {"called"}


def test_ten_calls_at_once_at_one_counter_call_one_ticket(kk, disdukcapil):
    """A double (or tenfold) click: the counter's lock lets one call through, and the
    others, once they have the lock, see the ticket it called."""
    for _ in range(10):
        ticket_issue_walk_in(service=kk)
    counter = CounterFactory(agency=disdukcapil)
    kk.counters.add(counter)
    officer = UserFactory(role=Role.OFFICER, agency=disdukcapil)
    officer.counters.add(counter)

    def call(_):
        try:
            return ticket_call_next(counter=counter, officer=officer)
        except QueueError as error:
            return error.code

    results = at_once(10, call)
    assert sum(isinstance(result, Ticket) for result in results) == 1
    assert results.count("counter_busy") == 9
    assert Ticket.objects.filter(counter=counter).count() == 1
