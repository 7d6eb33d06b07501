"""The office's queue report in Chromium: an administrator filters a month, sees the
charts drawn, downloads a table as CSV, prints it; a supervisor sees their agency only
and is refused another's. Every page is audited with axe-core, on a PC and a phone."""

import csv
import io
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from agencies.models import Role
from tests.browser.test_content_security import REPORT_VIOLATIONS
from tests.factories import AdminFactory, UserFactory
from tests.queueing.conftest import counter, kk  # noqa: F401 - the fixtures of the day written by hand
from tests.queueing.office.conftest import history  # noqa: F401

pytestmark = pytest.mark.browser

PASSWORD = "rahasia-uji-2026"
PC = {"viewport": {"width": 1366, "height": 900}, "locale": "id-ID", "accept_downloads": True}


@pytest.fixture
def people(transactional_db):
    from tests.factories import AgencyFactory

    disdukcapil = AgencyFactory(code="disdukcapil", name="Dinas Kependudukan dan Pencatatan Sipil", ticket_prefix="B")
    samsat = AgencyFactory(code="samsat", name="Samsat", ticket_prefix="S")
    return {
        "disdukcapil": disdukcapil,
        "samsat": samsat,
        "admin": AdminFactory(username="admin", first_name="Ani", last_name="Admin"),
        "alice": UserFactory(username="alice", role=Role.SUPERVISOR, agency=disdukcapil),
        "bob": UserFactory(username="bob", role=Role.OFFICER, agency=disdukcapil, first_name="Bob", last_name="Sa"),
        "dave": UserFactory(username="dave", role=Role.OFFICER, agency=samsat),
    }


# The day written by hand asks for these by name.
@pytest.fixture
def disdukcapil(people):
    return people["disdukcapil"]


@pytest.fixture
def samsat(people):
    return people["samsat"]


@pytest.fixture
def bob(people):
    return people["bob"]


@pytest.fixture
def dave(people):
    return people["dave"]


@pytest.fixture
def pc(browser):
    context = browser.new_context(**PC)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def log_in(page, base_url: str, username: str, then: str) -> None:
    page.goto(base_url + reverse("officer-login") + "?" + urlencode({"next": then}))
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()


def test_staff_filter_a_month_see_the_charts_and_take_the_csv(live_server, pc, phone, check_page, history):  # noqa: F811
    # Any breach of the content security policy (an inline style in the charts, say).
    violations: list[str] = []
    pc.expose_function("__reportViolation", lambda text: violations.append(text))
    pc.add_init_script(REPORT_VIOLATIONS)
    log_in(pc, live_server.url, "admin", reverse("office-report"))
    expect(pc.get_by_role("heading", name="Laporan antrean", level=1)).to_be_visible()
    pc.get_by_role("link", name="Laporan antrean").first.click()

    # Garbage first: the error is at its field and what was typed stays.
    pc.get_by_label("Dari tanggal").fill("2026-03-31")
    pc.get_by_label("Sampai tanggal").fill("2026-03-01")
    pc.get_by_role("button", name="Tampilkan").click()
    expect(pc.locator("#id_date_to_error")).to_contain_text("tidak boleh sebelum tanggal awal")
    expect(pc.get_by_label("Dari tanggal")).to_have_value("2026-03-31")
    check_page(pc, "office-report-1-error")

    pc.get_by_label("Dari tanggal").fill("2026-03-01")
    pc.get_by_label("Sampai tanggal").fill("2026-03-31")
    pc.get_by_role("button", name="Tampilkan").click()
    expect(pc.locator(".report-scope")).to_contain_text("1 Mar 2026 – 31 Mar 2026")
    summary = pc.locator('[data-table="summary"]')
    expect(summary.get_by_role("row", name="Tiket diterbitkan")).to_contain_text("7")
    expect(summary.get_by_role("row", name="Waktu tunggu persentil 90 (menit)")).to_contain_text("22,0")

    # The charts are drawn: bars with a size, each chart named for screen readers.
    for chart, bars in (("Antrean masuk per jam", 4), ("Tiket per hari", 1), ("Tiket per instansi", 2)):
        svg = pc.get_by_role("img", name=chart, exact=True)
        expect(svg).to_be_visible()
        expect(svg.locator("rect.chart__bar")).to_have_count(bars)
        box = svg.locator("rect.chart__bar").first.bounding_box()
        assert box and box["width"] > 1 and box["height"] > 1
    check_page(pc, "office-report-2-month")

    # The table of days as CSV: the page's figures.
    with pc.expect_download() as download:
        pc.get_by_role("link", name="Unduh CSV · Per hari", exact=True).click()
    assert download.value.suggested_filename == "laporan-antrean_2026-03-01_2026-03-31_by_day.csv"
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert rows[1][:4] == ["2026-03-02", "7", "1", "6"]

    # Print: the figures without the filters, the links or the menu.
    pc.emulate_media(media="print")
    expect(pc.locator(".report-filter")).to_be_hidden()
    expect(pc.get_by_role("link", name="Unduh CSV · Per hari", exact=True)).to_be_hidden()
    expect(summary).to_be_visible()
    pc.screenshot(path="test-artifacts/office-report-3-print.png", full_page=True)
    pc.emulate_media(media="screen")
    expect(pc.get_by_role("button", name="Cetak")).to_be_visible()

    assert violations == []

    # On a phone: nothing scrolls sideways but the tables and charts themselves.
    log_in(phone, live_server.url, "admin", reverse("office-report") + "?date_from=2026-03-01&date_to=2026-03-31")
    expect(phone.get_by_role("heading", name="Laporan antrean", level=1)).to_be_visible()
    check_page(phone, "office-report-4-phone")


def test_a_supervisor_sees_their_agency_and_is_refused_another(live_server, pc, check_page, history, people):  # noqa: F811
    log_in(pc, live_server.url, "alice", reverse("office-report") + "?date_from=2026-03-01&date_to=2026-03-31")
    expect(pc.locator(".report-filter__agency")).to_contain_text("Dinas Kependudukan dan Pencatatan Sipil")
    expect(pc.get_by_label("Instansi")).to_have_count(0)
    expect(pc.get_by_role("img", name="Tiket per instansi")).to_have_count(0)
    check_page(pc, "office-report-5-supervisor")
    answer = pc.goto(live_server.url + reverse("office-report") + f"?agency={people['samsat'].pk}")
    assert answer.status == 403
    expect(pc.get_by_role("heading", name="Tidak ada akses", level=1)).to_be_visible()
    answer = pc.goto(live_server.url + reverse("api-report-summary") + f"?agency={people['samsat'].pk}&format=csv")
    assert answer.status == 403
