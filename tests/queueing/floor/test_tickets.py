"""Issuing, calling and moving tickets, on the service functions."""

import datetime as dt

import pytest
from django.utils import timezone

from agencies.models import Role
from queueing.bookings.services import booking_cancel, booking_create
from queueing.errors import QueueError
from queueing.floor.queue_order import sort_key
from queueing.floor.tickets import (
    booking_check_in,
    counter_set_paused,
    ticket_act,
    ticket_call_next,
    ticket_issue_walk_in,
    tickets_expire,
)
from queueing.models import RequestStatus, Ticket, TicketAction, TicketEvent, TicketStatus
from services.models import BookingPolicy
from tests.factories import OpeningHoursFactory, ServiceFactory, UserFactory
from tests.queueing.conftest import VALID_NIK, at
from tests.queueing.notifications.test_notifications import book_now

pytestmark = pytest.mark.django_db


def code_of(call) -> str:
    with pytest.raises(QueueError) as caught:
        call()
    return caught.value.code


def test_walk_in_tickets_carry_the_agency_prefix_and_a_daily_sequence(kk):
    first, second = ticket_issue_walk_in(service=kk), ticket_issue_walk_in(service=kk)
    assert (first.display_number, second.display_number) == ("B-001", "B-002")
    assert first.status == TicketStatus.WAITING
    assert first.requests.get().service == kk
    assert TicketEvent.objects.filter(ticket=first, action=TicketAction.ISSUED).count() == 1


def test_numbers_restart_the_next_day(kk):
    today = timezone.now()
    ticket_issue_walk_in(service=kk, now=today)
    assert ticket_issue_walk_in(service=kk, now=today + dt.timedelta(days=1)).number == 1


def test_walk_in_quota_keeps_the_priority_reserve(kk):
    kk.daily_quota, kk.priority_reserve = 3, 1
    kk.save()
    ticket_issue_walk_in(service=kk)
    ticket_issue_walk_in(service=kk)
    assert code_of(lambda: ticket_issue_walk_in(service=kk)) == "quota_reached"
    assert ticket_issue_walk_in(service=kk, priority_group="elderly").priority is True
    assert code_of(lambda: ticket_issue_walk_in(service=kk, priority_group="elderly")) == "quota_reached"


def test_the_days_bookings_take_from_the_walk_in_quota_and_a_cancel_gives_back(kk):
    kk.daily_quota, kk.priority_reserve = 3, 0
    kk.save()
    booking = book_now(kk)
    ticket_issue_walk_in(service=kk)
    ticket_issue_walk_in(service=kk)
    assert code_of(lambda: ticket_issue_walk_in(service=kk)) == "quota_reached"  # 1 booked + 2 walked in
    booking_cancel(booking=booking)
    assert ticket_issue_walk_in(service=kk).number == 3
    assert code_of(lambda: ticket_issue_walk_in(service=kk)) == "quota_reached"


def test_a_closed_or_booking_only_service_issues_no_walk_in(kk):
    kk.walk_in = False
    kk.save()
    assert code_of(lambda: ticket_issue_walk_in(service=kk)) == "not_walk_in"
    closed = ServiceFactory(agency=kk.agency)  # no opening hours at all
    assert code_of(lambda: ticket_issue_walk_in(service=closed)) == "closed"


def test_check_in_turns_a_booking_into_a_ticket_inside_the_window(ktp, tomorrow):
    booking = booking_create(service=ktp, start=at(tomorrow, 9), nik=VALID_NIK, name="Siti", phone="0812345678")
    assert code_of(lambda: booking_check_in(booking=booking, now=at(tomorrow, 7))) == "outside_check_in_window"
    ticket = booking_check_in(booking=booking, now=at(tomorrow, 8, 20))
    assert ticket.booking == booking
    assert ticket.queue_time == at(tomorrow, 9)  # early: waits for the slot time
    booking.refresh_from_db()
    assert booking.status == "checked_in"
    assert code_of(lambda: booking_check_in(booking=booking, now=at(tomorrow, 8, 21))) == "already_checked_in"


