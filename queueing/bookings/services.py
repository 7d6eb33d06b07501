"""Booking a counter slot: create, cancel, reschedule.

Capacity and quota are checked under a lock on the service's day row (``ServiceDay``),
so concurrent requests for the same service and day are decided one at a time by the
database. The row keeps the count of the day's active bookings (``queueing.bookings.seats``),
read and written only inside that lock.
"""

import datetime as dt
import functools
import json
import logging
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, nullcontext

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from mpp_common.clock import local
from mpp_common.db import execute_prepared_together
from mpp_common.rows import column_list, insert_fields, new_instance, sql_default
from queueing.bookings.phone_cap import COUNT_UP_SQL, count_down, count_up, over_the_cap, phone_limit
from queueing.bookings.seats import (
    DAY_ROW_SQL,
    ROOM_SQL,
    SLOT_COUNT_SQL,
    DaySeats,
    locked_service_day,
    service_day_made,
    slot_key,
)
from queueing.bookings.seats import recount as seats_recount
from queueing.bookings.slots import booking_window, day_capacity, slot_starting_at
from queueing.errors import Busy, QueueError
from queueing.locks import retrying_lock_timeouts
from queueing.models import Booking, BookingStatus, NotificationEvent, ServiceDay
from queueing.notifications.confirmation import CONFIRMATION_TAKES, confirmation_insert, confirmation_rows
from queueing.notifications.notify import notify_booking, notify_booking_codes
from queueing.notifications.outbox import save_rows, written_now
from queueing.notifications.reminders import cancel_reminders
from services.models import BookingPolicy, Service
from services.schedule import VERSION_SQL, ServiceSchedule, current_stamp, intervals_on, schedule_for

logger = logging.getLogger(__name__)


# The names the booking code and its callers use.
BookingError = QueueError
BookingBusy = Busy


def _check_bookable(service: Service) -> None:
    if not (service.active and service.agency.active and service.online_booking) or service.external_booking_url:
        raise BookingError(
            "not_bookable",
            _("Layanan ini tidak menerima pemesanan daring."),
            field="service",
        )


def _check_registration_open(policy: BookingPolicy, now: dt.datetime) -> None:
    intervals = policy.registration_intervals()
    if not intervals:
        return
    moment = local(now).time()
    if not any(start <= moment < end for start, end in intervals):
        hours = ", ".join(f"{s:%H.%M}–{e:%H.%M}" for s, e in intervals)
        raise BookingError(
            "registration_closed",
            _("Pendaftaran daring hanya dibuka pukul %(hours)s.") % {"hours": hours},
        )


