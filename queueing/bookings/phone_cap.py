"""At most ``BOOKINGS_PER_PHONE_PER_DAY`` active bookings per mobile number and day,
across services (docs/decisions/0016-per-number-cap.md).

The count is an atomic counter in Redis per number and slot day, outside the booking's
SQL statement and its lock: a booking takes a place (one round trip: INCRBY and EXPIRE
in MULTI) before it is written and gives it back when it is not; a cancel, or a move to
another day, gives back the day's place once it has committed. The counter only grows
past the cap for the moment between a refused increment and its undo, so no more than
the cap are ever written. While Redis is unreachable the cap is open (fails open), like
the rate limits."""

import datetime as dt
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext_lazy

from mpp_common.cache import count
from mpp_common.clock import zone
from queueing.errors import QueueError

# Kept an hour past the end of the day, whatever clock skew there is.
_AFTER_THE_DAY = dt.timedelta(hours=1)


def _key(phone: str, day: dt.date) -> str:
    """The counter's key: a keyed hash of the number (no number in Redis) and the day."""
    digest = hashlib.blake2b(phone.encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=12).hexdigest()
    return f"phone-day:{digest}:{day.isoformat()}"


def _seconds_left(day: dt.date) -> int:
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone()) + _AFTER_THE_DAY
    return max(int((end - timezone.now()).total_seconds()), 60)


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


def _take(phone: str, day: dt.date) -> bool:
    """Take one of the number's places on ``day``; True when one was taken and must be
    given back if the booking is not written, False when none was counted (the cap is
    off, or Redis is unreachable). Raises ``phone_limit`` when none is left."""
    cap = settings.BOOKINGS_PER_PHONE_PER_DAY
    if not cap:
        return False
    key = _key(phone, day)
    taken = count(key, 1, timeout=_seconds_left(day))
    if taken is None:
        return False
    if taken > cap:
        count(key, -1, timeout=_seconds_left(day))
        raise phone_limit(cap)
    return True


def _free(phone: str, day: dt.date) -> None:
    key, timeout = _key(phone, day), _seconds_left(day)
    left = count(key, -1, timeout=timeout)
    if left is not None and left < 0:
        # The booking was never counted (made while Redis was down, or with the cap
        # off): put back what was taken, so the number keeps no extra place.
        count(key, -left, timeout=timeout)


def give_back(phone: str, day: dt.date) -> None:
    """The number's place on ``day`` is free again once the current transaction commits
    (a cancel, a move to another day)."""
    if settings.BOOKINGS_PER_PHONE_PER_DAY:
        transaction.on_commit(lambda: _free(phone, day))


@contextmanager
def place_for(phone: str, day: dt.date) -> Iterator[None]:
    """A place of the number on ``day`` for the block, which writes the booking; given
    back at once when the block raises (the booking was not written)."""
    taken = _take(phone, day)
    try:
        yield
    except BaseException:
        if taken:
            count(_key(phone, day), -1, timeout=_seconds_left(day))
        raise
