"""The outbox: notifications are rows written with the change that causes them, and
sent by Celery after commit.

- **Written with the change.** ``notify_*`` run inside the caller's transaction: when it
  rolls back, no message exists. One row per channel the citizen chose; ``dedupe_key``
  (unique) makes the same event never produce a second row.
- **Sent after commit.** The notifier watches the outbox (``queueing.outbox_listener``):
  a committed row that falls due is put on the ``notifications`` queue within a poll
  (0.1 s), a rolled-back one never exists; in embedded mode the writer enqueues the
  tasks after commit. Rows due later (retries) are found by the same watch when their
  time comes, and the beat ``sweep`` enqueues whatever it missed, with ``SKIP LOCKED``.
- **Reminders** are written when they fall due, by a scan beat runs every minute
  (``notifications_write_reminders``), not with the booking: a cancelled or moved
  booking has nothing to take back, and a booking writes one row per channel.
- **One delivery at a time.** A task carries a batch of rows (``enqueue``). It
  *claims* them with one conditional UPDATE (pending and due, or a lease that ran out)
  and holds a lease while it talks to the gateway; a second task for the same row
  finds nothing to claim. Each attempt is recorded as soon as it is answered. If a
  worker dies mid-send, the lease runs out and the sweep sends again with the same
  ``id``, which the gateway uses to drop the duplicate.
- **Retries** with exponential backoff and jitter for timeouts, connection errors, 429
  and 5xx; a 4xx is final; after ``MAX_ATTEMPTS`` the row is failed and shown to staff.
  Every attempt is a ``NotificationAttempt`` row with its answer.
- **Quiet hours** (policy, default 21.00–06.00) move reminders to the morning (none is
  written inside them); calls and other immediate messages are never held.
"""

import datetime as dt
import functools
import logging
import math
import random
import time

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone, translation

from mpp_portal.clock import local
from mpp_portal.db import execute_prepared
from queueing import gateway, messages
from queueing.models import (
    Booking,
    BookingStatus,
    Channel,
    Notification,
    NotificationAttempt,
    NotificationEvent,
    NotificationStatus,
    Ticket,
)
from queueing.rows import column_list, insert_fields, row_values
from services.models import BookingPolicy

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
MAX_DELAY_SECONDS = 3600
# A retry due within this many seconds is also queued with a countdown; later ones
# wait for the sweep.
COUNTDOWN_LIMIT_SECONDS = 60
IMMEDIATE = (
    NotificationEvent.BOOKING_CONFIRMED,
    NotificationEvent.BOOKING_RESCHEDULED,
    NotificationEvent.BOOKING_CANCELLED,
    NotificationEvent.SCHEDULE_CHANGED,
    NotificationEvent.TURN_NEAR,
    NotificationEvent.CALLED,
    NotificationEvent.SURVEY,
)
REMINDERS = (NotificationEvent.REMINDER_EVENING, NotificationEvent.REMINDER_SOON)
CHANNELS = ("sms", "whatsapp", "email")
INSERT_CHUNK = 500


# Writing ------------------------------------------------------------------------------


def _link(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


@functools.lru_cache(maxsize=512)
def _day_text(day: dt.date, language: str) -> str:
    # Switching the language to format a date costs more than the rest of a message,
    # and the days messages speak of are few.
    with translation.override(language):
        return formats.date_format(day, "j M Y")


def _when(moment: dt.datetime, language: str) -> dict:
    here = local(moment)
    return {"date": _day_text(here.date(), language), "time": f"{here:%H.%M}"}


_CODE_MARK = "BOOKINGCODE"


@functools.cache
def _booking_link_template() -> str:
    # Reversed once: every booking's message links to its page.
    return _link(reverse("booking-detail", args=[_CODE_MARK]))


_COMPOSED_FROM = ("code", "start", "language", "service__name", "service__agency__name")


def _booking_values(booking: Booking) -> dict:
    code = booking.display_code
    return {
        "code": code,
        "service": booking.service.name,
        "agency": booking.service.agency.name,
        "early": BookingPolicy.current().arrive_early_minutes,
        "link": _booking_link_template().replace(_CODE_MARK, code),
        **_when(booking.start, booking.language),
    }


def _ticket_values(ticket: Ticket) -> dict:
    return {
        "number": ticket.display_number,
        "service": ticket.service.name,
        "agency": ticket.service.agency.name,
        "counter": ticket.counter.number if ticket.counter_id else "",
        "link": _link(f"/antrean/{ticket.code}/"),
    }


def _recipients(booking: Booking | None) -> list[tuple[str, str]]:
    """(channel, address) for each channel the citizen chose that has an address."""
    if booking is None:
        return []
    pairs = []
    for channel in booking.channels:
        address = booking.email if channel == "email" else booking.phone
        if address:
            pairs.append((channel, address))
    return pairs


def quiet_adjusted(moment: dt.datetime, policy: BookingPolicy) -> dt.datetime:
    """``moment``, or the end of the quiet hours when it falls inside them."""
    here = local(moment)
    start, end = policy.quiet_from, policy.quiet_until
    clock = here.time()
    inside = (start <= clock or clock < end) if start > end else (start <= clock < end)
    if not inside:
        return moment
    day = here.date() if clock < end else here.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, end, tzinfo=here.tzinfo)


