"""Celery tasks of the reports: thin adapters over the service functions."""

from celery import shared_task

from queueing.office.reports.summaries import report_days_summarize


@shared_task
def summarize_report_days() -> int:
    """Hourly (scheduled by beat): keep the figures of every day that has closed."""
    return report_days_summarize()
