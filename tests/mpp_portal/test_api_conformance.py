"""The API against its own OpenAPI document, as schemathesis generates requests from it:
for an anonymous caller, an officer and an administrator, no answer is a 5xx and every
answer is one the document declares (status code, content type, headers, body).

The requests run in the process, through the WSGI application, on the demo data with a
few tickets and bookings of today, so that generated ids reach real rows; path codes are
drawn from real booking and ticket codes as often as from generated ones. The number of
examples per operation is bounded (``EXAMPLES``) so the three roles take a minute or two.
Rate limits are off here, or 429s would hide the cases behind them.
"""

import contextlib
import datetime as dt

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from agencies.models import Counter, User
from queueing.bookings.services import booking_create
from queueing.bookings.slots import slots_for
from queueing.errors import QueueError
from queueing.floor.tickets import ACTIONS, booking_check_in, ticket_act, ticket_call_next, ticket_issue_walk_in
from queueing.models import Booking, Complaint, Ticket, TicketStatus
from queueing.office.complaints.services import complaint_answer, complaint_file
from queueing.surveys.services import survey_submit
from services.models import ClosureDay, Service
from services.schedule import schedule_changed
from tests.queueing.conftest import nik

EXAMPLES = 12
# No server error, and the answer as declared. Not whether a schema-valid request is
# accepted: the document gives types, not rules such as a NIK's date or a login.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
ROLES = {
    "anonymous": None,
    "kiosk": "kiosk",
    "officer": "officer-disdukcapil-1",
    "administrator": "admin",
}


@pytest.fixture
def portal_api(db, settings):
    """The API's document, loaded from the portal itself; its cases run in the process."""
    from mpp_portal.wsgi import application

    settings.RATELIMIT_ENABLED = False
    # As Django's test client does: the test's transaction is the connection's, and
    # no request may close it.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def floor_of_today(db):
    """The demo mall, open around the clock, with today's tickets in every state at the
    officer's counter, bookings of today and tomorrow, and for each operation a request
    body that its rules accept (a valid NIK, a free slot, a served ticket)."""
    call_command("load_demo_data", verbosity=0)
    call_command("demo_around_the_clock", verbosity=0)
    ClosureDay.objects.all().delete()  # a public holiday would close it, and the test runs any day
    schedule_changed()
    officer = User.objects.get(username=ROLES["officer"])
    counter = officer.counters.first()
    service = counter.services.filter(walk_in=True).first()
    for _ in range(7):
        ticket_issue_walk_in(service=service)
    for action in (
        ["started", "completed"],
        ["started", "completed"],
        ["recalled", "recalled", "no_show"],
        ["held"],
        [],
    ):
        ticket = ticket_call_next(counter=counter, officer=officer)
        for step in action:
            ticket = ticket_act(ticket=ticket, action=step, officer=officer)
    # One served visit has its survey (the reports have figures), the other has none yet.
    surveyed, served = Ticket.objects.filter(status=TicketStatus.DONE)
    survey_submit(ticket=surveyed, answers=[4, 3, 3, 4, 2, 3, 4, 4, 3], comment="Antrean <b>cepat</b>.")
    online = Service.objects.filter(agency=counter.agency, online_booking=True).first()
    free = [slot.start for day in range(3) for slot in slots_for(online, timezone.localdate() + dt.timedelta(days=day))]
    for n, start in enumerate(free[:2]):
        booking_create(service=online, start=start, nik=nik(n), name="Warga Uji", phone="081234567890")
    for booking in Booking.objects.all():
        with contextlib.suppress(QueueError):
            booking_check_in(booking=booking)
    other = Service.objects.filter(walk_in=True).exclude(agency=counter.agency).first()
    # Complaints: one answered, one not routed to an agency yet.
    answered = complaint_file(text="Antrean <b>lama</b> sekali.", agency=counter.agency, ticket_code=served.code)
    supervisor = User.objects.get(username=f"supervisor-{counter.agency.code}")
    complaint_answer(staff=supervisor, complaint=answered, answer="Maaf.", status="dijawab")
    complaint_file(text="Parkir mal penuh setiap pagi.", phone="081234567890", consent=True)
    return {
        "ticket": list(Ticket.objects.values_list("code", flat=True)),
        "booking": list(Booking.objects.values_list("code", flat=True)),
        "agency": [counter.agency_id, other.agency_id],
        "service": [service.pk, online.pk, other.pk],
        "counter": list(
            Counter.objects.filter(agency__in=[counter.agency_id, other.agency_id]).values_list("pk", flat=True)
        ),
        "action": list(ACTIONS),
        "complaint": list(Complaint.objects.values_list("code", flat=True)),
        "date": [timezone.localdate().isoformat(), (timezone.localdate() + dt.timedelta(days=1)).isoformat()],
        "bodies": {
            "/api/v1/auth/token/": {"username": ROLES["officer"], "password": django_settings.DEMO_PASSWORD},
            "/api/v1/bookings/": {
                "service": online.pk,
                "start": free[-1].isoformat(),
                "nik": nik(9),
                "name": "Warga Uji",
                "phone": "081234567891",
            },
            "/api/v1/bookings/{code}/reschedule/": {"start": free[-2].isoformat()},
            "/api/v1/surveys/": {"ticket": served.code, "answers": [3] * 9, "comment": "Cepat."},
            "/api/v1/complaints/": {
                "text": "Petugas loket tidak ada di tempat.",
                "agency": counter.agency_id,
                "service": service.pk,
                "ticket": served.code,
                "name": "Warga Uji",
                "phone": "081234567891",
                "email": "warga@example.org",
            },
            "/api/v1/tickets/": {"service": service.pk},
            "/api/v1/tickets/{code}/{action}/": {"service": other.pk},
        },
    }


