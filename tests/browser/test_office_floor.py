"""The floor now (/kantor/lantai/) open in the office while the floor works: a call and
a counter's break appear without a reload; and the public transparency page on a phone.
Every page passes the axe audit (check_page)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from queueing.floor.tickets import counter_set_paused, ticket_act, ticket_call_next, ticket_issue_walk_in
from queueing.models import Survey, TicketAction
from queueing.office.transparency import last_month
from tests.browser import test_officer_and_display as floor
from tests.browser.test_officer_and_display import COUNTER_PC, PASSWORD, settle
from tests.factories import AgencyFactory
from tests.queueing.conftest import at

pytestmark = pytest.mark.browser

# Kartu Keluarga (open around the clock), loket 3 with officer bob, browser contexts.
kk, counter, contexts = floor.kk, floor.counter, floor.contexts


def sign_in(page, base_url: str, username: str, path: str) -> None:
    page.goto(base_url + reverse("officer-login") + f"?next={path}")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page).to_have_url(base_url + path)


def cell(page, agency, field: str):
    return page.locator(f'[data-rows] tr[data-agency="{agency.pk}"] [data-field="{field}"]')


def test_dpmptsp_staff_see_a_call_appear_on_the_floor_without_reloading(
    live_server, contexts, check_page, kk, counter, bob, admin_user, disdukcapil
):
    samsat = AgencyFactory(code="samsat", name="Samsat", ticket_prefix="S")
    ticket_issue_walk_in(service=kk)
    ticket_issue_walk_in(service=kk)

    page = contexts(COUNTER_PC)
    sign_in(page, live_server.url, admin_user.username, reverse("office-floor"))
    expect(page.get_by_role("heading", name="Lantai sekarang", level=1)).to_be_visible()
    expect(cell(page, disdukcapil, "waiting")).to_have_text("2")
    expect(cell(page, disdukcapil, "serving")).to_have_text("0")
    expect(cell(page, samsat, "waiting")).to_have_text("0")
    expect(page.locator('[data-total] [data-field="busiest"]')).to_contain_text(disdukcapil.name)
    expect(page.locator(".live-state")).to_have_attribute("data-live", "on")
    settle(page)
    check_page(page, "office-floor-1-all-agencies")
    page.evaluate("window.__notReloaded = true")

    ticket_call_next(counter=counter, officer=bob)

    expect(cell(page, disdukcapil, "waiting")).to_have_text("1")
    expect(cell(page, disdukcapil, "serving")).to_have_text("1")
    expect(page.locator('[data-total] [data-field="serving"]')).to_have_text("1")
    assert page.evaluate("window.__notReloaded") is True
    settle(page)
    check_page(page, "office-floor-2-after-a-call")


def test_a_supervisor_sees_their_agency_and_a_break_appears_live(
    live_server, contexts, check_page, kk, counter, bob, alice, disdukcapil
):
    AgencyFactory(code="samsat", name="Samsat", ticket_prefix="S")
    ticket_issue_walk_in(service=kk)

    page = contexts(COUNTER_PC)
    sign_in(page, live_server.url, alice.username, reverse("office-floor"))
    expect(page.locator("[data-rows] tr")).to_have_count(1)
    expect(page.locator("[data-rows]")).not_to_contain_text("Samsat")
    expect(page.locator("#id_agency")).to_have_count(0)  # no choice: their agency's page
    expect(cell(page, disdukcapil, "open")).to_have_text("1")
    expect(page.locator(".live-state")).to_have_attribute("data-live", "on")
    settle(page)
    check_page(page, "office-floor-3-supervisor")

    # The break's event travels on the agency's own stream.
    counter_set_paused(counter=counter, officer=bob, paused=True)
    expect(cell(page, disdukcapil, "on_break")).to_have_text("1")
    expect(cell(page, disdukcapil, "open")).to_have_text("0")

    page.goto(live_server.url + reverse("office-floor") + "?agency=999999")
    expect(page.get_by_role("heading", name="Tidak ada akses")).to_be_visible()


def test_the_floor_page_on_a_phone_and_a_bad_choice_at_its_field(
    live_server, contexts, check_page, kk, admin_user, disdukcapil
):
    phone = contexts({**floor.TV, "viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True})
    sign_in(phone, live_server.url, admin_user.username, reverse("office-floor"))
    expect(phone.locator(".live-state")).to_have_attribute("data-live", "on")
    settle(phone)
    check_page(phone, "office-floor-4-phone")
    phone.goto(live_server.url + reverse("office-floor") + "?agency=abc")
    expect(phone.locator(".field__error")).to_contain_text("Pilih instansi dari daftar.")
    settle(phone)
    check_page(phone, "office-floor-5-bad-choice")
    phone.get_by_label("Instansi", exact=True).select_option(label=disdukcapil.name)
    phone.get_by_role("button", name="Tampilkan").click()
    expect(phone.locator("[data-rows] tr")).to_have_count(1)


def test_the_transparency_page_on_a_phone_in_both_languages(
    live_server, phone, check_page, kk, counter, bob, disdukcapil
):
    # Last month: a visit served after 12 minutes, with its survey; today one called, one waiting.
    day = last_month(timezone.localdate())[0] + dt.timedelta(days=3)
    ticket_issue_walk_in(service=kk, now=at(day, 9))
    served = ticket_call_next(counter=counter, officer=bob, now=at(day, 9, 12))
    ticket_act(ticket=served, action=TicketAction.STARTED, officer=bob, now=at(day, 9, 13))
    ticket_act(ticket=served, action=TicketAction.COMPLETED, officer=bob, now=at(day, 9, 20))
    survey = Survey.objects.create(ticket=served, service=kk, agency=disdukcapil, answers=[4, 4, 3, 4, 3, 3, 4, 4, 3])
    Survey.objects.filter(pk=survey.pk).update(created_at=at(day, 9, 30))
    ticket_issue_walk_in(service=kk)
    ticket_call_next(counter=counter, officer=bob)
    ticket_issue_walk_in(service=kk)
    phone.goto(live_server.url + reverse("home"))
    phone.get_by_role("link", name="Transparansi layanan: antrean, waktu tunggu, IKM").click()
    expect(phone.get_by_role("heading", name="Transparansi layanan", level=1)).to_be_visible()
    expect(phone.locator(".transparency-list li").first).to_contain_text(disdukcapil.name)
    expect(phone.locator(".transparency-list li").first).to_contain_text("mutu A (Sangat baik)")
    expect(phone.locator(".transparency-list li").first).to_contain_text("100%")
    check_page(phone, "transparency-1-id")
    phone.get_by_text("Arti angka-angka ini").click()
    check_page(phone, "transparency-2-terms-open")
    phone.get_by_role("button", name="English").click()
    expect(phone.get_by_role("heading", name="Service transparency", level=1)).to_be_visible()
    check_page(phone, "transparency-3-en")


def test_the_office_home_names_every_page_of_the_area_for_a_supervisor(live_server, contexts, check_page, alice):
    page = contexts(COUNTER_PC)
    sign_in(page, live_server.url, alice.username, reverse("office-home"))
    expect(page.get_by_role("heading", name="Kantor DPMPTSP", level=1)).to_be_visible()
    expect(page.get_by_text(f"Anda melihat data {alice.agency.name}.")).to_be_visible()
    menu = page.get_by_role("navigation", name="Menu kantor")
    for name in ("Beranda", "Lantai sekarang", "Pengaduan", "MoU instansi", "IKM", "Laporan antrean"):
        expect(menu.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(menu.get_by_role("link", name="Beranda", exact=True)).to_have_attribute("aria-current", "page")
    check_page(page, "office-home-supervisor")
