"""Notifications end to end: a real Celery worker (and beat) on the real broker, a
local HTTP server as the SMS/WhatsApp gateway, PostgreSQL shared with the worker."""

import datetime as dt
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from mpp_portal.management.commands.serve import NOTIFIER_POOL, supervised
from queueing.bookings.services import booking_create
from queueing.floor.tickets import booking_check_in, ticket_call_next
from queueing.models import Notification, NotificationEvent, NotificationStatus
from tests.fake_gateway import FakeGateway
from tests.queueing.conftest import at, nik
from tests.queueing.notifications.test_notifications import book_now
from tests.require import missing

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _postgres_only(transactional_db):
    if connection.vendor != "postgresql":
        missing("PostgreSQL (set DATABASE_URL): the worker must share the test database")


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Celery:
    """Worker and beat of the portal, run as `make run` runs them (supervised: started
    again if they die), with the environment of this test."""

    def __init__(self, env: dict, tmp_path: Path) -> None:
        # Nothing held back for a busy CPU (``outbox_listener``): a loaded test machine
        # would otherwise delay what these tests time; the holding has tests of its own.
        self.env = {**env, "NOTIFIER_HOLD_SECONDS": "0"}
        self.tmp_path = tmp_path
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str = "worker", *, threads: int | None = None) -> None:
        python = shlex.quote(sys.executable)
        pool = [*NOTIFIER_POOL, "--concurrency", str(threads)] if threads else NOTIFIER_POOL
        if name == "beat":
            command = f"{python} -m celery -A mpp_portal beat -s {self.tmp_path / 'beat-schedule'} --loglevel WARNING"
        else:
            # Both queues: the sweep runs on the default one. The notifier's pool of
            # threads, as `make run` starts it: a pool that forks children while the
            # outbox watch runs could fork it in the middle of holding a lock.
            command = (
                f"{python} -m celery -A mpp_portal worker -Q notifications,celery -n {name}-{time.monotonic_ns()}@%h "
                f"{shlex.join(pool)} --without-mingle --without-gossip --loglevel WARNING --outbox-listener"
            )
        self.processes[name] = subprocess.Popen(
            ["sh", "-c", supervised(command, name)], cwd=ROOT, env=self.env, start_new_session=True
        )

    def kill(self, name: str = "worker") -> None:
        """SIGKILL to the worker and everything it started, as if the machine lost it."""
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self) -> None:
        for process in self.processes.values():
            os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.processes.clear()


@pytest.fixture
def gateway():
    fake = FakeGateway().start()
    yield fake
    fake.stop()


