"""Celery tasks of the queue floor: thin adapters over the service functions."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from queueing.floor.tickets import tickets_expire, tickets_expire_open


@shared_task
def expire_tickets(day: str | None = None) -> int:
    """End of day (scheduled by beat): close what is left of the queue as expired,
    today's and any earlier day's still open; or one given day's."""
    if day is not None:
        return tickets_expire(day=dt.date.fromisoformat(day))
    return tickets_expire_open(up_to=timezone.localdate())
