"""The notifier's ear on the outbox.

When a transaction that wrote notifications due now commits, the writer publishes
their ids on a Redis channel (``queueing.notifications``). The notifier worker
(``--outbox-listener``) listens in a thread and puts those ids on the
``notifications`` queue. The web request thus pays one small PUBLISH instead of a
Celery publish per message, and a message is announced only after its row is
committed. Whatever the listener misses (it was reconnecting, Redis restarted) the
beat sweep finds, as before; the listener also sweeps each time it (re)connects.
"""

import logging
import threading

from django.db import connections

logger = logging.getLogger(__name__)

CHANNEL = "mpp:outbox"
WAIT_SECONDS = 1.0
RETRY_SECONDS = 2.0


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
