# ruff: noqa: S608 - the SQL is built from table names, column names and constants of the code; values are parameters
"""The report's figures, computed in the database: counts and sums from the rows kept
per closed day (``queueing.office.reports.summaries``), plus the history itself for
the days not kept yet (today), in four statements read from one snapshot.

- counts, means and the share within target: sums over ``ReportDay`` (per agency,
  service, counter, officer) and ``ReportHour`` (per hour);
- medians and 90th percentiles: ``percentile_cont`` worked out over the minute
  histograms (``ReportMinutes``; whole months read from the month rows), so a year
  sums a few hundred thousand histogram rows instead of sorting two million times.
  The answer is what ``percentile_cont`` gives over the times in minutes begun
  (``tests/queueing/office/test_report_figures.py`` holds the two side by side)."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils.translation import gettext as _

from agencies.models import Agency, Counter, User
from queueing.models import ReportClosedDay, ReportMeasure, ReportSpan, Ticket
from queueing.office.reports.sql import entries_sql, iso_weekday, tables, zone_params
from queueing.office.reports.summaries import month_end, month_start
from services.models import Service

SUMS = (
    "entries",
    "issued",
    "issued_booked",
    "transferred_in",
    "served",
    "no_shows",
    "transferred_out",
    "expired",
    "called",
    "wait_seconds",
    "within_target",
    "timed",
    "service_seconds",
)
# The live entries' columns in the order of SUMS (an entry is one entry; a time not
# measured is none).
LIVE_SUMS = "1, " + ", ".join(f"COALESCE({name}, 0)" if name.endswith("seconds") else name for name in SUMS[1:])
# A sum of counts as a whole number (PostgreSQL would sum whole numbers into decimals,
# and the percentiles compare them thousands of times).
COUNT = "CAST(SUM(n) AS BIGINT)"
# The queue entries read from the history for one report (a temporary table).
LIVE = "report_live_entries"
GROUPINGS = ("total", "agency", "service", "counter", "officer")
# The column of each grouping but the first, by its number in GROUPINGS.
KEYS = {1: "agency_id", 2: "service_id", 3: "counter_id", 4: "officer_id"}
PERCENTS = (50, 90)


@dataclass(frozen=True)
class ReportScope:
    """What a report covers: the days (both included) and, optionally, one agency
    and one service."""

    date_from: dt.date
    date_to: dt.date
    agency_id: int | None = None
    service_id: int | None = None


def _minutes(seconds: int, count: int) -> float | None:
    return round(seconds / count / 60, 2) if count else None


@dataclass
class Figures:
    """The counts and times of one row of the report (the whole scope, an agency, a
    service, a counter, an officer, a day, a weekday or an hour)."""

    entries: int = 0
    issued: int = 0
    issued_booked: int = 0
    transferred_in: int = 0
    served: int = 0
    no_shows: int = 0
    transferred_out: int = 0
    expired: int = 0
    called: int = 0
    wait_seconds: int = 0
    within_target: int = 0
    timed: int = 0
    service_seconds: int = 0
    wait_p50: float | None = None
    wait_p90: float | None = None
    service_p50: float | None = None
    service_p90: float | None = None
    # What the row is about: an id and its name, a day, a weekday (1–7) or an hour.
    key: object = None
    name: str = ""
    days: int = 0

    @property
    def walk_ins(self) -> int:
        return self.issued - self.issued_booked

    @property
    def wait_mean(self) -> float | None:
        return _minutes(self.wait_seconds, self.called)

    @property
    def service_mean(self) -> float | None:
        return _minutes(self.service_seconds, self.timed)

    @property
    def within_target_share(self) -> float | None:
        """Of the entries called, the share called within their service's target."""
        return round(self.within_target / self.called, 4) if self.called else None

    @property
    def issued_per_day(self) -> float | None:
        return round(self.issued / self.days, 1) if self.days else None


@dataclass
class Report:
    scope: ReportScope
    total: Figures
    by_agency: list[Figures] = field(default_factory=list)
    by_service: list[Figures] = field(default_factory=list)
    by_counter: list[Figures] = field(default_factory=list)
    by_officer: list[Figures] = field(default_factory=list)
    by_day: list[Figures] = field(default_factory=list)
    by_weekday: list[Figures] = field(default_factory=list)
    by_hour: list[Figures] = field(default_factory=list)
    # The days read from the history (not kept yet): today, usually.
    live_days: int = 0


