"""Live updates for the display board, the officer console and the ticket page.

``publish`` sends a small event after the transaction that caused it commits.
``listen`` yields events as they arrive, and ``None`` every few seconds so a stream
can send a heartbeat. With Redis the events travel over pub/sub; in embedded mode they
are kept in the shared file cache under a sequence number and polled, so the code that
publishes and listens is the same in both modes. ``anonymous_streams`` counts the
streams of this process that no staff member opened.
"""

import functools
import json
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from mpp_common.cache import UNREACHABLE, unreachable

logger = logging.getLogger(__name__)

CHANNEL = "mpp:live"
SEQUENCE_KEY = "live:sequence"
EMBEDDED_POLL_SECONDS = 0.25
EMBEDDED_KEEP_SECONDS = 120


@functools.cache
def redis_client():
    """One client (and connection pool) per process; a listener's pub/sub takes a
    connection of its own from the pool and gives it back when it closes."""
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=20)


def _send(event: dict) -> None:
    payload = json.dumps(event, separators=(",", ":"))
    try:
        if settings.EMBEDDED:
            try:
                sequence = cache.incr(SEQUENCE_KEY)
            except ValueError:
                cache.add(SEQUENCE_KEY, 0, timeout=None)
                sequence = cache.incr(SEQUENCE_KEY)
            cache.set(f"live:{sequence}", payload, timeout=EMBEDDED_KEEP_SECONDS)
        else:
            redis_client().publish(CHANNEL, payload)
    except Exception:
        logger.exception("live event not published")


def publish(event: dict) -> None:
    """Send ``event`` to every listener once the current transaction commits."""
    transaction.on_commit(lambda: _send(event))


def listen(*, heartbeat_seconds: float = 15.0, stop_after: float = 300.0) -> Iterator[dict | None]:
    """Events as they come; ``None`` at least every ``heartbeat_seconds``. Ends after
    ``stop_after`` seconds so a client reconnects and a worker thread is freed."""
    deadline = time.monotonic() + stop_after
    if settings.EMBEDDED:
        yield from _listen_embedded(heartbeat_seconds, deadline)
    else:
        yield from _listen_redis(heartbeat_seconds, deadline)


def _listen_redis(heartbeat_seconds: float, deadline: float) -> Iterator[dict | None]:
    pubsub = redis_client().pubsub(ignore_subscribe_messages=True)
    try:
        pubsub.subscribe(CHANNEL)
        while time.monotonic() < deadline:
            message = pubsub.get_message(timeout=min(heartbeat_seconds, max(deadline - time.monotonic(), 0.01)))
            yield json.loads(message["data"]) if message else None
    except UNREACHABLE:
        # The stream ends; the browser shows "connection lost" and connects again.
        unreachable("live events")
    finally:
        pubsub.close()


def _listen_embedded(heartbeat_seconds: float, deadline: float) -> Iterator[dict | None]:
    seen = cache.get(SEQUENCE_KEY, 0)
    quiet_since = time.monotonic()
    missing_since: float | None = None
    while time.monotonic() < deadline:
        latest = cache.get(SEQUENCE_KEY, 0)
        if latest < seen:  # the cache was cleared: start over from here
            seen = latest
        while seen < latest:
            payload = cache.get(f"live:{seen + 1}")
            if payload is None:
                # The publisher takes the number before it stores the event: wait a
                # moment for it, and skip it only if it never comes.
                missing_since = missing_since or time.monotonic()
                if time.monotonic() - missing_since < 1.0:
                    break
            else:
                yield json.loads(payload)
                quiet_since = time.monotonic()
            missing_since = None
            seen += 1
        if time.monotonic() - quiet_since >= heartbeat_seconds:
            yield None
            quiet_since = time.monotonic()
        time.sleep(EMBEDDED_POLL_SECONDS)


class StreamCount:
    """The anonymous streams this process serves, in all and per client address. A
    stream takes a place with ``admit`` and gives it back with the function that
    returns (once, however often it is called); both are cheap and thread-safe, as the
    streams run on threads of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held = 0
        self._per_address: Counter[str] = Counter()

    def admit(self, *, address: str, limit: int, per_address: int) -> Callable[[], None] | str:
        """A function that gives the place back, or why there is none: ``"full"`` (all
        ``limit`` places taken) or ``"address"`` (``per_address`` from this address)."""
        with self._lock:
            if self._held >= limit:
                return "full"
            if self._per_address[address] >= per_address:
                return "address"
            self._held += 1
            self._per_address[address] += 1
        given_back = False

        def give_back() -> None:
            nonlocal given_back
            with self._lock:
                if given_back:
                    return
                given_back = True
                self._held -= 1
                self._per_address[address] -= 1
                if not self._per_address[address]:
                    del self._per_address[address]

        return give_back


anonymous_streams = StreamCount()