def test_call_next_follows_the_queue_order_in_the_database(kk, counter, bob):
    # The three minutes below stay within today, also just before midnight WIB.
    now = min(timezone.now(), at(timezone.localdate(), 23, 56))
    plain = ticket_issue_walk_in(service=kk, now=now)
    later = ticket_issue_walk_in(service=kk, now=now + dt.timedelta(minutes=1))
    elderly = ticket_issue_walk_in(service=kk, priority_group="elderly", now=now + dt.timedelta(minutes=2))
    expected = sorted(
        [plain, later, elderly], key=lambda t: sort_key(priority=t.priority, queue_time=t.queue_time, ticket_id=t.id)
    )
    called = []
    for _ in range(3):
        ticket = ticket_call_next(counter=counter, officer=bob, now=now + dt.timedelta(minutes=3))
        called.append(ticket)
        ticket_act(ticket=ticket, action=TicketAction.STARTED, officer=bob)
        ticket_act(ticket=ticket, action=TicketAction.COMPLETED, officer=bob)
    assert called == expected == [elderly, plain, later]
    assert ticket_call_next(counter=counter, officer=bob) is None


def test_a_counter_calls_one_ticket_at_a_time(kk, counter, bob):
    ticket_issue_walk_in(service=kk)
    ticket_issue_walk_in(service=kk)
    ticket_call_next(counter=counter, officer=bob)
    assert code_of(lambda: ticket_call_next(counter=counter, officer=bob)) == "counter_busy"


def test_the_life_of_a_ticket_is_its_history(kk, counter, bob):
    ticket = ticket_issue_walk_in(service=kk)
    ticket = ticket_call_next(counter=counter, officer=bob)
    assert (ticket.status, ticket.counter) == (TicketStatus.CALLED, counter)
    ticket = ticket_act(ticket=ticket, action=TicketAction.RECALLED, officer=bob)
    ticket = ticket_act(ticket=ticket, action=TicketAction.STARTED, officer=bob)
    ticket = ticket_act(ticket=ticket, action=TicketAction.COMPLETED, officer=bob)
    assert ticket.status == TicketStatus.DONE
    history = list(ticket.events.values_list("action", "from_status", "to_status"))
    assert history == [
        ("issued", "", "waiting"),
        ("called", "waiting", "called"),
        ("recalled", "called", "called"),
        ("started", "called", "serving"),
        ("completed", "serving", "done"),
    ]
    assert set(ticket.events.exclude(action="issued").values_list("officer", flat=True)) == {bob.pk}
    assert ticket.requests.get().status in (RequestStatus.SERVED, RequestStatus.PROCESSING)


def test_an_action_that_does_not_fit_the_state_is_refused_and_a_double_click_acts_once(kk, counter, bob):
    ticket = ticket_issue_walk_in(service=kk)
    assert code_of(lambda: ticket_act(ticket=ticket, action=TicketAction.COMPLETED, officer=bob)) == "wrong_state"
    ticket = ticket_call_next(counter=counter, officer=bob)
    ticket_act(ticket=ticket, action=TicketAction.STARTED, officer=bob)
    assert code_of(lambda: ticket_act(ticket=ticket, action=TicketAction.STARTED, officer=bob)) == "wrong_state"
    assert ticket.events.filter(action="started").count() == 1


def test_no_show_only_after_a_recall(kk, counter, bob):
    ticket_issue_walk_in(service=kk)
    ticket = ticket_call_next(counter=counter, officer=bob)
    assert code_of(lambda: ticket_act(ticket=ticket, action=TicketAction.NO_SHOW, officer=bob)) == "recall_first"
    ticket_act(ticket=ticket, action=TicketAction.RECALLED, officer=bob)
    assert ticket_act(ticket=ticket, action=TicketAction.NO_SHOW, officer=bob).status == TicketStatus.NO_SHOW


def test_hold_and_resume_keep_the_place(kk, counter, bob):
    now = timezone.now()
    first = ticket_issue_walk_in(service=kk, now=now)
    second = ticket_issue_walk_in(service=kk, now=now + dt.timedelta(minutes=1))
    ticket_call_next(counter=counter, officer=bob)
    ticket_act(ticket=first, action=TicketAction.HELD, officer=bob)
    ticket_act(ticket=first, action=TicketAction.RESUMED, officer=bob)
    assert ticket_call_next(counter=counter, officer=bob) == first
    assert Ticket.objects.get(pk=second.pk).status == TicketStatus.WAITING


