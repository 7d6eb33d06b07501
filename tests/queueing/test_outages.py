"""Outages answer cleanly. The portal's web server runs as in production (gunicorn),
on the test database: with its Redis stopped, bookings and pages go on and their
notifications arrive once Redis is back; with PostgreSQL gone for a moment (every
connection dropped, new ones refused), the API answers a JSON 503 with Retry-After, the
pages a plain 503, and everything answers as usual once it is back."""

import contextlib
import http.client
import json
import os
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from mpp_portal.management.commands.serve import gunicorn_command
from queueing.models import Notification, NotificationEvent
from tests.queueing.conftest import at, nik
from tests.queueing.notifications import test_delivery as delivery
from tests.require import missing

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.postgres

# The notification tests' real worker and beat, fake gateway and private Redis.
celery, gateway, worker_env = delivery.celery, delivery.gateway, delivery.worker_env
private_redis = delivery.private_redis


@pytest.fixture(autouse=True)
def _postgres_only(transactional_db):
    if connection.vendor != "postgresql":
        missing("PostgreSQL (set DATABASE_URL): the web server must share the test database")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Web:
    """The portal's production web server, one worker, with ``env``."""

    def __init__(self, env: dict) -> None:
        self.port = _free_port()
        env |= {"WEB_CONCURRENCY": "1", "WEB_THREADS": "2", "DEBUG": "0"}
        env["DJANGO_SETTINGS_MODULE"] = "tests.web_settings"  # static files without collectstatic
        command = [*gunicorn_command("127.0.0.1", self.port), "--log-level", "warning"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                if self.request("GET", "/livez")[0] == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise AssertionError("the web server did not start")
            time.sleep(0.2)

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict, bytes]:
        client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            headers = {"Content-Type": "application/json"} if body is not None else {}
            client.request(method, path, json.dumps(body) if body is not None else None, headers)
            answer = client.getresponse()
            return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
        finally:
            client.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def web():
    started: list[Web] = []

    def start(**env: str) -> Web:
        server = Web({**os.environ, "SECRET_KEY": "insecure-key-for-the-test-suite-only", **env})
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def _booking(ktp, day, n: int) -> dict:
    start = at(day, 8 + (n % 8) // 2, 30 * (n % 2))  # spread over the eight slots
    # Each a number of its own: the server's per-number cap is on.
    phone = f"08123456{n:04d}"
    return {"service": ktp.pk, "start": start.isoformat(), "nik": nik(n), "name": f"Warga {n}", "phone": phone}


def test_bookings_and_pages_go_on_while_redis_is_down_and_their_messages_arrive_after(
    celery, gateway, private_redis, web, ktp, tomorrow, settings
):
    celery.env = {**celery.env, "REDIS_URL": private_redis.url}
    celery.start("worker")
    celery.start("beat")
    server = web(
        DATABASE_URL=delivery._database_url(),
        REDIS_URL=private_redis.url,
        CACHE_KEY_PREFIX=settings.CACHES["default"]["KEY_PREFIX"],
        RATELIMIT_ENABLED="1",  # the rate limits read the cache on every booking
        SMS_GATEWAY_URL=gateway.url,
        SMS_GATEWAY_TOKEN=gateway.token,
    )
    assert server.request("POST", "/api/v1/bookings/", _booking(ktp, tomorrow, 0))[0] == 201

    private_redis.stop()
    codes = []
    for n in range(1, 9):
        status, headers, body = server.request("POST", "/api/v1/bookings/", _booking(ktp, tomorrow, n))
        assert (status, headers["content-type"]) == (201, "application/json"), body[:300]
        codes.append(json.loads(body)["code"])
    for method, path in [("GET", "/"), ("GET", f"/api/v1/services/{ktp.pk}/slots/?date={tomorrow}"),
                         ("POST", "/petugas/masuk/")]:  # fmt: skip
        status, _headers, body = server.request(method, path, {} if method == "POST" else None)
        assert status < 500, (path, status, body[:300])

    private_redis.start()
    confirmations = Notification.objects.filter(event=NotificationEvent.BOOKING_CONFIRMED)
    ids = {str(pk) for pk in confirmations.values_list("pk", flat=True)}
    assert len(ids) == 9
    gateway.wait_for(lambda: set(gateway.delivered_ids()) >= ids, timeout=60)
    assert all(any(code in item["message"] for item in gateway.received) for code in codes)


class Proxy:
    """A TCP proxy in front of PostgreSQL that can drop every connection and refuse
    new ones for a while, as a database restart does."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.refusing = False
        self.open: list[socket.socket] = []
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            if self.refusing:
                client.close()
                continue
            server = socket.create_connection(self.upstream)
            with self.lock:
                self.open += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        """Drop every connection; refuse new ones until ``restore``."""
        self.refusing = True
        with self.lock:
            dropped, self.open = self.open, []
        for end in dropped:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()

    def restore(self) -> None:
        self.refusing = False

    def close(self) -> None:
        self.cut()
        self.listener.close()


@pytest.fixture
def database_proxy():
    db = connection.settings_dict
    proxy = Proxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    yield proxy
    proxy.close()


def test_a_database_restart_is_a_503_with_retry_after_then_answers_as_usual(web, database_proxy, ktp, tomorrow):
    db = connection.settings_dict
    server = web(DATABASE_URL=f"postgres://{db['USER']}@127.0.0.1:{database_proxy.port}/{db['NAME']}")
    assert server.request("POST", "/api/v1/bookings/", _booking(ktp, tomorrow, 0))[0] == 201
    assert server.request("GET", "/")[0] == 200

    database_proxy.cut()
    for method, path, body in [
        ("POST", "/api/v1/bookings/", _booking(ktp, tomorrow, 1)),
        ("GET", "/api/v1/agencies/", None),
        ("GET", f"/api/v1/services/{ktp.pk}/slots/?date={tomorrow}", None),
    ]:
        status, headers, content = server.request(method, path, body)
        assert (status, headers["content-type"]) == (503, "application/json"), (path, status, content[:300])
        assert json.loads(content)["detail"]
        assert int(headers["retry-after"]) > 0
    status, headers, content = server.request("GET", "/")
    assert status == 503, content[:300]
    assert int(headers["retry-after"]) > 0
    assert "tidak tersedia" in content.decode()

    database_proxy.restore()
    assert server.request("POST", "/api/v1/bookings/", _booking(ktp, tomorrow, 2))[0] == 201
    assert server.request("GET", "/")[0] == 200
    assert server.request("GET", "/api/v1/agencies/")[0] == 200
