"""The notifier's ear on the outbox.

When a transaction that wrote notifications due now commits, the writer hands their
ids to this process's announcer thread (``announce``), which publishes them on a Redis
channel, many ids to a PUBLISH when they come quickly. The notifier worker
(``--outbox-listener``) listens in a thread and puts those ids on the
``notifications`` queue. The web request thus pays neither a Celery publish per
message nor a trip to Redis, and a message is announced only after its row is
committed. Whatever the listener misses (it was reconnecting, Redis restarted, the
writing process ended before its announcer sent) the beat sweep finds, as before;
the listener also sweeps each time it (re)connects.
"""

import logging
import os
import queue
import threading

from django.db import connections

logger = logging.getLogger(__name__)

CHANNEL = "mpp:outbox"
WAIT_SECONDS = 1.0
RETRY_SECONDS = 2.0


BATCH = 500

_announcements: queue.SimpleQueue = queue.SimpleQueue()
_announcer: dict[str, object] = {}
_announcer_lock = threading.Lock()


def announce(ids: list[str]) -> None:
    """Have ``ids`` published on ``CHANNEL`` by this process's announcer thread."""
    if _announcer.get("pid") != os.getpid():
        _start_announcer()
    _announcements.put(ids)


def _start_announcer() -> None:
    global _announcements
    with _announcer_lock:
        if _announcer.get("pid") == os.getpid():
            return
        # A forked child starts its own thread, with a queue of its own.
        _announcements = queue.SimpleQueue()
        threading.Thread(
            target=_send_announcements, args=(_announcements,), name="outbox-announcer", daemon=True
        ).start()
        _announcer["pid"] = os.getpid()


def _send_announcements(pending: queue.SimpleQueue) -> None:
    from queueing.live import redis_client

    while True:
        batch = list(pending.get())
        while len(batch) < BATCH:
            try:
                batch += pending.get_nowait()
            except queue.Empty:
                break
        try:
            redis_client().publish(CHANNEL, ",".join(batch))
        except Exception:  # noqa: BLE001 - Redis is down: the sweep sends them later
            logger.warning("%d notifications not announced; the sweep will send them", len(batch))


def _ids(message: dict | None) -> list[str]:
    if not message or message.get("type") != "message":
        return []
    data = message["data"]
    text = data.decode() if isinstance(data, bytes) else str(data)
    return [part for part in text.split(",") if part]


def listen(stop: threading.Event) -> None:
    """Until ``stop`` is set: enqueue the ids each committed transaction announces."""
    from queueing.live import redis_client
    from queueing.notifications import enqueue, notifications_sweep

    while not stop.is_set():
        pubsub = None
        try:
            pubsub = redis_client().pubsub(ignore_subscribe_messages=True)
            pubsub.subscribe(CHANNEL)
            # Anything committed while nobody listened.
            notifications_sweep()
            while not stop.is_set():
                if ids := _ids(pubsub.get_message(timeout=WAIT_SECONDS)):
                    enqueue(ids)
        except Exception:  # a lost Redis or database: listen again shortly
            logger.warning("outbox listener lost its connection; listening again", exc_info=True)
            stop.wait(RETRY_SECONDS)
        finally:
            if pubsub is not None:
                pubsub.close()
            connections.close_all()  # this thread's own database connection


def start_listening() -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(target=listen, args=(stop,), name="outbox-listener", daemon=True)
    thread.start()
    return thread, stop
