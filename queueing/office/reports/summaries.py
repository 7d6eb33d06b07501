# ruff: noqa: S608 - the SQL is built from table names, column names and constants of the code; values are parameters
"""The report figures of closed days, kept in the report tables (``queueing.models.reports``).

A day is closed once it is over (before today, Asia/Jakarta) and none of its tickets is
still open: the end-of-day job expires what is left at 22.00, so a day is normally
closed from midnight, and a day with a ticket still open past midnight closes after
the next expiry. Beat runs ``report_days_summarize`` every hour; each closed day gets
its rows and its ``ReportClosedDay`` mark in one transaction, with its month's
histogram rows written again from the month's days, so a report that reads a day
from the tables never misses part of it, and one that reads it from the history
(a day not yet marked) never counts it twice. Days without tickets are marked too,
with no rows.

Rows are only ever written from the history by these functions, never edited: to
write a range again (after a correction of the history), ``manage.py report_summaries
--from … --to …``."""

import datetime as dt
import logging

from django.db import connection, transaction
from django.utils import timezone

from queueing.models import OPEN_TICKET, ReportClosedDay, ReportMeasure, ReportSpan, Ticket
from queueing.office.reports.sql import entries_sql, tables, zone_params

logger = logging.getLogger(__name__)

# A day is looked for this far back from the newest closed one (a day stays open only
# while a ticket of it is, and the end-of-day job closes them daily).
LOOK_BACK_DAYS = 31


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _serialised(cursor) -> None:
    """One writer of the report tables at a time: two runs rebuilding one month's rows
    at once would each add the other's. SQLite has one writer anyway."""
    if connection.vendor == "postgresql":
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('queueing.report_summaries'))")
        # Compiling the statements would cost more than running them.
        cursor.execute("SET LOCAL jit = off")


def _insert_day(cursor, day: dt.date) -> int:
    """The rows of ``day`` from its history; returns how many histogram rows it has."""
    names = tables()
    entries = entries_sql("date = %(day)s")
    params = {"day": day, **zone_params()}
    cursor.execute(
        f"""
        INSERT INTO {names["day"]} (date, agency_id, service_id, counter_id, officer_id, entries, issued,
            issued_booked, transferred_in, served, no_shows, transferred_out, expired, called, wait_seconds,
            within_target, timed, service_seconds)
        SELECT day, agency_id, service_id, counter_id, officer_id, COUNT(*), SUM(issued), SUM(issued_booked),
               SUM(transferred_in), SUM(served), SUM(no_shows), SUM(transferred_out), SUM(expired), SUM(called),
               COALESCE(SUM(wait_seconds), 0), SUM(within_target), SUM(timed), COALESCE(SUM(service_seconds), 0)
        FROM ({entries}) e
        GROUP BY day, agency_id, service_id, counter_id, officer_id
        """,
        params,
    )
    cursor.execute(
        f"""
        INSERT INTO {names["hour"]} (date, agency_id, service_id, hour, entries, issued, called, wait_seconds,
            within_target)
        SELECT day, agency_id, service_id, hour, COUNT(*), SUM(issued), SUM(called),
               COALESCE(SUM(wait_seconds), 0), SUM(within_target)
        FROM ({entries}) e
        GROUP BY day, agency_id, service_id, hour
        """,
        params,
    )
    cursor.execute(
        f"""
        INSERT INTO {names["minutes"]} (span, start, agency_id, service_id, counter_id, officer_id, measure,
            minutes, count)
        SELECT '{ReportSpan.DAY}', day, agency_id, service_id, counter_id, officer_id, measure, minutes, COUNT(*)
        FROM (
            SELECT day, agency_id, service_id, counter_id, officer_id, '{ReportMeasure.WAIT}' AS measure,
                   wait_minutes AS minutes
            FROM ({entries}) e WHERE wait_minutes IS NOT NULL
            UNION ALL
            SELECT day, agency_id, service_id, counter_id, officer_id, '{ReportMeasure.SERVICE}', service_minutes
            FROM ({entries}) e WHERE service_minutes IS NOT NULL
        ) m
        GROUP BY day, agency_id, service_id, counter_id, officer_id, measure, minutes
        """,
        params,
    )
    return cursor.rowcount