@contextmanager
def _one_snapshot() -> Iterator[None]:
    """The report's statements all read the database as of one moment, so a day
    summarised meanwhile is neither missed nor counted twice. (Inside a transaction
    already open, as in the tests, they read as that one does.)"""
    outermost = not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if outermost:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            # Compiling the statements would cost more than running them; the histograms
            # of a month are summed in memory.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '32MB'")
            # Parallel workers cost more to start than they save on these sizes.
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield


def full_months(date_from: dt.date, date_to: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first and last day of the whole months inside the period, if any."""
    first = date_from if date_from.day == 1 else month_end(date_from) + dt.timedelta(days=1)
    last = date_to if date_to == month_end(date_to) else month_start(date_to) - dt.timedelta(days=1)
    return (first, last) if first <= last else None


def live_days(scope: ReportScope, today: dt.date) -> list[dt.date]:
    """The days of the period up to today whose figures are not kept yet (today, and
    any day not summarised so far): read from the history itself."""
    # No ticket comes before the first one, nor after today.
    first = Ticket.objects.order_by("date").values_list("date", flat=True).first()
    start, last = max(scope.date_from, first or today), min(scope.date_to, today)
    if last < start:
        return []
    kept = set(ReportClosedDay.objects.filter(date__range=(start, last)).values_list("date", flat=True))
    days = (start + dt.timedelta(days=n) for n in range((last - start).days + 1))
    return [day for day in days if day not in kept]


class _Statements:
    """The SQL of one report, and its parameters."""

    def __init__(self, scope: ReportScope, live: list[dt.date]) -> None:
        self.scope = scope
        self.live = live
        self.names = tables()
        self.params = {
            "date_from": scope.date_from,
            "date_to": scope.date_to,
            "agency": scope.agency_id,
            "service": scope.service_id,
            **{f"live{n}": day for n, day in enumerate(live)},
            **zone_params(),
        }

    def where(self, agency: str, service: str) -> str:
        """The scope's agency and service, on the columns named."""
        parts = []
        if self.scope.agency_id is not None:
            parts.append(f" AND {agency} = %(agency)s")
        if self.scope.service_id is not None:
            parts.append(f" AND {service} = %(service)s")
        return "".join(parts)

    def create_live(self) -> str:
        """The queue entries of the days read from the history, once for the four
        statements: a table of this connection's own, dropped after them."""
        days = ", ".join(f"%(live{n})s" for n in range(len(self.live)))
        entries = entries_sql(f"date IN ({days})", self.where("s.agency_id", "s.id"))
        return f"CREATE TEMPORARY TABLE {LIVE} AS {entries}"

    def union_live(self, columns: str, condition: str = "") -> str:
        return f"\n    UNION ALL SELECT {columns} FROM {LIVE}{condition}" if self.live else ""

    # The statements -----------------------------------------------------------------

    def groupings(self) -> str:
        """Counts and sums: in all, per agency, service, counter and officer."""
        summed = ", ".join(f"SUM({name}) AS {name}" for name in SUMS)
        union = "\nUNION ALL ".join(
            [f"SELECT 0 AS grouping, NULL AS key, {summed} FROM base"]
            + [f"SELECT {code}, {column}, {summed} FROM base GROUP BY {column}" for code, column in KEYS.items()]
        )
        return f"""WITH src AS (
    SELECT agency_id, service_id, counter_id, officer_id, {", ".join(SUMS)} FROM {self.names["day"]}
    WHERE date BETWEEN %(date_from)s AND %(date_to)s{self.where("agency_id", "service_id")}{
            self.union_live("agency_id, service_id, counter_id, officer_id, " + LIVE_SUMS)
        }
), base AS (
    SELECT agency_id, service_id, counter_id, officer_id, {summed}
    FROM src GROUP BY agency_id, service_id, counter_id, officer_id
)
{union}"""

    def days(self) -> str:
        """Counts and sums per day, and per weekday (with the number of days)."""
        summed = ", ".join(f"SUM({name}) AS {name}" for name in SUMS)
        return f"""WITH src AS (
    SELECT date AS day, {", ".join(SUMS)} FROM {self.names["day"]}
    WHERE date BETWEEN %(date_from)s AND %(date_to)s{self.where("agency_id", "service_id")}{
            self.union_live("day, " + LIVE_SUMS)
        }
), d AS (
    SELECT day, {summed} FROM src GROUP BY day
)
SELECT 'day' AS grouping, day, NULL AS weekday, 1 AS days, {", ".join(SUMS)} FROM d
UNION ALL
SELECT 'weekday', NULL, {iso_weekday("day")}, COUNT(*), {summed} FROM d GROUP BY {iso_weekday("day")}"""

    def hours(self) -> str:
        """Entries and waits by the hour they entered the queue."""
        columns = "entries, issued, called, wait_seconds, within_target"
        return f"""WITH src AS (
    SELECT hour, {columns} FROM {self.names["hour"]}
    WHERE date BETWEEN %(date_from)s AND %(date_to)s{self.where("agency_id", "service_id")}{
            self.union_live("hour, 1, issued, called, COALESCE(wait_seconds, 0), within_target")
        }
)
SELECT hour, SUM(entries), SUM(issued), SUM(called), SUM(wait_seconds), SUM(within_target)
FROM src GROUP BY hour ORDER BY hour"""

    def percentiles(self) -> str:
        """The 50th and 90th percentiles of the waiting and service times (as
        ``percentile_cont`` reckons them) in all, per agency, service, counter and
        officer, from the histograms: whole months inside the period from the month
        rows, the days around them from the day rows."""
        minutes = self.names["minutes"]
        where = self.where("agency_id", "service_id")
        columns = "agency_id, service_id, counter_id, officer_id, measure, minutes, count"
        day_rows = f"SELECT {columns} FROM {minutes} WHERE span = '{ReportSpan.DAY}' AND start BETWEEN "
        months = full_months(self.scope.date_from, self.scope.date_to)
        if months:
            first, last = months
            self.params |= {
                "m_from": first,
                "m_to": month_start(last),
                "head_to": first - dt.timedelta(days=1),
                "tail_from": last + dt.timedelta(days=1),
            }
            parts = [
                f"SELECT {columns} FROM {minutes} WHERE span = '{ReportSpan.MONTH}' "
                f"AND start BETWEEN %(m_from)s AND %(m_to)s{where}",
                f"{day_rows}%(date_from)s AND %(head_to)s{where}",
                f"{day_rows}%(tail_from)s AND %(date_to)s{where}",
            ]
        else:
            parts = [f"{day_rows}%(date_from)s AND %(date_to)s{where}"]
        if self.live:
            keys = "agency_id, service_id, counter_id, officer_id"
            parts += [
                f"SELECT {keys}, '{ReportMeasure.WAIT}', wait_minutes, 1 FROM {LIVE} WHERE wait_minutes IS NOT NULL",
                f"SELECT {keys}, '{ReportMeasure.SERVICE}', service_minutes, 1 FROM {LIVE} "
                "WHERE service_minutes IS NOT NULL",
            ]
        source = "\n    UNION ALL ".join(parts)
        # Each grouping by its number (GROUPINGS), as numbers sort faster than names.
        groupings = "\n    UNION ALL ".join(
            [f"SELECT 0 AS grouping, NULL AS key, measure, minutes, {COUNT} AS n FROM h GROUP BY measure, minutes"]
            + [
                f"SELECT {code}, {column}, measure, minutes, {COUNT} FROM h GROUP BY {column}, measure, minutes"
                for code, column in KEYS.items()
            ]
        )
        # The ranks (from 0) around p × (n − 1) and how far between them, in whole
        # numbers: p is a percentage, so p × (n − 1) / 100 is split exactly.
        values = ",\n           ".join(
            f"MIN(CASE WHEN upto > {p} * (total - 1) / 100 THEN minutes END) AS lo{p}, "
            f"MIN(CASE WHEN upto > ({p} * (total - 1) + 99) / 100 THEN minutes END) AS hi{p}, "
            f"MAX({p} * (total - 1) %% 100) AS frac{p}"
            for p in PERCENTS
        )
        answers = ", ".join(f"lo{p} + (hi{p} - lo{p}) * frac{p} / 100.0" for p in PERCENTS)
        # percentile_cont(p): the value at rank p × (n − 1) counted from 0, between the
        # two values around it in proportion; the value at rank k is the first one
        # whose running count exceeds k.
        return f"""WITH src AS (
    {source}
), h AS (
    SELECT agency_id, service_id, counter_id, officer_id,
           CASE WHEN measure = '{ReportMeasure.WAIT}' THEN 0 ELSE 1 END AS measure, minutes,
           CAST(SUM(count) AS BIGINT) AS n
    FROM src GROUP BY agency_id, service_id, counter_id, officer_id, measure, minutes
), g AS (
    {groupings}
), c AS (
    SELECT grouping, key, measure, minutes,
           CAST(SUM(n) OVER (PARTITION BY grouping, key, measure ORDER BY minutes) AS BIGINT) AS upto,
           CAST(SUM(n) OVER (PARTITION BY grouping, key, measure) AS BIGINT) AS total
    FROM g
), v AS (
    SELECT grouping, key, measure,
           {values}
    FROM c GROUP BY grouping, key, measure
)
SELECT grouping, key, measure, {answers} FROM v"""


def _fetch(cursor, sql: str, params: dict) -> list[tuple]:
    cursor.execute(sql, params)
    return cursor.fetchall()


def _figures(values, **extra) -> Figures:
    return Figures(**{name: int(value or 0) for name, value in zip(SUMS, values, strict=True)}, **extra)


def report_figures(scope: ReportScope, *, today: dt.date) -> Report:
    """Every figure of the report of ``scope``."""
    with _one_snapshot(), connection.cursor() as cursor:
        live = live_days(scope, today)
        statements = _Statements(scope, live)
        if live:
            cursor.execute(statements.create_live(), statements.params)
        grouped = _fetch(cursor, statements.groupings(), statements.params)
        daily = _fetch(cursor, statements.days(), statements.params)
        hourly = _fetch(cursor, statements.hours(), statements.params)
        percentiles = _fetch(cursor, statements.percentiles(), statements.params)
        if live:
            cursor.execute(f"DROP TABLE {LIVE}")

    rows: dict[str, dict] = {name: {} for name in GROUPINGS}
    for code, key, *values in grouped:
        if code == 0 or any(values):
            rows[GROUPINGS[code]][key] = _figures(values, key=key)
    total = rows["total"].get(None) or Figures()
    rows["total"] = {None: total}
    for code, key, measure, *values in percentiles:
        figures = rows[GROUPINGS[code]].get(key)
        if figures is None:
            continue
        name = "wait" if measure == 0 else "service"
        for percent, value in zip(PERCENTS, values, strict=True):
            setattr(figures, f"{name}_p{percent}", None if value is None else round(float(value), 2))

    report = Report(scope=scope, total=total, live_days=len(live))
    _name_rows(rows)
    report.by_agency = _sorted(rows["agency"])
    report.by_service = _sorted(rows["service"])
    report.by_counter = _sorted(rows["counter"])
    report.by_officer = _sorted(rows["officer"])
    for grouping, day, weekday, days, *values in daily:
        if grouping == "day":
            report.by_day.append(_figures(values, key=_as_date(day), days=1))
        else:
            report.by_weekday.append(_figures(values, key=int(weekday), days=int(days)))
    report.by_day.sort(key=lambda row: row.key)
    report.by_weekday.sort(key=lambda row: row.key)
    for hour, entries, issued, called, wait_seconds, within_target in hourly:
        report.by_hour.append(
            Figures(
                key=int(hour),
                entries=int(entries),
                issued=int(issued),
                called=int(called),
                wait_seconds=int(wait_seconds),
                within_target=int(within_target),
            )
        )
    return report


def _as_date(value) -> dt.date:
    # SQLite answers dates as text.
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _sorted(rows: dict) -> list[Figures]:
    return sorted(rows.values(), key=lambda row: (row.key is None, row.name.lower(), row.key or 0))


def _name_rows(rows: dict[str, dict]) -> None:
    """The names of the agencies, services, counters and officers in the rows."""
    agencies = Agency.objects.in_bulk([key for key in rows["agency"] if key is not None])
    services = Service.objects.select_related("agency").in_bulk([key for key in rows["service"] if key is not None])
    counters = Counter.objects.select_related("agency").in_bulk([key for key in rows["counter"] if key is not None])
    officers = User.objects.in_bulk([key for key in rows["officer"] if key is not None])
    for key, figures in rows["agency"].items():
        figures.name = agencies[key].name if key in agencies else str(key)
    for key, figures in rows["service"].items():
        service = services.get(key)
        figures.name = f"{service.agency.name} · {service.name}" if service else str(key)
    for key, figures in rows["counter"].items():
        counter = counters.get(key)
        if counter is not None:
            label = _("Loket %(number)s") % {"number": counter.number}
            figures.name = f"{label} · {counter.name}" if counter.name else label
    for key, figures in rows["officer"].items():
        officer = officers.get(key)
        figures.name = (officer.get_full_name() or officer.username) if officer else ""
