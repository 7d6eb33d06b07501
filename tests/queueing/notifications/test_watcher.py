"""The notifier's watch on the outbox: a committed notification that falls due is
enqueued once; a rolled-back or uncommitted one never is; a retry is enqueued when
its time comes."""

import datetime as dt
import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.utils import timezone

from queueing.bookings.services import booking_create
from queueing.models import Notification, NotificationEvent
from queueing.notifications import watcher
from tests.queueing.conftest import at, nik
from tests.require import missing

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def enqueued(monkeypatch, settings) -> list[str]:
    # The watch is the notifier's (with Redis); embedded writers enqueue their own rows.
    settings.EMBEDDED = False
    settings.NOTIFIER_HOLD_SECONDS = 0  # the holding has tests of its own, below
    seen: list[str] = []
    monkeypatch.setattr("queueing.notifications.queue.enqueue", lambda ids, countdown=None: seen.extend(ids))
    return seen


def book(service, day, n: int):
    return booking_create(service=service, start=at(day, 9), nik=nik(n), name="Siti", phone="+62812345678")


def confirmation_of(booking) -> str:
    return str(Notification.objects.get(booking=booking, event=NotificationEvent.BOOKING_CONFIRMED).pk)


def test_a_committed_booking_is_enqueued_once(enqueued, ktp, tomorrow):
    watch = watcher.Watch()
    booking = book(ktp, tomorrow, 1)
    assert watch.poll() == [confirmation_of(booking)]
    assert watch.poll() == []  # still pending, already on the queue
    assert enqueued == [confirmation_of(booking)]


def test_a_rolled_back_booking_leaves_nothing_to_enqueue(enqueued, ktp, tomorrow):
    with pytest.raises(RuntimeError), transaction.atomic():
        book(ktp, tomorrow, 1)
        raise RuntimeError
    assert watcher.Watch().poll() == []
    assert enqueued == []


def test_an_uncommitted_row_is_not_seen_until_its_commit(enqueued, ktp, tomorrow):
    if connection.vendor != "postgresql":
        missing("PostgreSQL (set DATABASE_URL): the watch reads from a connection of its own")
    watch = watcher.Watch()
    polled: list[list[str]] = []

    def poll_elsewhere():
        try:
            polled.append(watch.poll())
        finally:
            connections.close_all()

    with transaction.atomic():
        booking = book(ktp, tomorrow, 1)
        thread = threading.Thread(target=poll_elsewhere)
        thread.start()
        thread.join(10)
    assert polled == [[]]
    assert watch.poll() == [confirmation_of(booking)]


def test_a_retry_is_enqueued_when_its_time_comes(enqueued, ktp, tomorrow):
    booking = book(ktp, tomorrow, 1)
    row = Notification.objects.get(pk=confirmation_of(booking))
    Notification.objects.filter(pk=row.pk).update(due_at=timezone.now() + dt.timedelta(seconds=1))
    watch = watcher.Watch()
    assert watch.poll() == []
    time.sleep(1.1)
    assert watch.poll() == [str(row.pk)]


def test_a_row_committed_long_after_it_fell_due_is_found_by_the_next_full_read(enqueued, ktp, tomorrow, monkeypatch):
    monkeypatch.setattr(watcher, "FULL_SECONDS", 0.3)
    watch = watcher.Watch()
    first = book(ktp, tomorrow, 1)
    assert watch.poll() == [confirmation_of(first)]
    # A booking that waited on a lock: its row commits seconds after its due time,
    # behind rows the watch has already seen.
    late = book(ktp, tomorrow, 2)
    fell_due = timezone.now() - dt.timedelta(seconds=watcher.LAG_SECONDS + 3)
    Notification.objects.filter(pk=confirmation_of(late)).update(due_at=fell_due)
    assert watch.poll() == []  # a short read
    time.sleep(0.3)
    assert watch.poll() == [confirmation_of(late)]  # the whole read
    assert watch.poll() == []
    assert enqueued == [confirmation_of(first), confirmation_of(late)]


def test_a_watch_whose_polls_come_far_apart_reads_back_from_its_previous_whole_read(enqueued, ktp, tomorrow):
    # The notifier runs at the lowest priority: in a rush its polls can come seconds
    # apart. A row that fell due before the window of now, but after the window of the
    # previous whole read, and committed since, is still found.
    watch = watcher.Watch()
    watch.poll()
    watch.previous_full = watch.previous = timezone.now() - dt.timedelta(seconds=15)
    late = book(ktp, tomorrow, 1)
    fell_due = timezone.now() - dt.timedelta(seconds=watcher.WINDOW_SECONDS + 3)
    Notification.objects.filter(pk=confirmation_of(late)).update(due_at=fell_due)
    assert watch.poll() == [confirmation_of(late)]


