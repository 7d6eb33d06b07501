"""A visitor takes a number at the kiosk by touch and gets a receipt; a booking is
checked in with a scanner; the ticket page on a phone follows the ticket until it is
called, without reloading. Every screen is audited with axe-core."""

import datetime as dt
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Counter, Role
from queueing.floor.tickets import ticket_act, ticket_call_next, ticket_issue_walk_in
from queueing.models import Booking, Ticket, TicketAction
from tests.browser.conftest import ARTIFACTS, PHONE, log_in_as_kiosk
from tests.factories import AgencyFactory, CounterFactory, OpeningHoursFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.browser

KIOSK = {
    "viewport": {"width": 1080, "height": 1920},
    "device_scale_factor": 1,
    "has_touch": True,
    "locale": "id-ID",
}
# The kiosk's printer is not there in a test: count the calls instead.
COUNT_PRINTS = "window.__prints = 0; window.print = function () { window.__prints += 1; };"
RECORD_VIBRATIONS = "window.__vibrations = []; navigator.vibrate = (p) => window.__vibrations.push(p) > 0;"
MM = 96 / 25.4  # CSS pixels per millimetre


def make_floor():
    """Disdukcapil with Kartu Keluarga open around the clock at loket 3 (officer bob),
    Akta Kelahiran closed today, and Samsat beside it."""
    disdukcapil = AgencyFactory(
        code="disdukcapil",
        name="Dinas Kependudukan dan Pencatatan Sipil",
        ticket_prefix="B",
        location="Lantai 1, loket 1–6",
    )
    kk = ServiceFactory(agency=disdukcapil, code="kk", name="Kartu Keluarga", daily_quota=50, priority_reserve=5)
    today = timezone.localdate().weekday()
    akta = ServiceFactory(agency=disdukcapil, code="akta", name="Akta Kelahiran", order=1)
    for weekday in range(7):
        OpeningHoursFactory(service=kk, agency=disdukcapil, weekday=weekday, opens=dt.time(0), closes=dt.time.max)
    OpeningHoursFactory(service=akta, agency=disdukcapil, weekday=(today + 1) % 7)
    samsat = AgencyFactory(code="samsat", name="Samsat", ticket_prefix="S")
    pkb = ServiceFactory(agency=samsat, code="pkb", name="Pajak Kendaraan Tahunan")
    for weekday in range(7):
        OpeningHoursFactory(service=pkb, agency=samsat, weekday=weekday, opens=dt.time(0), closes=dt.time.max)
    counter = CounterFactory(agency=disdukcapil, number=3)
    kk.counters.add(counter)
    bob = UserFactory(username="bob", role=Role.OFFICER, agency=disdukcapil)
    bob.counters.add(counter)
    return kk, counter, bob


def kiosk_page(browser, base_url: str | None = None, **options):
    """A page on the kiosk's screen; logged in as a registered kiosk when ``base_url`` is given."""
    context = browser.new_context(**(KIOSK | options))
    context.set_default_timeout(10_000)
    context.add_init_script(COUNT_PRINTS)
    if base_url:
        log_in_as_kiosk(context, base_url)
    return context, context.new_page()


def assert_big_touch_targets(page, name: str) -> None:
    """Every kiosk control is at least 64 px high (and 64 px wide)."""
    small = page.evaluate(
        """() => Array.from(document.querySelectorAll('.kiosk-button, .kiosk-lang__button, .kiosk-input'))
            .filter(el => el.offsetParent !== null)
            .map(el => [el.textContent.trim().slice(0, 40), el.getBoundingClientRect()])
            .filter(([, r]) => r.height < 64 || r.width < 64)
            .map(([text, r]) => `${text} ${Math.round(r.width)}x${Math.round(r.height)}`)"""
    )
    assert not small, f"{name}: kiosk targets under 64px: {small}"


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height in millimetres of each page of a PDF."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    return [(round(float(x1) / 72 * 25.4), round(float(y1) / 72 * 25.4)) for _x0, _y0, x1, y1 in boxes]