def _slot_for(schedule: ServiceSchedule, start: dt.datetime, policy: BookingPolicy, now: dt.datetime):
    """The (start, end) of the slot of ``schedule``'s service beginning at ``start``, if
    one may book it now."""
    day = local(start).date()
    earliest, last_day = booking_window(policy, now)
    if start < now:
        raise BookingError("past", _("Waktu itu sudah lewat."), field="start")
    if day > last_day:
        raise BookingError(
            "too_far_ahead",
            _("Pemesanan paling jauh %(days)d hari ke depan.") % {"days": policy.max_days_ahead},
            field="start",
        )
    if start < earliest:
        raise BookingError(
            "too_late",
            _("Pemesanan paling lambat %(minutes)d menit sebelum slot.") % {"minutes": policy.min_notice_minutes},
            field="start",
        )
    intervals = intervals_on(schedule, day)
    if not intervals:
        raise BookingError("closed", _("Layanan tutup pada hari itu."), field="start")
    slot = slot_starting_at(schedule.service, start, intervals)
    if slot is None:
        raise BookingError(
            "no_such_slot",
            _("Tidak ada slot pada jam itu."),
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
        raise BookingError("not_bookable", _("Layanan tidak ditemukan."), field="service")
    return copy


def _recheck(
    copy: ServiceSchedule,
    start: dt.datetime,
    policy: BookingPolicy,
    slot: tuple[dt.datetime, dt.datetime],
    now: dt.datetime,
) -> ServiceSchedule:
    """The slot was checked against ``copy``, and the schedule has moved since: check
    it again against a fresh copy, and return that copy (capacity and quota are then
    taken from it too)."""
    fresh = schedule_for(copy.service.pk, fresh=True)
    if fresh is None:
        raise BookingError("not_bookable", _("Layanan tidak ditemukan."), field="service")
    _check_bookable(fresh.service)
    if _slot_for(fresh, start, policy, now) != slot:
        raise BookingError("no_such_slot", _("Tidak ada slot pada jam itu."), field="start")
    return fresh


_BOOKING_FIELDS = insert_fields(Booking, with_pk=False)
# What every new booking starts with, written into the statement rather than sent with
# each one; and its time of writing is the moment its consent was given (``now`` for
# both, in ``booking_create``).
_AS_NEW = {
    **{
        name: sql_default(Booking._meta.get_field(name))
        for name in ("status", "reschedule_count", "rescheduled_at", "cancelled_at", "schedule_conflict_at")
    },
    "created_at": "%(consent_at)s",
}
# The booking's other columns go as parameters of the same names.
_SENT = tuple(name for name in _BOOKING_FIELDS.attnames if name not in _AS_NEW)

_TAKE_SEAT = f"""
    INSERT INTO {Booking._meta.db_table} ({column_list(_BOOKING_FIELDS)})
    SELECT {", ".join(_AS_NEW.get(name, f"%({name})s") for name in _BOOKING_FIELDS.attnames)} FROM claimed
    RETURNING {column_list([Booking._meta.get_field(name) for name in CONFIRMATION_TAKES])}
"""  # noqa: S608 - table and column names and placeholders only

# SQLite (embedded mode): inside the day lock, when the schedule's version is still
# the one the booking was checked against, the day's row takes the seat; then the
# booking and its confirmation are written.
_CLAIM = f"""
    UPDATE {ServiceDay._meta.db_table} SET booked = %s, slot_booked = %s
     WHERE id = %s AND {VERSION_SQL} = %s
    RETURNING id
"""  # noqa: S608 - table names and placeholders only


def _take_seat(booking: Booking, copy: ServiceSchedule, day: DaySeats, now: dt.datetime) -> bool:
    """Inside the day lock, with room for ``booking`` by ``copy``: take its seat on the
    day's row and write it, and its confirmation with it, if ``copy`` is still the
    schedule's version; True when it was written."""
    taken = day.with_one_more(booking.start)
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM, [taken.booked, taken.slots_json(), day.row_id, copy.stamp])
        if cursor.fetchone() is None:
            return False
    count_up(booking.phone, booking.date)
    booking.save(force_insert=True)
    save_rows(confirmation_rows(booking, now=now))
    return True


# On PostgreSQL a booking is one round trip (``_book_in_one_trip``): two statements
# sent together outside a transaction, which PostgreSQL runs as one. The first locks
# the day's row; the second, whose snapshot is taken once the lock was granted, takes
# the seat when the row still has room by the counts it holds and the schedule's
# version is still the one the booking was checked against, writes the booking (and
# its confirmation), and answers with what it saw. The lock is held while the
# database works, never while a reply travels to Django and back.
_LOCK_DAY = f"{DAY_ROW_SQL} FOR UPDATE"
_CLAIM_IF_ROOM = f"""
    UPDATE {ServiceDay._meta.db_table}
       SET booked = booked + 1,
           slot_booked = jsonb_set(slot_booked, ARRAY[CAST(%(slot)s AS text)], to_jsonb({SLOT_COUNT_SQL} + 1))
     WHERE id = (SELECT id FROM day) AND {ROOM_SQL} AND {VERSION_SQL} = %(version)s
    RETURNING id
"""  # noqa: S608 - table names and placeholders only


@functools.lru_cache(maxsize=8)
def _book_if_room(outbox_sql: str | None, *, outbox_ids: bool, phone_cap: bool) -> str:
    ctes = [f"day AS ({DAY_ROW_SQL})", f"claimed AS ({_CLAIM_IF_ROOM})", f"taken AS ({_TAKE_SEAT})"]
    if phone_cap:
        # The number's count of the day, past its cap, undoes the statement (0016).
        ctes.append(f"phone_day AS ({COUNT_UP_SQL})")
    answer = ["(SELECT id FROM taken)", "day.booked", "day.slot_booked", VERSION_SQL]
    if outbox_sql:
        ctes.append(f"outbox AS ({outbox_sql})")
        if outbox_ids:
            answer.append("ARRAY(SELECT id FROM outbox)")
    return f"WITH {', '.join(ctes)} SELECT {', '.join(answer)} FROM day"  # noqa: S608


