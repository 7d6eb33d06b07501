"""Celery tasks of the bookings: thin adapters over the service functions."""

from celery import shared_task
from django.utils import timezone

from queueing.bookings.phone_cap import phone_days_forget


@shared_task
def forget_phone_days() -> int:
    """Daily (scheduled by beat): the per-number counts of past days go."""
    return phone_days_forget(before=timezone.localdate())
