"""Personal data is kept only as long as configured (UU 27/2022): once a visit, a booking,
a message or a login record is older than ``RETENTION_DAYS`` (default 365), the
scheduled job (``erase_personal_data``, nightly at 02.30) erases the names, NIKs, phone
numbers, email addresses and free texts in it.

The rows stay, with everything the reports read (states, times, services, counters,
scores), so every report figure is the same after the erasure as before: the summary's
tickets, served, no-shows and times come from the tickets' history, which holds no
personal data; the IKM from the surveys' scores; a suggestion's text is replaced by
``ERASED_TEXT``, so the count of suggestions stays too. Login records (django-axes),
which are nothing but personal data, are deleted.

Each table is one ``Eraser`` in ``ERASERS``: which column ages the row, what erasing
writes. A new table with personal data adds one line there. Each eraser works in
batches of ``BATCH`` rows, one ``UPDATE … WHERE pk IN (SELECT pk … LIMIT n)`` (or
``DELETE``) per batch in a transaction of its own, so no long lock is held on a table
the floor writes to; a row once erased no longer matches, so a run picks up where the
last one ended, and a second run in a day finds nothing to do.
"""

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from mpp_common.clock import local, zone
from queueing.models import NotificationStatus
from queueing.office.complaints.services import complaints_erase_personal_data

logger = logging.getLogger(__name__)

BATCH = 1000
# What an erased suggestion reads: the survey still had one, its words are gone.
ERASED_TEXT = "[dihapus]"


def _unique_marker(prefix: str):
    """A value unique per row and no one's data (``~123``), for a column a unique index
    covers: a booking's NIK is part of the one-active-booking index."""
    return Concat(Value(prefix), Cast("pk", CharField()), output_field=CharField())


@dataclasses.dataclass(frozen=True)
class Eraser:
    """One table's personal data. ``model`` is ``"app_label.Model"``; ``age`` the date
    or time column whose age decides (older than the period: erased); ``values`` the
    columns and what erasing writes in them, ``None`` to delete the rows; ``only``
    limits the rows considered (``None``: all of them).

    A row still holds personal data while any column with a plain value in ``values``
    differs from it: that is how a run skips the rows erased before."""

    name: str
    model: str
    age: str
    values: Mapping[str, Any] | None
    only: Q | None = None

    def __post_init__(self) -> None:
        if self.values is not None and not self._plain():
            raise ValueError(f"{self.name}: at least one column must be erased to a plain value")

    def _plain(self) -> dict[str, Any]:
        return {
            column: value for column, value in (self.values or {}).items() if not hasattr(value, "resolve_expression")
        }

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def due(self, *, day: dt.date, moment: dt.datetime) -> models.QuerySet:
        """The rows older than the period that still hold personal data."""
        model = self.model_class()
        is_day = model._meta.get_field(self.age).get_internal_type() == "DateField"
        rows = model._default_manager.filter(**{f"{self.age}__lt": day if is_day else moment})
        if self.only is not None:
            rows = rows.filter(self.only)
        if self.values is not None:
            holding = Q()
            for column, value in self._plain().items():
                holding |= ~Q(**{column: value})
            rows = rows.filter(holding)
        return rows

    def erase(self, *, day: dt.date, moment: dt.datetime, batch: int = BATCH) -> int:
        """Erase every due row, ``batch`` at a time; the number of rows erased."""
        model = self.model_class()
        total = 0
        while True:
            with transaction.atomic():
                chunk = model._default_manager.filter(pk__in=self.due(day=day, moment=moment).values("pk")[:batch])
                if self.values is None:
                    done = chunk.delete()[1].get(model._meta.label, 0)
                else:
                    done = chunk.update(**self.values)
            total += done
            if done < batch:
                return total


@dataclasses.dataclass(frozen=True)
class ErasedBy:
    """A table whose own slice erases its personal data: ``function(before)`` erases
    what was written before that moment and answers how many rows it erased."""

    name: str
    function: Callable[[dt.datetime], int]

    def erase(self, *, day: dt.date, moment: dt.datetime, batch: int = BATCH) -> int:
        return self.function(moment)


ERASERS: list[Eraser | ErasedBy] = [
    # A booking is kept whole until its day is older than the period.
    Eraser(
        "bookings",
        "queueing.Booking",
        "date",
        {"name": "", "phone": "", "email": "", "nik": _unique_marker("~")},
    ),
    # Tickets hold no personal column: a walk-in's phone is only in its messages, and a
    # booked visit's person is its booking's (above).
    # The outbox: the address, the text as sent, and the gateway's last answer; the key
    # of a lost-code message holds a keyed hash of NIK and phone, so it goes too. A
    # message not sent yet is left to the outbox.
    Eraser(
        "notifications",
        "queueing.Notification",
        "created_at",
        {
            "recipient": "",
            "subject": "",
            "message": "",
            "last_error": "",
            "dedupe_key": _unique_marker("erased:"),
        },
        only=~Q(status__in=(NotificationStatus.PENDING, NotificationStatus.SENDING)),
    ),
    # A gateway's answer may quote the number it refused.
    Eraser("notification attempts", "queueing.NotificationAttempt", "at", {"detail": ""}),
    # A suggestion's words may name a person; the scores stay for the IKM.
    Eraser("survey comments", "queueing.Survey", "created_at", {"comment": ERASED_TEXT}, only=~Q(comment="")),
    # Login records: usernames, addresses, browsers, what was typed.
    Eraser("login lockouts", "axes.AccessAttempt", "attempt_time", None),
    Eraser("login failures", "axes.AccessFailureLog", "attempt_time", None),
    Eraser("logins", "axes.AccessLog", "attempt_time", None),
    # The help desk's record (BookingAct) names the staff member who acted and the
    # booking, whose own personal data the first eraser takes: nothing of the citizen's.
    # Complaints: the contact, the text and the answers (which may quote it).
    ErasedBy("complaints", complaints_erase_personal_data),
]


def retention_cutoff(now: dt.datetime, days: int) -> tuple[dt.date, dt.datetime]:
    """The first day kept and its first moment: what is older goes."""
    day = local(now).date() - dt.timedelta(days=days)
    return day, dt.datetime.combine(day, dt.time.min, tzinfo=zone())


def personal_data_erase(
    *,
    now: dt.datetime | None = None,
    days: int | None = None,
    erasers: list[Eraser | ErasedBy] | None = None,
    batch: int = BATCH,
) -> dict[str, int]:
    """Erase the personal data older than ``days`` (``RETENTION_DAYS``) from every
    table of ``erasers`` (``ERASERS``); the rows erased per table."""
    now = now or timezone.now()
    days = settings.RETENTION_DAYS if days is None else days
    if days < 1:
        raise ValueError("the retention period is at least one day")
    day, moment = retention_cutoff(now, days)
    erased = {}
    for eraser in ERASERS if erasers is None else erasers:
        erased[eraser.name] = eraser.erase(day=day, moment=moment, batch=batch)
    logger.info("personal data before %s erased: %s", day, erased)
    return erased