def _book_in_one_trip(booking: Booking, copy: ServiceSchedule, *, priority: bool) -> tuple[bool, DaySeats | None, int]:
    """PostgreSQL: write ``booking`` if its slot and day have room by ``copy`` and the
    schedule is still at ``copy``'s version. Returns whether it was written, the day's
    seats as the lock found them when it was not (None when the day has no row yet, or
    when it was written) and the schedule's version then."""
    values = booking.__dict__
    params = {name: values[name] for name in _SENT}
    # As text, which the statement reads as the column's jsonb: cheaper to send than
    # psycopg2's JSON adapter.
    params["channels"] = json.dumps(params["channels"])
    params |= {
        "slot": slot_key(booking.start),
        "day_capacity": day_capacity(copy.service, priority=priority),
        "slot_capacity": copy.service.slot_capacity,
        "version": copy.stamp,
        "phone_cap": settings.BOOKINGS_PER_PHONE_PER_DAY,
    }
    confirmation = confirmation_insert(booking)
    outbox_sql, outbox_params = confirmation or (None, {})
    sql = _book_if_room(outbox_sql, outbox_ids=settings.EMBEDDED, phone_cap=bool(params["phone_cap"]))
    params |= outbox_params

    def run():
        # Inside an enclosing transaction (a caller's, the tests'), a savepoint keeps
        # a refused insert from spoiling it; on its own the two statements are a
        # transaction already, and commit as they end.
        with transaction.atomic() if connection.in_atomic_block else nullcontext(), connection.cursor() as cursor:
            execute_prepared_together(cursor, [(_LOCK_DAY, params), (sql, params)])
            return cursor.fetchone()

    row = retrying_lock_timeouts(run, "ServiceDay")
    if row is None:
        return False, None, 0
    booking_id, booked, slots, version = row[:4]
    if booking_id is None:
        # The seats are read only to say why there was no room.
        return False, DaySeats.from_row(0, booked, slots), version
    booking.pk = booking_id
    booking._state.adding = False
    if confirmation and settings.EMBEDDED:
        written_now(row[4])
    return True, None, version


def _has_room(service: Service, day: DaySeats, start: dt.datetime, *, priority: bool) -> bool:
    return day.has_room(
        start, slot_capacity=service.slot_capacity, day_capacity=day_capacity(service, priority=priority)
    )


def _refuse(
    service: Service, day: DaySeats, start: dt.datetime, *, nik: str, priority: bool, moving: int | None = None
) -> BookingError:
    """Why a booking (or the move of booking ``moving``) finds no room: the person's
    other booking that day first."""
    if Booking.objects.active().filter(service=service, date=day_of(start), nik=nik).exclude(pk=moving).exists():
        return _duplicate()
    if day.in_slot(start) >= service.slot_capacity:
        return BookingError("slot_full", _("Slot ini sudah penuh."))
    return BookingError("quota_reached", _("Kuota harian layanan ini sudah habis."))


def day_of(moment: dt.datetime) -> dt.date:
    return local(moment).date()