def test_transfer_to_another_agency_keeps_the_number_and_adds_a_request(kk, counter, bob, samsat):
    pajak = ServiceFactory(agency=samsat, name="Pajak kendaraan")
    ticket_issue_walk_in(service=kk)
    ticket = ticket_call_next(counter=counter, officer=bob)
    ticket_act(ticket=ticket, action=TicketAction.STARTED, officer=bob)
    moved = ticket_act(ticket=ticket, action=TicketAction.TRANSFERRED, officer=bob, service=pajak)
    # Shown with the prefix of the agency it now waits at, before the number it keeps.
    assert (moved.display_number, moved.service, moved.status, moved.counter) == ("S/B-001", pajak, "waiting", None)
    assert list(moved.requests.values_list("service", "status")) == [
        (kk.pk, RequestStatus.TRANSFERRED),
        (pajak.pk, RequestStatus.OPEN),
    ]
    # Now it is Samsat's: a Disdukcapil officer cannot act on it any more.
    assert code_of(lambda: ticket_act(ticket=moved, action=TicketAction.HELD, officer=bob)) in (
        "forbidden",
        "wrong_state",
    )


def test_transfer_goes_to_the_back_when_the_policy_says_so(kk, counter, bob, disdukcapil):
    other = ServiceFactory(agency=disdukcapil)
    policy = BookingPolicy.current()
    policy.transfer_keeps_place = False
    policy.save()
    ticket_issue_walk_in(service=kk)
    ticket = ticket_call_next(counter=counter, officer=bob)
    before = ticket.queue_time
    moved = ticket_act(ticket=ticket, action=TicketAction.TRANSFERRED, officer=bob, service=other)
    assert moved.queue_time > before


def test_officers_act_only_within_their_agency_and_counters(kk, counter, bob, samsat, disdukcapil):
    stranger = UserFactory(role=Role.OFFICER, agency=samsat)
    colleague_elsewhere = UserFactory(role=Role.OFFICER, agency=disdukcapil)  # not bound to loket 3
    ticket_issue_walk_in(service=kk)
    assert code_of(lambda: ticket_call_next(counter=counter, officer=stranger)) == "forbidden"
    assert code_of(lambda: ticket_call_next(counter=counter, officer=colleague_elsewhere)) == "forbidden"
    ticket = ticket_call_next(counter=counter, officer=bob)
    assert code_of(lambda: ticket_act(ticket=ticket, action=TicketAction.STARTED, officer=stranger)) == "forbidden"
    # Same agency, another counter: not the one this ticket was called to.
    assert code_of(lambda: ticket_act(ticket=ticket, action=TicketAction.STARTED, officer=colleague_elsewhere)) == (
        "forbidden"
    )
    inactive = UserFactory(role=Role.SUPERVISOR, agency=disdukcapil, is_active=False)
    assert code_of(lambda: ticket_call_next(counter=counter, officer=inactive)) == "forbidden"
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.CALLED


def test_a_supervisor_may_act_at_any_counter_of_the_agency(kk, counter, bob, alice):
    ticket_issue_walk_in(service=kk)
    ticket = ticket_call_next(counter=counter, officer=alice)
    assert ticket_act(ticket=ticket, action=TicketAction.STARTED, officer=alice).status == TicketStatus.SERVING


def test_a_paused_counter_calls_nobody(kk, counter, bob):
    ticket_issue_walk_in(service=kk)
    counter_set_paused(counter=counter, officer=bob, paused=True)
    assert code_of(lambda: ticket_call_next(counter=counter, officer=bob)) == "counter_paused"
    counter_set_paused(counter=counter, officer=bob, paused=False)
    assert ticket_call_next(counter=counter, officer=bob) is not None


def test_a_counter_only_calls_tickets_of_its_services(kk, counter, bob, disdukcapil):
    other = ServiceFactory(agency=disdukcapil)
    for weekday in range(7):
        OpeningHoursFactory(service=other, agency=disdukcapil, weekday=weekday, opens=dt.time(0), closes=dt.time.max)
    ticket_issue_walk_in(service=other)
    assert ticket_call_next(counter=counter, officer=bob) is None
    other.counters.add(counter)
    assert ticket_call_next(counter=counter, officer=bob).service == other