def _rows(
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
    without text (composed when sent)."""
    if not settings.NOTIFICATIONS_ENABLED or not recipients:
        return []
    subject, text = messages.render(event, language, values) if values is not None else ("", "")
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
            dedupe_key=_dedupe_key(key, channel),
            due_at=due_at,
        )
        for channel, address in recipients
    ]
    return rows


def _dedupe_key(key: str, channel: str) -> str:
    """One row per event and channel (``_confirmation_sql`` builds the same in SQL)."""
    return f"{key}:{channel}"


_FIELDS = insert_fields(Notification, with_pk=True)


@functools.lru_cache(maxsize=8)
def _insert_sql(count: int) -> str:
    """INSERT of ``count`` outbox rows; a row whose dedupe key exists is skipped."""
    row = "(" + ", ".join(["%s"] * len(_FIELDS)) + ")"
    return (
        f"INSERT INTO {connection.ops.quote_name(Notification._meta.db_table)} ({column_list(_FIELDS)}) "  # noqa: S608
        f"VALUES {', '.join([row] * count)} ON CONFLICT DO NOTHING"
    )


def save_rows(rows: list[Notification]) -> list[Notification]:
    """Write the rows (one whose event was already written is skipped); once this
    transaction commits the notifier finds them (embedded mode: they are enqueued).

    Written out rather than through ``bulk_create``: every booking and call runs it,
    and the query builder costs more than the rows."""
    if not rows:
        return rows
    with connection.cursor() as cursor:
        # In chunks: SQLite takes at most 32,766 values in one statement.
        for first in range(0, len(rows), INSERT_CHUNK):
            chunk = rows[first : first + INSERT_CHUNK]
            execute_prepared(
                cursor, _insert_sql(len(chunk)), [value for row in chunk for value in row_values(_FIELDS, row)]
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
        transaction.on_commit(lambda: enqueue(due_now))


# A new booking's confirmation -----------------------------------------------------------
# Every booking writes one, and a popular day's rush is made of bookings: the row is
# written without its text, which is composed from its booking (in the citizen's
# language, from the staff's wording) when it is sent, by the notifier. What the
# gateway was sent stays in the row.


def _booking_key(event: str, booking: Booking, suffix: str = "") -> str:
    # One message per event and booking state: a reschedule is a new start.
    return f"{event}:{booking.code}:{booking.start.isoformat()}:{booking.status}{suffix}"


def confirmation_rows(booking: Booking, *, now: dt.datetime) -> list[Notification]:
    """The confirmation of ``booking`` (written), one row per channel, not yet saved."""
    return _rows(
        event=NotificationEvent.BOOKING_CONFIRMED,
        language=booking.language,
        values=None,
        recipients=_recipients(booking),
        key=_booking_key(NotificationEvent.BOOKING_CONFIRMED, booking),
        due_at=now,
        booking=booking,
    )


# What the booking's INSERT hands to its confirmation's (``RETURNING`` of ``taken``).
CONFIRMATION_TAKES = ("id", "language", "created_at", "phone", "email")


@functools.cache
def _confirmation_sql(channels: tuple[str, ...], *, returning: bool) -> str:
    """The rows of ``confirmation_rows`` as one INSERT that takes what it can from the
    statement writing the booking (``WITH taken AS (INSERT … RETURNING …)``, the
    columns of ``CONFIRMATION_TAKES``): its id, language and time, and one row for each
    of ``channels`` (those it chose that have an address, as ``_recipients`` picks
    them), addressed from the booking's own columns. Only the agency and the event
    key are parameters: each value passed costs the client and the server more than
    the column it fills. One statement for each set of channels (seven at most): the
    rows come from a list of their own, where reading them out of the booking's JSON
    cost the database a function call and a join."""
    q = connection.ops.quote_name
    given = {
        "id": "gen_random_uuid()",
        "event": f"'{NotificationEvent.BOOKING_CONFIRMED.value}'",
        "channel": "message.channel",
        "recipient": "message.recipient",
        "language": f"taken.{q('language')}",
        "subject": "''",
        "message": "''",
        "booking": f"taken.{q('id')}",
        "ticket": "NULL",
        "agency": "%(agency_id)s",
        "dedupe_key": "%(confirmation_key)s || ':' || message.channel",
        "status": f"'{NotificationStatus.PENDING}'",
        "attempts": "0",
        "created_at": f"taken.{q('created_at')}",
        "due_at": f"taken.{q('created_at')}",
        "lease_until": "NULL",
        "sent_at": "NULL",
        "last_error": "''",
    }
    messages = ", ".join(
        f"('{Channel(channel).value}', taken.{q('email' if channel == Channel.EMAIL else 'phone')})"
        for channel in channels
    )
    # Every column (a new one without a value here fails the first booking's tests);
    # the parameters are named as ``confirmation_insert`` gives them.
    return (
        f"INSERT INTO {q(Notification._meta.db_table)} ({column_list(_FIELDS)}) "  # noqa: S608
        f"SELECT {', '.join(given[field.name] for field in _FIELDS)} "
        f"FROM taken CROSS JOIN LATERAL (VALUES {messages}) AS message (channel, recipient)"
        # No ON CONFLICT: the key holds the new booking's code, which its own unique
        # index has just admitted, and a speculative insert costs more.
        + (f" RETURNING {q('id')}" if returning else "")
    )


def confirmation_insert(booking: Booking) -> tuple[str, dict] | None:
    """For PostgreSQL: ``confirmation_rows`` as an INSERT to run in the statement that
    writes ``booking``, and its parameters; None when no message is to be written. In
    embedded mode the INSERT returns the rows' ids, for ``written_now``; elsewhere the
    notifier finds the rows itself."""
    recipients = _recipients(booking) if settings.NOTIFICATIONS_ENABLED else []
    if not recipients:
        return None
    key = _booking_key(NotificationEvent.BOOKING_CONFIRMED, booking)
    channels = tuple(channel for channel, _address in recipients)
    return _confirmation_sql(channels, returning=settings.EMBEDDED), {
        "agency_id": booking.service.agency_id,
        "confirmation_key": key,
    }


def _write(**message) -> list[Notification]:
    return save_rows(_rows(**message))


def batches(ids: list[str]) -> list[list[str]]:
    """``ids`` in tasks of at most ``NOTIFICATION_BATCH``, and in as many tasks as the
    notifier has threads while there are fewer (a slow gateway is waited on in parallel).

    A task costs the notifier more than a message: a publish, a delivery and an
    acknowledgement through the broker, and a database check."""
    size = min(settings.NOTIFICATION_BATCH, max(1, math.ceil(len(ids) / settings.NOTIFIER_THREADS)))
    return [ids[first : first + size] for first in range(0, len(ids), size)]


def enqueue(ids: list[str], countdown: float | None = None) -> None:
    """Put the rows on the ``notifications`` queue (a broker that is down is left to the sweep)."""
    from queueing.tasks import send_notifications

    for batch in batches(ids):
        try:
            send_notifications.apply_async((batch,), countdown=countdown)
        except Exception:  # noqa: BLE001 - the broker is down: the sweep sends them later
            logger.warning("%d notifications not enqueued; the sweep will send them", len(batch))


def booking_message(event: str, booking: Booking, *, now: dt.datetime, key_suffix: str = "") -> list[Notification]:
    """The rows of a message about ``booking``, not yet saved."""
    return _rows(
        event=event,
        language=booking.language,
        values=_booking_values(booking),
        recipients=_recipients(booking),
        key=_booking_key(event, booking, key_suffix),
        due_at=now,
        booking=booking,
    )


def notify_booking(
    event: str,
    booking: Booking,
    *,
    now: dt.datetime | None = None,
    key_suffix: str = "",
) -> list[Notification]:
    """A message about a booking (confirmed, rescheduled, cancelled, schedule changed).
    Its reminders are written when their time comes (``notifications_write_reminders``)."""
    return save_rows(booking_message(event, booking, now=now or timezone.now(), key_suffix=key_suffix))


def reminder_times(booking: Booking, policy: BookingPolicy) -> list[tuple[str, dt.datetime]]:
    """When the booking's reminders are due: the evening before and shortly before the
    slot, moved out of the quiet hours; one the quiet hours push to the slot or past it
    is left out."""
    local_start = local(booking.start)
    moments = []
    if policy.reminder_evening_at:
        evening = dt.datetime.combine(
            local_start.date() - dt.timedelta(days=1), policy.reminder_evening_at, tzinfo=local_start.tzinfo
        )
        moments.append((NotificationEvent.REMINDER_EVENING, evening))
    if policy.reminder_before_minutes:
        moments.append(
            (NotificationEvent.REMINDER_SOON, booking.start - dt.timedelta(minutes=policy.reminder_before_minutes))
        )
    due = [(event, quiet_adjusted(moment, policy)) for event, moment in moments]
    return [(event, due_at) for event, due_at in due if due_at < booking.start]


def notifications_write_reminders(*, now: dt.datetime | None = None) -> int:
    """Write the reminders whose time has come (beat runs this every minute), and have
    them sent. A reminder is written while its booking is still booked and ahead, never
    for a moment before the booking was made or last moved (it was just confirmed),
    never in quiet hours, and once (its dedupe key). Returns how many rows were written.

    The bookings are locked while their reminders are written (skipping any a cancel or
    reschedule holds right now: the next scan sees them as they then are), so a booking
    cancelled meanwhile gets no reminder."""
    now = now or timezone.now()
    policy = BookingPolicy.current()
    if quiet_adjusted(now, policy) != now:
        return 0
    lookahead = dt.timedelta(days=2, minutes=policy.reminder_before_minutes)
    with transaction.atomic():
        bookings = (
            Booking.objects.filter(status=BookingStatus.BOOKED, start__gt=now, start__lte=now + lookahead)
            .select_related("service__agency")
            .select_for_update(skip_locked=True, of=("self",))
        )
        due = [
            (booking, event, _reminder_key(event, booking.pk, booking.start))
            for booking in bookings
            for event, due_at in reminder_times(booking, policy)
            if max(booking.created_at, booking.rescheduled_at or booking.created_at) <= due_at <= now
        ]
        written = set(
            Notification.objects.filter(
                dedupe_key__in=[_dedupe_key(key, channel) for _b, _e, key in due for channel in CHANNELS]
            ).values_list("dedupe_key", flat=True)
        )
        rows = []
        values: dict[int, dict] = {}
        for booking, event, key in due:
            recipients = [(c, a) for c, a in _recipients(booking) if _dedupe_key(key, c) not in written]
            if booking.pk not in values:
                values[booking.pk] = _booking_values(booking)
            rows += _rows(
                event=event,
                language=booking.language,
                values=values[booking.pk],
                recipients=recipients,
                key=key,
                due_at=now,
                booking=booking,
            )
        save_rows(rows)
    return len(rows)


def _reminder_key(event: str, booking_id: int, start: dt.datetime) -> str:
    # One reminder of each kind per booking and slot: a moved booking is reminded again.
    # In UTC, as the database gives it, whatever zone ``start`` comes in.
    return f"{event}:{booking_id}:{start.astimezone(dt.UTC).isoformat()}"


def cancel_reminders(booking: Booking, *, start: dt.datetime) -> int:
    """Withdraw the reminders of ``booking`` for its slot at ``start`` that are not sent
    yet; found by their dedupe keys, in the outbox's unique index."""
    keys = [
        _dedupe_key(_reminder_key(event, booking.pk, start), channel) for event in REMINDERS for channel in CHANNELS
    ]
    return Notification.objects.filter(dedupe_key__in=keys, status=NotificationStatus.PENDING).update(
        status=NotificationStatus.CANCELLED
    )


def notify_ticket(event: str, ticket: Ticket, *, key: str, extra: dict | None = None) -> list[Notification]:
    """A message about a ticket to the citizen who booked it (walk-ins have no address;
    their ticket page tells them live)."""
    if ticket.booking_id is None:
        return []
    return _write(
        event=event,
        language=ticket.language,
        values=_ticket_values(ticket) | (extra or {}),
        recipients=_recipients(ticket.booking),
        key=key,
        due_at=timezone.now(),
        ticket=ticket,
        booking=ticket.booking,
    )


def notify_turn_near(*, service_id: int, day: dt.date) -> None:
    """Tell the ticket that now has ``turn_near_ahead`` people before it (at most twice
    per ticket, once per service request)."""
    ahead = BookingPolicy.current().turn_near_ahead
    # This runs on every call, and the ticket there is mostly a walk-in (no address):
    # three columns tell, and the whole ticket is read only when a message is due.
    there = (
        Ticket.objects.waiting_for([service_id], day).values("pk", "booking_id", "near_notices")[ahead : ahead + 1]
    ).first()
    if there is None or there["booking_id"] is None or there["near_notices"] >= 2:
        return
    ticket = Ticket.objects.select_related("service__agency", "booking").get(pk=there["pk"])
    request_id = ticket.requests.order_by("-pk").values_list("pk", flat=True).first()
    rows = notify_ticket(
        NotificationEvent.TURN_NEAR, ticket, key=f"turn_near:{ticket.pk}:{request_id}", extra={"ahead": ahead}
    )
    if rows and Notification.objects.filter(pk=rows[0].pk).exists():
        Ticket.objects.filter(pk=ticket.pk).update(near_notices=F("near_notices") + 1)


# Sending ------------------------------------------------------------------------------


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
# once per connection: a worker sends hundreds of messages a second, and building and
# planning them took more than running them.


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
    confirmation), composed from its booking as it is now: one query for the batch."""
    unwritten = [n for n in notifications if not n.message and n.booking_id is not None]
    if not unwritten:
        return {}
    # Only what a booking's message says (``_booking_values``): the booking, service
    # and agency rows are wide, and a batch loads twenty of each.
    bookings = (
        Booking.objects.select_related("service__agency")
        .only(*_COMPOSED_FROM)
        .in_bulk({n.booking_id for n in unwritten})
    )
    values: dict[int, dict] = {}
    composed = {}
    for notification in unwritten:
        booking = bookings.get(notification.booking_id)
        if booking is None:  # gone without its messages (no constraint ties them): nothing to say
            continue
        if booking.pk not in values:
            values[booking.pk] = _booking_values(booking)
        subject, message = messages.render(notification.event, notification.language, values[booking.pk])
        composed[notification.pk] = {"subject": subject, "message": message}
    return composed


def notification_text(notification: Notification) -> tuple[str, str]:
    """The subject and text of ``notification``: as written, or, for a row written
    without them (a booking's confirmation), composed from its booking as it is now."""
    composed = _composed([notification]).get(notification.pk, {})
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


def _attempt(notification: Notification, composed: dict) -> str:
    """Deliver one claimed row and record the attempt; returns what became of it."""
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
    update = composed | {
        "lease_until": None,
        "last_error": "" if outcome.result in ("sent", "logged") else outcome.detail[:300],
    }
    if outcome.result in ("sent", "logged"):
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
        enqueue([str(notification.pk)], countdown=delay)
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
    enqueue([str(pk) for pk in ids])
    return len(ids)


def notification_resend(*, notification: Notification) -> None:
    """Staff send a failed notification again (same id, attempts go on counting)."""
    Notification.objects.filter(pk=notification.pk, status=NotificationStatus.FAILED).update(
        status=NotificationStatus.PENDING, due_at=timezone.now()
    )
    transaction.on_commit(lambda: enqueue([str(notification.pk)]))
