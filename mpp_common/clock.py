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
