"""The queue floor under load: officers calling, the display board listening, and
"call next" with a year of history in the tables."""

import datetime as dt
import http.client
import json
import random
import statistics
import threading
import time

from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token

from agencies.models import Agency, AgencyKind, Counter, Role, User
from queueing.models import Ticket
from services.models import OpeningHours, Service

OFFICERS = 200


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * q), len(ordered) - 1)]


def _agency(code: str, prefix: str) -> Agency:
    agency, _ = Agency.objects.update_or_create(
        code=code, defaults={"name": f"Instansi uji antrean {code}", "kind": AgencyKind.OPD, "ticket_prefix": prefix}
    )
    return agency


def prepare_officers(count: int = OFFICERS, waiting: int = 40_000) -> dict:
    """An agency with ``count`` counters, an officer (and token) at each, one service
    they all serve, open around the clock, and ``waiting`` tickets waiting today."""
    agency = _agency("benchq", "ZQ")
    Ticket.objects.filter(agency=agency).delete()
    service, _ = Service.objects.update_or_create(
        agency=agency,
        code="antrean",
        defaults={"name": "Layanan uji antrean", "requirements": "-", "procedure": "-", "completion_time": "-",
                  "product": "-", "complaints": "-", "daily_quota": 1_000_000, "online_booking": False},
    )  # fmt: skip
    OpeningHours.objects.filter(service=service).delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(agency=agency, service=service, weekday=d, opens=dt.time(0), closes=dt.time.max) for d in range(7)
    )
    counters = []
    for n in range(count):
        counter, _ = Counter.objects.update_or_create(
            number=5000 + n, defaults={"agency": agency, "is_open": True, "paused_since": None}
        )
        counters.append(counter)
    service.counters.set(counters)
    tokens = []
    for n, counter in enumerate(counters):
        user, _created = User.objects.get_or_create(
            username=f"bench-officer-{n}", defaults={"role": Role.OFFICER, "agency": agency}
        )
        user.counters.set([counter])
        tokens.append(Token.objects.get_or_create(user=user)[0].key)
    _bulk_waiting(agency, service, waiting)
    return {"agency": agency.pk, "counters": [c.pk for c in counters], "tokens": tokens}


