"""The office's pages over a year of history (``bench.history``): the server time of the
floor overview, of the summary report, its page and its files for a month and for a
year, of the IKM publication for a year and of the public transparency page; what the
history costs on disk, and what the same year would cost read from the history alone
(without the rows kept per closed day)."""

import datetime as dt
import http.client
import importlib
import statistics
import time
from contextlib import contextmanager
from unittest import mock

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from agencies.models import Agency, User
from bench import history
from bench.queue_floor import percentile
from queueing.models import Ticket
from queueing.office.reports import figures
from queueing.office.reports.figures import ReportScope, report_figures
from queueing.office.reports.summaries import month_start, report_days_summarize

RUNS = 20
WARM_UP = 3
# Both targets are for the server's time to answer, p95 of sequential requests.
TARGET_MONTH_MS = 300
TARGET_YEAR_MS = 1000
TARGET_FLOOR_MS = 100
TARGET_IKM_YEAR_MS = 300


def _session_cookie(user: User) -> str:
    """A signed-in session of ``user``, as the login page leaves it."""
    engine = importlib.import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _timed(port: int, path: str, headers: dict, runs: int = RUNS) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    latencies, statuses, size = [], {}, 0
    for n in range(WARM_UP + runs):
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if n >= WARM_UP:
            latencies.append(elapsed)
            statuses[response.status] = statuses.get(response.status, 0) + 1
            size = len(body)
    connection.close()
    return {
        "path": path,
        "runs": runs,
        "statuses": statuses,
        "bytes": size,
        "p50_ms": percentile(latencies, 0.5),
        "p95_ms": percentile(latencies, 0.95),
        "max_ms": max(latencies),
    }


@contextmanager
def history_alone():
    """Reports inside this block read every day from the history: the kept rows are
    swapped for empty tables of the same shape, and no day counts as kept."""

    def every_day(scope, today):
        last = min(scope.date_to, today)
        return [scope.date_from + dt.timedelta(days=n) for n in range((last - scope.date_from).days + 1)]

    with transaction.atomic(), connection.cursor() as cursor:
        empty = {}
        for name, table in figures.tables().items():
            empty[name] = f"bench_empty_{name}"
            cursor.execute(f"CREATE TEMPORARY TABLE {empty[name]} (LIKE {table}) ON COMMIT DROP")
        with mock.patch.object(figures, "live_days", every_day), mock.patch.object(figures, "tables", lambda: empty):
            yield
        transaction.set_rollback(True)


