"""The outbox: what is written with each change, and how one delivery goes."""

import datetime as dt
import itertools

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from queueing.bookings.services import booking_cancel, booking_create, booking_reschedule
from queueing.floor.tickets import booking_check_in, ticket_act, ticket_call_next, ticket_issue_walk_in
from queueing.models import Booking, Notification, NotificationAttempt, NotificationEvent, NotificationStatus, Ticket
from queueing.notifications import gateway as gateway_module
from queueing.notifications.delivery import (
    notification_send,
    notification_text,
    notifications_send,
    notifications_sweep,
)
from queueing.notifications.notify import notify_turn_near
from queueing.notifications.queue import batches
from queueing.notifications.reminders import notifications_write_reminders, quiet_adjusted
from services.models import BookingPolicy
from tests.fake_gateway import FakeGateway
from tests.queueing.conftest import VALID_NIK, at, nik

pytestmark = pytest.mark.django_db


@pytest.fixture
def gateway(settings):
    fake = FakeGateway().start()
    settings.SMS_GATEWAY_URL = fake.url
    settings.SMS_GATEWAY_TOKEN = fake.token
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 5
    yield fake
    fake.stop()


def book(service, start, n=0, **extra):
    values = {"nik": nik(n), "name": "Siti", "phone": "+6281234567890"} | extra
    return booking_create(service=service, start=start, **values)


def test_a_booking_writes_its_confirmation_in_the_same_transaction(ktp, tomorrow):
    later = tomorrow + dt.timedelta(days=2)
    booking = book(ktp, at(later, 9), email="siti@example.org", channels=["sms", "whatsapp", "email"])
    rows = Notification.objects.filter(booking=booking)
    confirmed = rows.filter(event=NotificationEvent.BOOKING_CONFIRMED)
    assert sorted(confirmed.values_list("channel", "recipient")) == [
        ("email", "siti@example.org"),
        ("sms", "+6281234567890"),
        ("whatsapp", "+6281234567890"),
    ]
    # Written without its text, which is composed when it is sent.
    sms = confirmed.get(channel="sms")
    assert (sms.subject, sms.message) == ("", "")
    subject, text = notification_text(sms)
    assert booking.display_code in subject and booking.display_code in text
    assert "Penerbitan KTP-el" in text
    assert VALID_NIK not in text
    assert rows.count() == 3  # the reminders come when they are due


def test_a_confirmation_goes_only_to_chosen_channels_with_an_address_in_the_bookings_language(ktp, tomorrow):
    booking = book(ktp, at(tomorrow, 9), channels=["email", "whatsapp"], language="en")  # no email address
    [row] = Notification.objects.filter(booking=booking, event=NotificationEvent.BOOKING_CONFIRMED)
    assert (row.channel, row.recipient, row.language) == ("whatsapp", "+6281234567890", "en")
    assert abs(row.due_at - booking.created_at) < dt.timedelta(seconds=1)  # due at once
    assert row.agency_id == ktp.agency_id
    assert row.dedupe_key.endswith(":whatsapp") and booking.code in row.dedupe_key
    # Nothing to send to: no row, and the booking is still made.
    quiet = book(ktp, at(tomorrow, 9), 1, channels=["email"])
    assert not Notification.objects.filter(booking=quiet).exists()


def test_a_confirmation_is_composed_when_sent_and_keeps_what_was_sent(gateway, ktp, tomorrow):
    booking = book(ktp, at(tomorrow, 9))
    row = Notification.objects.get(booking=booking, event=NotificationEvent.BOOKING_CONFIRMED)
    assert notification_send(notification_id=str(row.pk)) == NotificationStatus.SENT
    [received] = gateway.received
    assert received["id"] == str(row.pk) and booking.display_code in received["message"]
    row.refresh_from_db()
    assert row.message == received["message"] and booking.display_code in row.subject
    # Sent with the text the row keeps: a later change of wording does not touch it.
    from queueing.models import MessageTemplate

    MessageTemplate.objects.create(event=NotificationEvent.BOOKING_CONFIRMED, language="id", text="Lain")
    assert notification_text(row)[1] == received["message"]


