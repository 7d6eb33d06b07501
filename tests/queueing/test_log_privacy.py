"""No personal data in any log line: codes, NIK, names, phones, emails and survey
comments stay out of what the portal's handlers write, from the app's own loggers,
Django's request warnings, Celery's and gunicorn's access log alike."""

import datetime as dt
import io
import logging

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from mpp_common.log_privacy import HIDDEN, RedactingFilter, redact
from queueing.models import Booking, Notification
from queueing.notifications.delivery import notifications_send
from tests.queueing.conftest import VALID_NIK, at

pytestmark = pytest.mark.django_db

NAME = "Wulandari Kusumawati"
PHONE = "0812-3456-7890"
EMAIL = "wulan.kusuma@contoh-pribadi.id"
COMMENT = "Ibu Ratna di loket tiga sangat membantu"


def _handlers() -> list[logging.Handler]:
    """Every handler that writes somewhere (not pytest's own, not a library's NullHandler)."""
    found = {
        id(handler): handler
        for logger in _loggers()
        for handler in logger.handlers
        if not type(handler).__module__.startswith("_pytest") and not isinstance(handler, logging.NullHandler)
    }
    return list(found.values())


def _loggers() -> list[logging.Logger]:
    known = logging.Logger.manager.loggerDict.values()
    return [logging.getLogger(), *(logger for logger in known if isinstance(logger, logging.Logger))]


