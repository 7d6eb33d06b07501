"""A real Celery worker runs the portal's tasks, on Redis or on the embedded broker."""

import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache

from mpp_portal.management.commands.serve import celery_command
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


def _prefix(kind: str) -> list[str]:
    """What comes before ``python`` in the command inside ``supervised``'s restart loop."""
    words = shlex.split(celery_command(kind).split("; do ", 1)[1].split(";", 1)[0])
    return words[: words.index(sys.executable)]


def _scheduling_under(prefix: list[str]) -> tuple[int, int]:
    """The scheduling policy and nice value of a process started with ``prefix``."""
    code = "import os; print(os.sched_getscheduler(0), os.getpriority(os.PRIO_PROCESS, 0))"
    done = subprocess.run([*prefix, sys.executable, "-c", code], capture_output=True, text=True, check=True)
    policy, nice = done.stdout.split()
    return int(policy), int(nice)


def test_the_notifier_runs_in_the_idle_class_and_the_other_processes_as_they_are():
    here = os.getpriority(os.PRIO_PROCESS, 0)
    assert _scheduling_under(_prefix("notifier")) == (os.SCHED_IDLE, here)
    assert _prefix("worker") == _prefix("beat") == []


def test_the_notifier_can_run_at_a_nice_value_instead(settings):
    settings.NOTIFIER_PRIORITY = "10"
    here = os.getpriority(os.PRIO_PROCESS, 0)
    assert _scheduling_under(_prefix("notifier")) == (os.SCHED_OTHER, min(19, here + 10))


@pytest.mark.parametrize("signal", ["after_setup_logger", "after_setup_task_logger"])
def test_the_handlers_celery_sets_up_blank_codes_and_personal_data(signal):
    import io
    import logging

    from celery import signals

    import mpp_portal.celery  # noqa: F401 - connects the receivers

    written = io.StringIO()
    logger = logging.getLogger(f"celery-test-{signal}")
    logger.propagate = False
    logger.addHandler(logging.StreamHandler(written))
    getattr(signals, signal).send(
        sender=None, logger=logger, loglevel=logging.INFO, logfile=None, format="", colorize=False
    )
    logger.warning("sent %s to %s", "ABCD-EFGH-JKMN", "+6281234567890")
    assert written.getvalue() == "sent [redacted] to [redacted]\n"