def test_embedded_mode_enqueues_a_confirmation_once_its_booking_commits(
    settings, monkeypatch, django_capture_on_commit_callbacks, ktp, tomorrow
):
    # No notifier watches the outbox without Redis: the writer enqueues its rows.
    settings.EMBEDDED = True
    seen: list[str] = []
    monkeypatch.setattr("queueing.notifications.queue.enqueue", lambda ids, countdown=None: seen.extend(ids))
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(ktp, at(tomorrow, 9), email="siti@example.org")
        assert seen == []
    rows = Notification.objects.filter(booking=booking, event=NotificationEvent.BOOKING_CONFIRMED)
    assert sorted(seen) == sorted(str(pk) for pk in rows.values_list("pk", flat=True)) and len(seen) == 2


def reminders(booking) -> list[tuple[str, str, dt.datetime]]:
    rows = Notification.objects.filter(booking=booking, event__in=["reminder_evening", "reminder_soon"])
    return sorted((n.event, n.channel, timezone.localtime(n.due_at)) for n in rows)


def test_reminders_are_written_when_they_fall_due_and_once(ktp, tomorrow):
    later = tomorrow + dt.timedelta(days=2)
    booking = book(ktp, at(later, 9))
    eve = at(later - dt.timedelta(days=1), 19)
    assert notifications_write_reminders(now=eve - dt.timedelta(minutes=1)) == 0
    assert notifications_write_reminders(now=eve) == 1
    assert notifications_write_reminders(now=eve + dt.timedelta(minutes=1)) == 0  # once
    assert reminders(booking) == [("reminder_evening", "sms", eve)]
    soon = at(later, 8)
    assert notifications_write_reminders(now=soon - dt.timedelta(minutes=1)) == 0
    assert notifications_write_reminders(now=soon + dt.timedelta(seconds=30)) == 1
    assert [event for event, _c, _t in reminders(booking)] == ["reminder_evening", "reminder_soon"]
    row = Notification.objects.get(booking=booking, event="reminder_soon")
    assert booking.display_code in row.message and row.status == NotificationStatus.PENDING
    # Past the slot, nothing more.
    assert notifications_write_reminders(now=at(later, 9, 30)) == 0


def test_no_reminder_for_a_cancelled_booking_nor_one_made_after_its_time(ktp, tomorrow):
    later = tomorrow + dt.timedelta(days=2)
    cancelled = book(ktp, at(later, 9), n=1)
    booking_cancel(booking=cancelled)
    late = book(ktp, at(later, 10), n=2)
    Booking.objects.filter(pk=late.pk).update(created_at=at(later - dt.timedelta(days=1), 20))
    assert notifications_write_reminders(now=at(later - dt.timedelta(days=1), 20, 30)) == 0
    assert reminders(cancelled) == [] and reminders(late) == []
    # The shortly-before one still comes for the late booker.
    assert notifications_write_reminders(now=at(later, 9)) == 1
    assert [event for event, _c, _t in reminders(late)] == ["reminder_soon"]


def test_an_english_speaker_gets_english(ktp, tomorrow):
    booking = book(ktp, at(tomorrow, 9), language="en")
    row = Notification.objects.get(booking=booking, event=NotificationEvent.BOOKING_CONFIRMED)
    assert notification_text(row)[1].startswith("MPP Tangsel: booking")


def test_an_english_speaker_is_told_the_services_english_name(ktp, tomorrow):
    ktp.name_en = "Electronic identity card"
    ktp.save()
    english = book(ktp, at(tomorrow, 9), language="en")
    indonesian = book(ktp, at(tomorrow, 10), 2, language="id")

    def text(booking):
        return notification_text(Notification.objects.get(booking=booking, event=NotificationEvent.BOOKING_CONFIRMED))[
            1
        ]

    assert "Electronic identity card" in text(english)
    assert ktp.name in text(indonesian)
    assert "Electronic identity card" not in text(indonesian)


def test_staff_wording_replaces_the_default(ktp, tomorrow):
    from queueing.models import MessageTemplate

    MessageTemplate.objects.create(event=NotificationEvent.BOOKING_CONFIRMED, language="id", text="Kode {code} OK")
    booking = book(ktp, at(tomorrow, 9))
    row = Notification.objects.get(booking=booking, event=NotificationEvent.BOOKING_CONFIRMED)
    assert notification_text(row)[1] == f"Kode {booking.display_code} OK"


