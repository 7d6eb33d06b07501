"""Embedded mode delivers too: with no DATABASE_URL and no REDIS_URL the portal runs on
SQLite and a file-system broker, and a booking's confirmation still reaches the gateway
through a real notifier worker, once."""

import json
import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fake_gateway import FakeGateway

ROOT = Path(__file__).resolve().parents[3]

BOOK = """
import datetime as dt, json
from django.utils import timezone
from agencies.models import Agency
from queueing.bookings.services import booking_create
from queueing.models import Notification
from services.models import BookingPolicy, OpeningHours, Service
BookingPolicy.objects.update_or_create(pk=1, defaults={"min_notice_minutes": 0, "registration_hours": ""})
agency = Agency.objects.create(code="disdukcapil", name="Disdukcapil", kind="opd", ticket_prefix="B")
service = Service.objects.create(agency=agency, code="ktp", name="KTP-el", requirements="KK", procedure="Datang",
                                 completion_time="Hari itu", product="KTP-el", complaints="LAPOR!")
for weekday in range(7):
    OpeningHours.objects.create(agency=agency, weekday=weekday, opens=dt.time(8), closes=dt.time(12))
day = timezone.localdate() + dt.timedelta(days=2)
start = dt.datetime.combine(day, dt.time(9), tzinfo=timezone.get_current_timezone())
booking = booking_create(service=service, start=start, nik="3674011708900001", name="Siti", phone="+6281234567890")
row = Notification.objects.get(booking=booking, event="booking_confirmed")
print(json.dumps({"id": str(row.pk), "code": booking.display_code}))
"""

STATUS = """
import json
from queueing.models import Notification
row = Notification.objects.get(pk="{id}")
print(json.dumps({{"status": row.status, "attempts": row.attempts}}))
"""


@pytest.fixture
def embedded_env(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    return env | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_DIR": str(tmp_path / "cache"),
        "CELERY_FILESYSTEM_DIR": str(tmp_path / "broker"),
        "EMAIL_URL": f"filemail://{tmp_path / 'mail'}",
        "SECRET_KEY": "embedded-delivery-test-key",
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_booking_reaches_the_gateway_through_the_embedded_broker(embedded_env):
    gateway = FakeGateway().start()
    env = embedded_env | {"SMS_GATEWAY_URL": gateway.url, "SMS_GATEWAY_TOKEN": gateway.token}
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    command = (
        f"{shlex.quote(sys.executable)} -m celery -A mpp_portal worker -Q notifications -n embedded@%h "
        "--pool threads --concurrency 2 --outbox-listener --without-mingle --without-gossip --loglevel WARNING"
    )
    worker = subprocess.Popen(shlex.split(command), cwd=ROOT, env=env, start_new_session=True)
    try:
        made = json.loads(manage(env, "shell", "-c", BOOK).strip().splitlines()[-1])
        gateway.wait_for(lambda: made["id"] in gateway.delivered_ids(), timeout=60)
        message = next(item for item in gateway.received if item["id"] == made["id"])
        assert message["to"] == "+6281234567890"
        assert made["code"] in message["message"]
        state = {}
        for _ in range(50):
            state = json.loads(manage(env, "shell", "-c", STATUS.format(id=made["id"])).strip().splitlines()[-1])
            if state["status"] == "sent":
                break
        assert state == {"status": "sent", "attempts": 1}
        assert gateway.delivered_ids().count(made["id"]) == 1
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
        gateway.stop()
