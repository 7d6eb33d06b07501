"""Notifications: from the committed change to the gateway, and one worker's rate."""

import datetime as dt
import math
import os
import subprocess
import sys
import time

from django.db import transaction
from django.utils import timezone

from bench.cpu_time import process_cpu_seconds
from bench.queue_floor import percentile
from mpp_portal.management.commands.serve import NOTIFIER_POOL, notifier_priority
from queueing.bookings.services import booking_create
from queueing.models import Notification, NotificationEvent
from services.models import Service
from tests.fake_gateway import FakeGateway


def worker_process(env: dict, root) -> subprocess.Popen:
    """One worker process, as `make run` starts the notifier: a pool of threads, since
    sending is waiting on the gateway."""
    return subprocess.Popen(
        [*notifier_priority(), sys.executable, "-m", "celery", "-A", "mpp_portal", "worker",
         "-Q", "notifications", "-n", "bench@%h", *NOTIFIER_POOL,
         "--without-mingle", "--without-gossip", "--loglevel", "WARNING", "--outbox-listener"],
        cwd=root, env=env,
    )  # fmt: skip


def empty_outbox() -> None:
    """Earlier runs leave messages nobody sent (the booking benchmark has no notifier):
    drop them, so this run measures its own."""
    from mpp_portal.celery import app

    Notification.objects.filter(status__in=["pending", "sending"]).update(status="cancelled")
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge("notifications")


class SendingNotifier:
    """A notifier process sending to an instant gateway of its own, as long as the
    ``with`` block lasts (on the machine's cores, beside the server)."""

    def __init__(self, env: dict, root) -> None:
        self.env, self.root = env, root

    def __enter__(self) -> "SendingNotifier":
        self.gateway = FakeGateway(keep_alive=True).start()
        empty_outbox()
        env = {**self.env, "SMS_GATEWAY_URL": self.gateway.url, "SMS_GATEWAY_TOKEN": self.gateway.token}
        self.worker = worker_process(env, self.root)
        time.sleep(4)  # the worker connects
        return self

    def delivered(self) -> int:
        return len(self.gateway.delivered_ids())

    def cpu_seconds(self) -> float:
        """The CPU the notifier process has spent so far."""
        return process_cpu_seconds(self.worker.pid)

    def drained(self, timeout: float = 300) -> float:
        """Seconds until no message waits in the outbox any more (inf: some still wait
        after ``timeout``)."""
        started = time.perf_counter()
        while Notification.objects.filter(status__in=["pending", "sending"]).exists():
            if time.perf_counter() - started > timeout:
                return math.inf
            time.sleep(0.1)
        return time.perf_counter() - started

    def __exit__(self, *exc) -> None:
        self.worker.terminate()
        self.worker.wait(timeout=30)
        self.gateway.stop()


def run(
    env: dict,
    root,
    bookings: int = int(os.environ.get("BENCH_NOTIFY_BOOKINGS", 200)),
    burst: int = int(os.environ.get("BENCH_NOTIFY_BURST", 3000)),
) -> dict:
    with SendingNotifier(env, root) as notifier:
        gateway = notifier.gateway
        os.environ.update({"SMS_GATEWAY_URL": gateway.url, "SMS_GATEWAY_TOKEN": gateway.token})
        committed: dict[str, float] = {}
        # The warm-up service has room for every run: the booking benchmark fills the
        # spread services' slots.
        service = Service.objects.get(agency__code="bench", code="warm-up")
        zone = timezone.get_current_timezone()
        day = timezone.localdate() + dt.timedelta(days=2)
        for n in range(bookings):
            start = dt.datetime.combine(day, dt.time(8 + n % 7), tzinfo=zone)
            with transaction.atomic():
                booking = booking_create(
                    service=service, start=start, nik=f"36740101019{n // 10000 % 10}{n % 10000:04d}",
                    name="Warga Uji", phone=f"+6281{n % 10**9:09d}",
                )  # fmt: skip
                row = Notification.objects.get(booking=booking, event=NotificationEvent.BOOKING_CONFIRMED)
                transaction.on_commit(lambda key=str(row.pk): committed.__setitem__(key, time.perf_counter()))
            time.sleep(0.05)
        gateway.wait_for(lambda: set(gateway.delivered_ids()) >= set(committed), timeout=120)
        arrivals = {item["id"]: item["at"] for item in gateway.received if item["answer"] == 200}
        delays = [(arrivals[key] - committed[key]) * 1000 for key in committed]

        # One worker process, an instant gateway: how many messages a second, from the
        # commit of a burst of rows (the worker's watch queues them) to the last sent.
        now = timezone.now()
        rows = [
            Notification(event=NotificationEvent.CALLED, channel="sms", recipient="+6281234567890",
                         message=f"bench {n}", dedupe_key=f"bench-burst:{now.isoformat()}:{n}", due_at=now)
            for n in range(burst)
        ]  # fmt: skip
        before = len(gateway.delivered_ids())
        started = time.perf_counter()
        Notification.objects.bulk_create(rows)
        gateway.wait_for(lambda: len(gateway.delivered_ids()) - before >= burst, timeout=600)
        rate = burst / (time.perf_counter() - started)
    return {
        "latency_messages": len(delays),
        "latency_p50_ms": percentile(delays, 0.5),
        "latency_p95_ms": percentile(delays, 0.95),
        "burst": burst,
        "messages_per_second_one_worker": rate,
    }
