"""Where a ticket stands: people ahead and an estimated wait.

The estimate is ``people ahead × mean service time ÷ open counters``, rounded up to
whole minutes:

- people ahead: tickets waiting for the same service that the queue order puts first;
- mean service time: the mean time from "start" to "complete" of this service's last
  200 visits in the past 14 days (cached a minute), or ``DEFAULT_SERVICE_MINUTES``
  while there is no history yet;
- open counters: counters that serve the service, are open and not paused (at least 1).
"""

import datetime as dt
import math

from django.core.cache import cache
from django.db.models import Avg, F, Q
from django.utils import timezone

from agencies.models import Counter
from queueing.models import ServiceRequest, Ticket, TicketStatus
from services.models import Service

DEFAULT_SERVICE_MINUTES = 10.0
HISTORY_DAYS = 14
HISTORY_SAMPLES = 200


def people_ahead(ticket: Ticket) -> int:
    if ticket.status != TicketStatus.WAITING:
        return 0
    before = (
        Q(priority__gt=ticket.priority)
        | Q(priority=ticket.priority, queue_time__lt=ticket.queue_time)
        | Q(priority=ticket.priority, queue_time=ticket.queue_time, pk__lt=ticket.pk)
    )
    return (
        Ticket.objects.filter(date=ticket.date, status=TicketStatus.WAITING, service_id=ticket.service_id)
        .filter(before)
        .count()
    )


def mean_service_minutes(service: Service) -> float:
    key = f"estimate:service-minutes:{service.pk}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    since = timezone.now() - dt.timedelta(days=HISTORY_DAYS)
    recent = (
        ServiceRequest.objects.filter(
            service=service, started_at__isnull=False, finished_at__isnull=False, finished_at__gte=since
        )
        .order_by("-finished_at")
        .values_list("pk", flat=True)[:HISTORY_SAMPLES]
    )
    mean = ServiceRequest.objects.filter(pk__in=list(recent)).aggregate(mean=Avg(F("finished_at") - F("started_at")))[
        "mean"
    ]
    minutes = mean.total_seconds() / 60 if mean else DEFAULT_SERVICE_MINUTES
    cache.set(key, minutes, timeout=60)
    return minutes


def open_counters(service: Service) -> int:
    return Counter.objects.open().filter(services=service, paused_since__isnull=True).count()


def estimated_wait_minutes(ticket: Ticket, ahead: int | None = None) -> int:
    ahead = people_ahead(ticket) if ahead is None else ahead
    if ticket.status != TicketStatus.WAITING:
        return 0
    return math.ceil(ahead * mean_service_minutes(ticket.service) / max(open_counters(ticket.service), 1))
