"""Celery tasks of the queue: thin adapters over the service functions."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from queueing.notifications import notifications_send, notifications_sweep, notifications_write_reminders
from queueing.tickets import tickets_expire, tickets_expire_open


@shared_task
def expire_tickets(day: str | None = None) -> int:
    """End of day (scheduled by beat): close what is left of the queue as expired,
    today's and any earlier day's still open; or one given day's."""
    if day is not None:
        return tickets_expire(day=dt.date.fromisoformat(day))
    return tickets_expire_open(up_to=timezone.localdate())


# The outcome is in the Notification rows; nobody reads a task result, whatever the
# project-wide default says.
@shared_task(acks_late=True, ignore_result=True)
def send_notifications(notification_ids: list[str]) -> list[str]:
    return notifications_send(notification_ids=notification_ids)


@shared_task
def sweep_notifications() -> int:
    return notifications_sweep()


@shared_task
def write_reminders() -> int:
    return notifications_write_reminders()
