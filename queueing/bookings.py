"""Booking a counter slot: create, cancel, reschedule.

Capacity and quota are checked under a lock on the service's day row (``ServiceDay``),
so concurrent requests for the same service and day are decided one at a time by the
database; the count of active bookings is always read inside that lock.
"""

import datetime as dt
import functools
import logging
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mpp_portal.db import execute_prepared
from queueing.errors import Busy, QueueError
from queueing.locks import locked_service_day
from queueing.models import ACTIVE_BOOKING, Booking, BookingStatus, NotificationEvent
from queueing.notifications import (
    booking_message,
    cancel_reminders,
    notify_booking,
    save_messages,
    with_new_booking,
    with_new_booking_written,
)
from queueing.rows import column_list, insert_fields, row_values
from queueing.slots import booking_window, day_capacity, intervals_on, slot_starting_at
from services.models import BookingPolicy, ScheduleStamp, Service
from services.schedule import ServiceSchedule, schedule_for

logger = logging.getLogger(__name__)


# The names the booking code and its callers use.
BookingError = QueueError
BookingBusy = Busy


def _check_bookable(service: Service) -> None:
    if not (service.active and service.agency.active and service.online_booking) or service.external_booking_url:
        raise BookingError(
            "not_bookable",
            _("Layanan ini tidak menerima pemesanan daring. / This service takes no online bookings."),
            field="service",
        )


def _check_registration_open(policy: BookingPolicy, now: dt.datetime) -> None:
    intervals = policy.registration_intervals()
    if not intervals:
        return
    moment = timezone.localtime(now).time()
    if not any(start <= moment < end for start, end in intervals):
        hours = ", ".join(f"{s:%H.%M}–{e:%H.%M}" for s, e in intervals)
        raise BookingError(
            "registration_closed",
            _("Pendaftaran daring hanya dibuka pukul %(hours)s. / Online registration is open only at %(hours)s.")
            % {"hours": hours},
        )


def _slot_for(schedule: ServiceSchedule, start: dt.datetime, policy: BookingPolicy, now: dt.datetime):
    """The (start, end) of the slot of ``schedule``'s service beginning at ``start``, if
    one may book it now."""
    day = timezone.localtime(start).date()
    earliest, last_day = booking_window(policy, now)
    if start < now:
        raise BookingError("past", _("Waktu itu sudah lewat. / That time has passed."), field="start")
    if day > last_day:
        raise BookingError(
            "too_far_ahead",
            _("Pemesanan paling jauh %(days)d hari ke depan. / Bookings open at most %(days)d days ahead.")
            % {"days": policy.max_days_ahead},
            field="start",
        )
    if start < earliest:
        raise BookingError(
            "too_late",
            _("Pemesanan paling lambat %(minutes)d menit sebelum slot. / Book at least %(minutes)d minutes ahead.")
            % {"minutes": policy.min_notice_minutes},
            field="start",
        )
    intervals = intervals_on(schedule, day)
    if not intervals:
        raise BookingError(
            "closed", _("Layanan tutup pada hari itu. / The service is closed on that day."), field="start"
        )
    slot = slot_starting_at(schedule.service, start, intervals)
    if slot is None:
        raise BookingError(
            "no_such_slot",
            _("Tidak ada slot pada jam itu. / There is no slot at that time."),
            field="start",
        )
    return slot


def bookable_service(service_id: int) -> Service:
    """The service with this id as this process's schedule copy holds it (no query);
    a 400 at ``service`` when there is none."""
    return _schedule_of(service_id).service


def _schedule_of(service_id: int) -> ServiceSchedule:
    """This process's copy of the service's schedule. Every check of one booking reads
    this one copy (the service's settings included), so the version it names is the
    version of everything checked."""
    copy = schedule_for(service_id)
    if copy is None:
        raise BookingError("not_bookable", _("Layanan tidak ditemukan. / No such service."), field="service")
    return copy


def _recheck_if_schedule_moved(
    copy: ServiceSchedule,
    stamp: int,
    start: dt.datetime,
    policy: BookingPolicy,
    slot: tuple[dt.datetime, dt.datetime],
    now: dt.datetime,
) -> ServiceSchedule:
    """Under the day lock: the slot was checked against ``copy``. When the schedule's
    version read after the lock (``stamp``) is another, check again against a fresh
    copy, and return it: capacity and quota are then taken from it too."""
    if copy.stamp == stamp:
        return copy
    fresh = schedule_for(copy.service.pk, fresh=True)
    if fresh is None:
        raise BookingError("not_bookable", _("Layanan tidak ditemukan. / No such service."), field="service")
    _check_bookable(fresh.service)
    if _slot_for(fresh, start, policy, now) != slot:
        raise BookingError(
            "no_such_slot", _("Tidak ada slot pada jam itu. / There is no slot at that time."), field="start"
        )
    return fresh


