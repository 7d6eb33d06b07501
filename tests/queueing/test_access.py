"""Who may open what: every staff endpoint and page, acting on agency A's objects
(Disdukcapil's counter, tickets and booking), for every kind of caller.

Callers: anonymous; the lobby's kiosk; a citizen who knows only a booking code and a
ticket code (and has opened their own pages); officer and supervisor of agency A
(bob, alice); officer and supervisor of agency B (dave, carol); DPMPTSP's help desk
(dina), which works only at its own pages; the DPMPTSP administrator. Pages are opened
with the caller's session, the API with its token.

Each cell is the answer expected: a status code, or where a 302 leads (``login`` is the
officer's login page, ``kiosk`` the kiosk's, ``admin`` the administration's, ``here``
a page of the same feature). The URL patterns are enumerated: a URL that is neither in
the table nor in ``PUBLIC`` fails ``test_every_url_has_its_row``, so a new endpoint
cannot be added without deciding who may use it.
"""

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from agencies.models import Role
from queueing.bookings.services import booking_create
from queueing.floor.tickets import ticket_act, ticket_call_next, ticket_issue_walk_in
from queueing.office.complaints.services import complaint_file
from tests.factories import AgreementFactory, CounterFactory, ServiceFactory, UserFactory

from .conftest import at, nik

PASSWORD = "rahasia-uji-2026"
ROLES = (
    "anonymous",
    "kiosk",
    "citizen",
    "officer_a",
    "officer_b",
    "supervisor_a",
    "supervisor_b",
    "help_desk",
    "admin",
)


def cells(*answers):
    """The answers of one row, in the order of ``ROLES``: anonymous, kiosk, citizen,
    officer A, officer B, supervisor A, supervisor B, help desk, administrator."""
    return dict(zip(ROLES, answers, strict=True))


# (url name, method, how the URL and body are made from the floor, the expected cells).
# The API answers 401 without credentials where a token is asked for; the kiosk's own
# endpoints answer 403 (the contract). A counter outside the user's scope is not found.
API = [
    (
        "api-token",
        "post",
        lambda f, role: ((), f.credentials[role]),
        cells(400, 400, 400, 200, 200, 200, 200, 200, 200),
    ),
    (
        "counter-list",
        "get",
        lambda f, role: ((), {"agency": f.agency_a.pk}),
        cells(401, 403, 401, 200, 200, 200, 200, 403, 200),
    ),
    (
        "counter-detail",
        "get",
        lambda f, role: ((f.counter.pk,), None),
        cells(401, 403, 401, 200, 404, 200, 404, 403, 200),
    ),
    (
        "api-counter-call-next",
        "post",
        lambda f, role: ((f.idle_counter.pk,), None),
        cells(401, 403, 401, 200, 404, 200, 404, 403, 200),
    ),
    (
        "api-counter-pause",
        "post",
        lambda f, role: ((f.counter.pk,), {"paused": True}),
        cells(401, 403, 401, 200, 404, 200, 404, 403, 200),
    ),
    (
        "api-ticket-action",
        "post",
        lambda f, role: ((f.called.code, "recall"), None),
        cells(401, 403, 401, 200, 403, 200, 403, 403, 200),
    ),
    (
        "api-ticket-action",
        "post",
        lambda f, role: ((f.called.code, "transfer"), {"service": f.service_b.pk}),
        cells(401, 403, 401, 200, 403, 200, 403, 403, 200),
    ),
    (
        "api-ticket-create",
        "post",
        lambda f, role: ((), {"service": f.service.pk}),
        cells(403, 201, 403, 403, 403, 403, 403, 403, 403),
    ),
    # The booking is tomorrow's: the kiosk gets as far as the check-in window.
    (
        "api-booking-check-in",
        "post",
        lambda f, role: ((f.booking.code,), None),
        cells(403, 409, 403, 403, 403, 403, 403, 403, 403),
    ),
    # Agency A's reports: another agency's people asking for them are refused (403),
    # not given their own instead.
    (
        "api-report-ikm",
        "get",
        lambda f, role: ((), {"agency": f.agency_a.pk}),
        cells(401, 403, 401, 200, 403, 200, 403, 403, 200),
    ),
    (
        "api-report-ikm",
        "get",
        lambda f, role: ((), {"format": "csv"}),
        cells(401, 403, 401, 200, 200, 200, 200, 403, 200),
    ),
    # The queue report is the office area's (administrators, supervisors), as its page.
    (
        "api-report-summary",
        "get",
        lambda f, role: ((), {"agency": f.agency_a.pk}),
        cells(401, 403, 401, 403, 403, 200, 403, 403, 200),
    ),
    (
        "api-report-summary",
        "get",
        lambda f, role: ((), {"agency": f.agency_a.pk, "format": "xlsx"}),
        cells(401, 403, 401, 403, 403, 200, 403, 403, 200),
    ),
    (
        "api-report-summary",
        "get",
        lambda f, role: ((), {"format": "csv"}),
        cells(401, 403, 401, 403, 403, 200, 200, 403, 200),
    ),
    # The floor now: administrators, and a supervisor for their own agency only.
    (
        "api-report-floor",
        "get",
        lambda f, role: ((), {"agency": f.agency_a.pk}),
        cells(401, 403, 401, 403, 403, 200, 403, 403, 200),
    ),
    ("api-report-floor", "get", lambda f, role: ((), None), cells(401, 403, 401, 403, 403, 200, 200, 403, 200)),
]

