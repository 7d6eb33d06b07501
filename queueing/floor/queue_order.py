"""The queue order: one rule, used when a ticket joins a queue.

Tickets are called in the order of the key ``(not priority, queue_time, id)``:

1. **Priority groups first.** Elderly visitors (60+), people with disabilities, pregnant
   women and visitors with a small child (UU 25/2009) go before everyone else, among
   themselves by the rules below.
2. **Booked visitors around their slot time.** A checked-in booking queues at the start
   of its slot: one who arrives early waits for the slot time (walk-ins who came before
   that are served first), one who arrives by ``slot start + grace`` keeps the slot time,
   one who arrives later queues by arrival like a walk-in.
3. **Then arrival.** A walk-in queues at the time the ticket was issued; ``id`` breaks
   ties in issue order.

A transfer to another service keeps the ticket's ``queue_time`` when the policy says
``transfer_keeps_place``, and otherwise queues it at the time of the transfer. Putting
a ticket on hold and resuming it keeps its place.

The key is stored on the ticket (``priority``, ``queue_time``), so "call next" is one
indexed query: ``ORDER BY priority DESC, queue_time, id`` (``QUEUE_ORDER`` in
``queueing.models.tickets``). A counter calls from the queue of every service it serves,
and a ticket's position (``queueing.estimates.people_ahead``) counts by the same order
over the services of the counters that serve it.
"""

import datetime as dt


def queue_time(*, arrived_at: dt.datetime, slot_start: dt.datetime | None, grace: dt.timedelta) -> dt.datetime:
    """When a ticket queues: its slot time for a booking that is not late, else arrival."""
    if slot_start is not None and arrived_at <= slot_start + grace:
        return slot_start
    return arrived_at


def sort_key(*, priority: bool, queue_time: dt.datetime, ticket_id: int) -> tuple:
    """The order tickets are called in; the database orders by the same columns."""
    return (not priority, queue_time, ticket_id)