_SEATS_SQL = f"""
    SELECT count(*) AS day_seats,
           count(*) FILTER (WHERE start = %s) AS slot_seats,
           count(*) FILTER (WHERE nik = %s) AS same_person,
           COALESCE((SELECT version FROM {ScheduleStamp._meta.db_table} WHERE id = 1), 0) AS schedule_version
      FROM {Booking._meta.db_table}
     WHERE service_id = %s AND date = %s AND status IN ({", ".join(["%s"] * len(ACTIVE_BOOKING))}) AND id <> %s
"""  # noqa: S608 - table names and placeholders only

_BOOKING_FIELDS = insert_fields(Booking, with_pk=False)

# The seats counted and, when the person holds none that day and the slot, the day
# and the schedule's version are as the booking was checked against, the booking
# written: one statement, whose snapshot is taken after the day lock was granted.
_SEATS_CTE = f"seats AS ({_SEATS_SQL})"
_TAKE_SEAT = f"""
    INSERT INTO {Booking._meta.db_table} ({column_list(_BOOKING_FIELDS)})
    SELECT {", ".join(["%s"] * len(_BOOKING_FIELDS))} FROM seats
     WHERE same_person = 0 AND slot_seats < %s AND day_seats < %s AND schedule_version = %s
    RETURNING id
"""  # noqa: S608 - table and column names and placeholders only
_TAKE_SEAT_ALONE = f"WITH {_SEATS_CTE} {_TAKE_SEAT}"


@dataclass(frozen=True)
class Seats:
    day: int
    slot: int
    same_person: int
    schedule_version: int


def _seat_params(start: dt.datetime, day: dt.date, *, service_id: int, nik: str, exclude_pk=None) -> list:
    ops = connection.ops
    return [
        ops.adapt_datetimefield_value(start),
        nik,
        service_id,
        ops.adapt_datefield_value(day),
        *ACTIVE_BOOKING,
        exclude_pk or 0,
    ]


def _seats_taken(service: Service, start: dt.datetime, day: dt.date, *, nik: str, exclude_pk=None) -> Seats:
    """Inside the day lock, in a statement of its own (so its snapshot is taken after
    the lock was granted): the day's, the slot's and the person's active bookings, and
    the schedule's version. A reschedule decides by them; a booking reads them only to
    say why ``_take_seat`` wrote nothing."""
    with connection.cursor() as cursor:
        cursor.execute(_SEATS_SQL, _seat_params(start, day, service_id=service.pk, nik=nik, exclude_pk=exclude_pk))
        day_count, slot_count, same_person, version = cursor.fetchone()
    return Seats(day_count, slot_count, same_person, version)


@functools.lru_cache(maxsize=8)
def _take_seat_with(outbox_sql: str) -> str:
    return f"WITH {_SEATS_CTE}, taken AS ({_TAKE_SEAT}), outbox AS ({outbox_sql}) SELECT id FROM taken"  # noqa: S608


