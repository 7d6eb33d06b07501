"""A citizen on a phone finds a service, reads what to bring, and switches to English."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import AgencyKind
from services.models import ClosureDay
from tests.factories import AgencyFactory, OpeningHoursFactory, ServiceFactory

pytestmark = pytest.mark.browser


def make_mall():
    disdukcapil = AgencyFactory(
        code="disdukcapil",
        name="Dinas Kependudukan dan Pencatatan Sipil",
        kind=AgencyKind.OPD,
        location="Lantai 1, loket 1–6",
        phone="021 7470 0000",
        description="Dokumen kependudukan: KTP-el, Kartu Keluarga, akta kelahiran dan pindah datang.",
    )
    ktp = ServiceFactory(
        agency=disdukcapil,
        code="ktp-el",
        name="Perekaman KTP Elektronik",
        description="Perekaman data, foto dan sidik jari untuk KTP-el pertama.",
        requirements="Surat pengantar RT/RW\nFotokopi Kartu Keluarga\nBerusia 17 tahun atau sudah menikah",
        procedure="Ambil nomor antrean\nSerahkan berkas di loket\nPerekaman foto, sidik jari dan iris\nTerima KTP-el",
        completion_time="Selesai di hari yang sama",
        product="KTP elektronik",
        legal_basis="UU 24/2013 tentang Administrasi Kependudukan\nUU 25/2009 tentang Pelayanan Publik",
    )
    ServiceFactory(agency=disdukcapil, code="akta", name="Akta Kelahiran", completion_time="1 hari kerja")
    imigrasi = AgencyFactory(code="imigrasi", name="Kantor Imigrasi", kind=AgencyKind.PEMERINTAH)
    ServiceFactory(
        agency=imigrasi,
        code="paspor",
        name="Paspor Baru",
        online_booking=False,
        walk_in=False,
        external_booking_url="https://example.org/m-paspor",
        fee="Rp350.000",
    )
    AgencyFactory(code="pos", name="PT Pos Indonesia", kind=AgencyKind.BUMN)
    AgencyFactory(code="bjb", name="Bank bjb", kind=AgencyKind.BUMD)
    for weekday in range(5):
        OpeningHoursFactory(weekday=weekday, opens=dt.time(8, 0), closes=dt.time(15, 0))
    closed = timezone.localdate() + dt.timedelta(days=1)
    while closed.weekday() >= 5:
        closed += dt.timedelta(days=1)
    ClosureDay.objects.create(date=closed, name="Cuti bersama")
    return ktp


def test_citizen_finds_a_service_and_reads_its_requirements(transactional_db, live_server, phone, check_page):
    make_mall()

    phone.goto(f"{live_server.url}/")
    expect(phone.locator("html")).to_have_attribute("lang", "id")
    expect(phone.get_by_role("heading", name="Cari layanan", level=1)).to_be_visible()
    expect(phone.get_by_role("heading", name="Perangkat daerah (OPD)")).to_be_visible()
    check_page(phone, "1-home")

    phone.get_by_label("Nama layanan atau instansi").fill("perekaman")
    phone.get_by_role("button", name="Cari", exact=True).tap()
    expect(phone.get_by_text("1 layanan cocok dengan “perekaman”.")).to_be_visible()
    check_page(phone, "2-search")

    phone.get_by_role("link", name="Perekaman KTP Elektronik").tap()
    expect(phone.get_by_role("heading", name="Perekaman KTP Elektronik", level=1)).to_be_visible()
    expect(phone.get_by_text("Surat pengantar RT/RW")).to_be_visible()
    expect(phone.get_by_role("heading", name="Persyaratan")).to_be_visible()
    expect(phone.get_by_role("heading", name="Sistem, mekanisme dan prosedur")).to_be_visible()
    expect(phone.get_by_role("cell", name="Tutup")).to_have_count(3)  # a weekday off and the weekend
    requirement = phone.get_by_label("Fotokopi Kartu Keluarga")
    requirement.tap()
    expect(requirement).to_be_checked()
    check_page(phone, "3-service")

    phone.reload()
    expect(phone.get_by_label("Fotokopi Kartu Keluarga")).to_be_checked()  # kept on this phone

    phone.get_by_role("navigation", name="Posisi halaman").get_by_role("link", name="Dinas Kependudukan").tap()
    expect(phone.get_by_role("heading", name="Dinas Kependudukan dan Pencatatan Sipil", level=1)).to_be_visible()
    expect(phone.get_by_text("Lantai 1, loket 1–6")).to_be_visible()
    check_page(phone, "4-agency")


def test_citizen_switches_the_portal_to_english(transactional_db, live_server, phone, check_page):
    ktp = make_mall()

    phone.goto(f"{live_server.url}/instansi/{ktp.agency.code}/layanan/{ktp.code}/")
    phone.get_by_role("button", name="English").tap()

    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone).to_have_url(f"{live_server.url}/instansi/{ktp.agency.code}/layanan/{ktp.code}/")
    expect(phone.get_by_role("heading", name="Requirements")).to_be_visible()
    expect(phone.get_by_role("heading", name="Opening hours for the next 7 days")).to_be_visible()
    expect(phone.get_by_role("button", name="English")).to_have_attribute("aria-current", "true")
    check_page(phone, "5-service-en")

    phone.get_by_role("link", name="Home").tap()
    expect(phone.get_by_role("heading", name="Search services", level=1)).to_be_visible()
    expect(phone.get_by_role("heading", name="Central government offices")).to_be_visible()
    check_page(phone, "6-home-en")

    phone.get_by_role("link", name="Kantor Imigrasi").tap()
    expect(phone.get_by_text("Book on the agency's site")).to_be_visible()
    check_page(phone, "7-agency-en")


def test_english_pages_show_the_english_content_and_the_search_finds_it(
    transactional_db, live_server, phone, check_page
):
    ktp = make_mall()
    ktp.name_en = "Electronic identity card recording"
    ktp.requirements_en = (
        "Cover letter from the neighbourhood head (RT/RW)\nCopy of the family card\nAged 17 or married"
    )
    ktp.save()

    phone.goto(f"{live_server.url}/?q=e-KTP")
    phone.get_by_role("button", name="English").tap()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    results = phone.locator(".results .card__title")
    expect(results.first).to_have_text("Electronic identity card recording")
    check_page(phone, "5b-search-en")

    phone.get_by_role("link", name="Electronic identity card recording").tap()
    expect(phone.get_by_role("heading", name="Electronic identity card recording", level=1)).to_be_visible()
    expect(phone.get_by_label("Copy of the family card")).to_be_visible()
    # No English entered for the procedure: the Indonesian shows, marked as such.
    expect(phone.locator("ol.steps")).to_have_attribute("lang", "id")
    expect(phone.get_by_text("Serahkan berkas di loket")).to_be_visible()
    check_page(phone, "5c-service-en-content")


def test_search_and_pages_work_without_javascript(transactional_db, live_server, phone_without_js, check_page):
    make_mall()
    page = phone_without_js

    page.goto(f"{live_server.url}/")
    page.get_by_label("Nama layanan atau instansi").fill("paspor")
    page.get_by_role("button", name="Cari", exact=True).tap()
    page.get_by_role("link", name="Paspor Baru").tap()
    expect(page.get_by_role("heading", name="Persyaratan")).to_be_visible()
    page.get_by_label("Kartu Keluarga").tap()
    expect(page.get_by_label("Kartu Keluarga")).to_be_checked()
    check_page(page, "8-service-without-js", audit=False)

    page.get_by_role("button", name="English").tap()
    expect(page.get_by_role("heading", name="Requirements")).to_be_visible()


def test_no_result_external_booking_and_not_found_pages(transactional_db, live_server, phone, check_page):
    make_mall()

    phone.goto(f"{live_server.url}/?q=helikopter")
    expect(phone.get_by_text("Tidak ada layanan yang cocok dengan “helikopter”.")).to_be_visible()
    check_page(phone, "9-no-result")

    phone.goto(f"{live_server.url}/instansi/imigrasi/layanan/paspor/")
    booking = phone.get_by_role("link", name="Buka situs pemesanan")
    expect(booking).to_have_count(2)  # at the top, and under "Cara dilayani"
    expect(booking.first).to_have_attribute("href", "https://example.org/m-paspor")
    check_page(phone, "10-external-booking")

    response = phone.goto(f"{live_server.url}/instansi/tidak-ada/")
    assert response.status == 404
    expect(phone.get_by_role("heading", name="Halaman tidak ditemukan")).to_be_visible()
    check_page(phone, "11-not-found")


def test_keyboard_users_can_skip_to_the_content_and_see_the_focus(transactional_db, live_server, phone, check_page):
    make_mall()

    phone.goto(f"{live_server.url}/")
    phone.keyboard.press("Tab")
    skip = phone.get_by_role("link", name="Langsung ke isi utama")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    check_page(phone, "12-skip-link-focused")

    phone.keyboard.press("Enter")
    phone.keyboard.press("Tab")
    expect(phone.get_by_label("Nama layanan atau instansi")).to_be_focused()
    phone.keyboard.press("Tab")
    expect(phone.get_by_role("button", name="Cari", exact=True)).to_be_focused()
    card = phone.get_by_role("link", name="Kantor Imigrasi")
    for _ in range(3):
        if card.evaluate("el => el === document.activeElement"):
            break
        phone.keyboard.press("Tab")
    expect(card).to_be_focused()
    outline = card.evaluate("el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth")
    assert outline == "solid 3px"
    check_page(phone, "13-card-focused")
