"""Every face of the portal under its content security policy and permissions policy,
enforced: the citizen's, the kiosk's, the officer's, the board's, the office's, the
administration and the API docs. A page fails on any violation the browser reports,
and on behaviour the policy broke (the booking still books, the board still updates)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Role
from queueing.floor.tickets import ticket_act, ticket_call_next, ticket_issue_walk_in
from queueing.models import Booking, TicketAction
from tests.browser.conftest import PHONE, log_in_as_kiosk, sign_in_to_admin
from tests.browser.test_kiosk_and_ticket import KIOSK, make_floor
from tests.browser.test_officer_and_display import COUNTER_PC, TV, open_console, settle
from tests.factories import OpeningHoursFactory, ServiceFactory, UserFactory
from tests.mpp_portal.test_headers import directives

pytestmark = pytest.mark.browser

PASSWORD = "rahasia-uji-2026"
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "id-ID"}
# Reports every violation event of every document, frames and navigations included.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportViolation(`${event.disposition} ${event.effectiveDirective}: ${event.blockedURI} ` +
    `from ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def watched(browser, live_server):
    """``open(options)``: a page in a new context whose policy violations, from the
    violation events and the console alike, land in ``violations``; every document it
    loads must carry the enforced policies."""
    violations: list[str] = []
    documents: list[str] = []
    contexts = []

    def on_response(response) -> None:
        if response.request.resource_type != "document" or not response.url.startswith(live_server.url):
            return
        headers = response.headers
        documents.append(response.url)
        policy = headers.get("content-security-policy", "")
        for directive in ("default-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'"):
            assert directive in policy, f"{response.url}: {policy!r} lacks {directive}"
        sources = directives(policy)
        assert "unsafe" not in sources["script-src"] + sources["default-src"], f"{response.url}: {policy}"
        if not response.url.startswith(live_server.url + reverse("api-redoc")):  # its styles only (mpp_portal/urls.py)
            assert "unsafe" not in sources["style-src"], f"{response.url}: {policy}"
        assert "content-security-policy-report-only" not in headers
        assert "camera=()" in headers.get("permissions-policy", ""), response.url

    def open_page(options: dict):
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        context.expose_function("__reportViolation", lambda text: violations.append(text))
        context.add_init_script(REPORT_VIOLATIONS)
        context.on("console", lambda message: _console(message, violations))
        context.on("response", on_response)
        contexts.append(context)
        return context, context.new_page()

    open_page.violations = violations
    open_page.documents = documents
    yield open_page
    for context in contexts:
        context.close()


def _console(message, violations: list[str]) -> None:
    text = message.text
    if "Content Security Policy" in text or "Permissions policy" in text or "Refused to" in text:
        violations.append(f"console: {text}")


def no_violations(watched, *pages) -> None:
    for page in pages:
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)  # a violation event is dispatched after the fact
    assert watched.violations == [], "\n".join(watched.violations)


@pytest.fixture
def floor(transactional_db):
    """make_floor's Disdukcapil (KK open around the clock at loket 3, officer bob) and
    KTP-el booked by appointment 08.00–12.00 every day."""
    kk, counter, bob = make_floor()
    ktp = ServiceFactory(agency=kk.agency, code="ktp-el", name="Perekaman KTP Elektronik", slot_capacity=4)
    for weekday in range(7):
        OpeningHoursFactory(service=ktp, agency=kk.agency, weekday=weekday, opens=dt.time(8), closes=dt.time(12))
    return kk, ktp, counter, bob


def test_the_citizen_pages_book_and_follow_a_ticket_under_the_policy(live_server, watched, floor):
    kk, ktp, counter, bob = floor
    _context, phone = watched(PHONE)
    base = live_server.url

    phone.goto(base + "/")
    phone.get_by_label("Nama layanan atau instansi").fill("KTP")
    phone.get_by_role("button", name="Cari", exact=True).tap()
    phone.get_by_role("link", name="Perekaman KTP Elektronik").tap()
    expect(phone.get_by_role("heading", name="Perekaman KTP Elektronik", level=1)).to_be_visible()
    phone.goto(base + reverse("agency", args=[kk.agency.code]))
    no_violations(watched, phone)

    # The booking pages, their script included: the booking still books.
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    phone.goto(base + reverse("booking-days", args=[kk.agency.code, ktp.code]))
    phone.goto(base + reverse("booking-form", args=[kk.agency.code, ktp.code, tomorrow, "0900"]))
    phone.get_by_label("NIK", exact=True).fill("3674011708900001")
    phone.get_by_label("Nama lengkap").fill("Siti Rahmawati")
    phone.get_by_label("Nomor ponsel").fill("0812 3456 7890")
    phone.get_by_label("Saya setuju data pribadi saya diproses").check()
    phone.get_by_role("button", name="Pesan nomor antrean").tap()
    expect(phone.get_by_text("Pemesanan berhasil")).to_be_visible()
    code = phone.locator(".ticket__code").inner_text()
    assert Booking.objects.filter(service=ktp).count() == 1
    phone.goto(base + reverse("booking-lookup"))
    phone.get_by_label("Kode pemesanan").fill(code)
    phone.get_by_role("button", name="Buka pemesanan").tap()
    expect(phone.locator(".ticket__code")).to_have_text(code)
    no_violations(watched, phone)

    # The ticket page follows its ticket live until it is called.
    ticket = ticket_issue_walk_in(service=kk)
    phone.goto(base + reverse("citizen-ticket", args=[ticket.code]))
    expect(phone.get_by_text("Menunggu dipanggil")).to_be_visible()
    called = ticket_call_next(counter=counter, officer=bob)
    expect(phone.get_by_text("Silakan ke loket 3")).to_be_visible(timeout=7_000)
    no_violations(watched, phone)

    # The survey after the visit.
    ticket_act(ticket=called, action=TicketAction.STARTED, officer=bob)
    ticket_act(ticket=called, action=TicketAction.COMPLETED, officer=bob)
    phone.goto(base + reverse("survey", args=[called.code]))
    expect(phone.get_by_text("Persyaratan").first).to_be_visible()
    no_violations(watched, phone)
    assert len(watched.documents) >= 9


def test_the_kiosk_console_and_board_work_under_the_policy(live_server, watched, floor):
    base = live_server.url
    kiosk_context, kiosk = watched(KIOSK)
    log_in_as_kiosk(kiosk_context, base)
    kiosk.add_init_script("window.print = function () {};")
    kiosk.goto(base + "/kiosk/")
    kiosk.get_by_role("link", name=re.compile("Dinas Kependudukan")).tap()
    kiosk.get_by_role("link", name=re.compile("Kartu Keluarga")).tap()
    kiosk.get_by_role("button", name="Tidak, ambil nomor antrean umum").tap()
    expect(kiosk.get_by_text("B-001", exact=True)).to_be_visible()
    no_violations(watched, kiosk)

    _board_context, board = watched(TV)
    board.goto(base + reverse("display-board"))
    board.get_by_role("button", name="Lanjutkan tanpa suara").click()
    expect(board.locator("body")).to_have_attribute("data-live", "on")
    assert "autoplay=(self)" in board.evaluate("fetch(location.href).then(r => r.headers.get('permissions-policy'))")

    _console_context, console = watched(COUNTER_PC)
    open_console(console, base)
    expect(console.locator("[data-waiting]")).to_contain_text("B-001")
    settle(board, console)
    console.keyboard.press("n")
    # The board still updates, live.
    expect(board.locator("[data-now-number]")).to_have_text("B-001", timeout=5_000)
    expect(console.locator("[data-current]")).to_contain_text("Dipanggil")
    settle(board, console)
    console.goto(base + reverse("officer-suggestions"))
    no_violations(watched, kiosk, board, console)


def test_the_office_the_administration_and_the_api_docs_under_the_policy(live_server, watched, floor):
    _kk, ktp, _counter, _bob = floor
    base = live_server.url
    UserFactory(username="dina", role=Role.HELP_DESK, agency=None)
    admin = UserFactory(username="root", role=Role.ADMIN, agency=None, is_staff=True, is_superuser=True)

    _context, pc = watched(DESKTOP)
    pc.goto(base + reverse("help-desk"))
    pc.get_by_label("Nama pengguna").fill("dina")
    pc.get_by_label("Kata sandi").fill(PASSWORD)
    pc.get_by_role("button", name="Masuk", exact=True).click()
    expect(pc.get_by_role("heading", level=1)).not_to_have_text("Masuk petugas")
    no_violations(watched, pc)

    _admin_context, office = watched(DESKTOP)
    sign_in_to_admin(office, base, admin.username, PASSWORD)
    expect(office.locator("#content h1")).to_be_visible()
    office.goto(base + reverse("admin:services_service_change", args=[ktp.pk]))
    expect(office.locator("#content-main form")).to_be_visible()
    # The schedule preview (its table scrolls sideways by a class, not a style attribute).
    office.goto(base + reverse("admin:services_openinghours_changelist"))
    no_violations(watched, office)

    office.goto(base + reverse("api-docs"))
    expect(office.locator(".swagger-ui .opblock").first).to_be_visible(timeout=15_000)
    office.locator(".swagger-ui .opblock-summary").first.click()
    expect(office.locator(".swagger-ui .opblock-body").first).to_be_visible()
    no_violations(watched, office)

    # Redoc: its styles may be inline (mpp_portal/urls.py); the logo its bundle always
    # asks cdn.redoc.ly for is blocked, which is the policy at work, and nothing else is.
    office.goto(base + reverse("api-redoc"))
    expect(office.get_by_role("heading", name=re.compile("^MPP Portal API"))).to_be_visible(timeout=15_000)
    expect(office.get_by_text("/api/v1/bookings/").first).to_be_attached()
    office.wait_for_timeout(300)
    blocked_logo = [v for v in watched.violations if "https://cdn.redoc.ly/redoc/logo-mini.svg" in v]
    watched.violations[:] = [v for v in watched.violations if v not in blocked_logo]
    no_violations(watched, office)