def test_a_visitor_takes_a_number_by_touch_and_gets_a_receipt(live_server, browser, check_page, transactional_db):
    kk, _counter, _bob = make_floor()
    ticket_issue_walk_in(service=kk)
    ticket_issue_walk_in(service=kk)
    context, kiosk = kiosk_page(browser, live_server.url)

    kiosk.goto(f"{live_server.url}/kiosk/?paper=58&autoprint=1")
    expect(kiosk.get_by_role("heading", name="Ambil nomor antrean", level=1)).to_be_visible()
    expect(kiosk.get_by_role("link", name=re.compile("Check-in pemesanan"))).to_be_visible()
    check_page(kiosk, "kiosk-1-start")
    assert_big_touch_targets(kiosk, "start")

    kiosk.get_by_role("link", name=re.compile("Dinas Kependudukan")).tap()
    expect(kiosk.get_by_role("heading", name="Dinas Kependudukan dan Pencatatan Sipil", level=1)).to_be_visible()
    expect(kiosk.get_by_role("link", name=re.compile("Kartu Keluarga Buka 2 orang menunggu"))).to_be_visible()
    expect(kiosk.get_by_role("link", name=re.compile("Akta Kelahiran Tutup"))).to_be_visible()
    check_page(kiosk, "kiosk-2-services")
    assert_big_touch_targets(kiosk, "services")

    kiosk.get_by_role("link", name=re.compile("Kartu Keluarga")).tap()
    expect(kiosk.get_by_role("group", name="Apakah Anda termasuk kelompok prioritas?")).to_be_visible()
    check_page(kiosk, "kiosk-3-priority")
    assert_big_touch_targets(kiosk, "priority")

    # A double tap on a slow kiosk still issues one number.
    kiosk.get_by_role("button", name="Tidak, ambil nomor antrean umum").dblclick()
    expect(kiosk.get_by_text("B-003", exact=True)).to_be_visible()
    assert Ticket.objects.count() == 3
    expect(kiosk.get_by_text("2 orang di depan Anda")).to_be_visible()
    expect(kiosk.get_by_text("Pantau antrean Anda di ponsel")).to_be_visible()
    expect(kiosk.get_by_role("img", name="Kode QR halaman antrean B-003")).to_be_visible()
    assert kiosk.evaluate("window.__prints") == 1
    check_page(kiosk, "kiosk-4-ticket")
    assert_big_touch_targets(kiosk, "ticket")

    # Reloading neither issues nor prints again.
    kiosk.reload()
    expect(kiosk.get_by_text("B-003", exact=True)).to_be_visible()
    assert kiosk.evaluate("window.__prints") == 0
    assert Ticket.objects.count() == 3

    # The receipt: one narrow black-on-white column, nothing else.
    kiosk.emulate_media(media="print")
    kiosk.screenshot(path=ARTIFACTS / "kiosk-5-receipt-58mm.png", full_page=True)
    layout = kiosk.evaluate(
        """() => ({
            bar: getComputedStyle(document.querySelector('.kiosk-bar')).display,
            after: getComputedStyle(document.querySelector('.kiosk-after')).display,
            width: document.querySelector('.receipt').getBoundingClientRect().width,
            color: getComputedStyle(document.querySelector('.receipt__number')).color,
            size: parseFloat(getComputedStyle(document.querySelector('.receipt__number')).fontSize),
            background: getComputedStyle(document.body).backgroundColor,
        })"""
    )
    assert layout["bar"] == layout["after"] == "none"
    assert abs(layout["width"] - 48 * MM) < 2
    assert layout["color"] == "rgb(0, 0, 0)"
    assert layout["background"] == "rgb(255, 255, 255)"
    assert layout["size"] >= 40  # 34 pt
    assert pdf_pages(kiosk.pdf(prefer_css_page_size=True)) == [(58, 150)]

    ticket_url = kiosk.url.replace("paper=58", "paper=80")
    kiosk.goto(ticket_url)
    kiosk.screenshot(path=ARTIFACTS / "kiosk-6-receipt-80mm.png", full_page=True)
    assert pdf_pages(kiosk.pdf(prefer_css_page_size=True)) == [(80, 145)]
    context.close()


def test_an_unregistered_kiosk_shows_the_login_and_the_kiosk_account_logs_in(
    live_server, browser, check_page, transactional_db
):
    make_floor()
    UserFactory(username="kiosk-lobi", role=Role.KIOSK, agency=None, is_staff=False)
    context, kiosk = kiosk_page(browser)
    kiosk.goto(f"{live_server.url}/kiosk/?paper=58")
    expect(kiosk.get_by_role("heading", name="Masuk kiosk", level=1)).to_be_visible()
    assert Ticket.objects.count() == 0
    check_page(kiosk, "kiosk-0-login")
    assert_big_touch_targets(kiosk, "login")

    # An officer's account is not a kiosk.
    kiosk.get_by_label("Nama pengguna").fill("bob")
    kiosk.get_by_label("Kata sandi").fill("rahasia-uji-2026")
    kiosk.get_by_role("button", name="Masuk").click()
    expect(kiosk.get_by_text("Akun ini bukan akun kiosk.")).to_be_visible()
    expect(kiosk.get_by_label("Nama pengguna")).to_have_value("bob")

    kiosk.get_by_label("Nama pengguna").fill("kiosk-lobi")
    kiosk.get_by_label("Kata sandi").fill("rahasia-uji-2026")
    kiosk.get_by_role("button", name="Masuk").click()
    expect(kiosk.get_by_role("heading", name="Ambil nomor antrean", level=1)).to_be_visible()
    assert kiosk.url.endswith("/kiosk/?paper=58")
    session = next(cookie for cookie in context.cookies() if cookie["name"] == "sessionid")
    assert session["expires"] - time.time() > 300 * 24 * 3600  # the kiosk stays logged in
    context.close()


