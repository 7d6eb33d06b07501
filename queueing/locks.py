"""Row locks that serialise the decisions which must not race: the seats of a
service's day, the ticket numbers of an agency's day."""

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import OperationalError, connection, transaction
from django.db.models import Model

from mpp_portal.db import execute_prepared
from queueing import seats
from queueing.errors import Busy
from queueing.models import ServiceDay
from queueing.seats import DaySeats

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
def _holding(take: Callable[[], Any], what: str) -> Iterator[Any]:
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

    return _holding(take, model.__name__)


def locked_service_day(service_id: int, day: dt.date):
    """A transaction holding the lock on the (service, day) row under which its seats
    are counted and taken; yields the seats as the row keeps them (``DaySeats``). One
    plain statement: a booking takes it on every request."""
    sql = seats.DAY_ROW_SQL + (" FOR UPDATE" if connection.features.has_select_for_update else "")
    params = {"service_id": service_id, "date": connection.ops.adapt_datefield_value(day)}

    def take() -> DaySeats:
        with connection.cursor() as cursor:
            execute_prepared(cursor, sql, params)
            row = cursor.fetchone()
            if row is None:
                service_day_made(service_id, day)
                execute_prepared(cursor, sql, params)
                row = cursor.fetchone()
        return DaySeats.from_row(*row)

    return _holding(take, "ServiceDay")


def service_day_made(service_id: int, day: dt.date) -> None:
    """Make the (service, day) row when there is none: the day's first booking does,
    with the count of any booking the day already holds (made before rows kept
    counts). A concurrent first booking waits on the insert, and both then use the
    same row."""
    booked, slots = seats.counted(service_id, day)
    ServiceDay.objects.bulk_create(
        [ServiceDay(service_id=service_id, date=day, booked=booked, slot_booked=slots)], ignore_conflicts=True
    )