def test_most_polls_read_only_past_the_rows_already_seen(enqueued, ktp, tomorrow, monkeypatch):
    monkeypatch.setattr(watcher, "FULL_SECONDS", 0.5)
    reads = []
    fell_due = watcher._fell_due

    def counted(since, now):
        reads.append(now - since)
        return fell_due(since, now)

    monkeypatch.setattr(watcher, "_fell_due", counted)
    watch = watcher.Watch()
    book(ktp, tomorrow, 1)
    for _poll in range(5):
        watch.poll()
    time.sleep(0.5)
    watch.poll()
    window = dt.timedelta(seconds=watcher.WINDOW_SECONDS)
    assert reads[0] == window
    assert all(read < window / 2 for read in reads[1:5])
    assert reads[5] >= window + dt.timedelta(seconds=0.5)  # back from the previous whole read


def test_a_row_that_fell_due_long_ago_is_left_to_the_sweep(enqueued, ktp, tomorrow):
    booking = book(ktp, tomorrow, 1)
    long_ago = timezone.now() - dt.timedelta(seconds=watcher.WINDOW_SECONDS + 5)
    Notification.objects.filter(pk=confirmation_of(booking)).update(due_at=long_ago)
    assert watcher.Watch().poll() == []


def test_the_listener_thread_enqueues_what_falls_due(enqueued, ktp, tomorrow, monkeypatch):
    if connection.vendor != "postgresql":
        # The test database of SQLite is one shared in-memory cache, where a read in
        # the thread makes a write here fail at once instead of waiting.
        missing("PostgreSQL (set DATABASE_URL): the watch reads from a connection of its own")
    monkeypatch.setattr(watcher, "POLL_SECONDS", 0.05)
    thread, stop = watcher.start_listening()
    try:
        booking = book(ktp, tomorrow, 2)
        deadline = time.monotonic() + 5
        while confirmation_of(booking) not in enqueued and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(5)
    assert enqueued.count(confirmation_of(booking)) == 1


def _heartbeat_after(seconds: float) -> str | None:
    cache.delete(watcher.WATCH_HEARTBEAT_KEY)
    thread, stop = watcher.start_listening()
    try:
        deadline = time.monotonic() + seconds
        while cache.get(watcher.WATCH_HEARTBEAT_KEY) is None and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(5)
    return cache.get(watcher.WATCH_HEARTBEAT_KEY)


def test_the_listener_writes_its_heartbeat_while_it_watches(enqueued, monkeypatch):
    if connection.vendor != "postgresql":
        missing("PostgreSQL (set DATABASE_URL): the watch reads from a connection of its own")
    monkeypatch.setattr(watcher, "POLL_SECONDS", 0.05)
    assert _heartbeat_after(5) is not None


def test_a_watch_that_cannot_read_the_outbox_writes_no_heartbeat(enqueued, monkeypatch):
    def lost(self):
        raise OSError("connection lost")

    monkeypatch.setattr(watcher, "POLL_SECONDS", 0.05)
    monkeypatch.setattr(watcher, "RETRY_SECONDS", 0.05)
    monkeypatch.setattr(watcher.Watch, "poll", lost)
    assert _heartbeat_after(1) is None


class Pressure:
    """A CPU whose pressure the test sets."""

    def __init__(self, share: float) -> None:
        self.value = share

    def share(self) -> float:
        return self.value


@pytest.fixture
def rush(enqueued, settings) -> Pressure:
    """A CPU fully taken (a test may give it room again), with the default hold time."""
    settings.NOTIFIER_HOLD_SECONDS = 30
    return Pressure(0.9)


def test_while_the_cpu_is_fully_taken_what_can_wait_is_held_and_a_call_is_not(rush, enqueued, ktp, tomorrow):
    watch = watcher.Watch(pressure=rush)
    booking = book(ktp, tomorrow, 1)
    called = Notification.objects.create(
        event=NotificationEvent.CALLED,
        channel="sms",
        recipient="+6281234567890",
        message="Nomor B-007, silakan ke loket 3.",
        dedupe_key="called:test",
        due_at=timezone.now(),
    )
    assert watch.poll() == [str(called.pk)]  # the call goes; the confirmation waits
    assert watch.poll() == []
    rush.value = 0.2  # room again
    assert watch.poll() == [confirmation_of(booking)]
    assert enqueued == [str(called.pk), confirmation_of(booking)]


