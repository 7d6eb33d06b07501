"""What a change of opening hours, closure days or slot length does to bookings.

A booking whose slot no longer exists (the hours moved, the day closed, the slot
length changed) is not moved or cancelled behind the citizen's back: it is flagged for
staff, and a notification to the citizen is written to the outbox. When a later change
gives the slot back, the flag goes and the citizen is told the booking stands again.

Before staff save such a change they see what it would do (``schedule_change_preview``):
the change is made inside a savepoint, read, and rolled back.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from queueing.bookings.slots import slot_starting_at
from queueing.models import Booking, BookingStatus, NotificationEvent
from queueing.notifications.notify import notify_booking
from services.schedule import Interval, ServiceSchedule, intervals_on, levels_week, read_schedule


def _future_bookings(*, agency_id: int | None = None, service_id: int | None = None, now: dt.datetime):
    bookings = Booking.objects.filter(status=BookingStatus.BOOKED, start__gte=now).select_related("service__agency")
    if service_id is not None:
        return bookings.filter(service_id=service_id)
    if agency_id is not None:
        return bookings.filter(service__agency_id=agency_id)
    return bookings


def _with_fit(bookings) -> list[tuple[Booking, bool]]:
    """Each booking with whether its slot exists in the schedule as this transaction
    sees it (it may be the one changing it), never a process's kept copy."""
    schedules: dict[int, ServiceSchedule | None] = {}
    intervals: dict[tuple[int, dt.date], list] = {}
    checked = []
    for booking in bookings.order_by("service_id", "start"):
        key = (booking.service_id, booking.date)
        if booking.service_id not in schedules:
            schedules[booking.service_id] = read_schedule(booking.service_id)
        if key not in intervals:
            intervals[key] = intervals_on(schedules[booking.service_id], booking.date)
        slot = slot_starting_at(booking.service, booking.start, intervals[key])
        checked.append((booking, slot is not None and slot[1] == booking.end))
    return checked


@transaction.atomic
def bookings_flag_schedule_conflicts(
    *, agency_id: int | None = None, service_id: int | None = None, now: dt.datetime | None = None
) -> list[Booking]:
    """Recheck the future bookings of a service, of an agency, or (neither given) of
    the whole mall against the current schedule. Returns the bookings newly affected;
    a booking that fits again loses its flag, and its citizen is told it stands."""
    now = now or timezone.now()
    newly_affected, restored = [], []
    for booking, fits in _with_fit(_future_bookings(agency_id=agency_id, service_id=service_id, now=now)):
        if fits and booking.schedule_conflict_at:
            booking.schedule_conflict_at = None
            booking.save(update_fields=["schedule_conflict_at"])
            restored.append(booking)
        elif not fits and booking.schedule_conflict_at is None:
            booking.schedule_conflict_at = now
            booking.save(update_fields=["schedule_conflict_at"])
            newly_affected.append(booking)
    for event, bookings in (
        (NotificationEvent.SCHEDULE_CHANGED, newly_affected),
        (NotificationEvent.SCHEDULE_RESTORED, restored),
    ):
        for booking in bookings:
            notify_booking(event, booking, now=now, key_suffix=f":{now.isoformat()}")
    return newly_affected


# The preview ---------------------------------------------------------------------------

PREVIEW_DAYS = 7


@dataclass(frozen=True)
class DayCell:
    day: dt.date
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class LevelWeek:
    label: str
    cells: list[DayCell]


@dataclass(frozen=True)
class SchedulePreview:
    """A change's week at each level, before and after, and the future bookings it
    strands (fit now, would not) and gives back (stranded now, would fit)."""

    weeks: list[LevelWeek]
    stranded: int
    restored: int


def _hours_text(intervals: list[Interval]) -> str:
    if not intervals:
        return _("Tutup")
    return ", ".join(f"{opens:%H.%M}–{closes:%H.%M}" for opens, closes in intervals)


def _misfits(scopes: list[dict], now: dt.datetime) -> set[int]:
    return {
        booking.pk for scope in scopes for booking, fits in _with_fit(_future_bookings(**scope, now=now)) if not fits
    }


def schedule_change_preview(
    *, change: Callable[[], None], scopes: list[dict], agency_id: int | None, first_day: dt.date
) -> SchedulePreview:
    """What ``change`` (a function that writes the change) would do: the week from
    ``first_day`` at each level of ``agency_id``, and the bookings in ``scopes`` (the
    keyword arguments of ``bookings_flag_schedule_conflicts``) it strands or gives
    back. The change is rolled back; nothing is flagged and nobody is told."""
    now = timezone.now()
    days = [first_day + dt.timedelta(days=i) for i in range(PREVIEW_DAYS)]
    with transaction.atomic():
        before_weeks, before_misfits = levels_week(agency_id, days), _misfits(scopes, now)
        change()
        after_weeks, after_misfits = levels_week(agency_id, days), _misfits(scopes, now)
        transaction.set_rollback(True)
    # A service given hours of its own (or left without) followed its agency before
    # (or does after): the agency's line stands for it on that side.
    before_of, after_of = dict(before_weeks), dict(after_weeks)
    before_default = before_weeks[min(1, len(before_weeks) - 1)][1]
    after_default = after_weeks[min(1, len(after_weeks) - 1)][1]
    labels = list(after_of) + [label for label in before_of if label not in after_of]
    weeks = []
    for label in labels:
        pairs = zip(before_of.get(label, before_default), after_of.get(label, after_default), strict=True)
        cells = [DayCell(day, _hours_text(old), _hours_text(new)) for day, (old, new) in zip(days, pairs, strict=True)]
        weeks.append(LevelWeek(label, cells))
    return SchedulePreview(
        weeks=weeks, stranded=len(after_misfits - before_misfits), restored=len(before_misfits - after_misfits)
    )
