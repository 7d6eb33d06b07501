"""The notifier's ear on the outbox (PostgreSQL).

A transaction that writes a notification due now runs ``NOTIFY`` with the rows' ids;
PostgreSQL delivers it when, and only if, the transaction commits. The notifier worker
listens on its own connection and puts those ids on the ``notifications`` queue. The
web request thus pays for one statement instead of a broker round trip per message,
and a message is still enqueued only after its row is committed. Whatever the listener
misses (it was restarting, the broker was down) the beat sweep finds, as before.
"""

import logging
import select
import threading

import psycopg2
from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)

CHANNEL = "mpp_outbox"
WAIT_SECONDS = 1.0
RETRY_SECONDS = 2.0


def _connect():
    params = connections["default"].get_connection_params()
    connection = psycopg2.connect(**params)
    connection.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
    with connection.cursor() as cursor:
        cursor.execute(f"LISTEN {CHANNEL}")
    return connection


def _ids(connection) -> list[str]:
    connection.poll()
    ids = []
    while connection.notifies:
        ids += [part for part in connection.notifies.pop(0).payload.split(",") if part]
    return ids


def listen(stop: threading.Event) -> None:
    """Until ``stop`` is set: enqueue the ids each committed transaction announces."""
    from queueing.notifications import _enqueue as enqueue
    from queueing.notifications import notifications_sweep

    while not stop.is_set():
        connection = None
        try:
            connection = _connect()
            # Anything committed while nobody listened.
            notifications_sweep()
            close_old_connections()
            while not stop.is_set():
                if select.select([connection], [], [], WAIT_SECONDS)[0] and (ids := _ids(connection)):
                    enqueue(ids)
        except Exception:  # a lost database or broker: listen again shortly
            logger.warning("outbox listener lost its connection; listening again", exc_info=True)
            stop.wait(RETRY_SECONDS)
        finally:
            if connection is not None:
                connection.close()
            close_old_connections()
    connections.close_all()  # this thread's own database connection


def start_listening() -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(target=listen, args=(stop,), name="outbox-listener", daemon=True)
    thread.start()
    return thread, stop
