"""The officer console and the display board, open side by side as on the floor: a
walk-in ticket appears at the counter without a reload, the officer calls it with the
keyboard, the board shows and speaks the call at once, and the board recovers by
itself after the connection drops."""

import datetime as dt
import functools
import itertools
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from agencies.services import kiosk_token_issue
from queueing.floor import live
from queueing.floor.tickets import ticket_call_next, ticket_issue_walk_in
from queueing.models import Announcement, Ticket, TicketAction, TicketEvent, TicketStatus
from tests.browser.conftest import ARTIFACTS
from tests.factories import AgencyFactory, CounterFactory, OpeningHoursFactory, ServiceFactory

pytestmark = pytest.mark.browser

PASSWORD = "rahasia-uji-2026"
TV = {"viewport": {"width": 1920, "height": 1080}, "locale": "id-ID"}
COUNTER_PC = {"viewport": {"width": 1366, "height": 768}, "locale": "id-ID"}

# Records what the board asks the speech engine to say, and the chimes it plays.
SPEECH_RECORDER = """
window.__spoken = [];
window.__chimes = 0;
if (window.speechSynthesis) {
  window.speechSynthesis.speak = (utterance) => {
    window.__spoken.push({ text: utterance.text, lang: utterance.lang });
    setTimeout(() => utterance.onend && utterance.onend(new Event("end")), 50);
  };
}
window.__banners = [];
document.addEventListener("DOMContentLoaded", () => {
  const banner = document.querySelector("[data-banner]");
  if (!banner) return;
  new MutationObserver(() => banner.textContent && window.__banners.push(banner.textContent)).observe(banner, {
    childList: true,
    characterData: true,
    subtree: true,
  });
});
if (window.AudioContext) {
  const createOscillator = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function () {
    window.__chimes += 1;
    return createOscillator.call(this);
  };
}
"""


# The other partner agencies of the mall, so the whole-mall board is shown as on the floor.
OTHER_AGENCIES = [
    ("dpmptsp", "DPMPTSP Kota Tangerang Selatan", "A"),
    ("bapenda", "Badan Pendapatan Daerah Kota Tangsel", "C"),
    ("samsat", "Samsat", "S"),
    ("polres", "Polres Tangerang Selatan", "D"),
    ("kejari", "Kejaksaan Negeri Tangerang Selatan", "E"),
    ("pn", "Pengadilan Negeri", "F"),
    ("pa", "Pengadilan Agama", "G"),
    ("bpn", "Kantor Pertanahan (ATR/BPN)", "H"),
    ("imigrasi", "Kantor Imigrasi", "I"),
    ("kemenag", "Kantor Kementerian Agama", "J"),
    ("kpp", "KPP Pratama", "K"),
    ("bpjstk", "BPJS Ketenagakerjaan", "L"),
    ("pos", "PT Pos Indonesia", "M"),
    ("pln", "PT PLN", "N"),
    ("bjb", "Bank bjb", "P"),
    ("pits", "PT Pembangunan Investasi Tangerang Selatan", "Q"),
]


@pytest.fixture
def kk(transactional_db, disdukcapil):
    """Kartu Keluarga at Disdukcapil, open around the clock so walk-ins work whenever
    the test runs."""
    service = ServiceFactory(agency=disdukcapil, code="kk", name="Kartu Keluarga", daily_quota=50)
    for weekday in range(7):
        OpeningHoursFactory(service=service, agency=disdukcapil, weekday=weekday, opens=dt.time(0), closes=dt.time.max)
    return service


@pytest.fixture
def counter(disdukcapil, kk, bob):
    """Loket 3 serves KK; officer bob works there."""
    counter = CounterFactory(agency=disdukcapil, number=3)
    kk.counters.add(counter)
    bob.counters.add(counter)
    return counter


@pytest.fixture
def contexts(browser):
    opened = []

    def open_context(options, init_script=None):
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        if init_script:
            context.add_init_script(init_script)
        opened.append(context)
        return context.new_page()

    yield open_context
    for context in opened:
        context.close()


def settle(*pages) -> None:
    """Waits until no page has a request under way or planned. On SQLite the live
    server's threads share the test's one in-memory connection, which does not take a
    write while another thread reads."""
    for page in pages:
        expect(page.locator("[aria-busy='true']")).to_have_count(0)


