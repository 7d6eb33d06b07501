"""The IKM publication in Chromium: the office page at a DPMPTSP desk (its nine charts
drawn, its print layout on one A4 sheet with the grade large and no filters), and the
public pages on a phone. Every page is audited with axe-core."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from queueing.surveys import periods
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_content_security import REPORT_VIOLATIONS
from tests.factories import ServiceFactory
from tests.queueing.surveys.ikm_data import add_surveys, add_visits_without_survey

pytestmark = pytest.mark.browser

DESK = {"viewport": {"width": 1366, "height": 900}, "locale": "id-ID"}
ROWS = [
    [4, 4, 3, 4, 3, 3, 4, 3, 4],
    [3, None, 3, 4, 3, 4, 4, 3, 3],
    [4, 3, None, None, 4, 3, 3, 4, 4],
    [2, 3, 3, 4, 3, 3, 4, 3, None],
]


@pytest.fixture
def surveyed(transactional_db, disdukcapil, samsat):
    """Last month: Disdukcapil's KK (85.42, B) and KTP (few respondents), Samsat's STNK."""
    month = periods.last_complete_month(timezone.localdate())
    kk = ServiceFactory(agency=disdukcapil, code="kk", name="Kartu Keluarga")
    ktp = ServiceFactory(agency=disdukcapil, code="ktp", name="Perekaman KTP Elektronik")
    stnk = ServiceFactory(agency=samsat, code="stnk", name="Pengesahan STNK")
    add_surveys(kk, ROWS, day=month.first, comment="Antrean rapi, petugas ramah. WA saya 081234567890")
    add_surveys(ktp, [[2, 3, 2, 4, 3, 2, 3, 2, 3]], day=month.first)
    add_visits_without_survey(ktp, 9, day=month.first)
    add_surveys(stnk, [[4] * 9] * 3, day=month.last)
    return month


def watch_policy(context) -> list[str]:
    """The content security policy violations the context's pages report."""
    violations: list[str] = []
    context.expose_function("__reportViolation", lambda message: violations.append(message))
    context.add_init_script(REPORT_VIOLATIONS)
    return violations


def _signed_in(browser, live_server, user):
    context = browser.new_context(**DESK)
    context.set_default_timeout(10_000)
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    return context, context.new_page()


def _charts_drawn(page) -> list[dict]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.ikm-result svg.ikm-chart__svg')).map(svg => {
            const box = svg.getBoundingClientRect();
            const bar = svg.querySelector('.ikm-bar');
            return {width: box.width, height: box.height, bar: bar ? bar.getBoundingClientRect().width : 0,
                    name: svg.getAttribute('aria-labelledby')};
        })"""
    )


def test_the_office_page_draws_a_chart_per_element_and_prints_a_poster(
    browser, live_server, check_page, surveyed, admin_user, disdukcapil
):
    context, page = _signed_in(browser, live_server, admin_user)
    violations = watch_policy(context)
    page.goto(live_server.url + "/kantor/ikm/")
    expect(page.get_by_role("heading", name="Indeks Kepuasan Masyarakat (IKM)", level=1)).to_be_visible()
    charts = _charts_drawn(page)
    assert len(charts) == 9
    assert all(chart["width"] > 200 and chart["height"] > 30 and chart["bar"] > 0 for chart in charts)
    expect(page.get_by_role("img", name=re.compile(r"^U1 Persyaratan: NRR"))).to_be_visible()
    expect(page.locator(".ikm-table--rows").last).to_contain_text("Pengesahan STNK")
    check_page(page, "ikm-office-1-all")

    # One agency: the hand-worked example's services pooled with KTP's.
    page.get_by_label("Instansi", exact=True).select_option(label=disdukcapil.name)
    page.get_by_role("button", name="Tampilkan").click()
    page.get_by_label("Layanan", exact=True).select_option(label="Kartu Keluarga")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator(".ikm-facts__big")).to_have_text("85,42")
    expect(page.locator(".ikm-grade__letter")).to_have_text("B")
    expect(page.locator(".ikm-comment-list")).to_contain_text("WA saya •••")
    check_page(page, "ikm-office-2-service")

    # Garbage in the URL: a message at the field, the rest of the page still works.
    page.goto(live_server.url + "/kantor/ikm/?period=2026-13&date_from=kemarin")
    expect(page.locator("#id_period_error")).to_contain_text("Bulan harus 01 sampai 12")
    expect(page.locator("#id_date_from_error")).to_be_visible()
    check_page(page, "ikm-office-3-errors")

    # The print layout: no navigation, filters, buttons or suggestions; the grade large;
    # the whole publication on one A4 sheet.
    page.goto(live_server.url + f"/kantor/ikm/?agency={disdukcapil.pk}&period={surveyed.code}")
    page.emulate_media(media="print")
    for hidden in (".office-nav", ".ikm-filters", ".ikm-actions", ".ikm-comments", ".site-header"):
        expect(page.locator(hidden)).to_be_hidden()
    letter = page.locator(".ikm-grade__letter").evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert letter >= 96
    assert len(_charts_drawn(page)) == 9
    page.set_viewport_size({"width": 703, "height": 1047})  # A4 less the margins, at 96 dpi
    page.screenshot(path=ARTIFACTS / "ikm-office-4-print.png", full_page=True)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (ARTIFACTS / "ikm-office-poster.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    assert violations == []
    context.close()


def test_the_public_pages_show_the_published_figures_on_a_phone(phone, live_server, check_page, surveyed, disdukcapil):
    violations = watch_policy(phone.context)
    phone.goto(live_server.url + "/")
    phone.get_by_role("link", name="Hasil survei kepuasan (IKM)").click()
    expect(phone.get_by_role("heading", name="Hasil survei kepuasan masyarakat", level=1)).to_be_visible()
    expect(phone.locator(".ikm-table--public")).to_contain_text(surveyed.label)
    check_page(phone, "ikm-public-1-index")

    phone.get_by_role("link", name=disdukcapil.name).click()
    expect(phone.get_by_role("heading", name=disdukcapil.name, level=1)).to_be_visible()
    charts = _charts_drawn(phone)
    assert len(charts) == 9 and all(chart["bar"] > 0 for chart in charts)
    expect(phone.locator(".ikm-table--rows")).to_contain_text("sedikit")  # KTP: 1 of 10 visits
    assert "081234567890" not in phone.content() and "Antrean rapi" not in phone.content()
    check_page(phone, "ikm-public-2-agency")

    phone.get_by_label("Layanan", exact=True).select_option(label="Kartu Keluarga")
    phone.get_by_role("button", name="Tampilkan").click()
    expect(phone.locator(".ikm-facts__big")).to_have_text("85,42")
    check_page(phone, "ikm-public-3-service")
    assert violations == []