HELP_DESK = cells("login", 403, "login", 403, 403, 403, 403, 200, 200)
# The office area (/kantor/): administrators, and supervisors for their own agency.
OFFICE = cells("login", 403, "login", 403, 403, 200, 200, 403, 200)
KIOSK_PAGE = cells("kiosk", 200, "kiosk", "kiosk", "kiosk", "kiosk", "kiosk", "kiosk", "kiosk")
PAGES = [
    ("officer-home", "get", lambda f, role: ((), None), cells("login", 403, "login", 200, 200, 200, 200, 403, 200)),
    (
        "officer-console",
        "get",
        lambda f, role: ((f.counter.pk,), None),
        cells("login", 403, "login", 200, 403, 200, 403, 403, 200),
    ),
    (
        "officer-console-state",
        "get",
        lambda f, role: ((f.counter.pk,), None),
        cells(401, 403, 401, 200, 403, 200, 403, 403, 200),
    ),
    # The survey tablet: the staff of the agency that served the visit, no one else.
    (
        "officer-survey",
        "get",
        lambda f, role: ((f.served.code,), None),
        cells("login", 403, "login", 200, 403, 200, 403, 403, 403),
    ),
    (
        "officer-survey-done",
        "get",
        lambda f, role: ((), None),
        cells("login", 403, "login", 200, 200, 200, 200, 403, 200),
    ),
    (
        "officer-suggestions",
        "get",
        lambda f, role: ((), None),
        cells("login", 403, "login", 200, 200, 200, 200, 403, 200),
    ),
    ("office-home", "get", lambda f, role: ((), None), OFFICE),
    ("office-floor", "get", lambda f, role: ((), None), OFFICE),
    ("office-floor", "get", lambda f, role: ((), {"agency": f.agency_a.pk}), OFFICE | {"supervisor_b": 403}),
    ("office-ikm", "get", lambda f, role: ((), None), OFFICE),
    ("office-ikm", "get", lambda f, role: ((), {"agency": f.agency_a.pk}), OFFICE | {"supervisor_b": 403}),
    ("office-report", "get", lambda f, role: ((), None), OFFICE),
    # Agency A's report: agency B's supervisor is refused.
    (
        "office-report",
        "get",
        lambda f, role: ((), {"agency": f.agency_a.pk}),
        OFFICE | {"supervisor_b": 403},
    ),
    ("help-desk", "get", lambda f, role: ((), None), HELP_DESK),
    ("help-desk-book", "get", lambda f, role: ((), None), HELP_DESK),
    ("help-desk-booking", "get", lambda f, role: ((f.booking.code,), None), HELP_DESK),
    ("help-desk-move", "get", lambda f, role: ((f.booking.code,), None), HELP_DESK),
    ("help-desk-cancel", "get", lambda f, role: ((f.booking.code,), None), HELP_DESK),
    (
        "help-desk-resend",
        "post",
        lambda f, role: ((f.booking.code,), {}),
        HELP_DESK | {"help_desk": "here", "admin": "here"},
    ),
    ("help-desk-print", "get", lambda f, role: ((f.booking.code,), None), HELP_DESK),
    ("office-mou", "get", lambda f, role: ((), None), OFFICE),
    # Agency A's signed MoU: administrators and A's own supervisor only.
    (
        "agreement-document",
        "get",
        lambda f, role: ((f.mou.pk,), None),
        cells("login", 403, "login", 403, 403, 200, 403, 403, 200),
    ),
    ("kiosk-home", "get", lambda f, role: ((), None), KIOSK_PAGE),
    ("kiosk-check-in", "get", lambda f, role: ((), None), KIOSK_PAGE),
    ("kiosk-code-recovery", "get", lambda f, role: ((), None), KIOSK_PAGE),
    ("kiosk-code-recovery-sent", "get", lambda f, role: ((), None), KIOSK_PAGE),
    ("kiosk-ticket", "get", lambda f, role: ((f.called.code,), None), KIOSK_PAGE),
    ("kiosk-agency", "get", lambda f, role: ((f.agency_a.code,), None), KIOSK_PAGE),
    ("kiosk-service", "get", lambda f, role: ((f.agency_a.code, f.service.code), None), KIOSK_PAGE),
    # Complaints in the office area: agency A's complaint; an empty post is a 400 for
    # whoever may answer (or route: administrators only).
    ("office-complaints", "get", lambda f, role: ((), None), OFFICE),
    (
        "office-complaint",
        "get",
        lambda f, role: ((f.complaint.pk,), None),
        cells("login", 403, "login", 403, 403, 200, 403, 403, 200),
    ),
    (
        "office-complaint-answer",
        "post",
        lambda f, role: ((f.complaint.pk,), {}),
        cells("login", 403, "login", 403, 403, 400, 403, 403, 400),
    ),
    (
        "office-complaint-route",
        "post",
        lambda f, role: ((f.complaint.pk,), {}),
        cells("login", 403, "login", 403, 403, 403, 403, 403, 400),
    ),
]