def log_in(page, base_url: str, username: str, check_page=None) -> None:
    page.goto(base_url + reverse("officer-login"))
    if check_page:
        check_page(page, "officer-0-login")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_role("heading", name="Pilih loket", level=1)).to_be_visible()


def open_console(page, base_url: str, check_page=None) -> None:
    log_in(page, base_url, "bob", check_page)
    if check_page:
        check_page(page, "officer-1-counters")
    page.get_by_role("link", name=re.compile(r"^Loket 3")).click()
    expect(page.get_by_role("heading", name="Loket 3", level=1)).to_be_visible()
    expect(page.locator(".live-state")).to_have_attribute("data-live", "on")


def test_a_walk_in_is_called_from_the_console_and_shown_and_spoken_on_the_board(
    live_server, contexts, check_page, kk, counter, bob, kiosk
):
    for code, name, prefix in OTHER_AGENCIES:
        AgencyFactory(code=code, name=name, ticket_prefix=prefix)
    Announcement.objects.create(text="Siapkan dokumen asli sebelum nomor Anda dipanggil.")
    board = contexts(TV, SPEECH_RECORDER)
    board.goto(live_server.url + reverse("display-board"))
    gate = board.get_by_role("button", name="Aktifkan suara")
    expect(gate).to_be_focused()
    board.screenshot(path=ARTIFACTS / "display-1-sound-gate.png")
    gate.click()
    expect(gate).to_be_hidden()
    expect(board.locator("body")).to_have_attribute("data-live", "on")
    ticker = board.locator("[data-ticker]")
    expect(ticker).to_have_text("Siapkan dokumen asli sebelum nomor Anda dipanggil.")
    assert ticker.evaluate("el => getComputedStyle(el).animationName") == "ticker"
    board.emulate_media(reduced_motion="reduce")
    assert ticker.evaluate("el => getComputedStyle(el).animationName") == "none"
    board.emulate_media(reduced_motion="no-preference")

    console = contexts(COUNTER_PC)
    open_console(console, live_server.url, check_page)
    expect(console.get_by_text("Belum ada nomor di loket.")).to_be_visible()
    check_page(console, "officer-2-console-empty")

    # A citizen takes a walk-in ticket at the kiosk: it reaches the console live.
    settle(board, console)
    issued = board.request.post(
        live_server.url + "/api/v1/tickets/",
        data={"service": kk.id},
        headers={"Authorization": f"Token {kiosk_token_issue(user=kiosk)}"},
    )
    assert issued.status == 201, issued.text()
    expect(console.locator("[data-waiting]")).to_contain_text("B-001", timeout=5000)
    expect(console.locator("[data-waiting-count]")).to_have_text("1")

    # N calls it; the board shows it within two seconds and asks for the spoken call.
    settle(board, console)
    console.keyboard.press("n")
    expect(board.locator("[data-now-number]")).to_have_text("B-001", timeout=2000)
    expect(board.locator("[data-now-counter]")).to_have_text("Loket 3", timeout=2000)
    board.wait_for_function("() => window.__spoken.some((u) => u.text.startsWith('Nomor antrean'))", timeout=5000)
    spoken = [u for u in board.evaluate("window.__spoken") if u["text"]]
    assert spoken == [{"text": "Nomor antrean B 1, silakan ke loket 3", "lang": "id-ID"}]
    assert board.evaluate("window.__chimes") == 2  # ding-dong
    expect(board.locator("[data-calls]")).to_contain_text("B-001")

    current = console.locator("[data-current]")
    expect(current).to_contain_text("B-001")
    expect(current).to_contain_text("Dipanggil")
    expect(console.get_by_role("status")).to_have_text("Nomor B-001 dipanggil ke loket 3.")
    expect(console.locator("[data-waiting-empty]")).to_be_visible()

    # No-show before a recall does not fit: the server's 409 is read out.
    settle(board, console)
    console.keyboard.press("x")
    expect(console.get_by_role("alert").first).to_contain_text("Panggil ulang dulu")

    settle(board, console)
    console.keyboard.press("s")
    expect(current).to_contain_text("Sedang dilayani")
    check_page(console, "officer-3-console-serving")
    check_page(board, "display-2-called")

    settle(board, console)
    console.keyboard.press("c")
    expect(console.get_by_role("status")).to_have_text("Nomor B-001 selesai dilayani.")
    expect(current).to_contain_text("Belum ada nomor di loket.")
    settle(board, console)
    assert Ticket.objects.get().status == TicketStatus.DONE