def _duplicate() -> BookingError:
    return BookingError(
        "duplicate",
        _("NIK ini sudah memiliki pemesanan aktif untuk layanan ini pada hari itu."),
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
    day = local(slot_start).date()
    if channels is None:
        channels = ["sms", "email"] if email else ["sms"]
    booking = new_instance(
        Booking,
        {
            "service": copy.service,
            "date": day,
            "start": slot_start,
            "end": slot_end,
            "nik": nik,
            "name": name,
            "phone": phone,
            "email": email,
            "language": language,
            "priority_group": priority_group,
            "channels": channels,
            "consent_at": now,
        },
        now=now,
    )
    _write(booking, copy, start, policy, (slot_start, slot_end), now, priority=bool(priority_group))
    # The time as it is: the logger writes it out only when the line is kept.
    logger.info("booking %s created for service %s at %s", booking.pk, booking.service_id, slot_start)
    return booking


def _write(
    booking: Booking,
    copy: ServiceSchedule,
    start: dt.datetime,
    policy: BookingPolicy,
    slot: tuple[dt.datetime, dt.datetime],
    now: dt.datetime,
    *,
    priority: bool,
) -> None:
    """Write ``booking`` in the slot ``slot`` (checked against ``copy``) if the slot and
    the day have room; raises why not."""
    service, nik, (slot_start, slot_end), day = copy.service, booking.nik, slot, booking.date
    try:
        # When the schedule changed since ``copy`` was read, the booking is checked
        # again against the new one and tried once more.
        for _attempt in range(3):
            if connection.vendor == "postgresql":
                written, seats, version = _book_in_one_trip(booking, copy, priority=priority)
                if written:
                    break
                if seats is None:
                    service_day_made(service.pk, day)
                    continue
                if version == copy.stamp:
                    raise _refuse(copy.service, seats, slot_start, nik=nik, priority=priority)
            else:
                # SQLite (embedded mode): the lock, which reads the day's seats, then
                # the statements that take a seat and write the booking.
                with locked_service_day(service.pk, day) as seats:
                    if _has_room(copy.service, seats, slot_start, priority=priority):
                        if _take_seat(booking, copy, seats, now):
                            break
                    elif current_stamp() == copy.stamp:
                        raise _refuse(copy.service, seats, slot_start, nik=nik, priority=priority)
            copy = _recheck(copy, start, policy, (slot_start, slot_end), now)
            booking.service = copy.service
        else:
            raise BookingBusy()
    except IntegrityError as error:
        # The number's count past its cap, or else the one-booking-per-NIK constraint
        # (the lock holds every other rule); the transaction has been rolled back.
        if over_the_cap(error):
            raise phone_limit(settings.BOOKINGS_PER_PHONE_PER_DAY) from error
        raise _duplicate() from error


def booking_cancel(*, booking: Booking, now: dt.datetime | None = None) -> Booking:
    """Cancel a booking that is still booked; the seat is free at once."""
    now = now or timezone.now()
    with locked_service_day(booking.service_id, booking.date) as seats:
        # Under its day's lock, so the day's count changes with it. A booking moved to
        # another day meanwhile is not found on this one, and is tried on its new day.
        changed = Booking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED, date=booking.date).update(
            status=BookingStatus.CANCELLED, cancelled_at=now
        )
        moved_from = booking.date
        booking.refresh_from_db()
        if changed:
            seats_recount(seats, booking.service_id, booking.date)
            count_down(booking.phone, booking.date)
            cancel_reminders(booking, start=booking.start)
            notify_booking(NotificationEvent.BOOKING_CANCELLED, booking, now=now)
    if not changed and booking.status == BookingStatus.BOOKED and booking.date != moved_from:
        return booking_cancel(booking=booking, now=now)
    if not changed:
        raise BookingError(
            "not_cancellable",
            _("Pemesanan ini tidak dapat dibatalkan lagi."),
        )
    logger.info("booking %s cancelled", booking.pk)
    return booking


@contextmanager
def _locked_days(service_id: int, days: set[dt.date]) -> Iterator[dict[dt.date, DaySeats]]:
    """The locks of one or two days of a service, taken in date order (so two moves in
    opposite directions cannot wait on each other); yields each day's seats."""
    with ExitStack() as stack:
        yield {day: stack.enter_context(locked_service_day(service_id, day)) for day in sorted(days)}


def stranded_by_staff(booking: Booking) -> bool:
    """Whether a change of the hours or closure days took ``booking``'s slot away
    (``schedule_changes``): its move is then the staff's doing, not the citizen's, so
    neither the limit nor the deadline of the policy applies, and it does not count."""
    return booking.schedule_conflict_at is not None


def reschedule_refusal(booking: Booking, policy: BookingPolicy, now: dt.datetime) -> BookingError | None:
    """Why ``booking`` cannot be moved at ``now`` by its state and ``policy`` (the
    pages say so before a new slot is chosen); None when it can."""
    if booking.status != BookingStatus.BOOKED:
        return BookingError(
            "not_reschedulable",
            _("Pemesanan ini tidak dapat dijadwalkan ulang."),
        )
    if stranded_by_staff(booking):
        return None
    if booking.reschedule_count >= policy.max_reschedules:
        return BookingError(
            "reschedule_limit",
            ngettext_lazy(
                "Pemesanan hanya dapat dijadwalkan ulang %(n)d kali.",
                "Pemesanan hanya dapat dijadwalkan ulang %(n)d kali.",
                "n",
            )
            % {"n": policy.max_reschedules},
        )
    deadline = booking.date - dt.timedelta(days=policy.reschedule_deadline_days)
    if local(now).date() > deadline:
        return BookingError(
            "reschedule_too_late",
            ngettext_lazy(
                "Jadwal ulang paling lambat %(days)d hari sebelum jadwal.",
                "Jadwal ulang paling lambat %(days)d hari sebelum jadwal.",
                "days",
            )
            % {"days": policy.reschedule_deadline_days},
        )
    return None


