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


def materialized() -> str:
    """Keeps a ``WITH`` query apart from the one around it, so PostgreSQL finds the day's
    tickets first and reaches the rest of the history by their ids (SQLite plans it so
    already, and older versions of it do not know the word)."""
    return "MATERIALIZED " if connection.vendor == "postgresql" else ""


def zone_params() -> dict:
    zone = timezone.get_default_timezone()
    offset = timezone.now().astimezone(zone).utcoffset()
    return {"zone": str(zone), "zone_offset": f"{int(offset.total_seconds() // 60):+d} minutes"}


def entries_sql(tickets: str, where: str = "") -> str:
    """Each queue entry of the tickets ``tickets`` selects (a condition on the ticket
    table, by ``date``), further limited by ``where`` (`` AND …`` on ``s``, the entry's
    service): one row each, its figures as 0/1 flags and times.

    The day's tickets and their requests are read first, by the day (``tr``); then each
    entry's history rows, numbered newest first among those with a counter
    (``latest``), so one pass gives the entry's first row, first call and last counter."""
    served = _quoted(SERVED_STATUSES)
    return f"""
WITH tr AS {materialized()}(
    SELECT t.date AS day, t.booking_id, r.id AS request_id, r.service_id, r.status, r.started_at, r.finished_at
    FROM {table(Ticket)} t JOIN {table(ServiceRequest)} r ON r.ticket_id = t.id
    WHERE t.{tickets}
), ev AS (
    SELECT tr.*, s.agency_id, s.waiting_target_minutes AS target, e.action, e.at, e.counter_id, e.officer_id,
           ROW_NUMBER() OVER (
               PARTITION BY e.request_id
               ORDER BY CASE WHEN e.counter_id IS NULL THEN 1 ELSE 0 END, e.at DESC, e.id DESC
           ) AS latest
    FROM tr
    JOIN {table(Service)} s ON s.id = tr.service_id
    JOIN {table(TicketEvent)} e ON e.request_id = tr.request_id
    WHERE 1 = 1{where}
), x AS (
    SELECT request_id, day, agency_id, service_id, booking_id, status, started_at, finished_at, target,
           MIN(at) AS entered_at,
           MIN(CASE WHEN action = '{TicketAction.CALLED}' THEN at END) AS first_call,
           MAX(CASE WHEN action = '{TicketAction.TRANSFERRED}' THEN 1 ELSE 0 END) AS by_transfer,
           MAX(CASE WHEN latest = 1 THEN counter_id END) AS counter_id,
           MAX(CASE WHEN latest = 1 THEN officer_id END) AS officer_id
    FROM ev
    GROUP BY request_id, day, agency_id, service_id, booking_id, status, started_at, finished_at, target
), y AS (
    SELECT x.*,
           {seconds_between("x.entered_at", "x.first_call")} AS wait_raw,
           CASE WHEN x.status IN ({served}) THEN {seconds_between("x.started_at", "x.finished_at")} END AS service_raw,
           {local_hour("x.entered_at")} AS hour
    FROM x
)
SELECT day, agency_id, service_id, counter_id, officer_id, hour,
       1 - by_transfer AS issued,
       CASE WHEN by_transfer = 0 AND booking_id IS NOT NULL THEN 1 ELSE 0 END AS issued_booked,
       by_transfer AS transferred_in,
       CASE WHEN status IN ({served}) THEN 1 ELSE 0 END AS served,
       CASE WHEN status = '{RequestStatus.NO_SHOW}' THEN 1 ELSE 0 END AS no_shows,
       CASE WHEN status = '{RequestStatus.TRANSFERRED}' THEN 1 ELSE 0 END AS transferred_out,
       CASE WHEN status = '{RequestStatus.EXPIRED}' THEN 1 ELSE 0 END AS expired,
       CASE WHEN wait_raw IS NULL THEN 0 ELSE 1 END AS called,
       CASE WHEN wait_raw < 0 THEN 0 ELSE wait_raw END AS wait_seconds,
       CASE WHEN wait_raw <= target * 60 THEN 1 ELSE 0 END AS within_target,
       CASE WHEN service_raw IS NULL THEN 0 ELSE 1 END AS timed,
       CASE WHEN service_raw < 0 THEN 0 ELSE service_raw END AS service_seconds,
       CASE WHEN wait_raw <= 0 THEN 0 ELSE (wait_raw + 59) / 60 END AS wait_minutes,
       CASE WHEN service_raw <= 0 THEN 0 ELSE (service_raw + 59) / 60 END AS service_minutes
FROM y"""


TABLES = {
    "closed": ReportClosedDay,
    "day": ReportDay,
    "hour": ReportHour,
    "minutes": ReportMinutes,
}


def tables() -> dict[str, str]:
    return {name: table(model) for name, model in TABLES.items()}
