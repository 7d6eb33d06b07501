"""The office's floor overview (``GET /api/v1/reports/floor/``) over whatever history the
database holds: the server's time per request, in the process, through every
middleware, as DPMPTSP's administrator (every agency) and as a supervisor (one).
Target: p95 under 100 ms on a year of history (its queries read today's rows only).

``floor_overview_timings()`` needs Django set up on the benchmark's database (the
office section does that); it changes nothing but an account of its own."""

import statistics
import time

from django.db import connection, reset_queries
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import Agency, Role, User
from queueing.models import Ticket, TicketEvent, TicketStatus

URL = "/api/v1/reports/floor/"
TARGET_P95_MS = 100.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * q), len(ordered) - 1)] if ordered else float("nan")


def _client(username: str, **fields) -> Client:
    user, _ = User.objects.update_or_create(username=username, defaults={"is_active": True, **fields})
    # The host the benchmark's settings allow; the in-process client has none of its own.
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def _timed(client: Client, path: str, requests: int, warmup: int) -> dict:
    for _ in range(warmup):
        client.get(path)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code}")
    return {
        "requests": requests,
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
        "max_ms": round(max(times), 2),
    }


def floor_overview_timings(*, requests: int = 200, warmup: int = 10) -> dict:
    """The overview's server time for the whole mall and for one agency (the one with
    the most tickets), the statements one request runs, and the history it ran over."""
    today = timezone.localdate()
    busiest = (
        Ticket.objects.filter(date=today).values("agency_id").annotate(n=Count("pk")).order_by("-n")
        .values_list("agency_id", flat=True).first()
        or Agency.objects.active().values_list("pk", flat=True).first()
    )  # fmt: skip
    admin = _client("bench-office-admin", role=Role.ADMIN, agency=None)
    result = {
        "history_tickets": Ticket.objects.count(),
        "history_events": TicketEvent.objects.count(),
        "tickets_today": Ticket.objects.filter(date=today).count(),
        "waiting_today": Ticket.objects.filter(date=today, status=TicketStatus.WAITING).count(),
        "target_p95_ms": TARGET_P95_MS,
        "mall": _timed(admin, URL, requests, warmup),
    }
    if busiest is not None:
        supervisor = _client("bench-office-supervisor", role=Role.SUPERVISOR, agency_id=busiest)
        result["one_agency"] = _timed(supervisor, URL, requests, warmup)
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        admin.get(URL)
    result["statements_per_request"] = len(queries.captured_queries)
    result["meets_target"] = all(
        result[key]["p95_ms"] < TARGET_P95_MS for key in ("mall", "one_agency") if key in result
    )
    return result


def print_timings(result: dict) -> None:
    for key, label in (("mall", "whole mall"), ("one_agency", "one agency")):
        if key in result:
            r = result[key]
            print(
                f"floor overview, {label:<10} p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms"
                f"  max {r['max_ms']:7.1f} ms  ({r['requests']} requests, {result['history_tickets']} tickets"
                f" in the history, {result['statements_per_request']} statements)"
            )
