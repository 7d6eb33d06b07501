"""Putting outbox rows on the ``notifications`` queue, in tasks of a few rows each.

The task is named, not imported: it sends rows with ``delivery``, which puts retries
back on the queue through here (``queueing.notifications.tasks`` imports both)."""

import logging
import math

from celery import current_app
from django.conf import settings

logger = logging.getLogger(__name__)

SEND_TASK = "queueing.notifications.tasks.send_notifications"


def batches(ids: list[str]) -> list[list[str]]:
    """``ids`` in tasks of at most ``NOTIFICATION_BATCH``, and in as many tasks as the
    notifier has threads while there are fewer (a slow gateway is waited on in parallel).

    A task costs the notifier more than a message: a publish, a delivery and an
    acknowledgement through the broker, and a database check
    (docs/decisions/0010-notification-batches.md)."""
    size = min(settings.NOTIFICATION_BATCH, max(1, math.ceil(len(ids) / settings.NOTIFIER_THREADS)))
    return [ids[first : first + size] for first in range(0, len(ids), size)]


def enqueue(ids: list[str], countdown: float | None = None) -> None:
    """Put the rows on the ``notifications`` queue (a broker that is down is left to the sweep)."""
    for batch in batches(ids):
        try:
            current_app.send_task(SEND_TASK, (batch,), countdown=countdown)
        except Exception:  # noqa: BLE001 - the broker is down: the sweep sends them later
            logger.warning("%d notifications not enqueued; the sweep will send them", len(batch))
