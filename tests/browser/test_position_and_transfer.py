"""Where a ticket stands when Disdukcapil's counters serve all its services, and a
transfer from the console: nothing chosen by itself, the officer's own agency first,
and the moved ticket shown with its new agency's prefix on the board and its page."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from agencies.models import Role
from queueing.floor.tickets import ticket_call_next, ticket_issue_walk_in
from queueing.models import Ticket, TicketAction, TicketEvent, TicketStatus
from tests.browser import test_officer_and_display as floor
from tests.browser.test_officer_and_display import COUNTER_PC, SPEECH_RECORDER, TV, open_console, settle
from tests.factories import AgencyFactory, CounterFactory, OpeningHoursFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.browser

# The console's fixtures: Kartu Keluarga, loket 3 with officer bob, browser contexts.
kk, counter, contexts = floor.kk, floor.counter, floor.contexts


@pytest.fixture
def ktp_el(transactional_db, disdukcapil):
    service = ServiceFactory(agency=disdukcapil, code="ktp-24", name="KTP-el", daily_quota=50, walk_in_reserve=0)
    for weekday in range(7):
        OpeningHoursFactory(service=service, agency=disdukcapil, weekday=weekday, opens=dt.time(0), closes=dt.time.max)
    return service


@pytest.fixture
def bpjs(transactional_db):
    """Sorts before Disdukcapil, and so does its first service."""
    agency = AgencyFactory(code="bpjstk", name="BPJS Ketenagakerjaan", ticket_prefix="L")
    ServiceFactory(agency=agency, name="Klaim JHT")
    return agency


def test_the_kk_ticket_page_counts_the_ktp_tickets_the_shared_counters_call_first(
    live_server, phone, check_page, disdukcapil, kk, ktp_el, counter
):
    CounterFactory(agency=disdukcapil, number=4).services.add(kk, ktp_el)
    ktp_el.counters.add(counter)
    ticket_issue_walk_in(service=ktp_el)  # B-001
    b002 = ticket_issue_walk_in(service=kk)
    ticket_issue_walk_in(service=ktp_el)  # B-003, behind B-002
    ticket_issue_walk_in(service=ktp_el, priority_group="elderly")  # B-004, first of all

    phone.goto(f"{live_server.url}/antrean/{b002.code}/")
    expect(phone.get_by_text("B-002", exact=True)).to_be_visible()
    expect(phone.locator("[data-field=ahead]")).to_have_text("2")
    expect(phone.locator("[data-field=wait]")).to_have_text("± 10 menit")  # 2 × 10 min ÷ 2 counters
    check_page(phone, "position-1-kk-behind-two")
    # The page follows the API: the same figure after its first poll.
    phone.wait_for_timeout(3_500)
    expect(phone.locator("[data-field=ahead]")).to_have_text("2")


def test_t_then_enter_transfers_nobody_and_a_chosen_transfer_shows_the_new_prefix(
    live_server, contexts, check_page, disdukcapil, kk, counter, bob, bpjs
):
    ticket_issue_walk_in(service=kk)
    console = contexts(COUNTER_PC)
    open_console(console, live_server.url)
    settle(console)
    console.keyboard.press("n")
    expect(console.locator("[data-current]")).to_contain_text("B-001")

    # T then Enter: the dialog opens with nothing chosen and Enter sends nobody away.
    settle(console)
    console.keyboard.press("t")
    dialog = console.get_by_role("dialog", name=re.compile("Alihkan nomor B-001"))
    expect(dialog).to_be_visible()
    service = console.get_by_label("Layanan tujuan")
    expect(service).to_have_value("")
    groups = service.locator("optgroup").evaluate_all("(groups) => groups.map((group) => group.label)")
    assert groups[0] == disdukcapil.name and "BPJS Ketenagakerjaan" in groups
    console.keyboard.press("Enter")
    expect(dialog.locator("[data-transfer-error]")).to_have_text("Pilih layanan atau loket tujuan.")
    expect(dialog).to_be_visible()
    settle(console)
    assert not TicketEvent.objects.filter(action=TicketAction.TRANSFERRED).exists()
    assert Ticket.objects.get().service == kk

    # A deliberate choice moves it; reopening starts from nothing chosen again.
    service.select_option(label="Klaim JHT")
    check_page(console, "transfer-1-chosen", audit=False)
    dialog.get_by_role("button", name="Alihkan", exact=True).click()
    expect(dialog).to_be_hidden()
    expect(console.get_by_role("status")).to_have_text("Nomor L/B-001 dialihkan ke Klaim JHT.")
    settle(console)
    ticket = Ticket.objects.get()
    assert (ticket.service.agency, ticket.status) == (bpjs, TicketStatus.WAITING)

    # The citizen's page and the board say the same number: L/B-001.
    page = contexts(COUNTER_PC)
    page.goto(f"{live_server.url}/antrean/{ticket.code}/")
    expect(page.locator(".queue-ticket__number")).to_have_text("L/B-001")
    expect(page.get_by_text("Dialihkan ke layanan Klaim JHT", exact=False)).to_be_visible()

    board = contexts(TV, SPEECH_RECORDER)
    board.goto(live_server.url + reverse("display-board"))
    board.get_by_role("button", name="Lanjutkan tanpa suara").click()
    expect(board.locator("body")).to_have_attribute("data-live", "on")
    desk = CounterFactory(agency=bpjs, number=12)
    bpjs.services.get().counters.add(desk)
    lia = UserFactory(username="lia", role=Role.OFFICER, agency=bpjs)
    lia.counters.add(desk)
    assert ticket_call_next(counter=desk, officer=lia).pk == ticket.pk
    expect(board.locator("[data-now-number]")).to_have_text("L/B-001")
    expect(board.locator("[data-calls] tr").first).to_contain_text("L/B-001")
    expect(page.get_by_text("Silakan ke loket 12")).to_be_visible(timeout=10_000)
    expect(page.locator(".queue-ticket__number")).to_have_text("L/B-001")
    check_page(board, "transfer-2-board", audit=False)
