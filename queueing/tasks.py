"""The app's Celery tasks, where Celery's discovery looks for them: each slice's own."""

from queueing.floor.tasks import expire_tickets
from queueing.notifications.tasks import send_notifications, sweep_notifications, write_reminders
from queueing.office.complaints.tasks import notify_overdue_complaints

__all__ = [
    "expire_tickets",
    "notify_overdue_complaints",
    "send_notifications",
    "sweep_notifications",
    "write_reminders",
]
