"""Celery tasks of the complaints: thin adapters over the service functions."""

from celery import shared_task

from queueing.office.complaints.services import complaints_notify_overdue


@shared_task
def notify_overdue_complaints() -> int:
    """Each morning (scheduled by beat): the supervisors and DPMPTSP's administrators
    hear of the complaints past their deadline, each complaint once a day at most."""
    return complaints_notify_overdue()