def test_a_long_service_name_still_prints_on_one_receipt(live_server, browser, transactional_db):
    kk, _counter, _bob = make_floor()
    kk.name = "Penerbitan Kartu Keluarga karena Perubahan Data, Penambahan Anggota Keluarga atau Pisah KK"
    kk.save()
    kk.agency.name = "Dinas Kependudukan dan Pencatatan Sipil Kota Tangerang Selatan, Provinsi Banten"
    kk.agency.location = "Gedung MPP Lantai 1, sayap timur, loket 1 sampai 6 dekat pintu masuk utama"
    kk.agency.save()
    ticket = ticket_issue_walk_in(service=kk, priority_group="elderly")
    Ticket.objects.filter(pk=ticket.pk).update(number=1234)
    context, kiosk = kiosk_page(browser, live_server.url, device_scale_factor=3)
    for paper, size in (("58", (58, 150)), ("80", (80, 145))):
        kiosk.goto(f"{live_server.url}/kiosk/tiket/{ticket.code}/?paper={paper}")
        kiosk.emulate_media(media="print")
        kiosk.locator(".receipt").screenshot(path=ARTIFACTS / f"kiosk-7-receipt-long-{paper}mm.png")
        assert pdf_pages(kiosk.pdf(prefer_css_page_size=True)) == [size]
        overflow = kiosk.locator(".receipt").evaluate("receipt => receipt.scrollWidth - receipt.clientWidth")
        assert overflow <= 0
    context.close()


def test_a_booking_is_checked_in_with_a_scanner(live_server, browser, check_page, transactional_db):
    kk, _counter, _bob = make_floor()
    now = timezone.now()
    booking = Booking.objects.create(
        service=kk,
        date=timezone.localdate(),
        start=now + dt.timedelta(minutes=20),
        end=now + dt.timedelta(minutes=50),
        nik="3674011708900001",
        name="Siti Rahmawati",
        phone="+6281234567890",
        consent_at=now,
    )
    context, kiosk = kiosk_page(browser, live_server.url)
    kiosk.goto(f"{live_server.url}/kiosk/")
    kiosk.get_by_role("link", name=re.compile("Check-in pemesanan")).tap()
    expect(kiosk.get_by_label("Kode pemesanan")).to_be_focused()
    check_page(kiosk, "kiosk-8-check-in")

    # The scanner types like a keyboard, then presses Enter.
    kiosk.keyboard.type("ABCD-EFGH-JKMN\n")
    expect(kiosk.get_by_text("Kode pemesanan tidak ditemukan. Periksa kodenya lalu coba lagi.")).to_be_visible()
    expect(kiosk.get_by_text("Booking code not found. Check the code and try again.")).to_be_visible()
    check_page(kiosk, "kiosk-9-check-in-unknown")

    kiosk.get_by_label("Kode pemesanan").fill("")
    kiosk.keyboard.type(f"{live_server.url}/pemesanan/{booking.display_code}/\n")
    expect(kiosk.get_by_text("B-001", exact=True)).to_be_visible()
    expect(kiosk.get_by_text("Siti")).to_have_count(0)
    booking.refresh_from_db()
    assert booking.status == "checked_in"

    # Scanned again: told so, in both languages, with a way back.
    kiosk.goto(f"{live_server.url}/kiosk/check-in/")
    kiosk.keyboard.type(f"{booking.code}\n")
    expect(kiosk.get_by_text("Pemesanan ini sudah check-in.")).to_be_visible()
    expect(kiosk.get_by_text("This booking is checked in already.")).to_be_visible()
    check_page(kiosk, "kiosk-10-already-checked-in")

    kiosk.goto(f"{live_server.url}/kiosk/instansi/disdukcapil/akta/")
    expect(kiosk.get_by_text("Layanan sedang tutup.")).to_be_visible()
    expect(kiosk.get_by_text("The service is closed now.")).to_be_visible()
    check_page(kiosk, "kiosk-11-closed")
    assert_big_touch_targets(kiosk, "closed")
    kiosk.get_by_role("link", name="Kembali / Back").tap()
    expect(kiosk.get_by_role("heading", name="Dinas Kependudukan dan Pencatatan Sipil", level=1)).to_be_visible()
    context.close()


