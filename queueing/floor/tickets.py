"""The queue floor: issuing tickets, calling them and moving them along.

Every state change writes a ``TicketEvent`` row in the same transaction and publishes
a live event after commit. Numbers are issued under a lock on the agency's
``DailySequence`` row; "call next" claims a ticket with ``SELECT … FOR UPDATE SKIP
LOCKED``, so two counters never get the same ticket and none waits for another.
"""

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Count, DateTimeField, Exists, OuterRef, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Counter, User
from queueing.bookings.seats import locked_service_day, taken_on_day
from queueing.errors import QueueError, filled
from queueing.estimates import queue_service_ids
from queueing.floor import live
from queueing.floor.queue_order import queue_time
from queueing.locks import locked_row
from queueing.models import (
    AT_COUNTER,
    OPEN_TICKET,
    Booking,
    BookingStatus,
    DailySequence,
    NotificationEvent,
    RequestStatus,
    ServiceRequest,
    Ticket,
    TicketAction,
    TicketEvent,
    TicketStatus,
    normalize_code,
)
from queueing.notifications.composing import page_link
from queueing.notifications.notify import notify_ticket, notify_turn_near
from services.models import BookingPolicy, Service
from services.schedule import open_intervals

logger = logging.getLogger(__name__)


# Issuing ------------------------------------------------------------------------------


def _next_number(agency_id: int, day: dt.date) -> int:
    """The agency's next number of the day; the caller's transaction holds the lock."""
    with locked_row(DailySequence, agency_id=agency_id, date=day) as sequence:
        sequence.last_number += 1
        sequence.save(update_fields=["last_number"])
        return sequence.last_number


def _record(ticket: Ticket, request_id: int, action: str, from_status: str, *, officer=None, at) -> None:
    TicketEvent.objects.create(
        ticket=ticket,
        request_id=request_id,
        action=action,
        from_status=from_status,
        to_status=ticket.status,
        counter_id=ticket.counter_id,
        officer=officer,
        at=at,
    )


def _announce(ticket: Ticket, action: str) -> None:
    counter = ticket.counter
    live.publish(
        {
            "type": "ticket",
            "action": action,
            "number": ticket.display_number,
            "spoken": ticket.spoken_number,
            "status": ticket.status,
            "agency": ticket.service.agency_id,
            "issuing_agency": ticket.agency_id,
            "service": ticket.service_id,
            "counter": counter.number if counter else None,
            "counter_id": counter.pk if counter else None,
        }
    )


def _create_ticket(
    *,
    service: Service,
    now: dt.datetime,
    priority_group: str,
    language: str,
    booking: Booking | None = None,
    slot_start: dt.datetime | None = None,
) -> Ticket:
    day = timezone.localtime(now).date()
    policy = BookingPolicy.current()
    ticket = Ticket.objects.create(
        agency_id=service.agency_id,
        date=day,
        number=_next_number(service.agency_id, day),
        prefix=service.agency.ticket_prefix,
        booking=booking,
        priority_group=priority_group,
        priority=bool(priority_group),
        language=language,
        issued_for=service,
        service=service,
        queue_time=queue_time(
            arrived_at=now, slot_start=slot_start, grace=dt.timedelta(minutes=policy.slot_grace_minutes)
        ),
    )
    request = ServiceRequest.objects.create(ticket=ticket, service=service)
    _record(ticket, request.pk, TicketAction.ISSUED, "", at=now)
    _announce(ticket, TicketAction.ISSUED)
    logger.info("ticket %s issued for service %s", ticket.pk, service.pk)
    return ticket


def _check_open_now(service: Service, now: dt.datetime) -> None:
    day = timezone.localtime(now).date()
    if not any(opens <= now < closes for opens, closes in open_intervals(service, day)):
        raise QueueError("closed", _("Layanan sedang tutup."))


def walk_in_capacities(
    services: list[Service], day: dt.date, *, priority: bool, booked: dict[int, int] | None = None
) -> dict[int, int]:
    """Walk-in tickets each service can still issue on ``day``: the daily quota less
    the online seats taken (so the reserves stay for walk-ins), less the walk-ins
    issued; the priority reserve is for priority groups only. Two queries for any
    number of services. ``booked``: the seats taken, as the day's rows read under their
    lock keep them; otherwise as the rows are now (a kiosk's list of services)."""
    ids = [service.pk for service in services]
    if booked is None:
        booked = {service_id: seats.booked for service_id, seats in taken_on_day(ids, day).items()}
    walked_in = dict(
        Ticket.objects.filter(date=day, booking__isnull=True, issued_for__in=ids)
        .values_list("issued_for")
        .annotate(n=Count("id"))
        .values_list("issued_for", "n")
    )
    return {
        service.pk: max(
            service.daily_quota
            - (0 if priority else service.priority_reserve)
            - booked.get(service.pk, 0)
            - walked_in.get(service.pk, 0),
            0,
        )
        for service in services
    }