def test_cancel_and_reschedule_tell_the_citizen_and_move_the_reminders(ktp, tomorrow):
    later = tomorrow + dt.timedelta(days=3)
    booking = book(ktp, at(later, 9))
    moved = booking_reschedule(booking=booking, start=at(later + dt.timedelta(days=1), 10))
    assert Notification.objects.filter(booking=booking, event=NotificationEvent.BOOKING_RESCHEDULED).count() == 1
    # The reminders follow the new slot: none at the old one's times.
    assert notifications_write_reminders(now=at(later - dt.timedelta(days=1), 19)) == 0
    assert notifications_write_reminders(now=at(later, 8)) == 0
    assert notifications_write_reminders(now=at(later, 19)) == 1
    assert notifications_write_reminders(now=at(later + dt.timedelta(days=1), 9)) == 1
    assert [when for _e, _c, when in reminders(booking)] == [at(later, 19), at(later + dt.timedelta(days=1), 9)]
    booking_cancel(booking=moved)
    assert not Notification.objects.filter(
        booking=booking, event__in=["reminder_soon", "reminder_evening"], status="pending"
    ).exists()
    assert Notification.objects.filter(booking=booking, event=NotificationEvent.BOOKING_CANCELLED).count() == 1


def test_a_move_withdraws_the_reminders_of_the_old_slot_not_yet_sent(ktp, tomorrow):
    later = tomorrow + dt.timedelta(days=3)
    booking = book(ktp, at(later, 9), email="siti@example.org")
    other = book(ktp, at(later, 9), n=2)
    eve = at(later - dt.timedelta(days=1), 19)
    assert notifications_write_reminders(now=eve) == 3  # sms and email, and the other's sms
    booking_reschedule(booking=booking, start=at(later + dt.timedelta(days=1), 10))
    withdrawn = Notification.objects.filter(booking=booking, event="reminder_evening")
    assert sorted(withdrawn.values_list("channel", "status")) == [("email", "cancelled"), ("sms", "cancelled")]
    # Another booking's reminder of the same slot stays.
    assert Notification.objects.get(booking=other, event="reminder_evening").status == "pending"


def test_quiet_hours_move_reminders_to_the_morning():
    policy = BookingPolicy.current()
    zone = timezone.get_current_timezone()
    night = dt.datetime(2026, 12, 1, 22, 30, tzinfo=zone)
    early = dt.datetime(2026, 12, 2, 5, 0, tzinfo=zone)
    day = dt.datetime(2026, 12, 2, 10, 0, tzinfo=zone)
    assert quiet_adjusted(night, policy) == dt.datetime(2026, 12, 2, 6, 0, tzinfo=zone)
    assert quiet_adjusted(early, policy) == dt.datetime(2026, 12, 2, 6, 0, tzinfo=zone)
    assert quiet_adjusted(day, policy) == day


def test_a_reminder_never_falls_in_quiet_hours(ktp, tomorrow):
    policy = BookingPolicy.current()
    policy.reminder_evening_at = dt.time(22, 0)
    policy.reminder_before_minutes = 0
    policy.save()
    later = tomorrow + dt.timedelta(days=2)
    booking = book(ktp, at(later, 9))
    assert notifications_write_reminders(now=at(later - dt.timedelta(days=1), 22)) == 0
    assert notifications_write_reminders(now=at(later, 5, 59)) == 0
    assert notifications_write_reminders(now=at(later, 6)) == 1
    assert [(event, channel) for event, channel, _when in reminders(booking)] == [("reminder_evening", "sms")]


def test_a_reminder_whose_moment_passed_before_a_reschedule_is_not_written(ktp, tomorrow):
    later = tomorrow + dt.timedelta(days=3)
    booking = book(ktp, at(later, 9))
    # Moved at 20.00 the evening before the new day: that evening's reminder (19.00)
    # was before the move, and the booking was just confirmed anew.
    moved_at = at(later, 20)
    booking_reschedule(
        booking=booking, start=at(later + dt.timedelta(days=1), 10), now=at(later - dt.timedelta(days=2), 12)
    )
    Booking.objects.filter(pk=booking.pk).update(rescheduled_at=moved_at)
    assert notifications_write_reminders(now=at(later, 20, 1)) == 0
    assert notifications_write_reminders(now=at(later + dt.timedelta(days=1), 9)) == 1
    assert [event for event, _c, _t in reminders(booking)] == ["reminder_soon"]


