"""The whole mall's board on a 1080p TV with the seventeen partner agencies: every
agency's name whole and large, and an agency's last calls kept; the console shows a
booked citizen's slot time and booking code beside the name."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from queueing.floor.tickets import booking_check_in, ticket_act, ticket_call_next, ticket_issue_walk_in
from queueing.models import TicketAction
from services.demo_data import AGENCIES
from tests.browser import test_officer_and_display as floor
from tests.browser.test_officer_and_display import COUNTER_PC, SPEECH_RECORDER, TV, open_console, settle
from tests.factories import AgencyFactory
from tests.queueing.conftest import VALID_NIK
from tests.queueing.floor.test_kiosk_pages import booking_for

pytestmark = pytest.mark.browser

# The console's fixtures: Kartu Keluarga, loket 3 with officer bob, browser contexts.
kk, counter, contexts = floor.kk, floor.counter, floor.contexts

# Read from across the hall: at 1080 lines, names of at least 28 pixels, counts of 48.
NAME_PX, COUNT_PX = 28, 48


def busy_morning(route) -> None:
    """The board's state as the server answers it, with 88 waiting at every agency."""
    response = route.fetch()
    if response.status != 200:
        return route.fulfill(response=response)
    state = response.json()
    for row in state["waiting"]:
        row["waiting"] = 88
    route.fulfill(response=response, json=state, headers={"Content-Type": "application/json"})


def test_every_agency_name_is_whole_and_large_and_an_agency_keeps_its_last_calls(
    live_server, contexts, kk, counter, bob
):
    for agency in AGENCIES:
        if agency["code"] != "disdukcapil":
            AgencyFactory(code=agency["code"], name=agency["name"], ticket_prefix=agency["ticket_prefix"])
    for _ in range(5):
        ticket_issue_walk_in(service=kk)
    for _ in range(4):
        called = ticket_call_next(counter=counter, officer=bob)
        ticket_act(ticket=called, action=TicketAction.STARTED, officer=bob)
        ticket_act(ticket=called, action=TicketAction.COMPLETED, officer=bob)

    board = contexts(TV, SPEECH_RECORDER)
    # A busy morning: two-digit counts everywhere take the most room beside the names.
    board.route("**/api/v1/display/**", busy_morning)
    board.goto(live_server.url + reverse("display-board"))
    board.get_by_role("button", name="Lanjutkan tanpa suara").click()
    expect(board.locator("[data-waiting] li")).to_have_count(len(AGENCIES))
    expect(board.locator(".waiting__count").first).to_have_text("88")
    expect(board.locator("[data-calls] tr")).to_have_count(4)
    board.screenshot(path=floor.ARTIFACTS / "display-3-every-agency.png")
    # Loket 3's last two calls, not only its newest.
    expect(board.locator("[data-calls] tr")).to_have_count(4)
    expect(board.locator("[data-calls] tr").nth(3)).to_contain_text("B-001")
    # All four are on the screen, inside their panel.
    hidden = board.locator("[data-calls] tr").evaluate_all(
        """(rows) => rows.filter((row) => {
            const panel = row.closest(".calls").getBoundingClientRect();
            return row.getBoundingClientRect().bottom > panel.bottom;
        }).map((row) => row.textContent)"""
    )
    assert hidden == []

    tiles = board.locator("[data-waiting] li").evaluate_all(
        """(items) => items.map((item) => {
            const name = item.querySelector(".waiting__name");
            const count = item.querySelector(".waiting__count");
            const box = item.getBoundingClientRect();
            const line = name.getBoundingClientRect();
            return {
              text: name.textContent,
              clipped:
                name.scrollHeight > name.clientHeight + 1 ||
                name.scrollWidth > name.clientWidth + 1 ||
                line.top < box.top ||
                line.bottom > box.bottom,
              name_px: parseFloat(getComputedStyle(name).fontSize),
              count_px: parseFloat(getComputedStyle(count).fontSize),
              on_screen: box.top >= 0 && box.bottom <= innerHeight && box.left >= 0 && box.right <= innerWidth,
            };
        })"""
    )
    assert [tile["text"] for tile in tiles if tile["clipped"]] == []
    assert [tile["text"] for tile in tiles if not tile["on_screen"]] == []
    assert min(tile["name_px"] for tile in tiles) >= NAME_PX
    assert min(tile["count_px"] for tile in tiles) >= COUNT_PX
    # The call itself stays the largest thing on the screen.
    now_px = board.locator("[data-now-number]").evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)")
    assert now_px >= 120


def test_the_console_shows_a_booked_citizens_slot_and_code_beside_the_name(
    live_server, contexts, check_page, kk, counter
):
    booking = booking_for(kk, minutes_from_now=-5)
    booking_check_in(booking=booking)
    start = booking.start
    booked = f"Siti Rahmawati · slot {timezone.localtime(start):%H.%M} · kode {booking.display_code}"

    console = contexts(COUNTER_PC)
    open_console(console, live_server.url)
    expect(console.locator("[data-waiting] li").first).to_contain_text(booked)
    check_page(console, "officer-7-booked-waiting")
    settle(console)
    console.keyboard.press("n")
    expect(console.locator("[data-current]")).to_contain_text(booked)
    expect(console.locator("body")).not_to_contain_text(VALID_NIK)
