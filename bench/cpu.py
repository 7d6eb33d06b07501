"""CPU per request, measured in this process: the WSGI application called directly by
one client, Django's CPU from the process clock and PostgreSQL's from its backend's
scheduler statistics (``bench.cpu_time``).

Two requests compared in alternating batches in one process, so that the machine's
drift (which over minutes exceeds the differences measured) falls on both alike. No
HTTP server or load generator takes part: this is what each request costs, where the
wrk runs measure what a loaded machine serves.
"""

import io
import json
import os
import random
import sys
import time
from collections.abc import Callable

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

from bench.cpu_time import process_cpu_seconds

BATCH = 100


def _environ(path: str, body: bytes) -> dict:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }


def _backend_cpu_seconds() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return process_cpu_seconds(cursor.fetchone()[0])


class Client:
    def __init__(self, data: dict) -> None:
        self.app = WSGIHandler()
        self.targets = data["spread_targets"]
        self.sent = 0
        self.statuses: dict[str, int] = {}

    def _call(self, path: str, body: bytes = b"") -> None:
        answer = self.app(_environ(path, body), lambda status, headers: self._count(status))
        b"".join(answer)
        answer.close()

    def _count(self, status: str) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1

    def floor(self) -> None:
        self._call(f"/bench/floor/{random.randint(1, 10000)}/")

    def booking(self) -> None:
        self.sent += 1
        n = self.sent
        service, start = random.choice(self.targets).split(" ")
        # A valid NIK of its own for every request (region 3674 01, day, month, year, number).
        nik = f"367401{1 + n // 10000 % 28:02d}{1 + n // 280000 % 12:02d}99{n % 10000:04d}"
        # And a number of its own: one number holds at most a few bookings a day.
        phone = f"+6281{n % 10**9:09d}"
        body = {"service": int(service), "start": start, "nik": nik, "name": "Warga Uji", "phone": phone}
        self._call("/api/v1/bookings/", json.dumps(body).encode())


def compare(first: tuple[str, Callable[[], None]], second: tuple[str, Callable[[], None]], requests: int) -> dict:
    """Milliseconds of Django and PostgreSQL CPU per request of each, in alternating
    batches; ``requests`` of each."""
    spent = {first[0]: [0.0, 0.0], second[0]: [0.0, 0.0]}
    for batch in range(requests // BATCH):
        # Which goes first alternates: neither always follows the other.
        for name, request in (first, second) if batch % 2 == 0 else (second, first):
            backend, process = _backend_cpu_seconds(), time.process_time()
            for _ in range(BATCH):
                request()
            spent[name][0] += time.process_time() - process
            spent[name][1] += _backend_cpu_seconds() - backend
    done = requests // BATCH * BATCH
    return {name: {"django_ms": 1000 * d / done, "postgresql_ms": 1000 * p / done} for name, (d, p) in spent.items()}


def run(data: dict, requests: int = int(os.environ.get("BENCH_CPU_REQUESTS", 3000))) -> dict:
    client = Client(data)
    for _ in range(BATCH):  # connections, imports and caches
        client.floor()
        client.booking()
    floor_and_booking = compare(("floor", client.floor), ("booking", client.booking), requests)

    def with_notifications(enabled: bool) -> Callable[[], None]:
        def booking() -> None:
            settings.NOTIFICATIONS_ENABLED = enabled
            client.booking()

        return booking

    configured = settings.NOTIFICATIONS_ENABLED
    try:
        notifications = compare(("on", with_notifications(True)), ("off", with_notifications(False)), requests)
    finally:
        settings.NOTIFICATIONS_ENABLED = configured
    total = {name: sum(figures.values()) for name, figures in {**floor_and_booking, **notifications}.items()}
    return {
        **floor_and_booking,
        "notifications_on": notifications["on"],
        "notifications_off": notifications["off"],
        "ratio": total["floor"] / total["booking"],
        "notifications_cost": 1 - total["off"] / total["on"],
        "statuses": client.statuses,
    }