def test_delivery_through_the_gateway(gateway, ktp, tomorrow):
    booking = book(ktp, at(tomorrow, 9))
    row = Notification.objects.get(booking=booking, event=NotificationEvent.BOOKING_CONFIRMED)
    assert notification_send(notification_id=row.pk) == NotificationStatus.SENT
    assert gateway.received[0]["id"] == str(row.pk)
    assert gateway.received[0]["to"] == "+6281234567890"
    assert gateway.received[0]["channel"] == "sms"
    assert notification_send(notification_id=row.pk) == "skipped"  # never twice
    assert len(gateway.received) == 1


def test_500_twice_then_200_is_three_attempts_and_one_delivery(gateway, ktp, tomorrow):
    gateway.script = [500, 503]
    row = Notification.objects.get(booking=book(ktp, at(tomorrow, 9)), event=NotificationEvent.BOOKING_CONFIRMED)
    now = timezone.now()
    assert notification_send(notification_id=row.pk, now=now) == NotificationStatus.PENDING
    row.refresh_from_db()
    assert 2.5 <= (row.due_at - now).total_seconds() <= 8  # 5 s ± 50 %
    assert notification_send(notification_id=row.pk, now=row.due_at) == NotificationStatus.PENDING
    row.refresh_from_db()
    assert notification_send(notification_id=row.pk, now=row.due_at) == NotificationStatus.SENT
    assert list(NotificationAttempt.objects.filter(notification=row).values_list("outcome", "status_code")) == [
        ("retry", 500),
        ("retry", 503),
        ("sent", 200),
    ]
    assert gateway.delivered_ids() == [str(row.pk)]
    assert {item["id"] for item in gateway.received} == {str(row.pk)}  # the same id every time


def test_a_burst_goes_out_in_batches_spread_over_the_notifiers_threads(settings):
    settings.NOTIFIER_THREADS, settings.NOTIFICATION_BATCH = 8, 20
    assert batches(["a", "b", "c"]) == [["a"], ["b"], ["c"]]
    assert [len(batch) for batch in batches([str(n) for n in range(40)])] == [5] * 8
    burst = [str(n) for n in range(1000)]
    assert [len(batch) for batch in batches(burst)] == [20] * 50
    assert [pk for batch in batches(burst) for pk in batch] == burst


def test_a_batch_is_claimed_and_composed_at_once_and_each_attempt_recorded(gateway, ktp, tomorrow):
    rows = [
        Notification.objects.get(
            booking=book(ktp, at(tomorrow, 9 + n % 3), n), event=NotificationEvent.BOOKING_CONFIRMED
        )
        for n in range(6)
    ]
    already_sent = rows[2]
    Notification.objects.filter(pk=already_sent.pk).update(status=NotificationStatus.SENT)
    ids = [str(row.pk) for row in rows]
    with CaptureQueriesContext(connection) as captured:
        outcomes = notifications_send(notification_ids=ids)
    # One claim, one read of the bookings, one record per attempt (SQLite: two); not
    # counted: a statement prepared on first use, the staff's wording (cached).
    statements = [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].startswith("PREPARE") and "messagetemplate" not in query["sql"]
    ]
    assert len(statements) == 2 + 5 * (1 if connection.vendor == "postgresql" else 2)
    assert outcomes == ["sent", "sent", "skipped", "sent", "sent", "sent"]
    assert gateway.delivered_ids() == [pk for pk in ids if pk != str(already_sent.pk)]
    for row in rows:
        row.refresh_from_db()
    sent = [row for row in rows if row.pk != already_sent.pk]
    assert all(row.booking.display_code in row.message and row.attempt_log.count() == 1 for row in sent)


def test_a_batch_that_runs_long_gives_back_what_it_has_not_attempted(gateway, ktp, tomorrow, settings):
    # Half the lease is 0.5 s; each message takes the slow gateway 0.3 s.
    settings.NOTIFICATION_LEASE_SECONDS = 1
    gateway.delay = 0.3
    rows = [
        Notification.objects.get(booking=book(ktp, at(tomorrow, 9), n), event=NotificationEvent.BOOKING_CONFIRMED)
        for n in range(4)
    ]
    outcomes = notifications_send(notification_ids=[str(row.pk) for row in rows])
    assert outcomes == ["sent", "sent", "released", "released"]
    for row in rows[2:]:
        row.refresh_from_db()
        assert (row.status, row.attempts, row.lease_until) == (NotificationStatus.PENDING, 0, None)
        assert not row.attempt_log.exists()
    assert notifications_send(notification_ids=[str(row.pk) for row in rows]) == [
        "skipped", "skipped", "sent", "sent",
    ]  # fmt: skip
    assert sorted(gateway.delivered_ids()) == sorted(str(row.pk) for row in rows)