def walk_in_capacity(service: Service, day: dt.date, *, priority: bool, booked: int | None = None) -> int:
    """``walk_in_capacities`` of one service."""
    seats = None if booked is None else {service.pk: booked}
    return walk_in_capacities([service], day, priority=priority, booked=seats)[service.pk]


def kiosk_check_agency(*, kiosk: User, agency_id: int) -> None:
    """Raise a 403 ``QueueError`` when ``kiosk`` is one agency's own ticket machine and
    ``agency_id`` is another agency: it issues and checks in for its agency only."""
    if not kiosk.can_issue_walk_ins_for(agency_id):
        raise QueueError(
            "other_agency",
            _("Kiosk ini hanya melayani layanan instansinya sendiri; gunakan kiosk mal atau kiosk instansi itu."),
            forbidden=True,
        )


@transaction.atomic
def ticket_issue_walk_in(
    *, service: Service, priority_group: str = "", language: str = "id", now: dt.datetime | None = None
) -> Ticket:
    """A walk-in ticket from the kiosk, within the service's walk-in quota."""
    now = now or timezone.now()
    if not (service.active and service.agency.active and service.walk_in):
        raise QueueError(
            "not_walk_in",
            _("Layanan ini tidak menerima antrean langsung."),
            field="service",
        )
    _check_open_now(service, now)
    day = timezone.localtime(now).date()
    # The lock bookings of this service and day take: walk-ins and bookings share the quota.
    with locked_service_day(service.pk, day) as seats:
        if walk_in_capacity(service, day, priority=bool(priority_group), booked=seats.booked) <= 0:
            raise QueueError(
                "quota_reached",
                _("Kuota antrean hari ini sudah habis."),
            )
        return _create_ticket(service=service, now=now, priority_group=priority_group, language=language)


@transaction.atomic
def booking_check_in(*, booking: Booking, now: dt.datetime | None = None) -> Ticket:
    """Turn a booking into a ticket in the live queue, inside the check-in window."""
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().select_related("service__agency").get(pk=booking.pk)
    if booking.status == BookingStatus.CHECKED_IN:
        raise QueueError("already_checked_in", _("Pemesanan ini sudah check-in."))
    if booking.status != BookingStatus.BOOKED:
        raise QueueError("not_checkable", _("Pemesanan ini tidak aktif."))
    policy = BookingPolicy.current()
    opens = booking.start - dt.timedelta(minutes=policy.check_in_opens_minutes)
    closes = booking.start + dt.timedelta(minutes=policy.check_in_closes_minutes)
    if not opens <= now <= closes:
        raise QueueError(
            "outside_check_in_window",
            filled(
                _("Check-in hanya dapat dilakukan pukul %(opens)s–%(closes)s pada hari pemesanan."),
                {"opens": f"{timezone.localtime(opens):%H.%M}", "closes": f"{timezone.localtime(closes):%H.%M}"},
            ),
        )
    booking.status = BookingStatus.CHECKED_IN
    booking.save(update_fields=["status"])
    return _create_ticket(
        service=booking.service,
        now=now,
        priority_group=booking.priority_group,
        language=booking.language,
        booking=booking,
        slot_start=booking.start,
    )


# Who may act ----------------------------------------------------------------------------


def may_use_counter(user: User, counter: Counter) -> bool:
    """Officers at the counters they are bound to; supervisors at their agency's; admins anywhere."""
    return Counter.objects.usable_by(user).filter(pk=counter.pk).exists()


def _may_use(user: User, counter_ref: str) -> Exists | Value:
    """``may_use_counter`` for the counter of the row being read (``counter_ref`` names
    its column), so the check travels with the row instead of in a query of its own."""
    if not user.is_active:
        return Value(False)
    return Exists(Counter.objects.usable_by(user).filter(pk=OuterRef(counter_ref)))


def _not_your_counter() -> QueueError:
    return QueueError("forbidden", _("Anda tidak bertugas di loket ini."), forbidden=True)


def _check_counter(user: User, counter: Counter) -> None:
    if not may_use_counter(user, counter):
        raise _not_your_counter()


def _check_ticket_scope(user: User, ticket: Ticket) -> None:
    if not (user.is_active and (user.is_mall_admin or ticket.service.agency_id == user.staff_agency_id)):
        raise QueueError(
            "forbidden",
            _("Tiket ini milik instansi lain."),
            forbidden=True,
        )