def _take_seat(booking: Booking, copy: ServiceSchedule, messages: list) -> bool:
    """Inside the day lock: write ``booking`` if there is room for it by ``copy`` (and
    ``copy`` is still the schedule's version), and its ``messages`` with it; True
    when it was written.

    On PostgreSQL the messages are written by the same statement (a data-modifying
    WITH): a booking is one statement between its lock and its commit."""
    service = copy.service
    sql = _TAKE_SEAT_ALONE
    params = [
        *_seat_params(booking.start, booking.date, service_id=service.pk, nik=booking.nik),
        *row_values(_BOOKING_FIELDS, booking),
        service.slot_capacity,
        day_capacity(service, priority=bool(booking.priority_group)),
        copy.stamp,
    ]
    together = bool(messages) and connection.vendor == "postgresql"
    if together:
        outbox_sql, outbox_params = with_new_booking(messages)
        sql, params = _take_seat_with(outbox_sql), params + outbox_params
    with connection.cursor() as cursor:
        execute_prepared(cursor, sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    booking.pk = row[0]
    booking._state.adding = False
    if together:
        with_new_booking_written(messages, booking)
    else:
        save_messages(messages, booking=booking)
    return True


def _check_room(service: Service, seats: Seats, *, priority: bool) -> None:
    """The person holds no other booking that day, and the slot and the day still
    have a seat."""
    if seats.same_person:
        raise _duplicate()
    if seats.slot >= service.slot_capacity:
        raise BookingError("slot_full", _("Slot ini sudah penuh. / This slot is full."))
    if seats.day >= day_capacity(service, priority=priority):
        raise BookingError(
            "quota_reached", _("Kuota harian layanan ini sudah habis. / This service's daily quota is used up.")
        )


def _duplicate() -> BookingError:
    return BookingError(
        "duplicate",
        _(
            "NIK ini sudah memiliki pemesanan aktif untuk layanan ini pada hari itu. "
            "/ This NIK already has an active booking for this service on that day."
        ),
    )


def booking_create(
    *,
    service: Service,
    start: dt.datetime,
    nik: str,
    name: str,
    phone: str,
    email: str = "",
    language: str = "id",
    priority_group: str = "",
    channels: list[str] | None = None,
    now: dt.datetime | None = None,
) -> Booking:
    """Book a seat in the slot of ``service`` that begins at ``start``.

    Inputs are already validated (NIK, phone in E.164); this checks the rules that
    depend on the state: the service, the day, the window, capacity, quota, duplicates.
    """
    now = now or timezone.now()
    copy = _schedule_of(service.pk)
    _check_bookable(copy.service)
    policy = BookingPolicy.current()
    _check_registration_open(policy, now)
    slot_start, slot_end = _slot_for(copy, start, policy, now)
    day = timezone.localtime(slot_start).date()
    if channels is None:
        channels = ["sms", "email"] if email else ["sms"]
    booking = Booking(
        service=copy.service,
        date=day,
        start=slot_start,
        end=slot_end,
        nik=nik,
        name=name,
        phone=phone,
        email=email,
        language=language,
        priority_group=priority_group,
        channels=channels,
        consent_at=now,
    )
    # The confirmation is made before the lock is taken: the lock is held only for
    # the statements that decide and write.
    confirmation = booking_message(NotificationEvent.BOOKING_CONFIRMED, booking, now=now)
    try:
        with locked_service_day(service.pk, day):
            # Mostly one statement. When it writes nothing, the seats tell why; when
            # the reason is a schedule changed since ``copy`` was read, the booking is
            # checked again against the new one and tried once more.
            for _attempt in range(3):
                if _take_seat(booking, copy, confirmation):
                    break
                seats = _seats_taken(copy.service, slot_start, day, nik=nik)
                copy = _recheck_if_schedule_moved(
                    copy, seats.schedule_version, start, policy, (slot_start, slot_end), now
                )
                _check_room(copy.service, seats, priority=bool(priority_group))
                booking.service = copy.service
            else:
                raise BookingBusy()
            service = copy.service
    except IntegrityError as error:
        # Only the one-booking-per-NIK constraint can fire here (the lock holds every
        # other rule); the transaction has been rolled back.
        raise _duplicate() from error
    logger.info("booking %s created for service %s at %s", booking.pk, service.pk, slot_start.isoformat())
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, now: dt.datetime | None = None) -> Booking:
    """Cancel a booking that is still booked; the seat is free at once."""
    now = now or timezone.now()
    changed = Booking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED).update(
        status=BookingStatus.CANCELLED, cancelled_at=now
    )
    booking.refresh_from_db()
    if not changed:
        raise BookingError(
            "not_cancellable",
            _("Pemesanan ini tidak dapat dibatalkan lagi. / This booking can no longer be cancelled."),
        )
    cancel_reminders(booking)
    notify_booking(NotificationEvent.BOOKING_CANCELLED, booking, now=now)
    logger.info("booking %s cancelled", booking.pk)
    return booking


def booking_reschedule(*, booking: Booking, start: dt.datetime, now: dt.datetime | None = None) -> Booking:
    """Move a booking to another slot of the same service, within the policy."""
    now = now or timezone.now()
    policy = BookingPolicy.current()
    if booking.status != BookingStatus.BOOKED:
        raise BookingError(
            "not_reschedulable",
            _("Pemesanan ini tidak dapat dijadwalkan ulang. / This booking cannot be rescheduled."),
        )
    if booking.reschedule_count >= policy.max_reschedules:
        raise BookingError(
            "reschedule_limit",
            _("Pemesanan hanya dapat dijadwalkan ulang %(n)d kali. / A booking can be rescheduled only %(n)d time(s).")
            % {"n": policy.max_reschedules},
        )
    deadline = booking.date - dt.timedelta(days=policy.reschedule_deadline_days)
    if timezone.localtime(now).date() > deadline:
        raise BookingError(
            "reschedule_too_late",
            _(
                "Jadwal ulang paling lambat %(days)d hari sebelum jadwal. "
                "/ Reschedule at least %(days)d day(s) before the booking."
            )
            % {"days": policy.reschedule_deadline_days},
        )
    copy = _schedule_of(booking.service_id)
    _check_bookable(copy.service)
    slot_start, slot_end = _slot_for(copy, start, policy, now)
    day = timezone.localtime(slot_start).date()
    with locked_service_day(booking.service_id, day):
        current = Booking.objects.select_for_update().get(pk=booking.pk)
        if current.status != BookingStatus.BOOKED or current.reschedule_count >= policy.max_reschedules:
            raise BookingError(
                "not_reschedulable",
                _("Pemesanan ini tidak dapat dijadwalkan ulang. / This booking cannot be rescheduled."),
            )
        seats = _seats_taken(copy.service, slot_start, day, nik=current.nik, exclude_pk=current.pk)
        copy = _recheck_if_schedule_moved(copy, seats.schedule_version, start, policy, (slot_start, slot_end), now)
        _check_room(copy.service, seats, priority=bool(current.priority_group))
        current.date, current.start, current.end = day, slot_start, slot_end
        current.reschedule_count += 1
        current.rescheduled_at = now
        current.schedule_conflict_at = None
        current.save(
            update_fields=["date", "start", "end", "reschedule_count", "rescheduled_at", "schedule_conflict_at"]
        )
        cancel_reminders(current)
        notify_booking(NotificationEvent.BOOKING_RESCHEDULED, current, now=now)
    logger.info("booking %s rescheduled to %s", booking.pk, slot_start.isoformat())
    return current
