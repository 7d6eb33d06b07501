"""A real Celery worker runs the portal's tasks, on Redis or on the embedded broker."""

import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache

from agencies.management.commands.serve import celery_command
from mpp_portal.tasks import HEARTBEAT_KEY, heartbeat

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(settings):
    # The worker writes to the cache under this test's key prefix.
    env = {**os.environ, "CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"]}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "mpp_portal",
            "worker",
            "--pool",
            "solo",
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
    )
    yield process
    process.terminate()
    process.wait(timeout=20)


def test_a_real_worker_runs_a_queued_task(worker, settings):
    cache.delete(HEARTBEAT_KEY)
    heartbeat.delay()
    deadline = time.monotonic() + 60
    while cache.get(HEARTBEAT_KEY) is None:
        assert worker.poll() is None, "the worker died"
        assert time.monotonic() < deadline, f"no worker ran the task (broker {settings.CELERY_BROKER_URL})"
        time.sleep(0.2)


def test_the_notifier_runs_below_the_web_workers_priority_and_the_other_processes_do_not():
    def niceness(kind: str) -> int | None:
        # The command inside the restart loop of ``supervised``.
        words = shlex.split(celery_command(kind).split("; do ", 1)[1].split(";", 1)[0])
        return int(words[2]) if words[0] == "nice" else None

    assert niceness("notifier") == 10
    assert niceness("worker") is None
    assert niceness("beat") is None