# Calling ------------------------------------------------------------------------------


def ticket_by_code(code: str) -> Ticket | None:
    """The ticket with this code as a person or a scanner typed it, with what its pages
    show (service, agency, counter); None when there is none."""
    return Ticket.objects.select_related("service__agency", "counter").filter(code=normalize_code(code)).first()


def counter_current_ticket(counter: Counter) -> Ticket | None:
    return Ticket.objects.at_counter(counter.pk).select_related("service__agency", "counter", "booking").first()


def _service_ids(counter: Counter) -> list[int]:
    # order_by(): the ids need no order, and the services' own one joins the agencies.
    return list(counter.services.order_by().values_list("pk", flat=True))


def waiting_for_counter(counter: Counter, day: dt.date, service_ids: list[int] | None = None):
    """The queue a counter calls from: tickets for its services, in queue order. The
    service ids are read first, so the query can walk the queue index in order."""
    return Ticket.objects.waiting_for(_service_ids(counter) if service_ids is None else service_ids, day)


@transaction.atomic
def ticket_call_next(*, counter: Counter, officer: User, now: dt.datetime | None = None) -> Ticket | None:
    """Claim the first waiting ticket for the counter's services; None when nobody waits.

    The counter's row lock makes one call at a time per counter, so it never has two
    tickets; ``SKIP LOCKED`` lets concurrent counters each claim a different ticket at
    once."""
    now = now or timezone.now()
    # The counter is locked and read with whether the officer works there.
    counter = (
        Counter.objects.select_for_update(of=("self",)).annotate(usable=_may_use(officer, "pk")).get(pk=counter.pk)
    )
    if not counter.usable:
        raise _not_your_counter()
    if not counter.is_open or counter.paused_since:
        raise QueueError("counter_paused", _("Loket sedang tutup atau istirahat."))
    # Not read in the locking statement: a subquery there reads as of the moment the
    # statement began, before it waited for the lock, and would miss the ticket that
    # the call holding the lock (a double click) has just claimed.
    if Ticket.objects.at_counter(counter.pk).exists():
        raise QueueError(
            "counter_busy",
            _("Selesaikan tiket yang sedang dipanggil dulu."),
        )
    service_ids = _service_ids(counter)
    ticket = (
        waiting_for_counter(counter, timezone.localtime(now).date(), service_ids)
        .select_related("service__agency", "booking")
        .with_open_request()
        .select_for_update(skip_locked=True, of=("self",))
        .first()
    )
    if ticket is None:
        return None
    ticket.status, ticket.counter, ticket.called_at, ticket.recalls = TicketStatus.CALLED, counter, now, 0
    ticket.save(update_fields=["status", "counter", "called_at", "recalls"])
    _record(ticket, ticket.open_request_id, TicketAction.CALLED, TicketStatus.WAITING, officer=officer, at=now)
    _announce(ticket, TicketAction.CALLED)
    notify_ticket(NotificationEvent.CALLED, ticket, key=f"called:{ticket.pk}:{now.isoformat()}")
    # Everyone waiting for this counter's services moved up: the one now near is there.
    notify_turn_near(service_ids=service_ids, day=ticket.date)
    return ticket


def _open_request(ticket: Ticket) -> ServiceRequest:
    """The request the ticket is queued for: always the newest (a transfer adds one)."""
    return ticket.requests.order_by("-pk").first()


# Acting on a ticket -----------------------------------------------------------------------

# The actions as the API and the console name them.
ACTIONS = {
    "recall": TicketAction.RECALLED,
    "start": TicketAction.STARTED,
    "complete": TicketAction.COMPLETED,
    "no-show": TicketAction.NO_SHOW,
    "hold": TicketAction.HELD,
    "resume": TicketAction.RESUMED,
    "transfer": TicketAction.TRANSFERRED,
}

# action → (states it may start from, state it leads to)
TRANSITIONS = {
    TicketAction.RECALLED: ((TicketStatus.CALLED,), TicketStatus.CALLED),
    TicketAction.STARTED: ((TicketStatus.CALLED,), TicketStatus.SERVING),
    TicketAction.COMPLETED: ((TicketStatus.SERVING,), TicketStatus.DONE),
    TicketAction.NO_SHOW: ((TicketStatus.CALLED,), TicketStatus.NO_SHOW),
    TicketAction.HELD: ((TicketStatus.CALLED, TicketStatus.SERVING), TicketStatus.ON_HOLD),
    TicketAction.RESUMED: ((TicketStatus.ON_HOLD,), TicketStatus.WAITING),
    TicketAction.TRANSFERRED: ((TicketStatus.CALLED, TicketStatus.SERVING), TicketStatus.WAITING),
}


