"""Bookable slots of a service on a day, from its hours, capacity, quota and bookings."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from mpp_common.clock import local
from queueing.bookings.seats import DaySeats, taken_on
from services.models import BookingPolicy, Service
from services.schedule import open_intervals


@dataclass(frozen=True)
class Slot:
    start: dt.datetime
    end: dt.datetime
    capacity: int
    available: int


def slot_times(service: Service, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """Start and end of every slot on ``day`` (none when closed). Slots are laid out
    in the portal's zone, from each interval's opening time."""
    length = dt.timedelta(minutes=service.slot_minutes)
    times = []
    for start, last in open_intervals(service, day):
        while start + length <= last:
            times.append((start, start + length))
            start += length
    return times


def slot_starting_at(
    service: Service, start: dt.datetime, intervals: list[tuple[dt.datetime, dt.datetime]]
) -> tuple[dt.datetime, dt.datetime] | None:
    """The slot that begins exactly at ``start`` within ``intervals``, if there is one."""
    length = dt.timedelta(minutes=service.slot_minutes)
    for opens, closes in intervals:
        if opens <= start and start + length <= closes and (start - opens) % length == dt.timedelta(0):
            return local(start), local(start) + length
    return None


def booking_window(policy: BookingPolicy, now: dt.datetime) -> tuple[dt.datetime, dt.date]:
    """The earliest slot start one may book now, and the last bookable day."""
    earliest = now + dt.timedelta(minutes=policy.min_notice_minutes)
    return earliest, local(now).date() + dt.timedelta(days=policy.max_days_ahead)


def day_capacity(service: Service, *, priority: bool) -> int:
    """Seats bookable online in a day; priority groups may also use their reserve."""
    return service.bookable_per_day + (service.priority_reserve if priority else 0)


def _slots_and_day_left(
    service: Service, day: dt.date, *, now: dt.datetime, priority: bool, taken: DaySeats | None = None
) -> tuple[list[Slot], int]:
    if not service.online_booking or service.external_booking_url:
        return [], 0
    earliest, last_day = booking_window(BookingPolicy.current(), now)
    if day > last_day or day < local(earliest).date():
        return [], 0
    times = [(start, end) for start, end in slot_times(service, day) if start >= earliest]
    if not times:
        return [], 0
    if taken is None:
        taken = taken_on(service.pk, [day])[day]
    day_left = max(day_capacity(service, priority=priority) - taken.booked, 0)
    slots = [
        Slot(start, end, service.slot_capacity, min(max(service.slot_capacity - taken.in_slot(start), 0), day_left))
        for start, end in times
    ]
    return slots, day_left


def slots_for(service: Service, day: dt.date, *, now: dt.datetime | None = None, priority: bool = False) -> list[Slot]:
    """Slots citizens may book on ``day``: [] when the service takes no online
    bookings, the day is closed or outside the booking window."""
    return _slots_and_day_left(service, day, now=now or timezone.now(), priority=priority)[0]


def days_with_room(service: Service, *, now: dt.datetime | None = None) -> list[tuple[dt.date, int]]:
    """Each day of the booking window with the seats still free on it (0 = full or closed)."""
    return [(day, free) for day, free, _bookable in calendar_days(service, now=now)]


def calendar_days(service: Service, *, now: dt.datetime | None = None) -> list[tuple[dt.date, int, bool]]:
    """``days_with_room``, and for each day whether it has slots one may still book at
    all (a full day has): the seats of the whole window in one query."""
    now = now or timezone.now()
    earliest, last_day = booking_window(BookingPolicy.current(), now)
    first = local(earliest).date()
    window = [first + dt.timedelta(days=n) for n in range((last_day - first).days + 1)]
    taken = taken_on(service.pk, window)
    days = []
    for day in window:
        slots, day_left = _slots_and_day_left(service, day, now=now, priority=False, taken=taken[day])
        days.append((day, min(sum(slot.available for slot in slots), day_left), bool(slots)))
    return days