# The administration: officers and kiosks are not staff there; supervisors see their
# agency's rows, the administrator every row. Scoped models are opened at agency A's row.
ADMIN_LIST = cells("admin", "admin", "admin", "admin", "admin", 200, 200, "admin", 200)
ADMIN_ONLY = cells("admin", "admin", "admin", "admin", "admin", 403, 403, "admin", 200)
# Another agency's row is "not found" the administration's way: back to its index.
ADMIN_ROW_OF_A = cells("admin", "admin", "admin", "admin", "admin", 200, "admin-index", "admin", 200)
ADMIN = [
    ("admin:agencies_agency_changelist", ADMIN_LIST),
    ("admin:agencies_agreement_changelist", ADMIN_LIST),
    ("admin:agencies_counter_changelist", ADMIN_LIST),
    ("admin:agencies_user_changelist", ADMIN_LIST),
    ("admin:agencies_loginlockout_changelist", ADMIN_LIST),  # supervisors see their agency's lockouts
    ("admin:services_service_changelist", ADMIN_LIST),
    ("admin:services_openinghours_changelist", ADMIN_LIST),
    ("admin:services_closureday_changelist", ADMIN_LIST),
    ("admin:services_bookingpolicy_changelist", ADMIN_LIST),  # supervisors read the mall's rules
    ("admin:queueing_booking_changelist", ADMIN_LIST),
    ("admin:queueing_announcement_changelist", ADMIN_LIST),
    ("admin:queueing_notification_changelist", ADMIN_LIST),
    ("admin:queueing_messagetemplate_changelist", ADMIN_LIST),
    ("admin:queueing_survey_changelist", ADMIN_LIST),
    ("admin:auth_group_changelist", ADMIN_ONLY),
    ("admin:authtoken_tokenproxy_changelist", ADMIN_ONLY),
    # The audit log and the ticket history: DPMPTSP's administrators only.
    ("admin:agencies_auditentry_changelist", ADMIN_ONLY),
    ("admin:queueing_ticketevent_changelist", ADMIN_ONLY),
]
ADMIN_ROWS = [
    ("admin:agencies_agency_change", lambda f: f.agency_a.pk, ADMIN_ROW_OF_A),
    ("admin:agencies_counter_change", lambda f: f.counter.pk, ADMIN_ROW_OF_A),
    ("admin:agencies_user_change", lambda f: f.people["officer_a"].pk, ADMIN_ROW_OF_A),
    ("admin:services_service_change", lambda f: f.service.pk, ADMIN_ROW_OF_A),
    ("admin:queueing_booking_change", lambda f: f.booking.pk, ADMIN_ROW_OF_A),
]

