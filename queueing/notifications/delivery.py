"""Delivery: a task claims its rows, sends them through the gateway one by one and
records every attempt.

- **One delivery at a time.** A task carries a batch of rows (``queue.enqueue``). It
  claims them with one conditional UPDATE (pending and due, or a lease that ran out:
  ``Notification.objects.due``) and holds a lease while it talks to the gateway; a
  second task for the same row finds nothing to claim. If a worker dies mid-send, the
  lease runs out and the sweep sends again with the same ``id``, which the gateway
  uses to drop the duplicate.
- **Retries** with exponential backoff and jitter for timeouts, connection errors, 429
  and 5xx; a 4xx is final; after ``MAX_ATTEMPTS`` the row is failed and shown to staff.
  Every attempt is a ``NotificationAttempt`` row with its answer.
"""

import datetime as dt
import functools
import logging
import random
import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from mpp_common.db import execute_prepared
from mpp_common.rows import column_list, insert_fields, row_values
from queueing.models import Booking, Notification, NotificationAttempt, NotificationStatus
from queueing.notifications import gateway, queue, wording
from queueing.notifications.composing import COMPOSED_FROM, booking_values
from queueing.notifications.reminders import REMINDERS, quiet_adjusted
from services.models import BookingPolicy

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
MAX_DELAY_SECONDS = 3600
# A retry due within this many seconds is also queued with a countdown; later ones
# wait for the sweep.
COUNTDOWN_LIMIT_SECONDS = 60


def backoff_seconds(attempt: int) -> float:
    """Exponential backoff with jitter: 5 s, 10 s, 20 s … up to an hour, ±50 %."""
    delay = min(settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** (attempt - 1), MAX_DELAY_SECONDS)
    return delay * random.uniform(0.5, 1.5)  # noqa: S311 - jitter, not a secret


# What an attempt needs of its row; nothing else of it is read while sending.
CLAIMED_FIELDS = ("id", "event", "channel", "recipient", "language", "subject", "message", "booking", "attempts")


def _column(name: str, model: type = Notification) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _db_value(name: str, value: object) -> object:
    return Notification._meta.get_field(name).get_db_prep_save(value, connection)


def _db_ids(ids: list) -> list:
    key = Notification._meta.pk
    return [key.get_db_prep_value(key.to_python(pk), connection) for pk in ids]


# The statements below are written once per process (per number of rows) and prepared
# once per connection: a worker sends many messages a second, and building and planning
# them would cost more than running them (docs/decisions/0003-prepared-statements.md).


@functools.lru_cache(maxsize=64)
def _claim_sql(count: int) -> str:
    pk, status, attempts, due_at, lease_until = (
        _column(name) for name in ("id", "status", "attempts", "due_at", "lease_until")
    )
    return (
        f"UPDATE {Notification._meta.db_table}"  # noqa: S608 - names from the model, values as parameters
        f" SET {status} = %s, {lease_until} = %s, {attempts} = {attempts} + 1"
        # Notification.objects.due(now): pending and due, or a lease that ran out.
        f" WHERE {pk} IN ({', '.join(['%s'] * count)})"
        f" AND (({status} = %s AND {due_at} <= %s) OR ({status} = %s AND {lease_until} < %s))"
        f" RETURNING {', '.join(_column(name) for name in CLAIMED_FIELDS)}"
    )


def _claim(notification_ids: list, now: dt.datetime, lease_until: dt.datetime) -> list[Notification]:
    """Take the rows for this attempt that are due and that nobody holds: one
    conditional UPDATE that counts the attempt, sets the lease and hands back what the
    gateway needs (RETURNING works on PostgreSQL and SQLite alike), so the rows are not
    read again. A row another task holds, or one already sent, is not among them."""
    if not notification_ids:
        return []
    with connection.cursor() as cursor:
        execute_prepared(
            cursor,
            _claim_sql(len(notification_ids)),
            [
                NotificationStatus.SENDING,
                _db_value("lease_until", lease_until),
                *_db_ids(notification_ids),
                NotificationStatus.PENDING,
                _db_value("due_at", now),
                NotificationStatus.SENDING,
                _db_value("lease_until", now),
            ],
        )
        rows = cursor.fetchall()
    key = Notification._meta.pk
    attnames = [Notification._meta.get_field(name).attname for name in CLAIMED_FIELDS]
    claimed = {}
    for row in rows:
        notification = Notification.from_db(connection.alias, attnames, [key.to_python(row[0]), *row[1:]])
        claimed[notification.pk] = notification
    # In the order asked for (RETURNING keeps none).
    return [claimed[pk] for pk in map(key.to_python, notification_ids) if pk in claimed]


