# ruff: noqa: S608 - the SQL is built from table names, column names and constants of the code; values are parameters
"""The SQL the reports share: each queue entry's figures derived from the tickets'
history, and the few expressions PostgreSQL and SQLite write differently.

A queue entry is a ``ServiceRequest``: the first of a ticket's requests entered the
queue when the ticket was issued, each further one when the ticket was transferred to
its service (the transfer's history row carries the new request). From the history:

- waiting time: from entering the queue to the entry's first call;
- service time: from the start of service to its completion, for a served entry
  (``ServiceRequest.started_at`` and ``finished_at``: the last start when a visit was
  held and resumed);
- the counter and officer: of the entry's last history row with a counter, i.e. the
  ones that completed it, marked it no-show or transferred it on;
- the hour: when it entered the queue, in the portal's zone (Asia/Jakarta);
- the day: the ticket's own (``Ticket.date``, the day it was issued), so a visit whose
  history runs past midnight stays on the day it began.

Times are whole seconds; the histograms count minutes, a minute begun counting as a
whole one (``(seconds + 59) / 60``), so "within a target of T minutes" is exactly
"at most T × 60 seconds"."""

from django.db import connection
from django.utils import timezone

from queueing.models import (
    ReportClosedDay,
    ReportDay,
    ReportHour,
    ReportMinutes,
    RequestStatus,
    ServiceRequest,
    Ticket,
    TicketAction,
    TicketEvent,
)
from services.models import Service

# A request whose service was delivered at the counter, whatever happened to it after
# (the product processed, ready, picked up, or rejected during processing).
SERVED_STATUSES = (
    RequestStatus.SERVED,
    RequestStatus.PROCESSING,
    RequestStatus.READY,
    RequestStatus.PICKED_UP,
    RequestStatus.REJECTED,
)


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _quoted(values) -> str:
    # Status and action names are the code's own constants, never input.
    return ", ".join(f"'{value}'" for value in values)


# The two databases' ways of the same expressions (the one place they differ).


def seconds_between(start: str, end: str) -> str:
    """Whole seconds from ``start`` to ``end`` (two timestamp expressions)."""
    if connection.vendor == "postgresql":
        return f"CAST(ROUND(EXTRACT(EPOCH FROM ({end} - {start}))) AS bigint)"
    return f"CAST(ROUND((julianday({end}) - julianday({start})) * 86400) AS integer)"


def local_hour(moment: str) -> str:
    """The hour (0–23) of a timestamp in the portal's zone; needs ``zone_params()``."""
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(HOUR FROM ({moment} AT TIME ZONE %(zone)s)) AS integer)"
    # SQLite keeps UTC; Asia/Jakarta has had one offset since 1964.
    return f"CAST(strftime('%%H', {moment}, %(zone_offset)s) AS integer)"


def iso_weekday(day: str) -> str:
    """Monday 1 … Sunday 7 of a date expression."""
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(ISODOW FROM {day}) AS integer)"
    return f"((CAST(strftime('%%w', {day}) AS integer) + 6) %% 7 + 1)"


def zone_params() -> dict:
    zone = timezone.get_default_timezone()
    offset = timezone.now().astimezone(zone).utcoffset()
    return {"zone": str(zone), "zone_offset": f"{int(offset.total_seconds() // 60):+d} minutes"}


def entries_sql(where: str) -> str:
    """Each queue entry of the tickets ``where`` selects (``t`` the ticket, ``r`` the
    request, ``s`` its service): one row each, its figures as 0/1 flags and times."""
    event = table(TicketEvent)
    last_with_counter = (
        f"FROM {event} c WHERE c.request_id = y.request_id AND c.counter_id IS NOT NULL "
        "ORDER BY c.at DESC, c.id DESC LIMIT 1"
    )
    return f"""
SELECT y.day, y.agency_id, y.service_id,
       (SELECT c.counter_id {last_with_counter}) AS counter_id,
       (SELECT c.officer_id {last_with_counter}) AS officer_id,
       y.hour,
       1 - y.by_transfer AS issued,
       CASE WHEN y.by_transfer = 0 AND y.booking_id IS NOT NULL THEN 1 ELSE 0 END AS issued_booked,
       y.by_transfer AS transferred_in,
       CASE WHEN y.status IN ({_quoted(SERVED_STATUSES)}) THEN 1 ELSE 0 END AS served,
       CASE WHEN y.status = '{RequestStatus.NO_SHOW}' THEN 1 ELSE 0 END AS no_shows,
       CASE WHEN y.status = '{RequestStatus.TRANSFERRED}' THEN 1 ELSE 0 END AS transferred_out,
       CASE WHEN y.status = '{RequestStatus.EXPIRED}' THEN 1 ELSE 0 END AS expired,
       CASE WHEN y.wait_raw IS NULL THEN 0 ELSE 1 END AS called,
       CASE WHEN y.wait_raw < 0 THEN 0 ELSE y.wait_raw END AS wait_seconds,
       CASE WHEN y.wait_raw <= y.target * 60 THEN 1 ELSE 0 END AS within_target,
       CASE WHEN y.service_raw IS NULL THEN 0 ELSE 1 END AS timed,
       CASE WHEN y.service_raw < 0 THEN 0 ELSE y.service_raw END AS service_seconds,
       CASE WHEN y.wait_raw <= 0 THEN 0 ELSE (y.wait_raw + 59) / 60 END AS wait_minutes,
       CASE WHEN y.service_raw <= 0 THEN 0 ELSE (y.service_raw + 59) / 60 END AS service_minutes
FROM (
    SELECT x.*,
           {seconds_between("x.entered_at", "x.first_call")} AS wait_raw,
           CASE WHEN x.status IN ({_quoted(SERVED_STATUSES)})
                THEN {seconds_between("x.started_at", "x.finished_at")} END AS service_raw,
           {local_hour("x.entered_at")} AS hour
    FROM (
        SELECT r.id AS request_id, t.date AS day, s.agency_id AS agency_id, r.service_id AS service_id,
               t.booking_id AS booking_id, r.status AS status, r.started_at AS started_at,
               r.finished_at AS finished_at, s.waiting_target_minutes AS target,
               MIN(e.at) AS entered_at,
               MIN(CASE WHEN e.action = '{TicketAction.CALLED}' THEN e.at END) AS first_call,
               MAX(CASE WHEN e.action = '{TicketAction.TRANSFERRED}' THEN 1 ELSE 0 END) AS by_transfer
        FROM {table(Ticket)} t
        JOIN {table(ServiceRequest)} r ON r.ticket_id = t.id
        JOIN {table(Service)} s ON s.id = r.service_id
        JOIN {event} e ON e.request_id = r.id
        WHERE {where}
        GROUP BY r.id, t.date, s.agency_id, r.service_id, t.booking_id, r.status, r.started_at, r.finished_at,
                 s.waiting_target_minutes
    ) x
) y"""


TABLES = {
    "closed": ReportClosedDay,
    "day": ReportDay,
    "hour": ReportHour,
    "minutes": ReportMinutes,
}


def tables() -> dict[str, str]:
    return {name: table(model) for name, model in TABLES.items()}