# Open to everyone, each for its reason; what is here is not a staff URL.
PUBLIC = {
    # health checks, language switch, the API's document and its readers
    "healthz", "readyz", "livez", "set_language", "schema", "api-docs", "api-redoc", "api-root",
    # the citizen's catalogue, booking pages and booking API (the code is the key)
    "home", "agency", "service", "booking-days", "booking-slots", "booking-form", "booking-lookup",
    "booking-code-recovery", "booking-code-recovery-sent", "booking-detail", "booking-ics", "booking-cancel",
    "booking-reschedule", "booking-reschedule-slots", "booking-reschedule-confirm", "api-slots",
    "api-booking-create", "api-booking", "api-booking-cancel", "api-booking-reschedule",
    "agency-list", "agency-detail", "service-list", "service-detail",
    # the citizen's ticket and survey by code, the board and its stream (no personal data)
    "citizen-ticket", "api-ticket", "survey", "api-survey-create", "display-board", "api-display", "live-events",
    # the mall's published figures per agency (no personal data)
    "transparency", "api-transparency",
    # the published IKM: figures per agency and service, no visit and no person
    "ikm-public", "ikm-public-agency",
    # the login pages themselves, and logging out
    "officer-login", "officer-logout", "kiosk-login",
    # complaints: anyone may file one; its page and API answer only to its code
    "complaint-form", "complaint-lookup", "complaint-detail", "api-complaint-create", "api-complaint",
}  # fmt: skip


class Floor:
    """Agency A's objects the table acts on, and the people."""


@pytest.fixture
def floor(disdukcapil, samsat, kk, ktp, counter, admin_user, alice, bob, carol, dave, kiosk, tomorrow):
    f = Floor()
    f.agency_a, f.service, f.counter = disdukcapil, kk, counter
    f.people = {
        "kiosk": kiosk, "officer_a": bob, "officer_b": dave, "supervisor_a": alice, "supervisor_b": carol,
        "help_desk": UserFactory(username="dina", role=Role.HELP_DESK, agency=None, is_staff=False),
        "admin": admin_user,
    }  # fmt: skip
    f.service_b = ServiceFactory(agency=samsat, code="stnk", name="STNK", walk_in=True)
    # A served visit for the survey tablet, then a called ticket at bob's counter.
    ticket_issue_walk_in(service=kk)
    f.served = ticket_call_next(counter=counter, officer=bob)
    ticket_act(ticket=f.served, action="started", officer=bob)
    f.served = ticket_act(ticket=f.served, action="completed", officer=bob)
    ticket_issue_walk_in(service=kk)
    f.called = ticket_call_next(counter=counter, officer=bob)
    # Another of A's counters, free, for call-next; someone waits for it.
    f.idle_counter = CounterFactory(agency=disdukcapil, number=4)
    kk.counters.add(f.idle_counter)
    bob.counters.add(f.idle_counter)
    ticket_issue_walk_in(service=kk)
    f.booking = booking_create(service=ktp, start=at(tomorrow, 8), nik=nik(1), name="Warga", phone="081234567890")
    f.complaint = complaint_file(text="Antrean terlalu lama.", agency=disdukcapil)
    f.here = reverse("help-desk-booking", args=[f.booking.display_code])
    # Agency A's MoU with its signed document.
    f.mou = AgreementFactory(agency=disdukcapil)
    f.mou.document.save("mou.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"))
    f.credentials = {role: {"username": user.username, "password": PASSWORD} for role, user in f.people.items()}
    f.credentials |= {
        "anonymous": {"username": "bob", "password": "salah"},
        "citizen": {"username": "x", "password": "y"},
    }
    return f


def page_client(floor, role: str) -> Client:
    client = Client()
    if role == "citizen":
        client.get(reverse("booking-detail", args=[floor.booking.code]))
        client.get(reverse("citizen-ticket", args=[floor.called.code]))
    elif role != "anonymous":
        client.force_login(floor.people[role])
    return client


