"""At most ``BOOKINGS_PER_PHONE_PER_DAY`` active bookings per mobile number and day,
across services (docs/decisions/0016-per-number-cap.md).

The count is a row per number and day (``PhoneDay``). On PostgreSQL the booking's own
statement counts it up once the seat is taken (``COUNT_UP_SQL``); elsewhere, and for a
move to another day, ``count_up`` does it in the booking's transaction. A count past the
cap breaks the row's check constraint, which undoes the whole statement: the booking is
not written, and ``over_the_cap`` tells that error from the others. A cancel, or a move
off the day, counts down in its own transaction. With the cap at 0 nothing is counted
up, so a cap switched on later does not see the bookings made meanwhile."""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils.translation import ngettext_lazy

from queueing.errors import QueueError
from queueing.models import PhoneDay

_TABLE = PhoneDay._meta.db_table
_WITHIN_CAP = "phone_day_within_cap"

# A part of the booking's statement (a CTE after ``claimed``, which returns a row only
# when the seat was taken), with the booking's own ``phone`` and ``date``.
COUNT_UP_SQL = f"""
    INSERT INTO {_TABLE} (phone, date, booked, cap)
    SELECT %(phone)s, %(date)s, 1, CAST(%(phone_cap)s AS integer) FROM claimed
    ON CONFLICT (phone, date) DO UPDATE SET booked = {_TABLE}.booked + 1, cap = EXCLUDED.cap
"""  # noqa: S608 - table name and placeholders only
_COUNT_UP = f"""
    INSERT INTO {_TABLE} (phone, date, booked, cap) VALUES (%s, %s, 1, %s)
    ON CONFLICT (phone, date) DO UPDATE SET booked = {_TABLE}.booked + 1, cap = excluded.cap
"""  # noqa: S608 - table name and placeholders only
_COUNT_DOWN = f"UPDATE {_TABLE} SET booked = booked - 1 WHERE phone = %s AND date = %s AND booked > 0"  # noqa: S608


def phone_limit(cap: int) -> QueueError:
    return QueueError(
        "phone_limit",
        ngettext_lazy(
            "Satu nomor ponsel paling banyak %(limit)d pemesanan aktif per hari; nomor ini sudah mencapainya.",
            "Satu nomor ponsel paling banyak %(limit)d pemesanan aktif per hari; nomor ini sudah mencapainya.",
            "limit",
        )
        % {"limit": cap},
        field="phone",
        conflict=True,
    )


def over_the_cap(error: IntegrityError) -> bool:
    """Whether ``error`` is the count's check constraint: the number had no place left."""
    return _WITHIN_CAP in str(error)


def count_up(phone: str, day: dt.date) -> None:
    """Inside the transaction that writes a booking of ``phone`` on ``day``: count it,
    or raise ``phone_limit`` when the number has no place left that day."""
    cap = settings.BOOKINGS_PER_PHONE_PER_DAY
    if not cap:
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_COUNT_UP, [phone, day, cap])
    except IntegrityError as error:
        if over_the_cap(error):
            raise phone_limit(cap) from error
        raise


def count_down(phone: str, day: dt.date) -> None:
    """Inside the transaction that cancels a booking of ``phone`` on ``day``, or moves it
    off that day: its place is free once that commits."""
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_DOWN, [phone, day])


def phone_days_forget(*, before: dt.date) -> int:
    """Delete the counts of the days before ``before``: nobody books a past day."""
    deleted, _ = PhoneDay.objects.filter(date__lt=before).delete()
    return deleted
