"""A fault in the staff's wording of a message: refused when saved; and one written
before that check existed (or straight into the database) never stops the change it
tells of, nor the other messages of a batch."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from queueing.bookings.services import booking_create
from queueing.floor.tickets import booking_check_in
from queueing.models import (
    Booking,
    BookingStatus,
    MessageTemplate,
    Notification,
    NotificationEvent,
    NotificationStatus,
    Ticket,
)
from queueing.notifications.delivery import MAX_ATTEMPTS, notifications_send
from queueing.notifications.wording import DEFAULTS
from tests.fake_gateway import FakeGateway
from tests.queueing.conftest import VALID_NIK, at, nik
from tests.queueing.notifications.test_notifications import book_now

pytestmark = pytest.mark.django_db

BROKEN = ["Batal {code} {", "Batal {code.__class__}", "Batal {code[0]}", "Batal {nik}", "Batal {code!r}"]


@pytest.fixture
def gateway(settings):
    fake = FakeGateway().start()
    settings.SMS_GATEWAY_URL = fake.url
    settings.SMS_GATEWAY_TOKEN = fake.token
    yield fake
    fake.stop()


def book(service, start, n=0, **extra):
    values = {"nik": nik(n), "name": "Siti", "phone": "+6281234567890"} | extra
    return booking_create(service=service, start=start, **values)


def stored(event: str, text: str, language: str = "id") -> None:
    """A template as a row written before templates were checked, or by hand in the
    database: no form stands in its way."""
    MessageTemplate.objects.create(event=event, language=language, subject="Judul", text=text)


def default_start(event: str, language: str = "id") -> str:
    """The default wording's first words, which no value changes."""
    return DEFAULTS[(event, language)][1].split("{")[0].strip()


@pytest.mark.parametrize("text", BROKEN)
def test_cancelling_with_a_broken_template_cancels_and_tells_in_the_default_wording(client, ktp, tomorrow, text):
    stored(NotificationEvent.BOOKING_CANCELLED, text)
    booking = book(ktp, at(tomorrow, 9))
    page = client.post(reverse("booking-cancel", args=[booking.display_code]))
    assert page.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    [row] = Notification.objects.filter(booking=booking, event=NotificationEvent.BOOKING_CANCELLED)
    assert row.message.startswith(default_start(NotificationEvent.BOOKING_CANCELLED))
    assert booking.display_code in row.message and "class" not in row.message and "{" not in row.message
    assert row.subject == f"Pemesanan MPP {booking.display_code} dibatalkan"
    assert "templat" in row.last_error.lower()  # the fault is recorded on the row
    assert VALID_NIK not in row.message

    # The API answers its JSON the same.
    other = book(ktp, at(tomorrow, 10), 1)
    answer = APIClient().post(f"/api/v1/bookings/{other.display_code}/cancel/")
    assert answer.status_code == 200 and answer.json()["status"] == "cancelled"
    assert Booking.objects.get(pk=other.pk).status == BookingStatus.CANCELLED


def test_a_message_sent_in_the_default_wording_keeps_the_fault_once_sent(gateway, ktp, tomorrow):
    from queueing.bookings.services import booking_cancel

    stored(NotificationEvent.BOOKING_CANCELLED, "Batal {code} {")
    booking = booking_cancel(booking=book(ktp, at(tomorrow, 9)))
    row = Notification.objects.get(booking=booking, event=NotificationEvent.BOOKING_CANCELLED)
    assert notifications_send(notification_ids=[str(row.pk)]) == [NotificationStatus.SENT]
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT and "templat" in row.last_error.lower()
    assert gateway.received[0]["message"] == row.message


def test_a_broken_called_template_does_not_stop_the_counter(kk, counter, bob):
    stored(NotificationEvent.CALLED, "Nomor {number} ke {counter")
    booking = book_now(kk)
    mine = booking_check_in(booking=booking)
    officer = APIClient()
    officer.force_authenticate(bob)
    called = officer.post(f"/api/v1/counters/{counter.id}/call-next/")
    assert called.status_code == 200
    assert called.json()["number"] == mine.display_number
    assert Ticket.objects.get(pk=mine.pk).status == "called"
    row = Notification.objects.get(ticket=mine, event=NotificationEvent.CALLED)
    assert row.message == f"MPP Tangsel: nomor antrean {mine.display_number}, silakan ke loket {counter.number}."