def booking_reschedule(*, booking: Booking, start: dt.datetime, now: dt.datetime | None = None) -> Booking:
    """Move a booking to another slot of the same service, within the policy."""
    now = now or timezone.now()
    policy = BookingPolicy.current()
    refusal = reschedule_refusal(booking, policy, now)
    if refusal is not None:
        raise refusal
    copy = _schedule_of(booking.service_id)
    _check_bookable(copy.service)
    slot_start, slot_end = _slot_for(copy, start, policy, now)
    day = local(slot_start).date()
    with _locked_days(booking.service_id, {booking.date, day}) as days:
        current = Booking.objects.select_for_update().get(pk=booking.pk)
        # Checked again on the locked row: a concurrent move may have used the last one.
        if reschedule_refusal(current, policy, now) is not None or current.date not in days:
            raise BookingError(
                "not_reschedulable",
                _("Pemesanan ini tidak dapat dijadwalkan ulang."),
            )
        if current_stamp() != copy.stamp:
            copy = _recheck(copy, start, policy, (slot_start, slot_end), now)
        # The seats of the new day and slot without this booking's own.
        seats = days[day]
        if current.date == day:
            seats = DaySeats(
                seats.row_id,
                seats.booked - 1,
                {**seats.slots, slot_key(current.start): seats.in_slot(current.start) - 1},
            )
        priority = bool(current.priority_group)
        if not _has_room(copy.service, seats, slot_start, priority=priority):
            raise _refuse(copy.service, seats, slot_start, nik=current.nik, priority=priority, moving=current.pk)
        old_day, old_start = current.date, current.start
        if old_day != day:
            _move_phone_place(current.phone, old_day, day)
        current.date, current.start, current.end = day, slot_start, slot_end
        if not stranded_by_staff(current):
            current.reschedule_count += 1
        current.rescheduled_at = now
        current.schedule_conflict_at = None
        try:
            with transaction.atomic():
                current.save(
                    update_fields=["date", "start", "end", "reschedule_count", "rescheduled_at", "schedule_conflict_at"]
                )
        except IntegrityError as error:
            # The person holds another booking of this service on the new day.
            raise _duplicate() from error
        for moved in {old_day, day}:
            seats_recount(days[moved], booking.service_id, moved)
        cancel_reminders(current, start=old_start)
        notify_booking(NotificationEvent.BOOKING_RESCHEDULED, current, now=now)
    logger.info("booking %s rescheduled to %s", booking.pk, slot_start)
    return current


def _move_phone_place(phone: str, old_day: dt.date, day: dt.date) -> None:
    """The number's place moves from ``old_day`` to ``day`` (``phone_limit`` when ``day``
    has none left); the two counts are locked in date order, so two moves of one number
    in opposite directions cannot wait on each other."""
    if day < old_day:
        count_up(phone, day)
        count_down(phone, old_day)
    else:
        count_down(phone, old_day)
        count_up(phone, day)


def booking_confirmation_resend(*, booking: Booking, key: str, now: dt.datetime | None = None) -> Booking:
    """Write ``booking``'s confirmation again, composed as the booking is now, on the
    channels it chose; ``key`` names this sending (one message per key). Only for a
    booking still booked and ahead."""
    now = now or timezone.now()
    if booking.status != BookingStatus.BOOKED or booking.start <= now:
        raise BookingError(
            "not_resendable",
            _("Konfirmasi hanya dapat dikirim ulang untuk pemesanan aktif yang belum lewat."),
        )
    notify_booking(NotificationEvent.BOOKING_CONFIRMED, booking, now=now, key_suffix=f":again:{key}")
    logger.info("booking %s confirmation sent again", booking.pk)
    return booking


# One message of lost codes per person and phone in this many seconds, however often
# they are asked for: a form sent again (or by someone else) writes no second one.
CODES_WINDOW_SECONDS = 15 * 60


def booking_codes_send(*, nik: str, phone: str, now: dt.datetime | None = None) -> None:
    """Send the codes of the upcoming bookings of ``nik`` made with ``phone`` to that
    phone (through the outbox). Says nothing of whether any matched: the caller's
    answer must be the same either way. The message's key holds a keyed hash of the
    NIK and phone, never the NIK itself."""
    now = now or timezone.now()
    bookings = list(
        Booking.objects.filter(nik=nik, phone=phone, status=BookingStatus.BOOKED, start__gt=now)
        .select_related("service__agency")
        .order_by("start")
    )
    if not bookings:
        return
    person = salted_hmac("booking-codes", f"{nik}:{phone}").hexdigest()[:32]
    window = int(now.timestamp() // CODES_WINDOW_SECONDS)
    with transaction.atomic():
        notify_booking_codes(bookings, phone=phone, key=f"booking_codes:{person}:{window}", now=now)
    logger.info("booking codes sent for bookings %s", [booking.pk for booking in bookings])
