"""The outbox: notifications are rows written with the change that causes them, and
sent by Celery after commit.

- **Written with the change.** ``notify_*`` run inside the caller's transaction: when it
  rolls back, no message exists. One row per channel the citizen chose; ``dedupe_key``
  (unique) makes the same event never produce a second row.
- **Sent after commit.** ``transaction.on_commit`` enqueues a task per due row on the
  ``notifications`` queue; rows due later (reminders, retries) wait in the database and
  the beat ``sweep`` enqueues them when their time comes, with ``SKIP LOCKED``.
- **One delivery at a time.** A task *claims* its row with a conditional UPDATE
  (pending and due, or a lease that ran out) and holds a lease while it talks to the
  gateway; a second task for the same row finds nothing to claim. If a worker dies
  mid-send, the lease runs out and the sweep sends again with the same ``id``, which
  the gateway uses to drop the duplicate.
- **Retries** with exponential backoff and jitter for timeouts, connection errors, 429
  and 5xx; a 4xx is final; after ``MAX_ATTEMPTS`` the row is failed and shown to staff.
  Every attempt is a ``NotificationAttempt`` row with its answer.
- **Quiet hours** (policy, default 21.00–06.00) move reminders to the morning; calls and
  other immediate messages are never held.
"""

import datetime as dt
import logging
import random

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone, translation

from queueing import gateway, messages
from queueing.models import (
    Booking,
    Notification,
    NotificationAttempt,
    NotificationEvent,
    NotificationStatus,
    Ticket,
)
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


# Writing ------------------------------------------------------------------------------


