"""Celery tasks of the office: thin adapters over its service functions."""

from celery import shared_task

from queueing.office.retention import personal_data_erase


@shared_task
def erase_personal_data() -> dict[str, int]:
    """Nightly (scheduled by beat): erase the personal data older than RETENTION_DAYS."""
    return personal_data_erase()
