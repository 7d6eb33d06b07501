"""Serve the portal with its workers: gunicorn, and Celery worker and beat.

One command for `make run`. Every process shares this one's environment, so they all
pick the same mode (embedded, or PostgreSQL and Redis). Ctrl-C or SIGTERM stops them all.
"""

import os
import shlex
import shutil
import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from honcho.manager import Manager

from agencies.models import Agency


def _default_web_workers() -> int:
    """One per core, at least two. A worker with requests waiting keeps its core busy
    by itself (its threads take turns while one waits for the database), and more
    processes than cores only share the same cores more finely
    (docs/decisions/0001-web-worker.md)."""
    return max(2, os.cpu_count() or 1)


# Sending a notification is mostly waiting for the gateway: one process, many threads.
NOTIFIER_POOL = ["--pool", "threads", "--concurrency", str(settings.NOTIFIER_THREADS)]


def notifier_priority() -> list[str]:
    """The command that starts the notifier at its CPU priority (``NOTIFIER_PRIORITY``).

    When the machine is busy the web workers go first: in a rush of bookings the
    notifier takes what they leave, and sends the rest of the confirmations once the
    rush is over. By default it runs under Linux's idle scheduling class, which gives
    it a sliver of the CPU while other processes want it all (it still sends, slowly);
    docs/decisions/0007-notifier-priority-and-hold.md has the measurement. On a machine
    with room to spare it makes no difference."""
    if settings.NOTIFIER_PRIORITY == "idle" and shutil.which("chrt"):
        return ["chrt", "--idle", "0"]
    return ["nice", "-n", "19" if settings.NOTIFIER_PRIORITY == "idle" else settings.NOTIFIER_PRIORITY]


def supervised(command: str, name: str) -> str:
    """A shell that runs ``command`` again two seconds after it dies. A Celery process
    can exit on its own (a lost broker connection has been seen to end a worker with
    an unrecoverable error); the portal must not stop sending because of it. SIGTERM
    or SIGINT to the process group ends the loop once the command has shut down."""
    return f"trap 'exit 0' INT TERM; while true; do {command}; echo '{name} stopped; starting again' >&2; sleep 2; done"


def celery_command(kind: str) -> str:
    """worker (scheduled jobs), notifier (the notifications queue) or beat."""
    python = shlex.quote(sys.executable)
    commands = {
        "worker": f"{python} -m celery -A mpp_portal worker -Q celery -n worker@%h --concurrency 1 "
        "--loglevel INFO --without-mingle",
        "notifier": f"{shlex.join(notifier_priority())} {python} -m celery -A mpp_portal worker -Q notifications "
        "-n notifier@%h --outbox-listener "
        f"{shlex.join(NOTIFIER_POOL)} --loglevel INFO --without-mingle",
        "beat": f"{python} -m celery -A mpp_portal beat --loglevel INFO",
    }
    return supervised(commands[kind], kind)


def gunicorn_command(host: str, port: int) -> list[str]:
    """The production web server's command line (also used by the benchmarks)."""
    workers = int(os.environ.get("WEB_CONCURRENCY") or _default_web_workers())
    # Few threads per worker for requests; the live streams have threads of their own
    # (mpp_portal/web.py).
    threads = int(os.environ.get("WEB_THREADS") or 3)
    return [
        sys.executable, "-m", "gunicorn", "mpp_portal.wsgi:application",
        "--bind", f"{host}:{port}",
        "--workers", str(workers), "--worker-class", "mpp_portal.web.PortalWorker", "--threads", str(threads),
        "--graceful-timeout", "10", "--timeout", "30",
        # Codes in URLs and personal data never reach its logs (mpp_common/log_privacy.py).
        "--logger-class", "mpp_portal.web.PrivateLogger",
    ]  # fmt: skip


class Command(BaseCommand):
    help = "Serve the portal (gunicorn) with Celery worker and beat beside it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--no-celery", action="store_true", help="Serve pages and API only.")

    def handle(self, *args, host: str, port: int, no_celery: bool, **options):
        manager = Manager()
        manager.add_process("web", shlex.join([*gunicorn_command(host, port), "--access-logfile", "-"]))
        if not no_celery:
            for kind in ("worker", "notifier", "beat"):
                manager.add_process(kind, celery_command(kind))
        self._print_welcome(host, port)
        manager.loop()
        sys.exit(manager.returncode or 0)

    def _print_welcome(self, host: str, port: int) -> None:
        base = f"http://{host}:{port}"
        mode = "embedded (SQLite, no external service)" if settings.EMBEDDED else "PostgreSQL + Redis"
        lines = [
            f"MPP Portal ({mode})",
            f"  Portal:         {base}/",
            f"  Administration: {base}/admin/",
            f"  API docs:       {base}/api/docs/",
            f"  Health:         {base}/readyz (ready), {base}/livez (alive)",
        ]
        codes = list(Agency.objects.order_by("code").values_list("code", flat=True)[:3])
        if codes:
            lines += [
                f"Demo logins (password {settings.DEMO_PASSWORD}):",
                "  admin (DPMPTSP administrator), helpdesk (DPMPTSP help desk)",
                *(f"  supervisor-{c}, officer-{c}-1, officer-{c}-2" for c in codes),
                "  … and the same for every agency code",
            ]
        self.stdout.write("\n".join(lines))
        self.stdout.flush()