def _link(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def _when(moment: dt.datetime, language: str) -> dict:
    local = timezone.localtime(moment)
    with translation.override(language):
        day = formats.date_format(local, "j M Y")
    return {"date": day, "time": f"{local:%H.%M}"}


def _booking_values(booking: Booking) -> dict:
    return {
        "code": booking.display_code,
        "service": booking.service.name,
        "agency": booking.service.agency.name,
        "early": BookingPolicy.current().arrive_early_minutes,
        "link": _link(reverse("booking-detail", args=[booking.display_code])),
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
    local = timezone.localtime(moment)
    start, end = policy.quiet_from, policy.quiet_until
    clock = local.time()
    inside = (start <= clock or clock < end) if start > end else (start <= clock < end)
    if not inside:
        return moment
    day = local.date() if clock < end else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, end, tzinfo=local.tzinfo)


def _rows(
    *,
    event: str,
    language: str,
    values: dict,
    recipients: list[tuple[str, str]],
    key: str,
    due_at: dt.datetime,
    booking: Booking | None = None,
    ticket: Ticket | None = None,
) -> list[Notification]:
    """The rows of one message on each channel, not yet saved."""
    if not settings.NOTIFICATIONS_ENABLED or not recipients:
        return []
    subject, text = messages.render(event, language, values)
    service = (ticket.service if ticket else booking.service) if (ticket or booking) else None
    rows = [
        Notification(
            event=event,
            channel=channel,
            recipient=address,
            language=language,
            subject=subject,
            message=text,
            booking=booking,
            ticket=ticket,
            agency_id=service.agency_id if service else None,
            dedupe_key=f"{key}:{channel}",
            due_at=due_at,
        )
        for channel, address in recipients
    ]
    return rows


def _save(rows: list[Notification]) -> list[Notification]:
    """One INSERT for all rows (a row whose event was already written is skipped), and
    the due ones enqueued after commit."""
    if not rows:
        return rows
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    now = timezone.now()
    due_now = [str(row.pk) for row in rows if row.due_at <= now]
    if due_now:
        transaction.on_commit(lambda: _enqueue(due_now))
    return rows


def _write(**message) -> list[Notification]:
    return _save(_rows(**message))


def _enqueue(ids: list[str], countdown: float | None = None) -> None:
    from queueing.tasks import send_notification

    for notification_id in ids:
        try:
            send_notification.apply_async((notification_id,), countdown=countdown)
        except Exception:  # noqa: BLE001 - the broker is down: the sweep sends it later
            logger.warning("notification %s not enqueued; the sweep will send it", notification_id)


def notify_booking(
    event: str,
    booking: Booking,
    *,
    now: dt.datetime | None = None,
    key_suffix: str = "",
    with_reminders: bool = False,
) -> list[Notification]:
    """A message about a booking (confirmed, rescheduled, cancelled, schedule changed),
    with the booking's reminders when asked, all in one INSERT."""
    now = now or timezone.now()
    reminders = _reminder_rows(booking, now) if with_reminders else []
    return _save(
        reminders
        + _rows(
            event=event,
            language=booking.language,
            values=_booking_values(booking),
            recipients=_recipients(booking),
            # One message per event and booking state: a reschedule is a new start.
            key=f"{event}:{booking.pk}:{booking.start.isoformat()}:{booking.status}{key_suffix}",
            due_at=now,
            booking=booking,
        )
    )


def _reminder_rows(booking: Booking, now: dt.datetime) -> list[Notification]:
    """The evening-before and shortly-before reminders, as rows due later."""
    policy = BookingPolicy.current()
    local_start = timezone.localtime(booking.start)
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
    rows = []
    for event, moment in moments:
        due_at = quiet_adjusted(moment, policy)
        if due_at <= now or due_at >= booking.start:
            continue  # too late to remind, or the quiet hours push it past the slot
        rows += _rows(
            event=event,
            language=booking.language,
            values=_booking_values(booking),
            recipients=_recipients(booking),
            key=f"{event}:{booking.pk}:{booking.start.isoformat()}",
            due_at=due_at,
            booking=booking,
        )
    return rows


def cancel_reminders(booking: Booking) -> int:
    return Notification.objects.filter(booking=booking, event__in=REMINDERS, status=NotificationStatus.PENDING).update(
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


def _claim(notification_id: str, now: dt.datetime) -> Notification | None:
    claimed = (
        Notification.objects.due(now)
        .filter(pk=notification_id)
        .update(
            status=NotificationStatus.SENDING,
            lease_until=now + dt.timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS),
            attempts=F("attempts") + 1,
        )
    )
    return Notification.objects.get(pk=notification_id) if claimed else None


def notification_send(*, notification_id: str, now: dt.datetime | None = None) -> str:
    """Try to deliver one notification; returns what became of it."""
    now = now or timezone.now()
    notification = _claim(notification_id, now)
    if notification is None:
        return "skipped"
    outcome = gateway.deliver(
        notification_id=str(notification.pk),
        channel=notification.channel,
        to=notification.recipient,
        subject=notification.subject,
        message=notification.message,
    )
    finished = timezone.now()
    NotificationAttempt.objects.create(
        notification=notification,
        number=notification.attempts,
        at=finished,
        outcome=outcome.result,
        status_code=outcome.status_code,
        detail=outcome.detail[:300],
        duration_ms=outcome.duration_ms,
    )
    update = {"lease_until": None, "last_error": "" if outcome.result in ("sent", "logged") else outcome.detail[:300]}
    if outcome.result in ("sent", "logged"):
        update |= {"status": NotificationStatus.SENT, "sent_at": finished}
    elif outcome.result == "retry" and notification.attempts < MAX_ATTEMPTS:
        delay = backoff_seconds(notification.attempts)
        update |= {"status": NotificationStatus.PENDING, "due_at": finished + dt.timedelta(seconds=delay)}
    else:
        update |= {"status": NotificationStatus.FAILED}
    # Only the holder of the lease records the result.
    Notification.objects.filter(pk=notification.pk, status=NotificationStatus.SENDING).update(**update)
    if update["status"] == NotificationStatus.PENDING and delay <= COUNTDOWN_LIMIT_SECONDS:
        _enqueue([str(notification.pk)], countdown=delay)
    logger.info("notification %s attempt %d: %s", notification.pk, notification.attempts, outcome.result)
    return update["status"]


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
    _enqueue([str(pk) for pk in ids])
    return len(ids)


def notification_resend(*, notification: Notification) -> None:
    """Staff send a failed notification again (same id, attempts go on counting)."""
    Notification.objects.filter(pk=notification.pk, status=NotificationStatus.FAILED).update(
        status=NotificationStatus.PENDING, due_at=timezone.now()
    )
    transaction.on_commit(lambda: _enqueue([str(notification.pk)]))
