"""The outbox: every notification is a row written in the transaction of the change
that causes it, and sent by Celery after commit.

- **Written with the change.** The writers (``notify``, ``confirmation``, ``reminders``)
  run inside the caller's transaction: when it rolls back, no message exists. One row
  per channel the citizen chose; ``dedupe_key`` (unique) keeps the same event from ever
  producing a second row.
- **Sent after commit.** The notifier watches the outbox (``watcher``): a committed row
  that falls due is put on the ``notifications`` queue within a poll, a rolled-back one
  never exists; in embedded mode the writer enqueues its rows after commit
  (``written_now``). Retries due later are found by the same watch when their time
  comes, and beat's sweep (``delivery.notifications_sweep``) enqueues whatever it missed.
- **Delivery** (``delivery``): a task claims its rows with one conditional UPDATE, holds
  a lease while it talks to the gateway, records every attempt, and retries with
  backoff; the same row id goes to the gateway on every attempt, so it can drop a
  duplicate.

See docs/architecture.md (Notifications) and docs/decisions/0002-outbox-watch.md.
"""

import datetime as dt
import functools

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from mpp_common.db import execute_prepared
from mpp_common.rows import column_list, insert_fields, row_values
from queueing.models import Booking, Notification, Ticket
from queueing.notifications import queue, wording

INSERT_CHUNK = 500


def message_rows(
    *,
    event: str,
    language: str,
    values: dict | None,
    recipients: list[tuple[str, str]],
    key: str,
    due_at: dt.datetime,
    booking: Booking | None = None,
    ticket: Ticket | None = None,
) -> list[Notification]:
    """The rows of one message on each channel, not yet saved; without ``values``,
    without text (composed when sent). A staff template that cannot be filled gives
    way to the default wording, and the rows keep what was wrong in ``last_error``."""
    if not settings.NOTIFICATIONS_ENABLED or not recipients:
        return []
    subject, text, fault = wording.render(event, language, values) if values is not None else ("", "", "")
    service = (ticket.service if ticket else booking.service) if (ticket or booking) else None
    rows = [
        Notification(
            event=event,
            channel=channel,
            recipient=address,
            language=language,
            subject=subject,
            message=text,
            # Ids, not instances: assigning a related instance costs more than the row.
            booking_id=booking.pk if booking else None,
            ticket_id=ticket.pk if ticket else None,
            agency_id=service.agency_id if service else None,
            dedupe_key=dedupe_key(key, channel),
            due_at=due_at,
            last_error=fault[:300],
        )
        for channel, address in recipients
    ]
    return rows


def dedupe_key(key: str, channel: str) -> str:
    """One row per event and channel (a confirmation's statement builds the same in SQL,
    ``confirmation``; a test holds the two equal)."""
    return f"{key}:{channel}"


def booking_event_key(event: str, booking: Booking, suffix: str = "") -> str:
    """The key of a message about ``booking``: one per event and booking state (a
    reschedule is a new start)."""
    return f"{event}:{booking.code}:{booking.start.isoformat()}:{booking.status}{suffix}"


OUTBOX_FIELDS = insert_fields(Notification, with_pk=True)


@functools.lru_cache(maxsize=8)
def _insert_sql(count: int) -> str:
    """INSERT of ``count`` outbox rows; a row whose dedupe key exists is skipped."""
    row = "(" + ", ".join(["%s"] * len(OUTBOX_FIELDS)) + ")"
    return (
        f"INSERT INTO {connection.ops.quote_name(Notification._meta.db_table)} ({column_list(OUTBOX_FIELDS)}) "  # noqa: S608
        f"VALUES {', '.join([row] * count)} ON CONFLICT DO NOTHING"
    )


def save_rows(rows: list[Notification]) -> list[Notification]:
    """Write the rows (one whose event was already written is skipped); once this
    transaction commits the notifier finds them (embedded mode: they are enqueued).

    Written out rather than through ``bulk_create``: every booking and call runs it
    (docs/decisions/0011-hot-path-rows-in-plain-sql.md)."""
    if not rows:
        return rows
    with connection.cursor() as cursor:
        # In chunks: SQLite takes at most 32,766 values in one statement.
        for first in range(0, len(rows), INSERT_CHUNK):
            chunk = rows[first : first + INSERT_CHUNK]
            execute_prepared(
                cursor, _insert_sql(len(chunk)), [value for row in chunk for value in row_values(OUTBOX_FIELDS, row)]
            )
    _written(rows)
    return rows


def _written(rows: list[Notification]) -> None:
    now = timezone.now()
    written_now([row.pk for row in rows if row.due_at <= now])


def written_now(ids: list) -> None:
    """Rows ``ids``, due now, were written in the current transaction."""
    if settings.EMBEDDED and ids:
        # No notifier watches the outbox here: the tasks are enqueued after commit.
        due_now = [str(pk) for pk in ids]
        transaction.on_commit(lambda: queue.enqueue(due_now))


def write(**message) -> list[Notification]:
    return save_rows(message_rows(**message))
