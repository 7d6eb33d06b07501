"""The seats taken on a service's day, as its ``ServiceDay`` row keeps them.

A booking reads the row under its lock and writes it back with one seat more; a
cancellation or a move counts the day's bookings again. Reading two numbers costs the
same however many bookings the day holds, where counting them grew with every one.
"""

import datetime as dt
import json
from dataclasses import dataclass

from django.db import connection

from mpp_common.clock import local
from mpp_common.db import execute_prepared
from queueing.locks import holding
from queueing.models import Booking, ServiceDay

# The day's row of a service, as its seats are read (under the lock, or with it taken);
# its parameters are named ``service_id`` and ``date``.
DAY_ROW_SQL = (
    f"SELECT id, booked, slot_booked FROM {ServiceDay._meta.db_table} "  # noqa: S608
    "WHERE service_id = %(service_id)s AND date = %(date)s"
)


# Room for one more booking, as SQL over the day's row: the slot's count (``slot``
# names it as ``slot_key`` does) and the day's, each below its capacity. The same rule
# as ``DaySeats.has_room``; a test holds the two equal.
SLOT_COUNT_SQL = "COALESCE((slot_booked ->> CAST(%(slot)s AS text))::integer, 0)"
ROOM_SQL = f"booked < %(day_capacity)s AND {SLOT_COUNT_SQL} < %(slot_capacity)s"


def slot_key(start: dt.datetime) -> str:
    """How the row names a slot: its start in the portal's zone, "09:00"."""
    here = local(start)
    return f"{here.hour:02d}:{here.minute:02d}"


@dataclass(frozen=True)
class DaySeats:
    """The active bookings of one service's day, as read under its lock."""

    row_id: int
    booked: int
    slots: dict[str, int]

    def in_slot(self, start: dt.datetime) -> int:
        return self.slots.get(slot_key(start), 0)

    def has_room(self, start: dt.datetime, *, slot_capacity: int, day_capacity: int) -> bool:
        """Room for one more booking in the slot at ``start`` (``ROOM_SQL`` says the same
        in a booking's statement)."""
        return self.in_slot(start) < slot_capacity and self.booked < day_capacity

    def with_one_more(self, start: dt.datetime) -> "DaySeats":
        key = slot_key(start)
        return DaySeats(self.row_id, self.booked + 1, {**self.slots, key: self.slots.get(key, 0) + 1})

    def slots_json(self) -> str:
        return json.dumps(self.slots, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_row(cls, row_id: int, booked: int, slots) -> "DaySeats":
        # PostgreSQL's jsonb arrives as text through Django's connection, SQLite's too.
        return cls(row_id, booked, json.loads(slots) if isinstance(slots, str) else dict(slots))


def _day_rows(key: str, keys: list, **filters) -> dict:
    rows = ServiceDay.objects.filter(**filters).values_list(key, "id", "booked", "slot_booked")
    found = {value: DaySeats.from_row(row_id, booked, slots) for value, row_id, booked, slots in rows}
    return {value: found.get(value) or DaySeats(0, 0, {}) for value in keys}


def taken_on(service_id: int, days: list[dt.date]) -> dict[dt.date, DaySeats]:
    """The seats taken on each of ``days`` as the day rows keep them, in one query and
    without the lock: for showing free seats (a booking checks again under the lock).
    A day without a row holds no booking: a day's first booking makes its row, and
    migration 0008 made one for every day that held bookings before rows kept counts."""
    return _day_rows("date", days, service_id=service_id, date__in=days)


def taken_on_day(service_ids: list[int], day: dt.date) -> dict[int, DaySeats]:
    """``taken_on`` for many services on one day: one query."""
    return _day_rows("service_id", service_ids, service_id__in=service_ids, date=day)


def counted(service_id: int, day: dt.date) -> tuple[int, dict[str, int]]:
    """The day's active bookings counted from the bookings themselves."""
    slots: dict[str, int] = {}
    for start in Booking.objects.active().filter(service_id=service_id, date=day).values_list("start", flat=True):
        key = slot_key(start)
        slots[key] = slots.get(key, 0) + 1
    return sum(slots.values()), slots


_SAVE = f"UPDATE {ServiceDay._meta.db_table} SET booked = %s, slot_booked = %s WHERE id = %s"  # noqa: S608


def save(seats: DaySeats) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_SAVE, [seats.booked, seats.slots_json(), seats.row_id])


def recount(seats: DaySeats, service_id: int, day: dt.date) -> DaySeats:
    """Under the day's lock, after bookings of the day were cancelled or moved: the
    row set to the count of the bookings."""
    booked, slots = counted(service_id, day)
    fresh = DaySeats(seats.row_id, booked, slots)
    save(fresh)
    return fresh


def locked_service_day(service_id: int, day: dt.date):
    """A transaction holding the lock on the (service, day) row under which its seats
    are counted and taken; yields the seats as the row keeps them (``DaySeats``). One
    plain statement: a booking takes it on every request."""
    sql = DAY_ROW_SQL + (" FOR UPDATE" if connection.features.has_select_for_update else "")
    params = {"service_id": service_id, "date": connection.ops.adapt_datefield_value(day)}

    def take() -> DaySeats:
        with connection.cursor() as cursor:
            execute_prepared(cursor, sql, params)
            row = cursor.fetchone()
            if row is None:
                service_day_made(service_id, day)
                execute_prepared(cursor, sql, params)
                row = cursor.fetchone()
        return DaySeats.from_row(*row)

    return holding(take, "ServiceDay")


def service_day_made(service_id: int, day: dt.date) -> None:
    """Make the (service, day) row when there is none: the day's first booking does,
    with the count of any booking the day already holds (made before rows kept
    counts). A concurrent first booking waits on the insert, and both then use the
    same row."""
    booked, slots = counted(service_id, day)
    ServiceDay.objects.bulk_create(
        [ServiceDay(service_id=service_id, date=day, booked=booked, slot_booked=slots)], ignore_conflicts=True
    )