@functools.lru_cache(maxsize=64)
def _release_sql(count: int) -> str:
    pk, status, attempts, lease_until = (_column(name) for name in ("id", "status", "attempts", "lease_until"))
    return (
        f"UPDATE {Notification._meta.db_table}"  # noqa: S608 - as above
        f" SET {status} = %s, {lease_until} = NULL, {attempts} = {attempts} - 1"
        f" WHERE {pk} IN ({', '.join(['%s'] * count)}) AND {status} = %s AND {lease_until} = %s"
    )


def _release(notifications: list[Notification], lease_until: dt.datetime) -> None:
    """Give back rows claimed and not attempted (the batch ran long): pending again,
    as they were, for the next task or the sweep. Only while the lease is still ours."""
    with connection.cursor() as cursor:
        cursor.execute(
            _release_sql(len(notifications)),
            [
                NotificationStatus.PENDING,
                *_db_ids([n.pk for n in notifications]),
                NotificationStatus.SENDING,
                _db_value("lease_until", lease_until),
            ],
        )


def _composed(notifications: list[Notification]) -> dict:
    """The subject and text of each row written without them (a booking's
    confirmation), composed from its booking as it is now: one query for the batch.
    A row whose staff template cannot be filled gets ``{"fault": …}`` instead: there
    is no change to tell of here that the default wording must not miss, and staff
    send it again once the template is mended."""
    unwritten = [n for n in notifications if not n.message and n.booking_id is not None]
    if not unwritten:
        return {}
    # Only what a booking's message says (``booking_values``): the booking, service
    # and agency rows are wide, and a batch loads twenty of each.
    bookings = (
        Booking.objects.select_related("service__agency")
        .only(*COMPOSED_FROM)
        .in_bulk({n.booking_id for n in unwritten})
    )
    values: dict[int, dict] = {}
    composed = {}
    for notification in unwritten:
        booking = bookings.get(notification.booking_id)
        if booking is None:  # gone without its messages (no constraint ties them): nothing to say
            continue
        if booking.pk not in values:
            values[booking.pk] = booking_values(booking)
        try:
            subject, message = wording.staff_render(notification.event, notification.language, values[booking.pk])
        except wording.TemplateFault as fault:
            composed[notification.pk] = {"fault": str(fault)[:300]}
            continue
        composed[notification.pk] = {"subject": subject, "message": message}
    return composed


def notification_text(notification: Notification) -> tuple[str, str]:
    """The subject and text of ``notification``: as written, or, for a row written
    without them (a booking's confirmation), composed from its booking as it is now."""
    composed = _composed([notification]).get(notification.pk, {})
    if "fault" in composed:
        return "", composed["fault"]
    return composed.get("subject", notification.subject), composed.get("message", notification.message)


@functools.lru_cache(maxsize=32)
def _record_sql(vendor: str, names: tuple[str, ...]) -> tuple[str, ...]:
    fields = insert_fields(NotificationAttempt, with_pk=False)
    insert = (
        f"INSERT INTO {NotificationAttempt._meta.db_table} ({column_list(fields)})"  # noqa: S608 - as above
        f" VALUES ({', '.join(['%s'] * len(fields))})"
    )
    update = (
        f"UPDATE {Notification._meta.db_table} SET {', '.join(f'{_column(name)} = %s' for name in names)}"  # noqa: S608
        f" WHERE {_column('id')} = %s AND {_column('status')} = %s"
    )
    # PostgreSQL takes both in one statement, the INSERT in a WITH before the UPDATE:
    # one round trip. SQLite has no INSERT inside WITH: one after the other.
    return (f"WITH attempt AS ({insert}) {update}",) if vendor == "postgresql" else (insert, update)


def _record(notification: Notification, attempt: NotificationAttempt, update: dict) -> None:
    """Write the attempt and the row's new state; only the holder of the lease (the
    row still sending) changes the row, the attempt is written either way."""
    statements = _record_sql(connection.vendor, tuple(update))
    attempt_values = row_values(insert_fields(NotificationAttempt, with_pk=False), attempt)
    update_values = [
        *(_db_value(name, value) for name, value in update.items()),
        *_db_ids([notification.pk]),
        NotificationStatus.SENDING,
    ]
    with connection.cursor() as cursor:
        if len(statements) == 1:
            execute_prepared(cursor, statements[0], [*attempt_values, *update_values])
        else:
            cursor.execute(statements[0], attempt_values)
            cursor.execute(statements[1], update_values)


