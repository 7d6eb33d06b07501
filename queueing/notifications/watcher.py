"""The notifier's eye on the outbox.

The notifier worker (``--outbox-listener``) watches the outbox in a thread: every
``POLL_SECONDS`` it reads the ids of the pending rows that fell due within the last
``WINDOW_SECONDS`` (a range of the small partial index of pending rows; most polls
read only its newest part, see ``LAG_SECONDS``) and puts those
it has not put there yet on the ``notifications`` queue. A row is seen only once its
transaction has committed, a rolled-back one never, and the writing request pays
nothing beyond the row itself: no Celery publish, no trip to Redis, no thread of its
own. A retry whose time comes is found the same way. Whatever the eye misses (a row
whose transaction committed more than ``WINDOW_SECONDS`` after it fell due, the
notifier was down) the beat sweep finds, as before; the eye also sweeps each time it
(re)starts.

Embedded mode has no notifier of its own: there the writer enqueues its rows after
commit (``outbox.written_now``).
"""

import datetime as dt
import logging
import threading
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import timezone

from queueing.models import URGENT_EVENTS, Notification, NotificationStatus
from queueing.notifications import queue
from queueing.notifications.delivery import notifications_sweep

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.1
WINDOW_SECONDS = 10.0
RETRY_SECONDS = 2.0
# Most polls read only the rows that fell due since LAG_SECONDS before the previous
# poll; every FULL_SECONDS a poll reads the whole window, back from the previous whole
# read. A row whose transaction commits more than LAG_SECONDS after it fell due (a
# booking that waited long on a lock) is then found by the next whole read, however
# late it comes: the notifier runs at the lowest priority, and in a rush that fills
# the machine its polls come seconds apart. Reading the whole window every poll read
# thousands of waiting rows again each time.
LAG_SECONDS = 0.5
FULL_SECONDS = 2.0


LIMIT = 5000

# The watch's own heartbeat in the cache, written as often as beat's: /readyz tells from
# it that the watch runs (a thread that died, or keeps losing its database, writes none).
WATCH_HEARTBEAT_KEY = "outbox-watch:heartbeat"

# While the machine's CPU is fully taken (a rush of bookings), the watch holds back
# what can wait, for at most NOTIFIER_HOLD_SECONDS (0: never): the bookings get the
# cores, and the held messages go as soon as there is room again. A call to a counter
# and "your turn is near" are never held. "Fully taken": in the last PRESSURE_SECONDS,
# some task waited for a CPU at least PRESSURE_SHARE of the time (Linux's pressure
# stall information; where the kernel gives none, nothing is held). Held rows are not
# read while they wait: in a rush of a thousand bookings a second, reading every
# waiting row again ten times a second kept the database busy for nothing.
PRESSURE_SECONDS = 1.0
PRESSURE_SHARE = 0.5
PRESSURE_FILE = "/proc/pressure/cpu"


def _fell_due(
    since: dt.datetime, now: dt.datetime, *, urgent_only: bool = False
) -> list[tuple[uuid.UUID, dt.datetime]]:
    # Oldest first and at most LIMIT: in a burst the rest follow as the first are
    # claimed (a claimed row is no longer pending).
    rows = Notification.objects.filter(status=NotificationStatus.PENDING, due_at__gt=since, due_at__lte=now)
    if urgent_only:
        # A range of an index of its own (``notification_urgent_idx``): the rows that
        # wait for the rush to pass are not read again on every poll.
        rows = rows.filter(event__in=URGENT_EVENTS)
    return list(rows.order_by("due_at").values_list("pk", "due_at")[:LIMIT])


class CpuPressure:
    """The share of recent time in which some task waited for a CPU."""

    def __init__(self, path: str = PRESSURE_FILE) -> None:
        self.path = path
        self.samples: list[tuple[float, int]] = []

    def _stalled_microseconds(self) -> int | None:
        try:
            with open(self.path) as handle:
                some = handle.readline().split()
        except OSError:
            return None
        return int(some[-1].removeprefix("total=")) if some and some[-1].startswith("total=") else None

    def share(self) -> float:
        stalled = self._stalled_microseconds()
        if stalled is None:
            return 0.0
        at = time.monotonic()
        self.samples = [sample for sample in self.samples if at - sample[0] <= PRESSURE_SECONDS]
        self.samples.append((at, stalled))
        (first_at, first), (_at, last) = self.samples[0], self.samples[-1]
        return 0.0 if at - first_at < PRESSURE_SECONDS / 2 else (last - first) / 1e6 / (at - first_at)


