"""`make run` from a fresh clone on PostgreSQL and Redis: every process starts (beat
too, with no var/ folder yet), the scheduled heartbeat arrives, the portal reports
ready, and SIGTERM stops every process it started."""

import datetime as dt
import http.client
import json
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection

from tests.mpp_portal.test_web import free_port
from tests.require import missing

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.redis]
START_SECONDS = 120
FRESH_SECONDS = 90  # three times beat's heartbeat interval


def _server_url(database: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{database}"


@pytest.fixture
def scratch_database():
    """A new, empty database on the test's PostgreSQL server."""
    if connection.vendor != "postgresql":
        missing("PostgreSQL (set DATABASE_URL)")
    import psycopg2

    name = f"mpp_make_run_{uuid.uuid4().hex[:10]}"
    server = psycopg2.connect(_server_url("postgres"))
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield _server_url(name)
    with server.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    server.close()


@pytest.fixture
def free_redis_url():
    """A Redis database number nobody uses (empty), emptied again afterwards."""
    if settings.EMBEDDED:
        missing("Redis (set REDIS_URL)")
    import redis

    server = redis.Redis.from_url(settings.REDIS_URL)
    count = int(server.config_get("databases")["databases"])
    for number in reversed(range(count)):
        url = urlsplit(settings.REDIS_URL)._replace(path=f"/{number}").geturl()
        chosen = redis.Redis.from_url(url)
        if chosen.dbsize() == 0:
            break
    else:
        pytest.fail("no empty Redis database to run the portal on")
    yield url
    chosen.flushdb()


@pytest.fixture
def clean_clone(tmp_path):
    """The committed state of this repository, cloned into a new folder: no var/,
    no staticfiles/, no secret key file."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(clone)], check=True)
    subprocess.run(["git", "checkout", "--quiet", head.stdout.strip()], cwd=clone, check=True)
    assert not (clone / "var").exists()
    # The project's installed environment stands in for the one `make run` would build
    # with pip (minutes of installing); everything after installing runs as on a new
    # machine. `-o .venv/.runtime` below tells make the environment is up to date.
    (clone / ".venv").symlink_to((ROOT / ".venv").resolve())
    return clone


def _session_processes(session: int) -> list[int]:
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[3]) == session and fields[0] != "Z":  # the session id, not a zombie
            alive.append(int(entry.name))
    return alive


def _get(port: int, path: str) -> tuple[int, dict]:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        client.request("GET", path)
        answer = client.getresponse()
        body = answer.read()
    finally:
        client.close()
    try:
        return answer.status, json.loads(body)
    except ValueError:
        return answer.status, {}


def _fresh(heartbeat: str | None) -> bool:
    if not heartbeat:
        return False
    age = dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(heartbeat)
    return age < dt.timedelta(seconds=FRESH_SECONDS)


def test_make_run_from_a_clean_clone_starts_beat_and_stops_on_sigterm(clean_clone, scratch_database, free_redis_url):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CACHE_", "DJANGO_", "PYTEST"))}
    env.update(
        DATABASE_URL=scratch_database,
        REDIS_URL=free_redis_url,
        PORT=str(port),
        DEMO_DATA="0",
        SECRET_KEY="insecure-key-for-the-test-suite-only",
    )
    log = clean_clone / "make-run.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            ["make", "-o", ".venv/.runtime", "run"],
            cwd=clean_clone,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_SECONDS
        body: dict = {}
        while not _fresh(body.get("worker_heartbeat")):
            assert process.poll() is None, f"make run ended:\n{log.read_text()[-4000:]}"
            assert time.monotonic() < deadline, (
                f"no heartbeat within {START_SECONDS} s ({body}):\n{log.read_text()[-4000:]}"
            )
            time.sleep(1)
            try:
                _status, body = _get(port, "/healthz")
            except OSError:
                body = {}
        # The heartbeat is there; the outbox watch reports within a poll of starting.
        while (status := _get(port, "/readyz"))[0] != 200:
            assert time.monotonic() < deadline, f"not ready: {status}:\n{log.read_text()[-4000:]}"
            time.sleep(1)
        assert status[1]["outbox_watch"] == "ok"
        assert _get(port, "/livez")[0] == 200
        assert "beat stopped; starting again" not in log.read_text()
        assert list((clean_clone / "var").glob("celerybeat-schedule*")), "beat kept no schedule file"
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        finally:
            left = _session_processes(process.pid)
            for pid in left:
                os.kill(pid, signal.SIGKILL)
    assert left == [], f"processes still running after SIGTERM: {left}"
