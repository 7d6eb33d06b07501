"""Row locks that serialise the decisions which must not race (the seats of a
service's day, the ticket numbers of an agency's day), each bounded by the database's
lock timeout: a lock that cannot be had is retried, then answered as ``Busy``, never a
500."""

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import OperationalError, transaction
from django.db.models import Model

from queueing.errors import Busy

logger = logging.getLogger(__name__)

LOCK_ATTEMPTS = 3

T = TypeVar("T")


def _is_lock_timeout(error: OperationalError) -> bool:
    cause = error.__cause__
    return getattr(cause, "pgcode", None) == "55P03" or "locked" in str(error).lower()


def _lock_waited_too_long(error: OperationalError, attempt: int, what: str) -> None:
    """After a lock timeout: log it and wait a little before the next attempt, or
    report Busy after the last. Any other error is raised as it is."""
    if not _is_lock_timeout(error):
        raise error
    logger.warning("lock timeout on %s (attempt %d)", what, attempt)
    if attempt == LOCK_ATTEMPTS:
        raise Busy() from error
    time.sleep(0.05 * attempt)


@contextmanager
def holding(take: Callable[[], Any], what: str) -> Iterator[Any]:
    """A transaction in which ``take()`` has taken a row lock; yields what it returned.
    The wait is bounded by the connection's ``lock_timeout`` (PostgreSQL) or busy
    timeout (SQLite); a lock that cannot be had is retried, then reported as Busy,
    never a 500."""
    for attempt in range(1, LOCK_ATTEMPTS + 1):
        locked = False
        try:
            with transaction.atomic():
                value = take()
                locked = True
                yield value
            return
        except OperationalError as error:
            # Only waiting for the lock is retried; the body runs at most once.
            if locked:
                raise
            _lock_waited_too_long(error, attempt, what)


def retrying_lock_timeouts(run: Callable[[], T], what: str) -> T:
    """``run()``, which takes a row lock and writes in one statement or one implicit
    transaction (a lock timeout undoes all of it): tried again on a lock timeout, then
    reported as Busy, never a 500."""
    for attempt in range(1, LOCK_ATTEMPTS + 1):
        try:
            return run()
        except OperationalError as error:
            _lock_waited_too_long(error, attempt, what)
    raise AssertionError("unreachable")  # pragma: no cover


def locked_row(model: type[Model], **key):
    """A transaction holding ``SELECT … FOR UPDATE`` on the row of ``model`` with
    ``key``, made on first use; yields the row."""

    def take():
        rows = model.objects.select_for_update().filter(**key)
        row = rows.first()
        if row is None:
            # The first user makes the row; a concurrent first user waits on the
            # insert, then both lock the same row.
            model.objects.bulk_create([model(**key)], ignore_conflicts=True)
            row = rows.get()
        return row

    return holding(take, model.__name__)