class Watch:
    """What one poll enqueues: the rows that fell due and were not enqueued before.
    An id is remembered for as long as it can stay in the window.

    While the CPU is fully taken, a poll reads only the rows that never wait (calls,
    "your turn is near") and those that have waited the hold time; the rest stay
    unread from ``deferred_from`` on, and the first poll with room again reads them
    all, oldest first, back from there (and ``WINDOW_SECONDS`` before, for rows whose
    transaction committed late)."""

    def __init__(self, pressure: CpuPressure | None = None) -> None:
        self.enqueued: dict[uuid.UUID, float] = {}
        self.pressure = pressure or CpuPressure()
        self.previous: dt.datetime | None = None  # when the previous poll read
        self.previous_full: dt.datetime | None = None  # when the previous whole read did
        self.deferred_from: dt.datetime | None = None  # what can wait is unread since

    def poll(self) -> list[str]:
        now = timezone.now()
        window = dt.timedelta(seconds=WINDOW_SECONDS)
        if self.previous_full is None or now - self.previous_full >= dt.timedelta(seconds=FULL_SECONDS):
            since = (self.previous_full or now) - window
            self.previous_full = now
        else:
            since = max(now - window, self.previous - dt.timedelta(seconds=LAG_SECONDS))
        self.previous = now
        hold = settings.NOTIFIER_HOLD_SECONDS
        # Read on every poll: the share needs samples across the last PRESSURE_SECONDS,
        # and a rush begins before anything is due.
        busy = hold > 0 and self.pressure.share() >= PRESSURE_SHARE
        if busy:
            if self.deferred_from is None:
                self.deferred_from = since
            rows = _fell_due(since, now, urgent_only=True)
            waited_enough = now - dt.timedelta(seconds=hold)
            if waited_enough > self.deferred_from:
                lag = dt.timedelta(seconds=LAG_SECONDS)
                rows += self._read_deferred(self.deferred_from - lag, waited_enough, then=waited_enough)
        elif self.deferred_from is not None:
            rows = self._read_deferred(min(since, self.deferred_from - window), now, then=None)
        else:
            rows = _fell_due(since, now)
        # An urgent row that has also waited the hold time comes in both reads.
        fresh = list(dict.fromkeys(pk for pk, _due_at in rows if pk not in self.enqueued))
        if fresh:
            queue.enqueue([str(pk) for pk in fresh])
            at = time.monotonic()
            self.enqueued.update(dict.fromkeys(fresh, at))
        if len(self.enqueued) > LIMIT:
            horizon = time.monotonic() - 2 * WINDOW_SECONDS
            self.enqueued = {pk: at for pk, at in self.enqueued.items() if at > horizon}
        return [str(pk) for pk in fresh]

    def _read_deferred(
        self, since: dt.datetime, until: dt.datetime, *, then: dt.datetime | None
    ) -> list[tuple[uuid.UUID, dt.datetime]]:
        """The deferred rows due in (``since``, ``until``]; what stays unread is then
        from ``then`` on, or from the last row read when the read was cut at LIMIT."""
        rows = _fell_due(since, until)
        self.deferred_from = rows[-1][1] if len(rows) == LIMIT else then
        return rows


def listen(stop: threading.Event) -> None:
    """Until ``stop`` is set: enqueue the rows that fall due."""
    while not stop.is_set():
        try:
            # Anything that fell due while nobody watched.
            notifications_sweep()
            watch = Watch()
            beaten = None
            while not stop.wait(POLL_SECONDS):
                watch.poll()
                if beaten is None or time.monotonic() - beaten >= settings.HEARTBEAT_SECONDS:
                    cache.set(WATCH_HEARTBEAT_KEY, timezone.now().isoformat(), timeout=None)
                    beaten = time.monotonic()
        except Exception:  # a lost database or broker: watch again shortly
            logger.warning("outbox watch lost its connection; watching again", exc_info=True)
            stop.wait(RETRY_SECONDS)
        finally:
            connections.close_all()  # this thread's own database connection


def start_listening() -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(target=listen, args=(stop,), name="outbox-listener", daemon=True)
    thread.start()
    return thread, stop
