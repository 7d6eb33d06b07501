"""What a change of opening hours, closure days or slot length does to bookings.

A booking whose slot no longer exists (the hours moved, the day closed, the slot
length changed) is not moved or cancelled behind the citizen's back: it is flagged for
staff, and a notification to the citizen is written to the outbox.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from queueing.bookings.slots import slot_starting_at
from queueing.models import Booking, BookingStatus, NotificationEvent
from queueing.notifications.notify import notify_booking
from services.schedule import ServiceSchedule, intervals_on, read_schedule


@transaction.atomic
def bookings_flag_schedule_conflicts(
    *, agency_id: int | None = None, service_id: int | None = None, now: dt.datetime | None = None
) -> list[Booking]:
    """Recheck the future bookings of a service, of an agency, or (neither given) of
    the whole mall against the current schedule. Returns the bookings newly affected;
    a booking that fits again loses its flag."""
    now = now or timezone.now()
    bookings = Booking.objects.filter(status=BookingStatus.BOOKED, start__gte=now).select_related("service__agency")
    if service_id is not None:
        bookings = bookings.filter(service_id=service_id)
    elif agency_id is not None:
        bookings = bookings.filter(service__agency_id=agency_id)
    # The schedule as this transaction sees it (it may be the one changing it), never
    # a process's kept copy.
    schedules: dict[int, ServiceSchedule | None] = {}
    intervals: dict[tuple[int, dt.date], list] = {}
    newly_affected = []
    for booking in bookings.order_by("service_id", "start"):
        key = (booking.service_id, booking.date)
        if booking.service_id not in schedules:
            schedules[booking.service_id] = read_schedule(booking.service_id)
        if key not in intervals:
            intervals[key] = intervals_on(schedules[booking.service_id], booking.date)
        slot = slot_starting_at(booking.service, booking.start, intervals[key])
        fits = slot is not None and slot[1] == booking.end
        if fits and booking.schedule_conflict_at:
            booking.schedule_conflict_at = None
            booking.save(update_fields=["schedule_conflict_at"])
        elif not fits and booking.schedule_conflict_at is None:
            booking.schedule_conflict_at = now
            booking.save(update_fields=["schedule_conflict_at"])
            newly_affected.append(booking)
    for booking in newly_affected:
        notify_booking(NotificationEvent.SCHEDULE_CHANGED, booking, now=now, key_suffix=f":{now.isoformat()}")
    return newly_affected
