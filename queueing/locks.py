"""Row locks that serialise the decisions which must not race: the seats of a
service's day, the ticket numbers of an agency's day."""

import logging
import time
from contextlib import contextmanager

from django.db import OperationalError, transaction
from django.db.models import Model

from queueing.errors import Busy

logger = logging.getLogger(__name__)

LOCK_ATTEMPTS = 3


def _is_lock_timeout(error: OperationalError) -> bool:
    cause = error.__cause__
    return getattr(cause, "pgcode", None) == "55P03" or "locked" in str(error).lower()


@contextmanager
def locked_row(model: type[Model], **key):
    """A transaction holding ``SELECT … FOR UPDATE`` on the row of ``model`` with
    ``key``, made on first use; yields the row. The wait is bounded by the connection's
    ``lock_timeout`` (PostgreSQL) or busy timeout (SQLite); a lock that cannot be had is
    retried, then reported as Busy, never a 500."""
    for attempt in range(1, LOCK_ATTEMPTS + 1):
        locked = False
        try:
            with transaction.atomic():
                rows = model.objects.select_for_update().filter(**key)
                row = rows.first()
                if row is None:
                    # The first user makes the row; a concurrent first user waits on
                    # the insert, then both lock the same row.
                    model.objects.bulk_create([model(**key)], ignore_conflicts=True)
                    row = rows.get()
                locked = True
                yield row
            return
        except OperationalError as error:
            # Only waiting for the lock is retried; the body runs at most once.
            if locked or not _is_lock_timeout(error):
                raise
            logger.warning("lock timeout on %s (attempt %d)", model.__name__, attempt)
            if attempt == LOCK_ATTEMPTS:
                raise Busy() from error
            time.sleep(0.05 * attempt)