def _wrong_state(ticket: Ticket, action: str) -> QueueError:
    return QueueError(
        "wrong_state",
        _("Tindakan “%(action)s” tidak dapat dilakukan pada tiket berstatus “%(status)s”.")
        % {"action": TicketAction(action).label, "status": TicketStatus(ticket.status).label},
    )


def _locked_ticket(officer: User, **key) -> Ticket:
    """The ticket an action is on, locked, in one statement with what the action reads:
    its service and agency, counter and booking, its open request, and whether the
    officer may work at its counter.

    The two subqueries read as of the statement's start, before any wait for the lock.
    That is safe here: only a transfer adds a request, and it leaves the ticket waiting,
    where no action that waited behind it fits; a permission is the one the officer had
    a moment ago. (Call next reads the busy counter after its lock for this reason.)"""
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("service__agency", "counter", "booking")
        .with_open_request()
        .annotate(may_use_counter=_may_use(officer, "counter_id"))
        .get(**key)
    )


@transaction.atomic
def ticket_act(
    *,
    ticket: Ticket,
    action: str,
    officer: User,
    service: Service | None = None,
    counter: Counter | None = None,
    now: dt.datetime | None = None,
) -> Ticket:
    """Recall, start, complete, mark no-show, hold, resume or transfer a ticket.

    The ticket row is locked, so a double click (or two officers) acts once: the
    second finds the state changed and gets a ``wrong_state`` error."""
    locked = _locked_ticket(officer, pk=ticket.pk)
    return _act(locked, action=action, officer=officer, service=service, counter=counter, now=now)


@transaction.atomic
def ticket_act_by_code(
    *,
    code: str,
    action: str,
    officer: User,
    service: Service | None = None,
    counter: Counter | None = None,
    now: dt.datetime | None = None,
) -> Ticket:
    """``ticket_act`` on the ticket with this (normalised) code, as the API knows it:
    found and locked in one statement. ``Ticket.DoesNotExist`` for an unknown code."""
    locked = _locked_ticket(officer, code=code)
    return _act(locked, action=action, officer=officer, service=service, counter=counter, now=now)


def _act(
    ticket: Ticket,
    *,
    action: str,
    officer: User,
    service: Service | None,
    counter: Counter | None,
    now: dt.datetime | None,
) -> Ticket:
    now = now or timezone.now()
    _check_ticket_scope(officer, ticket)
    if action not in TRANSITIONS:
        raise QueueError("unknown_action", _("Tindakan tidak dikenal."), field="action")
    allowed_from, to_status = TRANSITIONS[action]
    if ticket.status not in allowed_from:
        raise _wrong_state(ticket, action)
    if ticket.counter_id and ticket.status in AT_COUNTER and not ticket.may_use_counter:
        raise _not_your_counter()
    request_id = ticket.open_request_id
    from_status = ticket.status
    changed = ["status"]

    if action == TicketAction.RECALLED:
        ticket.recalls += 1
        ticket.called_at = now
        changed += ["recalls", "called_at"]
    elif action == TicketAction.STARTED:
        ServiceRequest.objects.filter(pk=request_id).update(started_at=now)
    elif action == TicketAction.NO_SHOW:
        if ticket.recalls < BookingPolicy.current().recalls_before_no_show:
            raise QueueError(
                "recall_first",
                _("Panggil ulang dulu sebelum menandai tidak hadir."),
            )
        _close_request(request_id, ticket.service, RequestStatus.NO_SHOW, now)
    elif action == TicketAction.COMPLETED:
        _close_request(request_id, ticket.service, RequestStatus.SERVED, now)
    elif action == TicketAction.TRANSFERRED:
        request_id = _transfer(ticket, request_id, service=service, counter=counter, now=now)
        changed += ["service", "counter", "queue_time"]

    ticket.status = to_status
    if to_status in (TicketStatus.WAITING, TicketStatus.ON_HOLD) and action != TicketAction.TRANSFERRED:
        ticket.counter = None
        changed.append("counter")
    ticket.save(update_fields=changed)
    _record(ticket, request_id, action, from_status, officer=officer, at=now)
    _announce(ticket, action)
    if action == TicketAction.TRANSFERRED:
        queue = [ticket.service_id, *queue_service_ids(ticket.service_id).values_list("service_id", flat=True)]
        notify_turn_near(service_ids=queue, day=ticket.date)
    elif action == TicketAction.COMPLETED:
        notify_ticket(NotificationEvent.SURVEY, ticket, key=f"survey:{ticket.pk}", extra=_survey_link(ticket))
    return ticket