@pytest.fixture
def written():
    """What the portal's handlers write while the test runs, every logger at DEBUG."""
    buffer = io.StringIO()
    streams = [(h, h.setStream(buffer)) for h in _handlers() if isinstance(h, logging.StreamHandler)]
    assert streams, "no stream handler configured"
    loggers = _loggers()
    levels = [(lg, lg.level) for lg in loggers]
    disabled = [(lg, lg.disabled) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
        lg.disabled = False
    yield buffer
    for handler, stream in streams:
        handler.setStream(stream)
    for lg, level in levels:
        lg.setLevel(level)
    for lg, was in disabled:
        lg.disabled = was


def forms_of(code: str) -> list[str]:
    dashed = "-".join(code[i : i + 4] for i in range(0, len(code), 4))
    return [code, dashed, code.lower(), dashed.lower()]


def test_every_handler_redacts():
    handlers = _handlers()
    assert handlers
    assert all(any(isinstance(f, RedactingFilter) for f in handler.filters) for handler in handlers), handlers


def test_the_main_flows_write_no_personal_data_into_the_log(
    written, settings, ktp, kk, counter, bob, kiosk_api, tomorrow
):
    settings.SMS_GATEWAY_URL = ""  # the log/outbox gateway
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    citizen, staff = APIClient(), APIClient()
    staff.force_authenticate(bob)
    secrets = [NAME, *NAME.split(), VALID_NIK, "81234567890", EMAIL, EMAIL.split("@")[0], COMMENT]

    # Booking: create, look up (API, page, the lookup form), move, cancel.
    person = {"nik": VALID_NIK, "name": NAME, "phone": PHONE, "email": EMAIL}
    created = citizen.post(
        "/api/v1/bookings/", {"service": ktp.id, "start": at(tomorrow, 9).isoformat(), **person}, format="json"
    )
    assert created.status_code == 201, created.json()
    code = created.json()["code"].replace("-", "")
    secrets += forms_of(code)
    assert citizen.get(f"/api/v1/bookings/{code}/").status_code == 200
    page = Client()
    assert page.get(f"/pemesanan/{code.lower()}/", follow=True).status_code == 200
    assert page.get("/pemesanan/", {"kode": code}).status_code == 302
    moved = citizen.post(f"/api/v1/bookings/{code}/reschedule/", {"start": at(tomorrow, 10).isoformat()}, format="json")
    assert moved.status_code == 200, moved.json()
    assert citizen.post(f"/api/v1/bookings/{code}/cancel/").status_code == 200
    assert citizen.post(f"/api/v1/bookings/{code}/cancel/").status_code == 409  # logged as a warning

    # Check-in of today's booking, a walk-in, and the counter's call, serve, complete.
    now = timezone.now()
    today = Booking.objects.create(
        service=kk, date=timezone.localdate(), start=now + dt.timedelta(minutes=20),
        end=now + dt.timedelta(minutes=50), nik=VALID_NIK, name=NAME, phone="+6281234567890", email=EMAIL,
        consent_at=now,
    )  # fmt: skip
    secrets += forms_of(today.code)
    checked_in = kiosk_api.post(f"/api/v1/bookings/{today.display_code}/check-in/")
    assert checked_in.status_code == 200, checked_in.json()
    walk_in = kiosk_api.post("/api/v1/tickets/", {"service": kk.id, "phone": PHONE}, format="json")
    assert walk_in.status_code == 201
    tickets = [checked_in.json()["code"], walk_in.json()["code"]]
    for ticket_code in tickets:
        secrets += forms_of(ticket_code.replace("-", ""))
        assert citizen.get(f"/api/v1/tickets/{ticket_code}/").status_code == 200
        assert page.get(f"/antrean/{ticket_code.lower()}/", follow=True).status_code == 200
    called = staff.post(f"/api/v1/counters/{counter.id}/call-next/").json()["code"]
    for action in ("start", "complete"):
        assert staff.post(f"/api/v1/tickets/{called}/{action}/").status_code == 200
    assert staff.post(f"/api/v1/tickets/{called}/start/").status_code == 409
    survey = {"ticket": called, "answers": [4] * 9, "comment": COMMENT}
    assert citizen.post("/api/v1/surveys/", survey, format="json").status_code == 201

    # Every message written so far goes out through the log gateway and email.
    notifications_send(notification_ids=list(Notification.objects.values_list("pk", flat=True)))
    assert Notification.objects.filter(channel="sms", status="sent").exists()

    # An unknown code, and bad logins.
    assert citizen.get("/api/v1/bookings/ZZZZZZZZZZZZ/").status_code == 404
    assert page.get("/pemesanan/ZZZZ-ZZZZ-ZZZZ/").status_code == 404
    secrets += ["ZZZZZZZZZZZZ", "ZZZZ-ZZZZ-ZZZZ"]
    bad = citizen.post("/api/v1/auth/token/", {"username": EMAIL, "password": "salah"}, format="json")
    assert bad.status_code == 400
    assert Client().post("/admin/login/", {"username": EMAIL, "password": "salah"}).status_code == 200

    log = written.getvalue()
    assert "Not Found: /api/v1/bookings/" + HIDDEN in log  # the lines are there, without the codes
    assert "queueing.bookings.services" in log and "queueing.notifications.gateway" in log
    leaked = [value for value in secrets if value in log]
    assert not leaked, f"{leaked} in the log:\n{log}"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('"GET /pemesanan/ABCD-EFGH-JKMN/batal/ HTTP/1.1" 200', f'"GET /pemesanan/{HIDDEN}/batal/ HTTP/1.1" 200'),
        ("Not Found: /api/v1/tickets/abcdefghjkmn/start/", f"Not Found: /api/v1/tickets/{HIDDEN}/start/"),
        ("GET /pemesanan/lupa-kode/ 200", "GET /pemesanan/lupa-kode/ 200"),
        ("GET /pemesanan/?kode=abcd&limit=5", f"GET /pemesanan/?kode={HIDDEN}&limit=5"),
        ("Kode Anda ABCD-EFGH-JKMN, NIK 3674011708900001", f"Kode Anda {HIDDEN}, NIK {HIDDEN}"),
        ("SMS ke +62 812-3456-7890 atau 081234567890", f"SMS ke {HIDDEN} atau {HIDDEN}"),
        ("mail to siti@example.org failed", f"mail to {HIDDEN} failed"),
        ("notification 42 attempt 3: sent", "notification 42 attempt 3: sent"),
        # Complaints: the citizen's page by code, and the form filled in from a ticket.
        ('"GET /pengaduan/abcd-efgh-jkmn/ HTTP/1.1" 200', f'"GET /pengaduan/{HIDDEN}/ HTTP/1.1" 200'),
        ("GET /pengaduan/lacak/?kode=abcd", f"GET /pengaduan/lacak/?kode={HIDDEN}"),
        ("GET /pengaduan/?tiket=abcd&layanan=3", f"GET /pengaduan/?tiket={HIDDEN}&layanan=3"),
        ("POST /kantor/pengaduan/12/tanggapi/ 302", "POST /kantor/pengaduan/12/tanggapi/ 302"),
    ],
)
def test_redact_hides_codes_and_personal_data_and_keeps_the_rest(line, expected):
    assert redact(line) == expected
