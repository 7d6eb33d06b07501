"""The Celery app. Its broker is Redis, or a file-system queue in embedded mode."""

import logging
import os
from pathlib import Path

from celery import Celery, bootsteps, signals
from click import Option
from django.conf import settings

from mpp_common.log_privacy import redact_handlers

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mpp_portal.settings")
logger = logging.getLogger(__name__)

app = Celery("mpp_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_folders(sender: Celery, **kwargs) -> None:
    # Beat opens its schedule file without making its folder (var/, absent in a fresh
    # clone): it would die at once and be started again for ever.
    Path(sender.conf.beat_schedule_filename).parent.mkdir(parents=True, exist_ok=True)
    # The file-system transport expects its folders to exist.
    if str(sender.conf.broker_url).startswith("filesystem://"):
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            Path(sender.conf.broker_transport_options[key]).mkdir(parents=True, exist_ok=True)


@signals.after_setup_logger.connect
@signals.after_setup_task_logger.connect
def _private_logs(logger: logging.Logger, **kwargs) -> None:
    """Celery writes through handlers of its own (not those of settings.LOGGING): they
    get the same filter that keeps codes and personal data out of the lines."""
    redact_handlers(logger)


@signals.task_prerun.connect
def _usable_database_connection(**kwargs) -> None:
    """What Django does at the start of a request: drop a connection that broke or grew
    too old, and check a kept one before use (CONN_HEALTH_CHECKS)."""
    from django.db import close_old_connections

    close_old_connections()


class OutboxListener(bootsteps.StartStopStep):
    """With ``--outbox-listener`` (the notifier): a thread that watches the outbox and
    puts the rows that fall due on the queue (``queueing.notifications.watcher``). Embedded
    mode needs none: its writers enqueue the tasks themselves."""

    def __init__(self, parent, outbox_listener: bool = False, **options) -> None:
        super().__init__(parent, **options)
        self.enabled = outbox_listener and not settings.EMBEDDED
        self.stop_event = None

    def start(self, parent) -> None:
        from queueing.notifications.watcher import start_listening

        if "prefork" in getattr(parent.pool_cls, "__module__", ""):
            # A child forked while the watch holds a lock (the broker's, logging's)
            # would wait on it for ever: the notifier runs a pool of threads.
            logger.warning("the outbox watch belongs in a worker with --pool threads, not prefork")
        _thread, self.stop_event = start_listening()

    def stop(self, parent) -> None:
        if self.stop_event is not None:
            self.stop_event.set()


app.user_options["worker"].add(
    Option(
        ["--outbox-listener"],
        is_flag=True,
        default=False,
        help="Watch the outbox and enqueue the notifications that fall due.",
    )
)
app.steps["worker"].add(OutboxListener)