def api_client(floor, role: str) -> APIClient:
    client = APIClient()
    if role in floor.people:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=floor.people[role]).key}")
    return client


LOGINS = {"login": "officer-login", "kiosk": "kiosk-login", "admin": "admin:login", "admin-index": "admin:index"}


def answer_to(response, expected, *, here: str = "") -> str | None:
    """What is wrong with the answer, or None when it is the cell's."""
    if isinstance(expected, int):
        return None if response.status_code == expected else f"expected {expected}, got {response.status_code}"
    target = here if expected == "here" else reverse(LOGINS[expected])
    if response.status_code == 302 and response["Location"].startswith(target):
        return None
    return f"expected 302 to {target}, got {response.status_code} {response.get('Location', '')}"


def each_role(floor, expected: dict, request) -> list[str]:
    """Each caller in turn, each on the same floor: what one caller changes (a call,
    a pause) is rolled back before the next."""
    wrong = []
    for role in ROLES:
        with transaction.atomic():
            problem = answer_to(request(role), expected[role], here=floor.here)
            transaction.set_rollback(True)
        if problem:
            wrong.append(f"{role}: {problem}")
    return wrong


def _ids(rows):
    return [f"{row[0]}-{row[1]}-{n}" for n, row in enumerate(rows)]


@pytest.mark.parametrize(("name", "method", "make", "expected"), API, ids=_ids(API))
def test_api_access(floor, name, method, make, expected):
    def request(role):
        args, data = make(floor, role)
        client = api_client(floor, role)
        return getattr(client, method)(reverse(name, args=args), data, format="json" if method == "post" else None)

    assert each_role(floor, expected, request) == []


# The console's own actions: the same API, with the session of the logged-in page.
CONSOLE_ACTIONS = [row for row in API if row[0] in ("api-counter-call-next", "api-counter-pause", "api-ticket-action")]


@pytest.mark.parametrize(("name", "method", "make", "expected"), CONSOLE_ACTIONS, ids=_ids(CONSOLE_ACTIONS))
def test_console_action_access_with_the_session(floor, name, method, make, expected):
    def request(role):
        args, data = make(floor, role)
        client = page_client(floor, role)
        return client.post(reverse(name, args=args), data or {}, content_type="application/json")

    assert each_role(floor, expected, request) == []


@pytest.mark.parametrize(("name", "method", "make", "expected"), PAGES, ids=_ids(PAGES))
def test_page_access(floor, name, method, make, expected):
    def request(role):
        args, data = make(floor, role)
        return getattr(page_client(floor, role), method)(reverse(name, args=args), data)

    assert each_role(floor, expected, request) == []


@pytest.mark.parametrize(("name", "expected"), ADMIN, ids=[row[0] for row in ADMIN])
def test_admin_changelist_access(floor, name, expected):
    assert each_role(floor, expected, lambda role: page_client(floor, role).get(reverse(name))) == []


@pytest.mark.parametrize(("name", "pk", "expected"), ADMIN_ROWS, ids=[row[0] for row in ADMIN_ROWS])
def test_admin_change_page_of_agency_a(floor, name, pk, expected):
    url = reverse(name, args=[pk(floor)])
    assert each_role(floor, expected, lambda role: page_client(floor, role).get(url)) == []


def _url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the administration: checked model by model below
            yield from _url_names(pattern.url_patterns, namespace)
        elif pattern.name:
            yield pattern.name
        else:
            yield str(pattern.pattern)


def test_every_url_has_its_row():
    in_table = {row[0] for row in API + PAGES}
    missing = set(_url_names(get_resolver().url_patterns)) - in_table - PUBLIC
    assert not missing, f"URLs with no row in the access table and not public: {sorted(missing)}"


def test_every_admin_model_has_its_row():
    in_table = {row[0] for row in ADMIN}
    registered = {f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist" for m in admin.site._registry}
    assert not registered - in_table, f"admin models with no row: {sorted(registered - in_table)}"


def test_the_table_names_no_url_that_does_not_exist():
    names = set(_url_names(get_resolver().url_patterns))
    assert {row[0] for row in API + PAGES} <= names
    assert names >= PUBLIC
