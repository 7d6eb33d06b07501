"""A day of the floor written by hand through the floor's own functions, for the
reports: Monday 2 March 2026 at Disdukcapil's KK counter (loket 3, officer bob) and
Samsat's STNK counter (loket 7, officer dave).

| visit | entered | first call | service | end |
| --- | --- | --- | --- | --- |
| A walk-in | 08.00 | 08.10 (10 min) | 08.12–08.20 (8 min) | served |
| B walk-in | 08.05 | 08.45 (40 min, over the 30-minute target) | 08.46–09.01 (15) | served |
| C booking, checked in | 08.55 | 09.05 (10) | 09.06–09.10 (4) | served |
| D walk-in | 09.07 | 09.12 (5), recalled 09.15 | | no-show 09.20 |
| E walk-in | 09.21 | 09.30 (9) | 09.31– | transferred to STNK 09.40 |
| E at STNK | 09.40 | 09.50 (10) | 09.51–10.00 (9) | served by dave |
| F walk-in | 10.05 | never | | expired at 22.00 |
| G walk-in | 23.50 | 23.58 (8) | 23.59–00.14 the next day (15) | served: counted on 2 March |
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from queueing.floor.tickets import booking_check_in, ticket_act, ticket_call_next, ticket_issue_walk_in, tickets_expire
from queueing.models import Booking
from tests.factories import CounterFactory, ServiceFactory

from ..conftest import open_around_the_clock

DAY = dt.date(2026, 3, 2)


def at(hour: int, minute: int, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


@dataclass
class History:
    day: dt.date
    kk: object
    stnk: object
    counter: object
    samsat_counter: object


def _serve(ticket, officer, start, end):
    ticket_act(ticket=ticket, action="started", officer=officer, now=start)
    return ticket_act(ticket=ticket, action="completed", officer=officer, now=end)


@pytest.fixture
def history(kk, counter, bob, samsat, dave) -> History:
    stnk = open_around_the_clock(ServiceFactory(agency=samsat, code="stnk", name="Perpanjangan STNK"))
    samsat_counter = CounterFactory(agency=samsat, number=7, name="Samsat 1")
    stnk.counters.add(samsat_counter)
    dave.counters.add(samsat_counter)

    def call(now, at_counter=counter, officer=bob):
        return ticket_call_next(counter=at_counter, officer=officer, now=now)

    ticket_issue_walk_in(service=kk, now=at(8, 0))  # A
    ticket_issue_walk_in(service=kk, now=at(8, 5))  # B
    _serve(call(at(8, 10)), bob, at(8, 12), at(8, 20))  # A
    booking = Booking.objects.create(
        service=kk,
        date=DAY,
        start=at(9, 0),
        end=at(9, 30),
        nik="3674011708900001",
        name="Warga Pemesan",
        phone="+6281234567890",
        consent_at=at(7, 0, DAY - dt.timedelta(days=3)),
    )
    _serve(call(at(8, 45)), bob, at(8, 46), at(9, 1))  # B
    booking_check_in(booking=booking, now=at(8, 55))  # C
    _serve(call(at(9, 5)), bob, at(9, 6), at(9, 10))  # C
    ticket_issue_walk_in(service=kk, now=at(9, 7))  # D
    d = call(at(9, 12))
    ticket_act(ticket=d, action="recalled", officer=bob, now=at(9, 15))
    ticket_act(ticket=d, action="no_show", officer=bob, now=at(9, 20))
    ticket_issue_walk_in(service=kk, now=at(9, 21))  # E
    e = call(at(9, 30))
    ticket_act(ticket=e, action="started", officer=bob, now=at(9, 31))
    ticket_act(ticket=e, action="transferred", officer=bob, service=stnk, now=at(9, 40))
    _serve(call(at(9, 50), samsat_counter, dave), dave, at(9, 51), at(10, 0))  # E at STNK
    ticket_issue_walk_in(service=kk, now=at(10, 5))  # F
    assert tickets_expire(day=DAY, now=at(22, 0)) == 1  # the end-of-day job: F
    ticket_issue_walk_in(service=kk, now=at(23, 50))  # G
    _serve(call(at(23, 58)), bob, at(23, 59), at(0, 14, DAY + dt.timedelta(days=1)))  # G
    return History(day=DAY, kk=kk, stnk=stnk, counter=counter, samsat_counter=samsat_counter)