def _fail(notification: Notification, error: str) -> str:
    """Fail a claimed row that cannot be sent as it is (its template cannot be filled),
    without a word to the gateway, and record the attempt with the error."""
    now = timezone.now()
    attempt = NotificationAttempt(
        notification_id=notification.pk, number=notification.attempts, at=now, outcome="failed", detail=error
    )
    _record(notification, attempt, {"status": NotificationStatus.FAILED, "lease_until": None, "last_error": error})
    logger.warning("notification %s failed: %s", notification.pk, error)
    return NotificationStatus.FAILED


def _attempt(notification: Notification, composed: dict) -> str:
    """Deliver one claimed row and record the attempt; returns what became of it."""
    if "fault" in composed:
        return _fail(notification, composed["fault"])
    outcome = gateway.deliver(
        notification_id=str(notification.pk),
        channel=notification.channel,
        to=notification.recipient,
        subject=composed.get("subject", notification.subject),
        message=composed.get("message", notification.message),
    )
    finished = timezone.now()
    attempt = NotificationAttempt(
        notification_id=notification.pk,
        number=notification.attempts,
        at=finished,
        outcome=outcome.result,
        status_code=outcome.status_code,
        detail=outcome.detail[:300],
        duration_ms=outcome.duration_ms,
    )
    # The row keeps the text it was sent with.
    delivered = outcome.result in ("sent", "logged")
    update = composed | {"lease_until": None, "last_error": "" if delivered else outcome.detail[:300]}
    if delivered and notification.attempts == 1:
        # Nothing went wrong before: what the row holds is what its writing found (a
        # staff template that gave way to the default wording), and it stays.
        del update["last_error"]
    if delivered:
        update |= {"status": NotificationStatus.SENT, "sent_at": finished}
    elif outcome.result == "retry" and notification.attempts < MAX_ATTEMPTS:
        delay = backoff_seconds(notification.attempts)
        due_at = finished + dt.timedelta(seconds=delay)
        if notification.event in REMINDERS:
            due_at = quiet_adjusted(due_at, BookingPolicy.current())  # a retry is still a reminder
        update |= {"status": NotificationStatus.PENDING, "due_at": due_at}
    else:
        update |= {"status": NotificationStatus.FAILED}
    # Recorded at once, not with the batch: a worker that dies mid-batch sends again
    # (same id) only the message it was sending.
    _record(notification, attempt, update)
    if update["status"] == NotificationStatus.PENDING and delay <= COUNTDOWN_LIMIT_SECONDS:
        queue.enqueue([str(notification.pk)], countdown=delay)
    # Every attempt is a NotificationAttempt row; the log tells only what needs a look.
    level = logging.DEBUG if update["status"] == NotificationStatus.SENT else logging.INFO
    logger.log(level, "notification %s attempt %d: %s", notification.pk, notification.attempts, outcome.result)
    return update["status"]


def notifications_send(*, notification_ids: list, now: dt.datetime | None = None) -> list[str]:
    """Try to deliver each of the notifications, in turn; returns what became of each
    ("skipped" for one that was not due, or that another task holds).

    The batch is claimed, and its confirmations composed, in one statement each. The
    lease covers the whole batch; a batch that runs long (a slow gateway) gives back
    what it has not attempted at half the lease, long before another worker may take
    a row whose lease ran out."""
    now = now or timezone.now()
    lease_until = now + dt.timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)
    give_back_at = time.monotonic() + settings.NOTIFICATION_LEASE_SECONDS / 2
    claimed = _claim(notification_ids, now, lease_until)
    composed = _composed(claimed)
    outcomes = {}
    for done, notification in enumerate(claimed):
        if time.monotonic() > give_back_at:
            _release(claimed[done:], lease_until)
            outcomes |= dict.fromkeys((n.pk for n in claimed[done:]), "released")
            break
        outcomes[notification.pk] = _attempt(notification, composed.get(notification.pk, {}))
    key = Notification._meta.pk
    return [outcomes.get(key.to_python(pk), "skipped") for pk in notification_ids]


def notification_send(*, notification_id: str, now: dt.datetime | None = None) -> str:
    """Try to deliver one notification; returns what became of it."""
    return notifications_send(notification_ids=[notification_id], now=now)[0]


def notifications_sweep(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Enqueue every notification whose time has come (beat runs this)."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Notification.objects.due(now)
            .order_by("due_at")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
    queue.enqueue([str(pk) for pk in ids])
    return len(ids)


def notification_resend(*, notification: Notification) -> None:
    """Staff send a failed notification again (same id, attempts go on counting)."""
    Notification.objects.filter(pk=notification.pk, status=NotificationStatus.FAILED).update(
        status=NotificationStatus.PENDING, due_at=timezone.now()
    )
    transaction.on_commit(lambda: queue.enqueue([str(notification.pk)]))
