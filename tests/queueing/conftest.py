import datetime as dt
import threading
from contextlib import contextmanager

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from queueing.floor.tickets import ticket_act, ticket_call_next, ticket_issue_walk_in
from tests.factories import CounterFactory, OpeningHoursFactory, ServiceFactory

VALID_NIK = "3674011708900001"  # Tangerang Selatan, 17-08-1990
OTHER_NIK = "3674015708920002"  # a woman's NIK: day + 40


def nik(n: int) -> str:
    """A distinct valid NIK for each n (the last four digits vary)."""
    return f"367401170890{n % 10000:04d}"


@pytest.fixture
def tomorrow():
    return timezone.localdate() + dt.timedelta(days=1)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


@contextmanager
def day_held_elsewhere(service_id: int, day: dt.date):
    """Another connection (a thread of its own) holds the lock of the service's day
    while the block runs (PostgreSQL)."""
    from queueing.bookings.seats import locked_service_day

    holding, release = threading.Event(), threading.Event()

    def hold_the_day():
        try:
            with locked_service_day(service_id, day):
                holding.set()
                release.wait(20)
        finally:
            close_old_connections()
            connection.close()

    holder = threading.Thread(target=hold_the_day)
    holder.start()
    try:
        assert holding.wait(5)
        yield
    finally:
        release.set()
        holder.join(10)


@pytest.fixture
def ktp(disdukcapil):
    """KTP-el at Disdukcapil: open every day 08.00–12.00, 30-minute slots of 5 seats,
    20 a day of which 2 kept for walk-ins and 2 for priority groups."""
    service = ServiceFactory(
        agency=disdukcapil,
        code="ktp-el",
        name="Penerbitan KTP-el",
        slot_minutes=30,
        slot_capacity=5,
        daily_quota=20,
        walk_in_reserve=2,
        priority_reserve=2,
    )
    for weekday in range(7):
        OpeningHoursFactory(agency=disdukcapil, weekday=weekday, opens=dt.time(8), closes=dt.time(12))
    return service


def open_around_the_clock(service):
    """``service`` with opening hours of every weekday all day, so walk-ins work at any
    hour the tests run."""
    for weekday in range(7):
        OpeningHoursFactory(
            service=service, agency=service.agency, weekday=weekday, opens=dt.time(0), closes=dt.time.max
        )
    return service


@pytest.fixture
def kk(disdukcapil):
    """Kartu Keluarga at Disdukcapil, open around the clock; 50 a day, 5 kept for
    priority groups."""
    return open_around_the_clock(
        ServiceFactory(
            agency=disdukcapil, code="kk", name="Kartu Keluarga", daily_quota=50, walk_in_reserve=0, priority_reserve=5
        )
    )


@pytest.fixture
def counter(disdukcapil, kk, bob):
    """Loket 3 serves KK; officer bob works there."""
    counter = CounterFactory(agency=disdukcapil, number=3)
    kk.counters.add(counter)
    bob.counters.add(counter)
    return counter


@pytest.fixture
def served(kk, counter, bob):
    ticket_issue_walk_in(service=kk)
    ticket = ticket_call_next(counter=counter, officer=bob)
    ticket_act(ticket=ticket, action="started", officer=bob)
    return ticket_act(ticket=ticket, action="completed", officer=bob)