def _bulk_waiting(agency: Agency, service: Service, count: int) -> None:
    """Waiting tickets, made with one INSERT … SELECT (the issuing path is measured elsewhere)."""
    today = timezone.localdate()
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO queueing_ticket (code, agency_id, date, number, prefix, priority_group, priority, language,
                issued_for_id, service_id, status, queue_time, recalls, near_notices, issued_at)
            SELECT 'Q' || lpad(n::text, 11, '0'), %(agency)s, %(today)s, n,
                   'ZQ', '', false, 'id', %(service)s, %(service)s, 'waiting',
                   %(now)s + n * interval '1 millisecond', 0, 0, %(now)s
            FROM generate_series(1, %(count)s) AS n
            """,
            {"agency": agency.pk, "service": service.pk, "today": today, "now": now, "count": count},
        )
        cursor.execute(
            """
            INSERT INTO queueing_servicerequest (ticket_id, service_id, status, created_at)
            SELECT id, service_id, 'open', issued_at FROM queueing_ticket WHERE agency_id = %s
            """,
            [agency.pk],
        )
        cursor.execute(
            "INSERT INTO queueing_dailysequence (agency_id, date, last_number) VALUES (%s, %s, %s) "
            "ON CONFLICT (agency_id, date) DO UPDATE SET last_number = EXCLUDED.last_number",
            [agency.pk, today, count],
        )
        # prepare_officers deleted the previous run's 40,000 tickets of today: until a
        # vacuum their dead entries sit in the queue index ahead of the new queue and
        # every "call next" reads past them, as on no real day (the queue index is by
        # day and service, so a real scan skips at most that day's called tickets).
        cursor.execute("VACUUM ANALYZE queueing_ticket")
        cursor.execute("VACUUM ANALYZE queueing_servicerequest")
    Ticket.objects.filter(counter__number__gte=5000, status__in=["called", "serving"]).update(
        status="done", counter=None
    )


def seed_year_of_history(per_day: int = 3000, days: int = 365) -> int:
    """A year of finished tickets (and their requests and four events each) for a
    second agency, so the tables are as large as after a year of use."""
    agency = _agency("benchh", "ZH")
    if Ticket.objects.filter(agency=agency).exists():
        return Ticket.objects.filter(agency=agency).count()
    service, _ = Service.objects.update_or_create(
        agency=agency,
        code="riwayat",
        defaults={"name": "Layanan uji riwayat", "requirements": "-", "procedure": "-", "completion_time": "-",
                  "product": "-", "complaints": "-"},
    )  # fmt: skip
    start = timezone.localdate() - dt.timedelta(days=days)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO queueing_ticket (code, agency_id, date, number, prefix, priority_group, priority, language,
                issued_for_id, service_id, status, queue_time, recalls, near_notices, issued_at, called_at)
            SELECT 'H' || lpad(g::text, 11, '0'), %(agency)s, %(start)s + (g / %(per_day)s), g %% %(per_day)s + 1,
                   'ZH', '', false, 'id', %(service)s, %(service)s, 'done',
                   (%(start)s + (g / %(per_day)s))::timestamptz + interval '1 hour', 0, 0,
                   (%(start)s + (g / %(per_day)s))::timestamptz + interval '1 hour',
                   (%(start)s + (g / %(per_day)s))::timestamptz + interval '80 minutes'
            FROM generate_series(0, %(total)s - 1) AS g
            """,
            {"agency": agency.pk, "service": service.pk, "start": start, "per_day": per_day, "total": per_day * days},
        )
        cursor.execute(
            """
            INSERT INTO queueing_servicerequest (ticket_id, service_id, status, created_at, started_at, finished_at)
            SELECT id, service_id, 'served', issued_at, called_at, called_at + interval '8 minutes'
            FROM queueing_ticket WHERE agency_id = %s
            """,
            [agency.pk],
        )
        cursor.execute(
            """
            INSERT INTO queueing_ticketevent (ticket_id, request_id, action, from_status, to_status, at)
            SELECT r.ticket_id, r.id, a.action, a.from_status, a.to_status, r.created_at + a.offset_
            FROM queueing_servicerequest r JOIN queueing_ticket t ON t.id = r.ticket_id,
                 (VALUES ('issued', '', 'waiting', interval '0'),
                         ('called', 'waiting', 'called', interval '20 min'),
                         ('started', 'called', 'serving', interval '21 min'),
                         ('completed', 'serving', 'done', interval '29 min'))
                     AS a(action, from_status, to_status, offset_)
            WHERE t.agency_id = %s
            """,
            [agency.pk],
        )
        cursor.execute("ANALYZE queueing_ticket; ANALYZE queueing_ticketevent; ANALYZE queueing_servicerequest")
    return per_day * days