def test_end_of_day_expires_what_is_left_and_deletes_nothing(kk, counter, bob):
    now = timezone.now()
    done = ticket_issue_walk_in(service=kk, now=now)
    waiting = ticket_issue_walk_in(service=kk, now=now)
    done = ticket_call_next(counter=counter, officer=bob, now=now)
    ticket_act(ticket=done, action=TicketAction.STARTED, officer=bob)
    ticket_act(ticket=done, action=TicketAction.COMPLETED, officer=bob)
    assert tickets_expire(day=timezone.localtime(now).date()) == 1
    assert Ticket.objects.get(pk=waiting.pk).status == TicketStatus.EXPIRED
    assert Ticket.objects.get(pk=done.pk).status == TicketStatus.DONE
    assert Ticket.objects.count() == 2
    assert tickets_expire(day=timezone.localtime(now).date()) == 0


def test_the_scheduled_task_expires_missed_days_too(kk):
    from queueing.tasks import expire_tickets

    now = timezone.now()
    ticket_issue_walk_in(service=kk, now=now - dt.timedelta(days=2))
    ticket_issue_walk_in(service=kk, now=now)
    assert expire_tickets() == 2
    assert set(Ticket.objects.values_list("status", flat=True)) == {TicketStatus.EXPIRED}


def test_every_step_writes_history_and_closes_the_open_request(kk, counter, bob, disdukcapil):
    kk.completion_days = 3
    kk.save()
    now = timezone.now()
    ticket = ticket_issue_walk_in(service=kk, now=now)
    ticket_call_next(counter=counter, officer=bob, now=now + dt.timedelta(minutes=1))
    ticket_act(ticket=ticket, action=TicketAction.STARTED, officer=bob, now=now + dt.timedelta(minutes=2))
    ticket_act(ticket=ticket, action=TicketAction.COMPLETED, officer=bob, now=now + dt.timedelta(minutes=9))
    request = ticket.requests.get()
    assert (request.status, request.closed_at) == (RequestStatus.PROCESSING, None)
    assert request.started_at == now + dt.timedelta(minutes=2)
    assert request.finished_at == now + dt.timedelta(minutes=9)
    assert request.due_on == timezone.localtime(now + dt.timedelta(minutes=9)).date() + dt.timedelta(days=3)
    history = list(
        TicketEvent.objects.filter(ticket=ticket).values_list(
            "action", "from_status", "to_status", "counter", "officer"
        )
    )
    assert history == [
        ("issued", "", "waiting", None, None),
        ("called", "waiting", "called", counter.pk, bob.pk),
        ("started", "called", "serving", counter.pk, bob.pk),
        ("completed", "serving", "done", counter.pk, bob.pk),
    ]
    assert set(TicketEvent.objects.filter(ticket=ticket).values_list("request", flat=True)) == {request.pk}


def test_a_transfer_records_its_event_on_the_new_request(kk, counter, bob, disdukcapil):
    other = ServiceFactory(agency=disdukcapil)
    ticket_issue_walk_in(service=kk)
    ticket = ticket_call_next(counter=counter, officer=bob)
    ticket_act(ticket=ticket, action=TicketAction.STARTED, officer=bob)
    ticket_act(ticket=ticket, action=TicketAction.TRANSFERRED, officer=bob, service=other)
    old, new = ticket.requests.order_by("pk")
    assert (old.status, old.finished_at is not None, old.closed_at is not None) == ("transferred", True, True)
    assert TicketEvent.objects.get(ticket=ticket, action=TicketAction.TRANSFERRED).request_id == new.pk
    # Served at the new service, it closes the new request, not the old one.
    other.counters.add(counter)
    ticket_call_next(counter=counter, officer=bob)
    ticket_act(ticket=ticket, action=TicketAction.STARTED, officer=bob)
    ticket_act(ticket=ticket, action=TicketAction.COMPLETED, officer=bob)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status) == ("transferred", "served")