def test_a_row_another_task_holds_is_not_claimed(gateway, ktp, tomorrow):
    row = Notification.objects.get(booking=book(ktp, at(tomorrow, 9)), event=NotificationEvent.BOOKING_CONFIRMED)
    lease = timezone.now() + dt.timedelta(seconds=30)
    Notification.objects.filter(pk=row.pk).update(status=NotificationStatus.SENDING, lease_until=lease, attempts=1)
    assert notification_send(notification_id=str(row.pk)) == "skipped"
    row.refresh_from_db()
    assert (row.status, row.lease_until, row.attempts) == (NotificationStatus.SENDING, lease, 1)
    assert gateway.received == []
    assert not row.attempt_log.exists()


def test_a_row_not_yet_due_or_already_sent_is_not_claimed(gateway, ktp, tomorrow):
    row = Notification.objects.get(booking=book(ktp, at(tomorrow, 9)), event=NotificationEvent.BOOKING_CONFIRMED)
    assert notification_send(notification_id=str(row.pk), now=row.due_at - dt.timedelta(seconds=1)) == "skipped"
    assert notification_send(notification_id=str(row.pk)) == NotificationStatus.SENT
    assert notification_send(notification_id=str(row.pk)) == "skipped"
    row.refresh_from_db()
    assert row.attempts == 1
    assert len(gateway.received) == 1


def test_each_attempt_is_counted_and_recorded_with_its_answer(gateway, ktp, tomorrow):
    gateway.script = [503, 429]
    row = Notification.objects.get(booking=book(ktp, at(tomorrow, 9)), event=NotificationEvent.BOOKING_CONFIRMED)
    notification_send(notification_id=str(row.pk))
    row.refresh_from_db()
    assert (row.status, row.attempts, row.lease_until) == (NotificationStatus.PENDING, 1, None)
    assert row.last_error
    notification_send(notification_id=str(row.pk), now=row.due_at)
    row.refresh_from_db()
    assert notification_send(notification_id=str(row.pk), now=row.due_at) == NotificationStatus.SENT
    row.refresh_from_db()
    assert (row.status, row.attempts, row.lease_until, row.last_error) == (NotificationStatus.SENT, 3, None, "")
    assert row.sent_at is not None
    attempts = list(row.attempt_log.order_by("number"))
    assert [(a.number, a.outcome, a.status_code) for a in attempts] == [
        (1, "retry", 503),
        (2, "retry", 429),
        (3, "sent", 200),
    ]
    assert attempts[-1].at == row.sent_at
    assert [item["id"] for item in gateway.received] == [str(row.pk)] * 3


def test_an_attempt_whose_row_changed_meanwhile_is_logged_but_leaves_the_row(gateway, ktp, tomorrow, monkeypatch):
    """Staff cancelled the message while the gateway was answering: the attempt is on
    record, the row stays cancelled."""
    row = Notification.objects.get(booking=book(ktp, at(tomorrow, 9)), event=NotificationEvent.BOOKING_CONFIRMED)
    original = gateway_module.deliver

    def deliver_while_cancelled(**message):
        Notification.objects.filter(pk=row.pk).update(status=NotificationStatus.CANCELLED)
        return original(**message)

    monkeypatch.setattr(gateway_module, "deliver", deliver_while_cancelled)
    notification_send(notification_id=str(row.pk))
    row.refresh_from_db()
    assert row.status == NotificationStatus.CANCELLED
    assert row.sent_at is None
    assert list(row.attempt_log.values_list("number", "outcome")) == [(1, "sent")]


def test_a_4xx_is_final(gateway, ktp, tomorrow):
    gateway.script = [400]
    row = Notification.objects.get(booking=book(ktp, at(tomorrow, 9)), event=NotificationEvent.BOOKING_CONFIRMED)
    assert notification_send(notification_id=row.pk) == NotificationStatus.FAILED
    row.refresh_from_db()
    assert row.attempts == 1
    assert notifications_sweep(now=timezone.now() + dt.timedelta(days=1)) >= 0
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED


def test_a_dead_gateway_is_retried_then_failed_after_the_last_attempt(settings, ktp, tomorrow):
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/send"  # nothing listens
    row = Notification.objects.get(booking=book(ktp, at(tomorrow, 9)), event=NotificationEvent.BOOKING_CONFIRMED)
    moment = timezone.now()
    for _ in range(8):
        notification_send(notification_id=row.pk, now=moment)
        row.refresh_from_db()
        moment = max(row.due_at, moment)
    assert row.status == NotificationStatus.FAILED
    assert row.attempts == 8


def test_a_worker_that_died_mid_send_leaves_a_lease_the_sweep_retries(gateway, ktp, tomorrow, settings):
    row = Notification.objects.get(booking=book(ktp, at(tomorrow, 9)), event=NotificationEvent.BOOKING_CONFIRMED)
    Notification.objects.filter(pk=row.pk).update(
        status="sending", lease_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert notification_send(notification_id=row.pk) == NotificationStatus.SENT


def test_email_goes_through_django_mail(ktp, tomorrow, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    booking = book(ktp, at(tomorrow, 9), email="siti@example.org", channels=["email"])
    row = Notification.objects.get(booking=booking, event=NotificationEvent.BOOKING_CONFIRMED)
    assert notification_send(notification_id=row.pk) == NotificationStatus.SENT
    assert mail.outbox[0].to == ["siti@example.org"]
    assert booking.display_code in mail.outbox[0].subject


def test_without_a_gateway_messages_are_kept_and_logged(settings, ktp, tomorrow, caplog):
    settings.SMS_GATEWAY_URL = ""
    row = Notification.objects.get(booking=book(ktp, at(tomorrow, 9)), event=NotificationEvent.BOOKING_CONFIRMED)
    caplog.set_level("INFO")
    assert notification_send(notification_id=row.pk) == NotificationStatus.SENT
    assert row.attempt_log.get().outcome == "logged"
    assert "+6281234567890" not in caplog.text


def test_called_and_turn_near_for_a_checked_in_booking(kk, counter, bob):
    policy = BookingPolicy.current()
    policy.turn_near_ahead = 1
    policy.save()
    now = timezone.now()
    # Walk-ins of a few minutes ago, but never of yesterday (just after midnight).
    midnight = at(timezone.localdate(), 0)
    first = ticket_issue_walk_in(service=kk, now=max(now - dt.timedelta(minutes=5), midnight))
    second = ticket_issue_walk_in(service=kk, now=max(now - dt.timedelta(minutes=4), midnight))
    booking = book_now(kk)
    mine = booking_check_in(booking=booking)
    assert mine.booking == booking
    called = ticket_call_next(counter=counter, officer=bob)  # first; now second and mine wait: mine has 1 ahead
    assert called == first
    near = Notification.objects.filter(ticket=mine, event=NotificationEvent.TURN_NEAR)
    assert near.count() == 1
    ticket_act(ticket=called, action="started", officer=bob)
    ticket_act(ticket=called, action="completed", officer=bob)
    ticket_call_next(counter=counter, officer=bob)  # second
    assert Ticket.objects.get(pk=second.pk).status == "called"
    ticket_act(ticket=second, action="started", officer=bob)
    ticket_act(ticket=second, action="completed", officer=bob)
    ticket_call_next(counter=counter, officer=bob)  # mine
    assert Notification.objects.filter(ticket=mine, event=NotificationEvent.CALLED).count() == 1
    assert "loket 3" in Notification.objects.get(ticket=mine, event=NotificationEvent.CALLED).message


def test_a_deleted_ticket_or_booking_takes_its_messages_along(kk, ktp, tomorrow, counter, bob):
    # Neither link has a constraint in the database: Django deletes the messages.
    mine = booking_check_in(booking=book_now(kk))
    ticket_call_next(counter=counter, officer=bob)
    ticket_id = mine.pk
    assert Notification.objects.filter(ticket_id=ticket_id, event=NotificationEvent.CALLED).exists()
    mine.delete()
    assert not Notification.objects.filter(ticket_id=ticket_id).exists()
    booking = book(ktp, at(tomorrow, 9))
    booking_id = booking.pk
    assert Notification.objects.filter(booking_id=booking_id, event=NotificationEvent.BOOKING_CONFIRMED).exists()
    booking.delete()
    assert not Notification.objects.filter(booking_id=booking_id).exists()


def test_turn_near_is_sent_at_most_twice_per_ticket(kk, counter, bob, disdukcapil):
    from tests.factories import ServiceFactory

    policy = BookingPolicy.current()
    policy.turn_near_ahead = 1
    policy.save()
    mine = booking_check_in(booking=book_now(kk))
    Ticket.objects.filter(pk=mine.pk).update(near_notices=0)
    for round_ in range(4):
        # Each round: a new request in a new service with one ticket ahead of mine.
        other = ServiceFactory(agency=disdukcapil, code=f"other-{round_}")
        Ticket.objects.filter(pk=mine.pk).update(service=other)
        mine.requests.create(service=other)
        ahead = ticket_issue_walk_in(service=kk)
        Ticket.objects.filter(pk=ahead.pk).update(service=other, queue_time=timezone.now() - dt.timedelta(hours=1))
        notify_turn_near(service_ids=[other.pk], day=mine.date)
    assert Notification.objects.filter(ticket=mine, event=NotificationEvent.TURN_NEAR).count() == 2


def book_now(service):
    """A booking for a slot starting in 20 minutes (made directly: the rules are tested elsewhere)."""
    from queueing.models import Booking

    now = timezone.now()
    return Booking.objects.create(
        service=service,
        date=timezone.localdate(),
        start=now + dt.timedelta(minutes=20),
        end=now + dt.timedelta(minutes=50),
        nik=VALID_NIK,
        name="Siti",
        phone="+6281234567890",
        channels=["sms"],
        consent_at=now,
    )


def test_staff_see_the_outbox_and_resend_failed_ones(client, admin_user, ktp, tomorrow, alice, carol):
    from django.urls import reverse

    row = Notification.objects.get(booking=book(ktp, at(tomorrow, 9)), event=NotificationEvent.BOOKING_CONFIRMED)
    Notification.objects.filter(pk=row.pk).update(status=NotificationStatus.FAILED, last_error="HTTP 500")
    url = reverse("admin:queueing_notification_changelist")
    row_link = reverse("admin:queueing_notification_change", args=[row.pk])
    client.force_login(carol)  # Samsat's supervisor: not her agency's message
    assert row_link not in client.get(url + "?status=failed").content.decode()
    client.force_login(alice)
    assert row_link in client.get(url + "?status=failed").content.decode()
    client.force_login(admin_user)
    client.post(url, {"action": "resend", "_selected_action": [str(row.pk)]})
    row.refresh_from_db()
    assert row.status == NotificationStatus.PENDING


def test_only_administrators_edit_the_wording(client, admin_user, alice):
    from django.urls import reverse

    add = reverse("admin:queueing_messagetemplate_add")
    client.force_login(alice)
    assert client.get(add).status_code == 403
    client.force_login(admin_user)
    client.post(add, {"event": "called", "language": "id", "subject": "", "text": "Nomor {number} ke loket {counter}."})
    from queueing.models import MessageTemplate

    assert MessageTemplate.objects.get(event="called", language="id").text == "Nomor {number} ke loket {counter}."


def test_a_task_claims_exactly_the_rows_the_outbox_calls_due(settings):
    settings.SMS_GATEWAY_URL = ""  # every claimed row is logged at once
    # The claim is one written-out UPDATE; ``Notification.objects.due`` is the rule it follows.
    now = timezone.now()
    past, future = now - dt.timedelta(seconds=30), now + dt.timedelta(seconds=30)
    rows = [
        Notification.objects.create(
            event=NotificationEvent.CALLED,
            channel="sms",
            recipient="+6281234567890",
            message="Nomor B-001",
            dedupe_key=f"claim:{n}",
            status=status,
            due_at=due_at,
            lease_until=lease_until,
        )
        for n, (status, due_at, lease_until) in enumerate(
            itertools.product(NotificationStatus.values, (past, now, future), (None, past, now, future))
        )
    ]
    due = set(Notification.objects.due(now).values_list("pk", flat=True))
    assert due  # some of each kind: pending and due, sending with a lapsed lease
    outcomes = notifications_send(notification_ids=[str(row.pk) for row in rows], now=now)
    assert {row.pk for row, outcome in zip(rows, outcomes, strict=True) if outcome != "skipped"} == due