class Client:
    """One keep-alive HTTP connection to the portal."""

    def __init__(self, base_port: int, token: str | None = None) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", base_port, timeout=30)
        self.headers = {"Authorization": f"Token {token}"} if token else {}

    def post(self, path: str) -> tuple[int, dict | None, float]:
        started = time.perf_counter()
        try:
            self.connection.request("POST", path, headers=self.headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed an idle keep-alive connection: open a new one, as a
            # browser does.
            self.connection.close()
            started = time.perf_counter()
            self.connection.request("POST", path, headers=self.headers)
            response = self.connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        return response.status, (json.loads(body) if body else None), elapsed


class BoardListener(threading.Thread):
    """A display board: reads the event stream and notes when each call arrives."""

    def __init__(self, port: int, agency: int) -> None:
        super().__init__(daemon=True)
        self.port, self.agency = port, agency
        self.arrivals: dict[str, float] = {}
        self.ready = threading.Event()
        self.stop = False

    def run(self) -> None:
        while not self.stop:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            connection.request("GET", f"/live/events/?agency={self.agency}")
            response = connection.getresponse()
            event = None
            while not self.stop:
                line = response.fp.readline()
                if not line:
                    break
                text = line.decode().rstrip("\n")
                if text.startswith("event: "):
                    event = text[7:]
                    if event == "hello":
                        self.ready.set()
                elif text.startswith("data: ") and event == "ticket":
                    data = json.loads(text[6:])
                    if data.get("action") == "called":
                        self.arrivals.setdefault(data["number"], time.perf_counter())
            connection.close()


def run_officers(port: int, data: dict, seconds: float, officers: int = OFFICERS, think: float = 0.0) -> dict:
    """Each officer loops call next → start → complete for ``seconds``, pausing a
    random 0.5–1.5 × ``think`` seconds after each visit (the time spent serving).

    With a serving time the officers are out of step, as on a real floor: each begins
    at a random moment within the first serving time. Without one they start together
    and never pause (the floor's throughput)."""
    board = BoardListener(port, data["agency"])
    board.start()
    board.ready.wait(timeout=10)
    latencies: list[float] = []
    # Each officer's first visit also pays for the connection and the server's first
    # look at the counter; the later ones show the floor in its stride.
    later: list[float] = []
    later_numbers: set[str] = set()
    errors: list[str] = []
    calls: dict[str, float] = {}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    barrier = threading.Barrier(officers)

    def officer(index: int) -> None:
        client = Client(port, data["tokens"][index])
        counter = data["counters"][index]
        barrier.wait(timeout=60)
        if think:
            time.sleep(random.uniform(0, think))
        mine, mine_errors, mine_calls = [], [], {}
        mine_later, mine_later_numbers = [], set()
        while time.perf_counter() < deadline:
            sent = time.perf_counter()
            visit = []
            status, body, elapsed = client.post(f"/api/v1/counters/{counter}/call-next/")
            visit.append(elapsed)
            if status == 204:
                mine += visit
                continue
            if status != 200:
                mine_errors.append(f"call-next {status}")
                mine += visit
                continue
            mine_calls[body["number"]] = sent
            for action in ("start", "complete"):
                status, _, elapsed = client.post(f"/api/v1/tickets/{body['code']}/{action}/")
                visit.append(elapsed)
                if status != 200:
                    mine_errors.append(f"{action} {status}")
            if len(mine_calls) > 1:  # not this officer's first visit
                mine_later += visit
                mine_later_numbers.add(body["number"])
            mine += visit
            if think:
                time.sleep(min(think * random.uniform(0.5, 1.5), max(deadline - time.perf_counter(), 0)))
        with lock:
            latencies.extend(mine)
            later.extend(mine_later)
            later_numbers.update(mine_later_numbers)
            errors.extend(mine_errors)
            calls.update(mine_calls)

    started = time.perf_counter()
    threads = [threading.Thread(target=officer, args=(i,)) for i in range(officers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    time.sleep(1)
    board.stop = True
    delays = [(board.arrivals[number] - sent) * 1000 for number, sent in calls.items() if number in board.arrivals]
    later_delays = [
        (board.arrivals[number] - calls[number]) * 1000 for number in later_numbers if number in board.arrivals
    ]
    return {
        "officers": officers,
        "think_seconds": think,
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 0.5),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "calls": len(calls),
        "board_received": len(delays),
        "board_p50_ms": percentile(delays, 0.5),
        "board_p95_ms": percentile(delays, 0.95),
        "after_first_visit_requests": len(later),
        "after_first_visit_p95_ms": percentile(later, 0.95),
        "after_first_visit_board_p95_ms": percentile(later_delays, 0.95),
    }


def call_next_with_history(port: int, data: dict, calls: int = 300) -> dict:
    """One officer calling (and finishing) one ticket after another: the latency of
    "call next" alone, with a year of history in the tables."""
    client = Client(port, data["tokens"][0])
    counter = data["counters"][0]
    latencies = []
    for _ in range(calls):
        status, body, elapsed = client.post(f"/api/v1/counters/{counter}/call-next/")
        if status != 200:
            break
        latencies.append(elapsed)
        client.post(f"/api/v1/tickets/{body['code']}/start/")
        client.post(f"/api/v1/tickets/{body['code']}/complete/")
    return {
        "calls": len(latencies),
        "p50_ms": percentile(latencies, 0.5),
        "p95_ms": percentile(latencies, 0.95),
        "mean_ms": statistics.fmean(latencies) if latencies else float("nan"),
    }