def test_the_console_acts_once_per_double_click_holds_resumes_transfers_and_pauses(
    live_server, contexts, check_page, kk, counter, bob, samsat
):
    vehicle_tax = ServiceFactory(agency=samsat, name="Pajak Kendaraan Tahunan")
    first, second = ticket_issue_walk_in(service=kk), ticket_issue_walk_in(service=kk)
    console = contexts(COUNTER_PC)
    open_console(console, live_server.url)
    expect(console.locator("[data-waiting-count]")).to_have_text("2")

    # A double click calls one ticket, and says nothing about a second.
    settle(console)
    console.get_by_role("button", name=re.compile("^Panggil berikutnya")).dblclick()
    current = console.locator("[data-current]")
    expect(current).to_contain_text("B-001")
    expect(console.locator("[data-waiting-count]")).to_have_text("1")
    settle(console)
    assert TicketEvent.objects.filter(action=TicketAction.CALLED).count() == 1
    expect(console.locator("[data-error]")).to_be_empty()

    # Hold, then resume by keyboard: it goes back to its place in the queue.
    settle(console)
    console.keyboard.press("h")
    resume = console.get_by_role("button", name="Lanjutkan nomor B-001")
    expect(resume).to_be_visible()
    expect(console.locator("[data-held-count]")).to_have_text("1")
    check_page(console, "officer-4-held")
    settle(console)
    resume.focus()
    console.keyboard.press("Enter")
    expect(console.locator("[data-waiting] li").first).to_contain_text("B-001")
    expect(console.locator("[data-held-empty]")).to_be_visible()

    # Transfer to another agency's service; shortcuts are off while the dialog is open.
    settle(console)
    console.keyboard.press("n")
    expect(current).to_contain_text("B-001")
    settle(console)
    console.keyboard.press("t")
    dialog = console.get_by_role("dialog", name=re.compile("Alihkan nomor B-001"))
    expect(dialog).to_be_visible()
    console.get_by_label("Layanan tujuan").select_option(label="Pajak Kendaraan Tahunan")
    console.keyboard.press("c")
    expect(dialog).to_be_visible()
    check_page(console, "officer-5-transfer", audit=False)
    settle(console)
    dialog.get_by_role("button", name="Alihkan", exact=True).click()
    expect(dialog).to_be_hidden()
    expect(console.get_by_role("status")).to_have_text("Nomor S/B-001 dialihkan ke Pajak Kendaraan Tahunan.")
    settle(console)
    first.refresh_from_db()
    assert (first.service, first.status) == (vehicle_tax, TicketStatus.WAITING)
    second.refresh_from_db()
    assert second.status == TicketStatus.WAITING

    # A break: nothing can be called until the counter opens again.
    settle(console)
    console.keyboard.press("p")
    expect(console.get_by_text(re.compile("Loket istirahat sejak"))).to_be_visible()
    call_next = console.get_by_role("button", name=re.compile("^Panggil berikutnya"))
    expect(call_next).to_have_attribute("aria-disabled", "true")
    check_page(console, "officer-6-paused")
    settle(console)
    console.keyboard.press("p")
    expect(call_next).to_have_attribute("aria-disabled", "false")
    settle(console)
    counter.refresh_from_db()
    assert counter.paused_since is None