def test_a_broken_confirmation_fails_its_row_and_the_rest_of_the_batch_goes_out(gateway, ktp, tomorrow):
    stored(NotificationEvent.BOOKING_CONFIRMED, "Pemesanan {code} {")
    indonesian = book(ktp, at(tomorrow, 9), 0)
    english = book(ktp, at(tomorrow, 9), 1, language="en")
    stuck = book(ktp, at(tomorrow, 10), 2)
    confirmations = {
        b.pk: Notification.objects.get(booking=b, event=NotificationEvent.BOOKING_CONFIRMED)
        for b in (indonesian, english, stuck)
    }
    # One whose lease ran out again and again before this: past the attempt cap.
    Notification.objects.filter(pk=confirmations[stuck.pk].pk).update(
        status=NotificationStatus.SENDING,
        attempts=MAX_ATTEMPTS + 3,
        lease_until=timezone.now() - dt.timedelta(minutes=1),
    )
    ids = [str(confirmations[b.pk].pk) for b in (indonesian, english, stuck)]
    outcomes = notifications_send(notification_ids=ids)
    assert outcomes == [NotificationStatus.FAILED, NotificationStatus.SENT, NotificationStatus.FAILED]
    assert gateway.delivered_ids() == [str(confirmations[english.pk].pk)]
    for booking in (indonesian, stuck):
        row = Notification.objects.get(pk=confirmations[booking.pk].pk)
        assert row.status == NotificationStatus.FAILED and row.lease_until is None
        assert "templat" in row.last_error.lower()
        attempt = row.attempt_log.get()
        assert attempt.outcome == "failed" and attempt.detail == row.last_error
        assert attempt.number == row.attempts
    sent = Notification.objects.get(pk=confirmations[english.pk].pk)
    assert english.display_code in sent.message and sent.attempt_log.get().outcome == "sent"
    # Staff fix the wording and send the failed ones again: they go out.
    MessageTemplate.objects.filter(event=NotificationEvent.BOOKING_CONFIRMED).delete()
    MessageTemplate.forget_cached()
    Notification.objects.filter(pk__in=ids).update(status=NotificationStatus.PENDING, due_at=timezone.now())
    assert notifications_send(notification_ids=ids[:1]) == [NotificationStatus.SENT]


BAD_TEXTS = [
    "Nomor {number.__class__}",
    "Nomor {number[0]}",
    "Nomor {unknown}",
    "Nomor {",
    "Nomor }",
    "Nomor {}",
    "Nomor {0}",
    "Nomor {number!r}",
    "Nomor {number:{counter.__class__}}",
    "Nomor {number:>99999999}",
    "{code}",  # a booking's placeholder: a ticket's call has no code
    "{" * 5001,  # pairs are a brace each; the last has none
]


@pytest.mark.parametrize("text", BAD_TEXTS)
def test_the_template_form_refuses_what_it_cannot_fill_and_keeps_what_was_typed(client, admin_user, text):
    client.force_login(admin_user)
    add = reverse("admin:queueing_messagetemplate_add")
    page = client.post(add, {"event": "called", "language": "id", "subject": "", "text": text})
    assert page.status_code == 200
    errors = page.context["adminform"].form.errors
    assert "text" in errors and "subject" not in errors
    assert "Placeholder" not in errors["text"][0]  # Indonesian on an Indonesian page
    assert page.context["adminform"].form["text"].value() == text
    assert not MessageTemplate.objects.exists()


def test_the_subject_is_checked_too_and_the_error_reads_in_english_on_an_english_page(client, admin_user):
    client.force_login(admin_user)
    add = reverse("admin:queueing_messagetemplate_add")
    page = client.post(
        add,
        {"event": "booking_cancelled", "language": "en", "subject": "Booking {code.__class__}", "text": "{code}"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 200
    errors = page.context["adminform"].form.errors
    assert list(errors) == ["subject"]
    assert "placeholder" in errors["subject"][0].lower()
    assert "{code}" in errors["subject"][0]  # names what may be used
    good = {"event": "booking_cancelled", "language": "en", "subject": "Booking {code}", "text": "{code} on {date}"}
    assert client.post(add, good).status_code == 302
    assert MessageTemplate.objects.get().subject == "Booking {code}"


def test_every_default_wording_passes_the_check_staff_templates_face():
    from queueing.notifications.wording import template_fault

    for (event, _language), (subject, text) in DEFAULTS.items():
        assert template_fault(event, subject) is None and template_fault(event, text) is None, event
