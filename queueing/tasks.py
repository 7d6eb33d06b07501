"""The app's Celery tasks, where Celery's discovery looks for them: each slice's own."""

from queueing.bookings.tasks import forget_phone_days
from queueing.floor.tasks import expire_tickets
from queueing.notifications.tasks import (
    send_notifications,
    sweep_notifications,
    write_mou_expiry_notices,
    write_reminders,
)
from queueing.office.complaints.tasks import notify_overdue_complaints
from queueing.office.reports.tasks import summarize_report_days
from queueing.office.tasks import erase_personal_data

__all__ = [
    "erase_personal_data",
    "expire_tickets",
    "forget_phone_days",
    "notify_overdue_complaints",
    "send_notifications",
    "summarize_report_days",
    "sweep_notifications",
    "write_mou_expiry_notices",
    "write_reminders",
]