def _survey_link(ticket: Ticket) -> dict:
    return {"link": page_link("survey", ticket.code)}


def _close_request(request_id: int, service: Service, status: str, now: dt.datetime) -> None:
    """Close the open request at the counter. ``service`` is the ticket's, which is
    always the open request's: the two only change together, on a transfer."""
    values = {"status": status, "closed_at": now}
    if status == RequestStatus.SERVED:
        values["finished_at"] = now
        if service.completion_days:
            # The product is processed after the counter, against the published time.
            values |= {
                "status": RequestStatus.PROCESSING,
                "closed_at": None,
                "due_on": timezone.localtime(now).date() + dt.timedelta(days=service.completion_days),
            }
    ServiceRequest.objects.filter(pk=request_id).update(**values)


def _transfer(
    ticket: Ticket, request_id: int, *, service: Service | None, counter: Counter | None, now: dt.datetime
) -> int:
    """Move the ticket to another service's queue; returns the new open request's id."""
    if (service is None) == (counter is None):
        raise QueueError(
            "transfer_target",
            _("Pilih satu tujuan: layanan atau loket."),
            field="service",
        )
    if counter is not None:
        if not counter.is_open:
            raise QueueError("counter_closed", _("Loket tujuan tutup."), field="counter")
        target = counter.services.filter(active=True).order_by("pk").first()
        if target is None:
            raise QueueError(
                "counter_serves_nothing",
                _("Loket tujuan tidak melayani layanan apa pun."),
                field="counter",
            )
        service = target
    if not (service.active and service.agency.active):
        raise QueueError("service_inactive", _("Layanan tujuan tidak aktif."), field="service")
    if service.pk == ticket.service_id and counter is None:
        raise QueueError(
            "same_service",
            _("Tiket sudah berada di layanan ini."),
            field="service",
        )
    ServiceRequest.objects.filter(pk=request_id).update(
        finished_at=Coalesce("finished_at", Value(now, output_field=DateTimeField())),
        status=RequestStatus.TRANSFERRED,
        closed_at=now,
    )
    request = ServiceRequest.objects.create(ticket=ticket, service=service)
    ticket.service = service
    ticket.counter = None
    if not BookingPolicy.current().transfer_keeps_place:
        ticket.queue_time = now
    return request.pk


@transaction.atomic
def counter_set_paused(*, counter: Counter, officer: User, paused: bool, now: dt.datetime | None = None) -> Counter:
    """Pause a counter for a break (it calls nobody) or take it back into service."""
    now = now or timezone.now()
    _check_counter(officer, counter)
    counter = Counter.objects.select_for_update().get(pk=counter.pk)
    counter.paused_since = now if paused else None
    counter.save(update_fields=["paused_since"])
    live.publish(
        {
            "type": "counter",
            "counter": counter.number,
            "counter_id": counter.pk,
            # So an agency's stream (a console, the office's floor page) carries it too.
            "agency": counter.agency_id,
            "paused": paused,
        }
    )
    return counter


# End of day ------------------------------------------------------------------------------


def tickets_expire(*, day: dt.date, now: dt.datetime | None = None) -> int:
    """Close every ticket still open on ``day`` as expired; nothing is deleted."""
    now = now or timezone.now()
    expired = 0
    for ticket_id in Ticket.objects.filter(date=day, status__in=OPEN_TICKET).values_list("pk", flat=True):
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update().filter(pk=ticket_id, status__in=OPEN_TICKET).first()
            if ticket is None:
                continue
            from_status = ticket.status
            request = _open_request(ticket)
            if request.status == RequestStatus.OPEN:
                _close_request_expired(request, now)
            ticket.status = TicketStatus.EXPIRED
            ticket.save(update_fields=["status"])
            _record(ticket, request.pk, TicketAction.EXPIRED, from_status, at=now)
            expired += 1
    logger.info("%d tickets of %s expired", expired, day)
    return expired


def _close_request_expired(request: ServiceRequest, now: dt.datetime) -> None:
    request.status = RequestStatus.EXPIRED
    request.closed_at = now
    request.save(update_fields=["status", "closed_at"])


def tickets_expire_open(*, up_to: dt.date) -> int:
    """Expire the open tickets of ``up_to`` and of any earlier day a run was missed on."""
    days = Ticket.objects.filter(date__lte=up_to, status__in=OPEN_TICKET).values_list("date", flat=True).distinct()
    return sum(tickets_expire(day=day) for day in sorted(set(days)))
