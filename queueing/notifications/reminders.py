"""Reminders: the evening before and shortly before a booked slot, written when they
fall due by a scan beat runs every minute (``notifications_write_reminders``), not with
the booking: a cancelled or moved booking has nothing to take back. Quiet hours
(policy, default 21.00–06.00) move a reminder to the morning; none is written inside
them."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from mpp_common.clock import local
from queueing.models import Booking, BookingStatus, Channel, Notification, NotificationEvent, NotificationStatus
from queueing.notifications.composing import booking_values, recipients
from queueing.notifications.outbox import dedupe_key, message_rows, save_rows
from services.models import BookingPolicy

REMINDERS = (NotificationEvent.REMINDER_EVENING, NotificationEvent.REMINDER_SOON)


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
            (booking, event, reminder_key(event, booking.pk, booking.start))
            for booking in bookings
            for event, due_at in reminder_times(booking, policy)
            if max(booking.created_at, booking.rescheduled_at or booking.created_at) <= due_at <= now
        ]
        written = set(
            Notification.objects.filter(
                dedupe_key__in=[dedupe_key(key, channel) for _b, _e, key in due for channel in Channel.values]
            ).values_list("dedupe_key", flat=True)
        )
        rows = []
        values: dict[int, dict] = {}
        for booking, event, key in due:
            addressed = [(c, a) for c, a in recipients(booking) if dedupe_key(key, c) not in written]
            if booking.pk not in values:
                values[booking.pk] = booking_values(booking)
            rows += message_rows(
                event=event,
                language=booking.language,
                values=values[booking.pk],
                recipients=addressed,
                key=key,
                due_at=now,
                booking=booking,
            )
        save_rows(rows)
    return len(rows)


def reminder_key(event: str, booking_id: int, start: dt.datetime) -> str:
    # One reminder of each kind per booking and slot: a moved booking is reminded again.
    # In UTC, as the database gives it, whatever zone ``start`` comes in.
    return f"{event}:{booking_id}:{start.astimezone(dt.UTC).isoformat()}"


def cancel_reminders(booking: Booking, *, start: dt.datetime) -> int:
    """Withdraw the reminders of ``booking`` for its slot at ``start`` that are not sent
    yet; found by their dedupe keys, in the outbox's unique index."""
    keys = [
        dedupe_key(reminder_key(event, booking.pk, start), channel) for event in REMINDERS for channel in Channel.values
    ]
    return Notification.objects.filter(dedupe_key__in=keys, status=NotificationStatus.PENDING).update(
        status=NotificationStatus.CANCELLED
    )
