"""A new booking's confirmation.

Every booking writes one, and a popular day's rush is made of bookings: the row is
written without its text, which the notifier composes from its booking (in the
citizen's language, from the staff's wording) when it sends it; what the gateway was
sent stays in the row (docs/decisions/0009-confirmation-composed-when-sent.md). On
PostgreSQL the rows are written by the statement that writes the booking
(``confirmation_insert``); in embedded mode by ``confirmation_rows``.
"""

import datetime as dt
import functools

from django.conf import settings
from django.db import connection

from mpp_common.rows import column_list, sql_default, sql_value
from queueing.models import Booking, Channel, Notification, NotificationEvent
from queueing.notifications.composing import ADDRESS_FIELD, recipients
from queueing.notifications.outbox import OUTBOX_FIELDS, booking_event_key, message_rows


def confirmation_rows(booking: Booking, *, now: dt.datetime) -> list[Notification]:
    """The confirmation of ``booking`` (written), one row per channel, not yet saved."""
    return message_rows(
        event=NotificationEvent.BOOKING_CONFIRMED,
        language=booking.language,
        values=None,
        recipients=recipients(booking),
        key=booking_event_key(NotificationEvent.BOOKING_CONFIRMED, booking),
        due_at=now,
        booking=booking,
    )


# What the booking's INSERT hands to its confirmation's (``RETURNING`` of ``taken``):
# the row's id, language and time, and every column that holds an address.
CONFIRMATION_TAKES = ("id", "language", "created_at", *sorted(set(ADDRESS_FIELD.values())))


@functools.cache
def _confirmation_sql(channels: tuple[str, ...], *, returning: bool) -> str:
    """The rows of ``confirmation_rows`` as one INSERT that takes what it can from the
    statement writing the booking (``WITH taken AS (INSERT … RETURNING …)``, the
    columns of ``CONFIRMATION_TAKES``): its id, language and time, and one row for each
    of ``channels`` (those it chose that have an address, as ``recipients`` picks
    them), addressed from the booking's own columns. Only the agency and the event
    key are parameters (docs/decisions/0008-outbox-indexes-and-constraints.md); the
    columns the statement does not give take the model's defaults, so a new column
    needs no edit here. One statement for each set of channels (seven at most): the
    rows come from a list of their own rather than from the booking's JSON."""
    q = connection.ops.quote_name
    # What the statement gives; every other column takes the model's default.
    given = {
        "id": "gen_random_uuid()",
        "event": sql_value(NotificationEvent.BOOKING_CONFIRMED),
        "channel": "message.channel",
        "recipient": "message.recipient",
        "language": f"taken.{q('language')}",
        "booking": f"taken.{q('id')}",
        "agency": "%(agency_id)s",
        "dedupe_key": "%(confirmation_key)s || ':' || message.channel",
        "created_at": f"taken.{q('created_at')}",
        "due_at": f"taken.{q('created_at')}",
    }
    columns = ", ".join(given[field.name] if field.name in given else sql_default(field) for field in OUTBOX_FIELDS)
    addressed = ", ".join(
        f"({sql_value(Channel(channel))}, taken.{q(Booking._meta.get_field(ADDRESS_FIELD[channel]).column)})"
        for channel in channels
    )
    # The parameters are named as ``confirmation_insert`` gives them.
    return (
        f"INSERT INTO {q(Notification._meta.db_table)} ({column_list(OUTBOX_FIELDS)}) "  # noqa: S608
        f"SELECT {columns} "
        f"FROM taken CROSS JOIN LATERAL (VALUES {addressed}) AS message (channel, recipient)"
        # No ON CONFLICT: the key holds the new booking's code, which its own unique
        # index has just admitted (docs/decisions/0008-outbox-indexes-and-constraints.md).
        + (f" RETURNING {q('id')}" if returning else "")
    )


def confirmation_insert(booking: Booking) -> tuple[str, dict] | None:
    """For PostgreSQL: ``confirmation_rows`` as an INSERT to run in the statement that
    writes ``booking``, and its parameters; None when no message is to be written. In
    embedded mode the INSERT returns the rows' ids, for ``written_now``; elsewhere the
    notifier finds the rows itself."""
    addressed = recipients(booking) if settings.NOTIFICATIONS_ENABLED else []
    if not addressed:
        return None
    key = booking_event_key(NotificationEvent.BOOKING_CONFIRMED, booking)
    channels = tuple(channel for channel, _address in addressed)
    return _confirmation_sql(channels, returning=settings.EMBEDDED), {
        "agency_id": booking.service.agency_id,
        "confirmation_key": key,
    }