def _history_alone_ms(scope: ReportScope, today: dt.date, runs: int = 3) -> float:
    """The median time of the report's figures in this process with every day read
    from the history (as if no day were kept)."""
    times = []
    with history_alone():
        for _ in range(runs):
            started = time.perf_counter()
            report_figures(scope, today=today)
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _kept_ms(scope: ReportScope, today: dt.date, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        report_figures(scope, today=today)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def run(port: int) -> dict:
    results: dict = {}
    results["history"] = info = history.ensure_history()
    print(
        f"office: {info['agencies']} agencies, {info['tickets']:,} tickets since {info['first_day']}, "
        f"{info['tickets_today']:,} of them today",
        flush=True,
    )
    # Other sections' agencies (the queue section's year of history and its 40,000
    # tickets waiting today) are in the mall-wide reports too: say so.
    others = Ticket.objects.exclude(agency__code__in=history.CODES)
    results["other_tickets"] = {"all": others.count(), "today": others.filter(date=timezone.localdate()).count()}
    if results["other_tickets"]["all"]:
        print(f"  other sections' tickets in the reports too: {results['other_tickets']}", flush=True)
    started = time.monotonic()
    kept = report_days_summarize()
    results["days_kept_now"] = kept
    results["keeping_seconds"] = time.monotonic() - started
    if kept:
        print(f"  days kept now: {kept} in {results['keeping_seconds']:.0f} s", flush=True)
    # This machine's PostgreSQL runs without autovacuum: the planner learns the
    # tables' sizes here, as autovacuum would have taught it.
    history.analyze()
    results["table_bytes"] = sizes = history.table_sizes()
    results["table_rows"] = rows = history.row_counts()
    for name, size in sizes.items():
        print(f"  {name:<28} {rows[name]:>11,} rows  {size / 2**20:8.1f} MiB", flush=True)

    today = timezone.localdate()
    this_month = month_start(today)
    last_month_end = this_month - dt.timedelta(days=1)
    periods = {
        "last_month": (month_start(last_month_end), last_month_end),
        "month_to_date": (this_month, today),
        "last_30_days": (today - dt.timedelta(days=29), today),
        "last_365_days": (today - dt.timedelta(days=364), today),
    }
    admin = User.objects.get(username="admin")
    supervisor = User.objects.get(username="supervisor-disdukcapil")
    disdukcapil = Agency.objects.get(code="disdukcapil").pk
    token = {"Authorization": f"Token {Token.objects.get_or_create(user=admin)[0].key}"}
    supervisor_token = {"Authorization": f"Token {Token.objects.get_or_create(user=supervisor)[0].key}"}
    session = {"Cookie": _session_cookie(admin)}

    def query(period: str, extra: str = "") -> str:
        date_from, date_to = periods[period]
        return f"date_from={date_from}&date_to={date_to}{extra}"

    year = query("last_365_days")
    cases = [
        ("floor_api_mall", "/api/v1/reports/floor/", token, TARGET_FLOOR_MS),
        ("floor_api_one_agency", f"/api/v1/reports/floor/?agency={disdukcapil}", supervisor_token, TARGET_FLOOR_MS),
        ("floor_page", "/kantor/lantai/", session, TARGET_FLOOR_MS),
        ("ikm_api_year", f"/api/v1/reports/ikm/?{year}", token, TARGET_IKM_YEAR_MS),
        ("ikm_csv_year", f"/api/v1/reports/ikm/?{year}&format=csv", token, TARGET_IKM_YEAR_MS),
        ("ikm_page_year", f"/kantor/ikm/?{year}", session, TARGET_IKM_YEAR_MS),
        ("ikm_public", "/ikm/", {}, TARGET_IKM_YEAR_MS),
        # Cached for a minute and an hour: the first request after that computes it.
        ("transparency", "/api/v1/transparency/", {}, TARGET_MONTH_MS),
        ("api_last_month", f"/api/v1/reports/summary/?{query('last_month')}", token, TARGET_MONTH_MS),
        ("api_month_to_date", f"/api/v1/reports/summary/?{query('month_to_date')}", token, TARGET_MONTH_MS),
        ("api_last_30_days", f"/api/v1/reports/summary/?{query('last_30_days')}", token, TARGET_MONTH_MS),
        ("page_last_month", f"/kantor/laporan/?{query('last_month')}", session, TARGET_MONTH_MS),
        ("api_year", f"/api/v1/reports/summary/?{query('last_365_days')}", token, TARGET_YEAR_MS),
        (
            "api_year_one_agency",
            f"/api/v1/reports/summary/?{query('last_365_days', f'&agency={disdukcapil}')}",
            supervisor_token,
            TARGET_YEAR_MS,
        ),
        ("page_year", f"/kantor/laporan/?{query('last_365_days')}", session, TARGET_YEAR_MS),
        ("xlsx_year", f"/api/v1/reports/summary/?{query('last_365_days', '&format=xlsx')}", token, TARGET_YEAR_MS),
        (
            "csv_by_day_year",
            f"/api/v1/reports/summary/?{query('last_365_days', '&format=csv&table=by_day')}",
            token,
            TARGET_YEAR_MS,
        ),
    ]
    results["periods"] = {name: [str(day) for day in days] for name, days in periods.items()}
    results["requests"] = {}
    for name, path, headers, target in cases:
        result = _timed(port, path, headers) | {"target_ms": target}
        results["requests"][name] = result
        verdict = "ok" if result["p95_ms"] < target else "OVER TARGET"
        print(
            f"  {name:<22} p50 {result['p50_ms']:7.1f} ms  p95 {result['p95_ms']:7.1f} ms  max "
            f"{result['max_ms']:7.1f} ms  (target p95 < {target} ms: {verdict})  {result['statuses']}  "
            f"{result['bytes']:,} bytes",
            flush=True,
        )
    # The choice the kept rows stand for: the same figures in this process, from the
    # kept rows and from the history alone.
    results["in_process_ms"] = {}
    for name in ("last_month", "last_365_days"):
        scope = ReportScope(*periods[name])
        kept_ms = _kept_ms(scope, today)
        alone_ms = _history_alone_ms(scope, today)
        results["in_process_ms"][name] = {"kept_rows": kept_ms, "history_alone": alone_ms}
        print(
            f"  figures of {name:<14} in process: from the kept rows {kept_ms:8.1f} ms, "
            f"from the history alone {alone_ms:8.1f} ms",
            flush=True,
        )
    return results