def test_the_ticket_page_follows_the_ticket_until_it_is_called(live_server, phone, check_page, transactional_db):
    kk, counter, bob = make_floor()
    first, second = ticket_issue_walk_in(service=kk), ticket_issue_walk_in(service=kk)
    ticket = ticket_issue_walk_in(service=kk)
    phone.add_init_script(RECORD_VIBRATIONS)

    phone.goto(f"{live_server.url}/antrean/{ticket.code}/")
    expect(phone.get_by_text("B-003", exact=True)).to_be_visible()
    expect(phone.get_by_text("Menunggu dipanggil")).to_be_visible()
    expect(phone.locator("[data-field=ahead]")).to_have_text("2")
    expect(phone.locator("[data-field=wait]")).to_have_text("± 20 menit")
    expect(phone.get_by_role("button", name="Beri tahu saya")).to_be_visible()
    check_page(phone, "ticket-1-waiting")
    phone.evaluate("window.__sameDocument = true")

    # The connection drops: the page says so, and stops saying so when it is back.
    phone.route("**/api/v1/tickets/**", lambda route: route.abort())
    expect(phone.get_by_text("Koneksi terputus.", exact=False)).to_be_visible(timeout=7_000)
    check_page(phone, "ticket-2-offline")
    phone.unroute("**/api/v1/tickets/**")
    expect(phone.get_by_text("Koneksi terputus.", exact=False)).to_be_hidden(timeout=7_000)

    # Allow notifications.
    phone.context.grant_permissions(["notifications"])
    phone.get_by_role("button", name="Beri tahu saya").tap()
    expect(phone.get_by_text("Pemberitahuan aktif", exact=False)).to_be_visible()

    # The two before it are served; then it is called to loket 3.
    for before in (first, second):
        assert ticket_call_next(counter=counter, officer=bob) == before
        ticket_act(ticket=before, action=TicketAction.STARTED, officer=bob)
        ticket_act(ticket=before, action=TicketAction.COMPLETED, officer=bob)
    expect(phone.locator("[data-field=ahead]")).to_have_text("0", timeout=7_000)
    expect(phone.locator("[data-field=wait]")).to_have_text("Segera; Anda berikutnya")
    check_page(phone, "ticket-3-next")

    assert ticket_call_next(counter=Counter.objects.get(pk=counter.pk), officer=bob) == ticket
    expect(phone.get_by_text("Silakan ke loket 3")).to_be_visible(timeout=7_000)
    expect(phone.get_by_text("Status: Dipanggil")).to_be_visible()
    expect(phone.locator("[data-field=ahead]")).to_be_hidden()
    assert phone.evaluate("window.__sameDocument") is True, "the page was reloaded"
    assert len(phone.evaluate("window.__vibrations")) == 1
    assert phone.title().startswith("Loket 3 · B-003")
    shown = phone.evaluate(
        """async () => {
            const registration = await navigator.serviceWorker.getRegistration("/static/js/ticket.js");
            return registration ? (await registration.getNotifications()).map(n => [n.title, n.body]) : null;
        }"""
    )
    assert shown == [["Nomor B-003 dipanggil", "Silakan ke loket 3"]]
    expect(phone.get_by_role("button", name="Beri tahu saya")).to_be_hidden()
    check_page(phone, "ticket-4-called")

    ticket_act(ticket=ticket, action=TicketAction.STARTED, officer=bob)
    ticket_act(ticket=ticket, action=TicketAction.COMPLETED, officer=bob)
    expect(phone.get_by_text("Selesai. Terima kasih telah datang ke MPP.")).to_be_visible(timeout=7_000)
    check_page(phone, "ticket-5-done")


def test_the_ticket_page_without_javascript_refreshes_itself(live_server, browser, check_page, transactional_db):
    kk, _counter, _bob = make_floor()
    ticket = ticket_issue_walk_in(service=kk)
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/antrean/{ticket.code}/")
    expect(page.get_by_text("Menunggu dipanggil")).to_be_visible()
    expect(page.get_by_role("button", name="Beri tahu saya")).to_be_hidden()
    check_page(page, "ticket-6-without-js", audit=False)
    context.close()
