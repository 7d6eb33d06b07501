"""The app's Celery tasks, where Celery's discovery looks for them: each slice's own."""

from queueing.floor.tasks import expire_tickets
from queueing.notifications.tasks import send_notifications, sweep_notifications, write_reminders
from queueing.office.reports.tasks import summarize_report_days

__all__ = ["expire_tickets", "send_notifications", "summarize_report_days", "sweep_notifications", "write_reminders"]
