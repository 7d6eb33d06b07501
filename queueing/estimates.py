"""Where a ticket stands: people ahead and an estimated wait.

A ticket is called by the counters that serve its service, and each of them calls the
first waiting ticket of *every* service it serves (``Ticket.objects.waiting_for``, in
the queue order of ``queueing.floor.queue_order``). So:

- people ahead: the waiting tickets, for any service one of those counters serves, that
  the queue order puts first (``Ticket.objects.ahead_of``). Where the counters serve the
  same services (Disdukcapil's serve all of its own) this is exactly the ticket's index
  in the order "call next" will produce; where they differ, it counts every ticket any
  of them could call first.
- the wait: ``people ahead × mean service time ÷ open counters``, rounded up to whole
  minutes. The mean service time is that of those counters: the time from "start" to
  "complete" of the last 200 visits completed at them in the past 14 days (cached a
  minute), whatever the service, or ``DEFAULT_SERVICE_MINUTES`` while they have none;
  open counters are those of them open and not paused (at least 1).

Outside ``floor`` so that a booking's own page and API (``bookings``) can say where its
ticket stands, with the same rule as the ticket's.
"""

import datetime as dt
import math

from django.core.cache import cache
from django.db.models import Avg, F, Q
from django.utils import timezone

from agencies.models import Counter
from queueing.models import ServiceRequest, Ticket, TicketAction, TicketEvent, TicketStatus
from services.models import Service

DEFAULT_SERVICE_MINUTES = 10.0
HISTORY_DAYS = 14
HISTORY_SAMPLES = 200

# A service's counters and what they serve, read as one subquery.
_SERVES = Service.counters.through


def queue_service_ids(service_id: int):
    """The services called from the same queue as ``service_id``: every service that a
    counter serving it serves (a subquery; the service itself is added by the caller
    for one that no counter serves yet)."""
    return _SERVES.objects.filter(counter__services=service_id).values("service_id")


def people_ahead(ticket: Ticket) -> int:
    if ticket.status != TicketStatus.WAITING:
        return 0
    same_queue = Q(service_id=ticket.service_id) | Q(service_id__in=queue_service_ids(ticket.service_id))
    return Ticket.objects.ahead_of(ticket).filter(same_queue).count()


def counters_service_minutes(service_id: int) -> float:
    """The mean service time at the counters that serve ``service_id``."""
    key = f"estimate:counter-minutes:{service_id}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    since = timezone.now() - dt.timedelta(days=HISTORY_DAYS)
    recent = (
        TicketEvent.objects.filter(action=TicketAction.COMPLETED, at__gte=since, counter__services=service_id)
        .order_by("-at")
        .values_list("request_id", flat=True)[:HISTORY_SAMPLES]
    )
    mean = ServiceRequest.objects.filter(
        pk__in=list(recent), started_at__isnull=False, finished_at__isnull=False
    ).aggregate(mean=Avg(F("finished_at") - F("started_at")))["mean"]
    minutes = mean.total_seconds() / 60 if mean else DEFAULT_SERVICE_MINUTES
    cache.set(key, minutes, timeout=60)
    return minutes


def open_counters(service_id: int) -> int:
    return Counter.objects.open().filter(services=service_id, paused_since__isnull=True).count()


def estimated_wait_minutes(ticket: Ticket, ahead: int | None = None) -> int:
    if ticket.status != TicketStatus.WAITING:
        return 0
    ahead = people_ahead(ticket) if ahead is None else ahead
    if not ahead:
        return 0
    minutes = counters_service_minutes(ticket.service_id)
    return math.ceil(ahead * minutes / max(open_counters(ticket.service_id), 1))
