"""DPMPTSP's help desk: staff act on a citizen's booking on their behalf. Every act
goes through the booking functions the citizen's own pages use (the same rules, no
second copy of them) and is recorded, in the same transaction, as a ``BookingAct``
with the staff member's name: who did what to which booking, and when."""

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from agencies.models import User
from queueing.bookings.services import (
    booking_cancel,
    booking_confirmation_resend,
    booking_create,
    booking_reschedule,
)
from queueing.models import Booking, BookingAct, BookingActKind, normalize_code
from services.models import Service

# At most this many bookings are listed for one search.
FOUND_AT_MOST = 50


def staff_display_name(staff: User) -> str:
    return staff.get_full_name() or staff.username


def _record(
    *,
    staff: User,
    booking: Booking,
    kind: str,
    now: dt.datetime,
    from_start: dt.datetime | None = None,
    to_start: dt.datetime | None = None,
) -> BookingAct:
    return BookingAct.objects.create(
        booking=booking,
        kind=kind,
        staff=staff,
        staff_name=staff_display_name(staff),
        at=now,
        from_start=from_start,
        to_start=to_start,
    )


def _check_staff(staff: User) -> None:
    # The views admit only these staff; the functions hold the rule too.
    if not staff.can_use_help_desk:
        raise PermissionDenied


def help_desk_search(*, staff: User, code: str = "", nik: str = "", phone: str = "") -> list[Booking]:
    """The booking with ``code``, or the bookings of ``nik`` made with ``phone``
    (those ahead first, then the latest past ones). Each one found is recorded as
    seen by ``staff``: who looked at whose booking can be traced."""
    _check_staff(staff)
    now = timezone.now()
    bookings = Booking.objects.select_related("service__agency")
    if code:
        found = list(bookings.filter(code=normalize_code(code))[:1])
    else:
        mine = bookings.filter(nik=nik, phone=phone)
        found = list(mine.filter(start__gte=now).order_by("start")[:FOUND_AT_MOST])
        found += list(mine.filter(start__lt=now).order_by("-start")[: FOUND_AT_MOST - len(found)])
    name = staff_display_name(staff)
    BookingAct.objects.bulk_create(
        BookingAct(booking=booking, kind=BookingActKind.FOUND, staff=staff, staff_name=name, at=now)
        for booking in found
    )
    return found


def help_desk_book(*, staff: User, service: Service, start: dt.datetime, **person) -> Booking:
    """Book for a citizen at the desk (``person``: the keyword arguments of
    ``booking_create`` for the person)."""
    _check_staff(staff)
    now = timezone.now()
    with transaction.atomic():
        booking = booking_create(service=service, start=start, now=now, **person)
        _record(staff=staff, booking=booking, kind=BookingActKind.BOOKED, now=now, to_start=booking.start)
    return booking


def help_desk_move(*, staff: User, booking: Booking, start: dt.datetime) -> Booking:
    _check_staff(staff)
    now = timezone.now()
    before = booking.start
    with transaction.atomic():
        moved = booking_reschedule(booking=booking, start=start, now=now)
        _record(staff=staff, booking=moved, kind=BookingActKind.MOVED, now=now, from_start=before, to_start=moved.start)
    return moved


def help_desk_cancel(*, staff: User, booking: Booking) -> Booking:
    _check_staff(staff)
    now = timezone.now()
    with transaction.atomic():
        cancelled = booking_cancel(booking=booking, now=now)
        _record(staff=staff, booking=cancelled, kind=BookingActKind.CANCELLED, now=now)
    return cancelled


def help_desk_resend(*, staff: User, booking: Booking) -> Booking:
    """The confirmation again, as a new message each time staff ask."""
    _check_staff(staff)
    now = timezone.now()
    with transaction.atomic():
        booking_confirmation_resend(booking=booking, key=uuid.uuid4().hex, now=now)
        _record(staff=staff, booking=booking, kind=BookingActKind.RESENT, now=now)
    return booking


def help_desk_print(*, staff: User, booking: Booking) -> BookingAct:
    """A print of the booking handed to the citizen (it shows their name)."""
    _check_staff(staff)
    return _record(staff=staff, booking=booking, kind=BookingActKind.PRINTED, now=timezone.now())
