"""The survey reaches walk-ins: the ticket page on the citizen's phone offers it the
moment the officer completes the visit, and at the counter the officer hands a tablet
over, the citizen answers on it, and the tablet goes back to a neutral screen."""

import datetime as dt
import json
import re
import urllib.request

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from queueing.floor.tickets import ticket_act, ticket_call_next, ticket_issue_walk_in
from queueing.models import Survey, TicketAction
from tests.browser.test_officer_and_display import PASSWORD, log_in
from tests.factories import CounterFactory, OpeningHoursFactory, ServiceFactory

pytestmark = pytest.mark.browser

TABLET = {"viewport": {"width": 800, "height": 1280}, "has_touch": True, "locale": "id-ID"}
SCORES = [
    "Sangat sesuai",
    "Sesuai",
    "Sangat sesuai",
    "Gratis",
    "Sesuai",
    "Sangat sesuai",
    "Sangat sesuai",
    "Sesuai",
    "Kurang sesuai",
]
QUESTIONS = [
    "Persyaratan",
    "Sistem, mekanisme dan prosedur",
    "Waktu penyelesaian",
    "Biaya/tarif",
    "Produk spesifikasi jenis pelayanan",
    "Kompetensi pelaksana",
    "Perilaku pelaksana",
    "Penanganan pengaduan, saran dan masukan",
    "Sarana dan prasarana",
]


@pytest.fixture
def floor(transactional_db, disdukcapil, bob):
    """Kartu Keluarga at Disdukcapil, open around the clock, served at loket 3 by bob."""
    kk = ServiceFactory(agency=disdukcapil, code="kk", name="Kartu Keluarga", daily_quota=50)
    for weekday in range(7):
        OpeningHoursFactory(service=kk, agency=disdukcapil, weekday=weekday, opens=dt.time(0), closes=dt.time.max)
    counter = CounterFactory(agency=disdukcapil, number=3)
    kk.counters.add(counter)
    bob.counters.add(counter)
    return kk, counter


def being_served(kk, counter, officer):
    ticket_issue_walk_in(service=kk)
    ticket = ticket_call_next(counter=counter, officer=officer)
    return ticket_act(ticket=ticket, action=TicketAction.STARTED, officer=officer)


def api_post(url: str, body: dict, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


def answer_the_survey(page) -> None:
    for number, (question, score) in enumerate(zip(QUESTIONS, SCORES, strict=True), start=1):
        page.get_by_role("group", name=f"{number}. {question}", exact=True).get_by_label(score, exact=True).check()


def test_the_ticket_page_offers_the_survey_when_the_officer_completes_the_visit(
    live_server, phone, check_page, floor, bob
):
    kk, counter = floor
    ticket = being_served(kk, counter, bob)
    phone.goto(f"{live_server.url}/antrean/{ticket.code}/")
    expect(phone.get_by_text("Sedang dilayani di loket 3")).to_be_visible()
    expect(phone.get_by_role("link", name=re.compile("Isi survei kepuasan"))).to_be_hidden()
    phone.evaluate("window.__sameDocument = true")

    # The officer completes the visit through the API, as the console does.
    token = api_post(f"{live_server.url}/api/v1/auth/token/", {"username": "bob", "password": PASSWORD})["token"]
    done = api_post(f"{live_server.url}/api/v1/tickets/{ticket.code}/complete/", {}, token)
    assert done["status"] == "done"

    offer = phone.get_by_role("link", name=re.compile("Isi survei kepuasan"))
    expect(offer).to_be_visible(timeout=8_000)
    expect(phone.get_by_text("Selesai. Terima kasih telah datang ke MPP.")).to_be_visible()
    assert phone.evaluate("window.__sameDocument") is True, "the page was reloaded"
    check_page(phone, "survey-1-offered-on-the-ticket-page")

    offer.tap()
    expect(phone.get_by_role("heading", name="Survei kepuasan masyarakat", level=1)).to_be_visible()
    answer_the_survey(phone)
    phone.get_by_label("Saran dan masukan (boleh kosong)").fill("Ruang tunggu nyaman.")
    phone.get_by_role("button", name="Kirim survei").tap()
    expect(phone.get_by_text("Terima kasih. Jawaban Anda membantu kami memperbaiki layanan.")).to_be_visible()
    assert Survey.objects.get().comment == "Ruang tunggu nyaman."

    # The receipt's QR code leads to the same page: it no longer offers the survey.
    phone.goto(f"{live_server.url}/antrean/{ticket.code}/")
    expect(phone.get_by_text("Terima kasih, survei kunjungan ini sudah diisi.")).to_be_visible()
    expect(phone.get_by_role("link", name=re.compile("Isi survei kepuasan"))).to_have_count(0)


def test_the_officer_hands_over_the_tablet_and_a_second_survey_is_refused(live_server, browser, check_page, floor, bob):
    kk, counter = floor
    ticket = being_served(kk, counter, bob)
    context = browser.new_context(**TABLET)
    context.set_default_timeout(10_000)
    tablet = context.new_page()

    log_in(tablet, live_server.url, "bob")
    tablet.get_by_role("link", name=re.compile(r"^Loket 3")).click()
    expect(tablet.locator(".live-state")).to_have_attribute("data-live", "on")
    tablet.get_by_role("button", name=re.compile("^Selesai")).click()
    hand_over = tablet.get_by_role("link", name="Serahkan tablet: survei nomor B-001")
    expect(hand_over).to_be_visible()
    hand_over.click()

    expect(tablet.get_by_role("heading", name="Survei kepuasan masyarakat", level=1)).to_be_visible()
    expect(tablet.get_by_text("B-001")).to_be_visible()
    check_page(tablet, "survey-2-tablet-form")
    # Sent with a question left out: marked, and the other answers kept.
    answer_the_survey(tablet)
    tablet.evaluate("document.querySelectorAll('input[name=q9]').forEach((input) => (input.checked = false))")
    tablet.get_by_label("Saran dan masukan (boleh kosong)").fill("<b>Antrean</b> cepat & rapi")
    tablet.get_by_role("button", name="Kirim survei").tap()
    expect(tablet.get_by_text("1 pertanyaan belum dijawab.")).to_be_visible()
    expect(tablet.get_by_label("Saran dan masukan (boleh kosong)")).to_have_value("<b>Antrean</b> cepat & rapi")
    tablet.get_by_role("group", name="9. Sarana dan prasarana").get_by_label("Sesuai", exact=True).check()
    tablet.get_by_role("button", name="Kirim survei").tap()

    # The neutral screen: nothing of the ticket, nothing to answer.
    expect(tablet.get_by_role("heading", name="Terima kasih", level=1)).to_be_visible()
    expect(tablet.get_by_text("B-001")).to_have_count(0)
    expect(tablet.get_by_role("radio")).to_have_count(0)
    assert ticket.code not in tablet.url
    check_page(tablet, "survey-3-tablet-neutral")
    survey = Survey.objects.get()
    assert survey.answers == [4, 3, 4, 4, 3, 4, 4, 3, 3]
    assert survey.comment == "<b>Antrean</b> cepat & rapi"

    # Opening the survey of that visit again shows no form, nor the ticket.
    tablet.goto(live_server.url + reverse("officer-survey", args=[ticket.code]))
    expect(tablet.get_by_text("Survei untuk kunjungan ini sudah diisi.", exact=False)).to_be_visible()
    expect(tablet.get_by_role("radio")).to_have_count(0)
    expect(tablet.get_by_text("B-001")).to_have_count(0)
    assert Survey.objects.count() == 1
    context.close()
