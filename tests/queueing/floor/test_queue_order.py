"""The queue order rule on hand-made cases."""

import datetime as dt

from queueing.floor.queue_order import queue_time, sort_key

GRACE = dt.timedelta(minutes=15)


def t(hour, minute=0):
    return dt.datetime(2026, 12, 1, hour, minute, tzinfo=dt.UTC)


def test_a_walk_in_queues_at_arrival():
    assert queue_time(arrived_at=t(9, 5), slot_start=None, grace=GRACE) == t(9, 5)


def test_an_early_booking_waits_for_its_slot_time():
    assert queue_time(arrived_at=t(8, 10), slot_start=t(10), grace=GRACE) == t(10)


def test_a_booking_within_the_grace_keeps_its_slot_time():
    assert queue_time(arrived_at=t(10, 15), slot_start=t(10), grace=GRACE) == t(10)


def test_a_late_booking_queues_at_arrival():
    assert queue_time(arrived_at=t(10, 16), slot_start=t(10), grace=GRACE) == t(10, 16)


def test_priority_first_then_queue_time_then_issue_order():
    tickets = [
        ("walk-in 09.00", False, t(9), 1),
        ("booked 09.30 who came at 08.00", False, queue_time(arrived_at=t(8), slot_start=t(9, 30), grace=GRACE), 2),
        ("elderly walk-in 09.20", True, t(9, 20), 3),
        ("walk-in 09.10", False, t(9, 10), 4),
        (
            "late booking for 08.30, came 09.05",
            False,
            queue_time(arrived_at=t(9, 5), slot_start=t(8, 30), grace=GRACE),
            5,
        ),
        ("walk-in 09.10, issued after", False, t(9, 10), 6),
    ]
    ordered = sorted(tickets, key=lambda x: sort_key(priority=x[1], queue_time=x[2], ticket_id=x[3]))
    assert [name for name, *_ in ordered] == [
        "elderly walk-in 09.20",
        "walk-in 09.00",
        "late booking for 08.30, came 09.05",
        "walk-in 09.10",
        "walk-in 09.10, issued after",
        "booked 09.30 who came at 08.00",
    ]