def test_the_board_says_when_it_is_cut_off_and_catches_up_by_itself(
    live_server, contexts, check_page, kk, counter, bob
):
    board = contexts(TV, SPEECH_RECORDER)
    board.goto(live_server.url + reverse("display-board") + f"?agency={kk.agency_id}")
    board.get_by_role("button", name="Lanjutkan tanpa suara").click()
    expect(board.locator("body")).to_have_attribute("data-live", "on")
    expect(board.get_by_role("heading", name=kk.agency.name, level=1)).to_be_visible()
    check_page(board, "display-3-one-agency")

    banner = board.get_by_role("status")
    settle(board)
    board.context.set_offline(True)
    expect(banner).to_have_text("Koneksi terputus — menyambung ulang…", timeout=6000)
    # Meanwhile on the floor: a ticket is issued and called.
    ticket_issue_walk_in(service=kk)
    ticket_call_next(counter=counter, officer=bob)
    board.wait_for_timeout(2000)
    board.screenshot(path=ARTIFACTS / "display-4-cut-off.png")
    expect(board.locator("[data-now-number]")).to_be_hidden()

    board.context.set_offline(False)
    expect(banner).to_contain_text("Tersambung kembali", timeout=10_000)
    expect(board.locator("[data-now-number]")).to_have_text("B-001")
    expect(board.locator("[data-now-counter]")).to_have_text("Loket 3")
    board.screenshot(path=ARTIFACTS / "display-5-back.png")
    expect(banner).to_be_empty(timeout=10_000)
    # Calls made while cut off are shown, not announced late.
    assert [u for u in board.evaluate("window.__spoken") if u["text"]] == []


def test_the_board_rides_out_short_streams_and_a_server_that_answers_errors(
    live_server, contexts, monkeypatch, kk, counter, bob
):
    # Streams that end after two seconds (in production: five minutes); the browser
    # reconnects after the two seconds the server asks for, without alarming anyone.
    monkeypatch.setattr(live, "listen", functools.partial(live.listen, stop_after=2.0))
    board = contexts(TV, SPEECH_RECORDER)
    board.goto(live_server.url + reverse("display-board"))
    board.get_by_role("button", name="Lanjutkan tanpa suara").click()
    expect(board.locator("body")).to_have_attribute("data-live", "on")
    board.wait_for_timeout(7000)
    assert board.evaluate("window.__banners") == []

    # The server (or a proxy in front of it) answers errors: EventSource gives up, the
    # board keeps trying and says it is cut off.
    board.route("**/live/events/**", lambda route: route.fulfill(status=502, body="Bad Gateway"))
    banner = board.get_by_role("status")
    expect(banner).to_have_text("Koneksi terputus — menyambung ulang…", timeout=10_000)
    settle(board)
    ticket_issue_walk_in(service=kk)
    ticket_call_next(counter=counter, officer=bob)

    board.unroute("**/live/events/**")
    expect(banner).to_contain_text("Tersambung kembali", timeout=15_000)
    expect(board.locator("[data-now-number]")).to_have_text("B-001")
    expect(board.locator("[data-now-counter]")).to_have_text("Loket 3")


# Records when the page opens a stream, and draws every "random" number as given.
STREAM_TIMES = """
window.__opened = [];
const OriginalEventSource = window.EventSource;
window.EventSource = class extends OriginalEventSource {
  constructor(...args) {
    window.__opened.push(Date.now());
    super(...args);
  }
};
Math.random = () => %s;
"""


def test_boards_refused_together_come_back_apart_and_later_each_time(live_server, contexts, settings, kk):
    # The server refuses every anonymous stream (its streams are full): 503 with Retry-After.
    settings.LIVE_STREAMS_PER_ADDRESS = 0
    boards = []
    for draw in (0, 0.999):
        board = contexts(TV, SPEECH_RECORDER + STREAM_TIMES % draw)
        board.goto(live_server.url + reverse("display-board"))
        boards.append(board)
    for board in boards:
        expect(board.get_by_role("status")).to_have_text("Koneksi terputus — menyambung ulang…", timeout=10_000)
        board.wait_for_function("() => window.__opened.length >= 3", timeout=15_000)
    early, late = ([b - a for a, b in itertools.pairwise(board.evaluate("window.__opened"))] for board in boards)
    # Each waits longer after each refusal, and the two do not try again together.
    assert early[1] > early[0] and late[1] > late[0]
    assert late[1] - early[1] > 1000

    settings.LIVE_STREAMS_PER_ADDRESS = 3
    for board in boards:
        expect(board.get_by_role("status")).to_contain_text("Tersambung kembali", timeout=20_000)
        expect(board.locator("body")).to_have_attribute("data-live", "on")
