"""The portal's zone, Asia/Jakarta: every local date and time is in it.

The portal never activates another zone, so the default zone is the current one.
``local`` reads it from Django's cached setting, where ``timezone.localtime`` looks
the current zone up (a thread-local) on every call: a booking asks about ten times.
"""

import datetime as dt

from django.utils import timezone


def zone() -> dt.tzinfo:
    return timezone.get_default_timezone()


def local(moment: dt.datetime) -> dt.datetime:
    """``moment`` (aware) in the portal's zone."""
    return moment.astimezone(zone())


# Two days inside the calendar Python can write: a moment between these stays on it
# when it is moved to any zone (offsets reach ±23:59) or a slot's length is added.
EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC) + dt.timedelta(days=2)
LATEST = dt.datetime.max.replace(tzinfo=dt.UTC) - dt.timedelta(days=2)


def in_reach(value: dt.date) -> bool:
    """Whether a day or an aware moment read from input is one the portal can compute
    with. Every date or time a client writes passes here before it is used: outside it
    (``9999-12-31T23:59:59-23:59``, ``0001-01-01``) a zone change overflows."""
    if isinstance(value, dt.datetime):
        return EARLIEST <= value <= LATEST
    return EARLIEST.date() < value < LATEST.date()