def test_a_message_is_held_no_longer_than_the_hold_time(rush, ktp, tomorrow):
    watch = watcher.Watch(pressure=rush)
    booking = book(ktp, tomorrow, 1)
    assert watch.poll() == []
    # As if the rush had gone on for the hold time since the row fell due.
    fell_due = timezone.now() - dt.timedelta(seconds=31)
    Notification.objects.filter(pk=confirmation_of(booking)).update(due_at=fell_due)
    watch.deferred_from = fell_due - dt.timedelta(seconds=1)
    assert watch.poll() == [confirmation_of(booking)]
    assert watch.poll() == []


def test_while_the_cpu_is_fully_taken_the_waiting_rows_are_not_read_again(rush, ktp, tomorrow, monkeypatch):
    reads = []
    fell_due = watcher._fell_due

    def counted(since, now, *, urgent_only=False):
        reads.append((now, urgent_only))
        return fell_due(since, now, urgent_only=urgent_only)

    monkeypatch.setattr(watcher, "_fell_due", counted)
    watch = watcher.Watch(pressure=rush)
    booking = book(ktp, tomorrow, 1)
    for _poll in range(3):
        assert watch.poll() == []
    # Only the messages that never wait were read (their own small index), or those
    # that fell due before the hold time: none yet.
    assert [urgent_only for _now, urgent_only in reads] == [True] * 3
    rush.value = 0.2
    assert watch.poll() == [confirmation_of(booking)]
    assert reads[-1][1] is False


def test_a_rush_longer_than_the_window_leaves_nothing_to_the_sweep(rush, ktp, tomorrow):
    watch = watcher.Watch(pressure=rush)
    booking = book(ktp, tomorrow, 1)
    assert watch.poll() == []
    # The rush went on for longer than the window, less than the hold time.
    fell_due = timezone.now() - dt.timedelta(seconds=watcher.WINDOW_SECONDS + 10)
    Notification.objects.filter(pk=confirmation_of(booking)).update(due_at=fell_due)
    watch.deferred_from = fell_due - dt.timedelta(seconds=1)
    assert watch.poll() == []
    rush.value = 0.2
    assert watch.poll() == [confirmation_of(booking)]


def test_after_a_rush_the_waiting_rows_go_oldest_first_as_many_as_a_read_takes(rush, ktp, tomorrow, monkeypatch):
    monkeypatch.setattr(watcher, "LIMIT", 2)
    watch = watcher.Watch(pressure=rush)
    bookings = [book(ktp, tomorrow, n) for n in (1, 2, 3)]
    assert watch.poll() == []
    rush.value = 0.2
    first = watch.poll()
    assert first == [confirmation_of(b) for b in bookings[:2]]
    Notification.objects.filter(pk__in=first).update(status="sent")  # the notifier claimed and sent them
    assert watch.poll() == [confirmation_of(bookings[2])]
    assert watch.deferred_from is None


def test_the_cpu_pressure_is_read_from_the_kernels_stall_counter(tmp_path, monkeypatch):
    path = tmp_path / "cpu"
    pressure = watcher.CpuPressure(str(path))
    assert pressure.share() == 0.0  # no such file: nothing is ever held
    clock = [100.0]
    monkeypatch.setattr(watcher.time, "monotonic", lambda: clock[0])
    for stalled in (0, 400_000, 800_000):
        path.write_text(f"some avg10=0.00 avg60=0.00 avg300=0.00 total={stalled}\nfull total=0\n")
        share = pressure.share()
        clock[0] += 0.5
    assert share == pytest.approx(0.8)  # 0.8 s stalled in the last second


def test_the_events_never_held_are_the_call_and_turn_near():
    assert {NotificationEvent.CALLED.value, NotificationEvent.TURN_NEAR.value} == set(watcher.URGENT_EVENTS)


def test_the_pressure_is_known_before_the_first_message_to_hold(
    enqueued, ktp, tomorrow, settings, tmp_path, monkeypatch
):
    # The share needs samples over the last second: the watch reads the kernel's counter
    # on every poll, so a rush that began before anything was due is seen at once.
    settings.NOTIFIER_HOLD_SECONDS = 30
    path, clock = tmp_path / "cpu", [100.0]
    monkeypatch.setattr(watcher.time, "monotonic", lambda: clock[0])
    watch = watcher.Watch(pressure=watcher.CpuPressure(str(path)))
    for stalled in (0, 90_000, 180_000, 270_000, 360_000, 450_000):  # 90 % of each 0.1 s
        path.write_text(f"some avg10=0.00 avg60=0.00 avg300=0.00 total={stalled}\nfull total=0\n")
        assert watch.poll() == []
        clock[0] += 0.1
    booking = book(ktp, tomorrow, 1)
    assert watch.poll() == []  # held
    path.write_text("some avg10=0.00 avg60=0.00 avg300=0.00 total=450000\nfull total=0\n")
    clock[0] += 1.0  # a second without any stall
    assert watch.poll() == [confirmation_of(booking)]
