"""The messages a change writes about a booking or a ticket: moved, cancelled, hours
changed under it; called to a counter, "your turn is near", the survey link. Each runs
inside the caller's transaction (``outbox``)."""

import datetime as dt

from django.db.models import F
from django.utils import timezone

from queueing.models import Booking, Channel, Notification, NotificationEvent, Ticket
from queueing.notifications.composing import booking_values, codes_values, recipients, ticket_values
from queueing.notifications.outbox import booking_event_key, message_rows, save_rows, write
from services.models import BookingPolicy


def booking_message(event: str, booking: Booking, *, now: dt.datetime, key_suffix: str = "") -> list[Notification]:
    """The rows of a message about ``booking``, not yet saved."""
    return message_rows(
        event=event,
        language=booking.language,
        values=booking_values(booking),
        recipients=recipients(booking),
        key=booking_event_key(event, booking, key_suffix),
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


def notify_booking_codes(bookings: list[Booking], *, phone: str, key: str, now: dt.datetime) -> list[Notification]:
    """The codes of ``bookings`` (one person's, on one phone) in one message to that
    phone: by WhatsApp when every one of them chose WhatsApp and not SMS, else by SMS;
    in the language of the first. A second message with the same ``key`` is not written."""
    if not bookings:
        return []
    language = bookings[0].language
    by_whatsapp = all(Channel.WHATSAPP in b.channels and Channel.SMS not in b.channels for b in bookings)
    return write(
        event=NotificationEvent.BOOKING_CODES,
        language=language,
        values=codes_values(bookings, language),
        recipients=[(Channel.WHATSAPP if by_whatsapp else Channel.SMS, phone)],
        key=key,
        due_at=now,
        booking=bookings[0],
    )


def notify_ticket(event: str, ticket: Ticket, *, key: str, extra: dict | None = None) -> list[Notification]:
    """A message about a ticket to the citizen who booked it (walk-ins have no address;
    their ticket page tells them live)."""
    if ticket.booking_id is None:
        return []
    return write(
        event=event,
        language=ticket.language,
        values=ticket_values(ticket) | (extra or {}),
        recipients=recipients(ticket.booking),
        key=key,
        due_at=timezone.now(),
        ticket=ticket,
        booking=ticket.booking,
    )


def notify_turn_near(*, service_ids: list[int], day: dt.date) -> None:
    """Tell the ticket that now has ``turn_near_ahead`` people before it in the queue of
    these services, the ones its counters call from (at most twice per ticket, once per
    service request)."""
    ahead = BookingPolicy.current().turn_near_ahead
    # This runs on every call, and the ticket there is mostly a walk-in (no address):
    # three columns tell, and the whole ticket is read only when a message is due.
    there = (
        Ticket.objects.waiting_for(service_ids, day).values("pk", "booking_id", "near_notices")[ahead : ahead + 1]
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