@pytest.fixture
def worker_env(settings, gateway):
    settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN = gateway.url, gateway.token
    return {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "SMS_GATEWAY_URL": gateway.url,
        "SMS_GATEWAY_TOKEN": gateway.token,
        "NOTIFICATION_RETRY_BASE_SECONDS": "0.3",
        "NOTIFICATION_LEASE_SECONDS": "3",
        "NOTIFICATION_SWEEP_SECONDS": "1",
        "CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture
def celery(worker_env, tmp_path):
    processes = Celery(worker_env, tmp_path)
    yield processes
    processes.stop()


def confirmations(service, count: int, day) -> list[str]:
    ids = []
    for n in range(count):
        start = at(day, 8 + (n % 8) // 2, 30 * (n % 2))  # spread over the eight slots
        booking = booking_create(service=service, start=start, nik=nik(n), name=f"Warga {n}", phone="+6281234567890")
        ids.append(str(Notification.objects.get(booking=booking, event=NotificationEvent.BOOKING_CONFIRMED).pk))
    return ids


def test_a_booking_and_a_call_reach_the_gateway(celery, gateway, ktp, tomorrow, kk, counter, bob):
    celery.start()
    booking = booking_create(service=ktp, start=at(tomorrow, 9), nik=nik(1), name="Siti", phone="+62812345678")
    confirmed = Notification.objects.get(booking=booking, event=NotificationEvent.BOOKING_CONFIRMED)
    gateway.wait_for(lambda: str(confirmed.pk) in gateway.delivered_ids())
    assert gateway.received[0]["to"] == "+62812345678"
    assert booking.display_code in gateway.received[0]["message"]

    ticket = booking_check_in(booking=book_now(kk))
    ticket_call_next(counter=counter, officer=bob)
    called = Notification.objects.get(ticket=ticket, event=NotificationEvent.CALLED)
    gateway.wait_for(lambda: str(called.pk) in gateway.delivered_ids())
    assert "loket 3" in next(item for item in gateway.received if item["id"] == str(called.pk))["message"]


def test_a_burst_committed_at_once_arrives_once_each_through_batched_tasks(celery, gateway):
    celery.start()
    now = timezone.now()
    rows = Notification.objects.bulk_create(
        Notification(event=NotificationEvent.CALLED, channel="sms", recipient="+6281234567890",
                     message=f"Nomor A-{n:03d}, silakan ke loket 3", dedupe_key=f"burst:{n}", due_at=now)
        for n in range(60)
    )  # fmt: skip
    ids = {str(row.pk) for row in rows}
    gateway.wait_for(lambda: set(gateway.delivered_ids()) >= ids, timeout=60)
    assert sorted(gateway.delivered_ids()) == sorted(ids)
    sent = Notification.objects.filter(pk__in=ids)
    gateway.wait_for(lambda: set(sent.values_list("status", flat=True)) == {NotificationStatus.SENT})
    assert set(sent.values_list("attempts", flat=True)) == {1}
    assert {item["message"] for item in gateway.received} == {f"Nomor A-{n:03d}, silakan ke loket 3" for n in range(60)}


def test_500_twice_then_200_delivers_once_after_three_attempts(celery, gateway, ktp, tomorrow):
    gateway.script = [500, 502]
    celery.start()
    booking = booking_create(service=ktp, start=at(tomorrow, 9), nik=nik(1), name="Siti", phone="+62812345678")
    row = Notification.objects.get(booking=booking, event=NotificationEvent.BOOKING_CONFIRMED)
    gateway.wait_for(lambda: str(row.pk) in gateway.delivered_ids())
    time.sleep(1.5)  # anything more would arrive now
    assert [item["answer"] for item in gateway.received] == [500, 502, 200]
    assert gateway.delivered_ids() == [str(row.pk)]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.attempt_log.count()) == (NotificationStatus.SENT, 3, 3)


def test_a_gateway_down_for_a_while_gets_everything_when_back(celery, gateway, ktp, tomorrow):
    gateway.stop()
    celery.start("worker")
    celery.start("beat")
    ids = confirmations(ktp, 5, tomorrow)
    time.sleep(3)
    assert not gateway.received
    gateway.start()  # the same port
    gateway.wait_for(lambda: set(gateway.delivered_ids()) >= set(ids), timeout=40)
    assert sorted(gateway.delivered_ids()) == sorted(ids)


def test_a_worker_killed_mid_way_loses_nothing_and_sends_nothing_twice(celery, gateway, ktp, tomorrow):
    gateway.delay = 0.3  # a slow gateway, so messages are in flight when the worker dies
    # Two threads: at most two messages in flight when it dies (the last option given wins).
    celery.start("worker", threads=2)
    celery.start("beat")
    ids = confirmations(ktp, 16, tomorrow)
    gateway.wait_for(lambda: len(gateway.delivered_ids()) >= 3)
    celery.kill("worker")
    celery.start("worker")
    gateway.wait_for(lambda: set(gateway.delivered_ids()) >= set(ids), timeout=60)
    delivered = gateway.delivered_ids()
    assert set(delivered) == set(ids)
    # The row the dead worker held is marked sent once its lease has run out.
    statuses = Notification.objects.filter(pk__in=ids).values_list("status", flat=True)
    gateway.wait_for(lambda: set(statuses.all()) == {NotificationStatus.SENT}, timeout=20)
    # A message the gateway accepted just before the kill may come again, with its id,
    # for the gateway to drop; at most one per message in flight (two threads).
    assert len(delivered) - len(set(delivered)) <= 2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def private_redis(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        missing("redis-server")
    port = _free_port()
    command = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
               "--dir", str(tmp_path)]  # fmt: skip

    class Redis:
        url = f"redis://127.0.0.1:{port}/0"
        process = None

        def start(self):
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                with socket.socket() as probe:
                    if probe.connect_ex(("127.0.0.1", port)) == 0:
                        return
                time.sleep(0.1)
            raise RuntimeError("redis did not start")

        def stop(self):
            self.process.terminate()
            self.process.wait(timeout=10)

    redis = Redis()
    redis.start()
    yield redis
    redis.stop()


def test_a_redis_restart_loses_nothing(celery, gateway, ktp, tomorrow, private_redis):
    celery.env = {**celery.env, "REDIS_URL": private_redis.url}
    gateway.script = [500] * 6
    celery.start("worker")
    celery.start("beat")
    # Rows written straight into the outbox: only the sweep (through the private Redis)
    # can bring them to the worker.
    now = timezone.now()
    rows = [
        Notification(
            event=NotificationEvent.BOOKING_CONFIRMED,
            channel="sms",
            recipient="+6281234567890",
            message=f"pesan {n}",
            dedupe_key=f"redis-restart:{n}",
            due_at=now,
        )
        for n in range(6)
    ]
    Notification.objects.bulk_create(rows)
    gateway.wait_for(lambda: len(gateway.received) >= 3)
    private_redis.stop()  # everything queued in Redis is gone
    time.sleep(2)
    private_redis.start()
    ids = {str(row.pk) for row in rows}
    gateway.wait_for(lambda: set(gateway.delivered_ids()) >= ids, timeout=60)
    assert set(gateway.delivered_ids()) == ids


def test_the_notifier_outlives_its_database_connections(celery, gateway, ktp, tomorrow):
    """The notifier keeps its connections between tasks; when the database drops them
    (a restart, a failover), the next tasks and the listener connect again."""
    celery.start()
    first = confirmations(ktp, 1, tomorrow)
    gateway.wait_for(lambda: set(gateway.delivered_ids()) >= set(first))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        assert cursor.fetchone()[0] >= 2  # a task's connection and the listener's
    time.sleep(3)  # the listener listens again
    later = confirmations(ktp, 4, tomorrow + dt.timedelta(days=1))
    gateway.wait_for(lambda: set(gateway.delivered_ids()) >= set(later), timeout=30)
    # Each row is marked sent just after the gateway's answer: the last one a moment later.
    sent = Notification.objects.filter(pk__in=later, status=NotificationStatus.SENT)
    gateway.wait_for(lambda: sent.count() == 4, timeout=10)