def _delete_day(cursor, day: dt.date) -> int:
    names = tables()
    cursor.execute(f"DELETE FROM {names['day']} WHERE date = %s", [day])
    cursor.execute(f"DELETE FROM {names['hour']} WHERE date = %s", [day])
    cursor.execute(f"DELETE FROM {names['minutes']} WHERE span = %s AND start = %s", [ReportSpan.DAY, day])
    deleted = cursor.rowcount
    cursor.execute(f"DELETE FROM {names['closed']} WHERE date = %s", [day])
    return deleted


def _write_month(cursor, first: dt.date) -> None:
    """The month's histogram rows, summed again from its days' rows."""
    names = tables()
    cursor.execute(f"DELETE FROM {names['minutes']} WHERE span = %s AND start = %s", [ReportSpan.MONTH, first])
    cursor.execute(
        f"""
        INSERT INTO {names["minutes"]} (span, start, agency_id, service_id, counter_id, officer_id, measure,
            minutes, count)
        SELECT %(month)s, %(first)s, agency_id, service_id, counter_id, officer_id, measure, minutes, SUM(count)
        FROM {names["minutes"]}
        WHERE span = %(day)s AND start BETWEEN %(first)s AND %(last)s
        GROUP BY agency_id, service_id, counter_id, officer_id, measure, minutes
        """,
        {"month": ReportSpan.MONTH, "day": ReportSpan.DAY, "first": first, "last": month_end(first)},
    )


def open_days(days: list[dt.date]) -> set[dt.date]:
    """Those of ``days`` with a ticket still open."""
    return set(Ticket.objects.filter(date__in=days, status__in=OPEN_TICKET).values_list("date", flat=True).distinct())


def pending_days(*, today: dt.date) -> list[dt.date]:
    """The days before ``today`` not yet closed that can be: from the first ticket on
    (or a little before the newest closed day), without a ticket still open."""
    newest = ReportClosedDay.objects.order_by("-date").values_list("date", flat=True).first()
    if newest is None:
        first = Ticket.objects.order_by("date").values_list("date", flat=True).first()
        if first is None:
            return []
    else:
        first = newest - dt.timedelta(days=LOOK_BACK_DAYS)
    days = [first + dt.timedelta(days=n) for n in range((today - first).days)]
    closed = set(ReportClosedDay.objects.filter(date__gte=first).values_list("date", flat=True))
    candidates = [day for day in days if day not in closed]
    still_open = open_days(candidates) if candidates else set()
    return [day for day in candidates if day not in still_open]


def report_days_write(*, days: list[dt.date], now: dt.datetime | None = None) -> int:
    """Write the figures of ``days`` (each a closed day) from the history, replacing any
    kept before: the days of one month in one transaction, with that month's rows.
    Returns how many days were written."""
    now = now or timezone.now()
    by_month: dict[dt.date, list[dt.date]] = {}
    for day in sorted(set(days)):
        by_month.setdefault(month_start(day), []).append(day)
    written = 0
    for first, month_days in by_month.items():
        with transaction.atomic(), connection.cursor() as cursor:
            _serialised(cursor)
            still_open = open_days(month_days)
            changed = False
            for day in month_days:
                if day in still_open:
                    continue
                removed = _delete_day(cursor, day)
                added = _insert_day(cursor, day)
                ReportClosedDay.objects.create(date=day, summarized_at=now)
                changed = changed or bool(removed or added)
                written += 1
            if changed:
                _write_month(cursor, first)
    return written


def report_days_summarize(*, today: dt.date | None = None, now: dt.datetime | None = None) -> int:
    """Close every day that can be closed (``pending_days``): what beat runs hourly.
    Returns how many days were closed."""
    today = today or timezone.localdate()
    days = pending_days(today=today)
    written = report_days_write(days=days, now=now)
    if written:
        logger.info("report figures kept for %d days up to %s", written, max(days))
    return written
