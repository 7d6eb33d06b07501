"""Celery tasks of the notifications: thin adapters over the service functions."""

from celery import shared_task

from queueing.notifications.delivery import notifications_send, notifications_sweep
from queueing.notifications.mou_expiry import notifications_write_mou_expiry
from queueing.notifications.queue import SEND_TASK
from queueing.notifications.reminders import notifications_write_reminders


# The outcome is in the Notification rows; nobody reads a task result, whatever the
# project-wide default says.
@shared_task(name=SEND_TASK, acks_late=True, ignore_result=True)
def send_notifications(notification_ids: list[str]) -> list[str]:
    return notifications_send(notification_ids=notification_ids)


@shared_task
def sweep_notifications() -> int:
    return notifications_sweep()


@shared_task
def write_reminders() -> int:
    return notifications_write_reminders()


@shared_task
def write_mou_expiry_notices() -> int:
    return notifications_write_mou_expiry()