@pytest.mark.parametrize("role", ROLES)
def test_api_answers_as_its_schema_declares(role, portal_api, floor_of_today):
    headers = {}
    if ROLES[role]:
        token = Token.objects.create(user=User.objects.get(username=ROLES[role]))
        headers = {"Authorization": f"Token {token.key}"}
    failures = []
    for operation in portal_api.get_all_operations():
        operation = operation.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                derandomize=True,
                database=None,
            )
            def check(case, data):
                real(case, data, floor_of_today)
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                check()
            except Unsatisfiable:
                continue  # nothing in the document can be broken (a string in the path)
            except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 -- every failure at once
                failures.append(f"{operation.label} ({mode.value}): {error}")
    assert not failures, "\n\n".join(failures)


def real(case, data, rows: dict) -> None:
    """As often as not, replace a generated code, id or body by a real one, so that
    cases reach the rows behind them and the rules past the fields' types."""
    path = case.operation.path
    params = case.path_parameters or {}
    for name in params:
        kind = name
        if name == "code":
            kind = "ticket" if path.startswith("/api/v1/tickets/") else "booking"
            kind = "complaint" if path.startswith("/api/v1/complaints/") else kind
        elif name == "id":
            kind = path.split("/")[3].removesuffix("s")  # agencies → agencie: no rows, kept generated
        if kind in rows:
            params[name] = data.draw(st.sampled_from([params[name], *rows[kind]]))
    if isinstance(case.query, dict):
        for name in set(case.query) & {"agency", "service", "date"}:
            case.query[name] = data.draw(st.sampled_from([case.query[name], *rows[name]]))
    body = rows["bodies"].get(path)
    if body is not None:
        if isinstance(case.body, dict):
            body = data.draw(st.sampled_from([body, case.body | body]))
        case.body = data.draw(st.sampled_from([case.body, body]))


def call(portal_api, method: str, path: str, *, headers: dict | None = None, **parts):
    """One request of an operation, its answer held to the document as above."""
    if "body" in parts:
        parts["media_type"] = "application/json"
    return portal_api[path][method].Case(**parts).call_and_validate(headers=headers, checks=CHECKS)


def test_a_waiting_ticket_answers_as_declared(portal_api, floor_of_today):
    # called_at is null until the ticket is called.
    waiting = Ticket.objects.filter(status=TicketStatus.WAITING).first()
    assert call(portal_api, "GET", "/api/v1/tickets/{code}/", path_parameters={"code": waiting.code}).status_code == 200


def test_a_survey_for_an_unknown_ticket_answers_as_declared(portal_api, floor_of_today):
    body = floor_of_today["bodies"]["/api/v1/surveys/"] | {"ticket": "ZZZZ-ZZZZ-ZZZZ"}
    assert call(portal_api, "POST", "/api/v1/surveys/", body=body).status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/tickets/{code}/", "/api/v1/display/"])
def test_an_unchanged_answer_is_a_declared_304(portal_api, floor_of_today, path):
    parts = {"path_parameters": {"code": floor_of_today["ticket"][0]}} if "{code}" in path else {}
    first = call(portal_api, "GET", path, **parts)
    again = call(portal_api, "GET", path, headers={"If-None-Match": first.headers["etag"][0]}, **parts)
    assert again.status_code == 304


def test_the_floor_answers_a_supervisor_as_declared(portal_api, floor_of_today):
    # The roles above have no supervisor: their own agency, another one's, and a 304.
    token = Token.objects.create(user=User.objects.get(username="supervisor-disdukcapil"))
    headers = {"Authorization": f"Token {token.key}"}
    own, other = floor_of_today["agency"]
    first = call(portal_api, "GET", "/api/v1/reports/floor/", headers=headers, query={"agency": own})
    assert first.status_code == 200
    again = headers | {"If-None-Match": first.headers["etag"][0]}
    assert call(portal_api, "GET", "/api/v1/reports/floor/", headers=again, query={"agency": own}).status_code == 304
    refused = call(portal_api, "GET", "/api/v1/reports/floor/", headers=headers, query={"agency": other})
    assert refused.status_code == 403
