"""A citizen on a phone books a counter slot, finds the booking again by its code,
and cancels it; every page of the way is audited with axe-core."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from queueing.bookings.services import booking_create
from services.models import ClosureDay
from tests.browser.conftest import ARTIFACTS
from tests.factories import AgencyFactory, OpeningHoursFactory, ServiceFactory

pytestmark = pytest.mark.browser

NIK = "3674011708900001"
CODE = re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$")


@pytest.fixture
def ktp(transactional_db):
    """KTP-el at Disdukcapil, open every day 08.00–12.00 (tomorrow always has slots)
    but closed the day after; tomorrow's 08.00 slot is already full."""
    agency = AgencyFactory(
        code="disdukcapil", name="Dinas Kependudukan dan Pencatatan Sipil", location="Lantai 1, loket 1–6"
    )
    for weekday in range(7):
        OpeningHoursFactory(agency=agency, weekday=weekday, opens=dt.time(8), closes=dt.time(12))
    ClosureDay.objects.create(date=tomorrow() + dt.timedelta(days=1), name="Cuti bersama")
    service = ServiceFactory(
        agency=agency,
        code="ktp-el",
        name="Perekaman KTP Elektronik",
        requirements="Surat pengantar RT/RW\nFotokopi Kartu Keluarga",
        slot_minutes=30,
        slot_capacity=4,
        daily_quota=40,
    )
    eight = dt.datetime.combine(tomorrow(), dt.time(8), tzinfo=timezone.get_current_timezone())
    for n in range(2, 6):
        booking_create(service=service, start=eight, nik=f"367401170890{n:04d}", name="Warga", phone="+6281234567890")
    return service


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def slot_link(page, start: str):
    return page.get_by_role("link", name=re.compile(rf"^{start}–"))


def test_a_citizen_books_finds_and_cancels_a_slot_on_a_phone(live_server, phone, check_page, ktp):
    phone.goto(f"{live_server.url}/")
    phone.get_by_label("Nama layanan atau instansi").fill("KTP")
    phone.get_by_role("button", name="Cari", exact=True).tap()
    phone.get_by_role("link", name="Perekaman KTP Elektronik").tap()
    expect(phone.get_by_role("heading", name="Perekaman KTP Elektronik", level=1)).to_be_visible()

    phone.get_by_role("link", name=re.compile("Pesan slot")).first.tap()

    # Step 1: what to bring, then a day
    expect(phone.get_by_role("heading", name="Pilih hari", level=1)).to_be_visible()
    expect(phone.get_by_text("Fotokopi Kartu Keluarga")).to_be_visible()
    expect(phone.get_by_text("Tutup", exact=True)).to_be_visible()
    check_page(phone, "booking-1-days")
    day = tomorrow()
    phone.get_by_role("link", name=re.compile(rf"\b{day.day} [A-Z][a-z]+ {day.year}")).first.tap()

    # Step 2: a slot
    expect(phone.get_by_role("heading", name="Pilih jam", level=1)).to_be_visible()
    expect(phone.get_by_text("Penuh", exact=True)).to_be_visible()  # 08.00, not a link
    expect(slot_link(phone, "08.00")).to_have_count(0)
    nine = slot_link(phone, "09.00")
    expect(nine).to_contain_text("4 kursi tersisa")
    check_page(phone, "booking-2-slots")
    nine.tap()

    # Step 3: the form
    expect(phone.get_by_role("heading", name="Isi data pemesan", level=1)).to_be_visible()
    expect(phone.get_by_label("SMS")).to_be_checked()
    check_page(phone, "booking-3-form")
    phone.get_by_label("NIK", exact=True).fill(NIK)
    phone.get_by_label("Nama lengkap").fill("Siti Rahmawati")
    phone.get_by_label("Nomor ponsel").fill("0812 3456 7890")
    phone.get_by_label("Kelompok prioritas").select_option(label="Ibu hamil")
    phone.get_by_label("Saya setuju data pribadi saya diproses").check()
    phone.get_by_role("button", name="Pesan nomor antrean").tap()

    # The booking: code, QR, masked NIK
    expect(phone.get_by_text("Pemesanan berhasil")).to_be_visible()
    code = phone.locator(".ticket__code").inner_text()
    assert CODE.match(code), code
    expect(phone.get_by_role("img", name=f"Kode QR pemesanan {code}")).to_be_visible()
    expect(phone.get_by_text("3674••••••••0001")).to_be_visible()
    expect(phone.get_by_text("Datang 30 menit lebih awal, pukul 08.30.")).to_be_visible()
    assert NIK not in phone.content()
    assert NIK not in phone.url
    check_page(phone, "booking-4-confirmation")
    phone.emulate_media(media="print")
    phone.screenshot(path=ARTIFACTS / "booking-5-print.png", full_page=True)
    expect(phone.get_by_role("link", name="Batalkan pemesanan")).to_be_hidden()
    phone.emulate_media(media="screen")

    # Later: "my booking", by the code typed loosely
    phone.goto(live_server.url + reverse("booking-lookup"))
    check_page(phone, "booking-6-lookup")
    phone.get_by_label("Kode pemesanan").fill(code.lower().replace("-", " "))
    phone.get_by_role("button", name="Buka pemesanan").tap()
    expect(phone.locator(".ticket__code")).to_have_text(code)
    expect(phone.get_by_text("Terpesan")).to_be_visible()

    # Cancel, after a confirmation step
    phone.get_by_role("link", name="Batalkan pemesanan").tap()
    expect(phone.get_by_role("heading", name="Batalkan pemesanan?")).to_be_visible()
    check_page(phone, "booking-7-cancel")
    phone.get_by_role("button", name="Ya, batalkan").tap()
    expect(phone.get_by_text("Pemesanan dibatalkan.")).to_be_visible()
    expect(phone.locator(".status")).to_contain_text("Dibatalkan")
    check_page(phone, "booking-8-cancelled")

    # The seat is free again
    phone.goto(live_server.url + reverse("booking-slots", args=[ktp.agency.code, ktp.code, day]))
    expect(slot_link(phone, "09.00")).to_contain_text("4 kursi tersisa")


def test_a_bad_nik_is_shown_next_to_its_field_and_the_name_is_kept(live_server, phone, check_page, ktp):
    url = reverse("booking-form", args=[ktp.agency.code, ktp.code, tomorrow(), "0930"])
    phone.goto(live_server.url + url)
    phone.get_by_label("NIK", exact=True).fill("3674 0117 0890")
    phone.get_by_label("Nama lengkap").fill("Siti Rahmawati")
    phone.get_by_label("Nomor ponsel").fill("0812 3456 7890")
    phone.get_by_label("Saya setuju data pribadi saya diproses").check()
    phone.get_by_role("button", name="Pesan nomor antrean").tap()

    summary = phone.get_by_role("alert").filter(has_text="perlu diperbaiki")
    expect(summary).to_be_focused()
    nik = phone.get_by_label("NIK", exact=True)
    expect(nik).to_have_attribute("aria-invalid", "true")
    expect(nik).to_have_accessible_description(re.compile("NIK harus 16 digit"))
    error = phone.locator("#id_nik_error")
    expect(error).to_be_visible()
    error_box, field_box = error.bounding_box(), nik.bounding_box()
    assert 0 <= field_box["y"] - (error_box["y"] + error_box["height"]) < 24  # right above the field
    expect(phone.get_by_label("Nama lengkap")).to_have_value("Siti Rahmawati")
    expect(phone.get_by_label("Saya setuju data pribadi saya diproses")).to_be_checked()
    check_page(phone, "booking-9-form-error")

    summary.get_by_role("link").first.tap()
    expect(nik).to_be_focused()


def test_a_citizen_reschedules_once_and_is_told_the_policy_after(live_server, phone, check_page, ktp):
    later = tomorrow() + dt.timedelta(days=2)
    start = dt.datetime.combine(later, dt.time(9), tzinfo=timezone.get_current_timezone())
    booking = booking_create(service=ktp, start=start, nik=NIK, name="Siti Rahmawati", phone="+6281234567890")
    phone.goto(live_server.url + reverse("booking-detail", args=[booking.display_code]))
    # A second tab left open on another new slot, to be confirmed after the move.
    stale = phone.context.new_page()
    stale.goto(live_server.url + reverse("booking-reschedule-confirm", args=[booking.display_code, later, "1000"]))

    phone.get_by_role("link", name="Jadwalkan ulang").tap()
    expect(phone.get_by_role("heading", name="Pilih hari baru", level=1)).to_be_visible()
    check_page(phone, "booking-11-reschedule-days")
    phone.get_by_role("link", name=re.compile(rf"\b{later.day} [A-Z][a-z]+ {later.year}")).first.tap()
    expect(phone.get_by_text("Jadwal Anda sekarang")).to_be_visible()
    check_page(phone, "booking-12-reschedule-slots")
    slot_link(phone, "11.00").tap()
    check_page(phone, "booking-13-reschedule-confirm")
    phone.get_by_role("button", name="Ya, pindahkan").tap()
    expect(phone.get_by_text("Jadwal pemesanan Anda sudah dipindahkan.")).to_be_visible()
    expect(phone.get_by_text("11.00–11.30")).to_be_visible()

    # The policy allows one move: the page no longer offers another, and says why.
    expect(phone.get_by_role("link", name="Jadwalkan ulang")).to_have_count(0)
    expect(phone.get_by_text("hanya dapat dijadwalkan ulang 1 kali")).to_be_visible()
    stale.get_by_role("button", name="Ya, pindahkan").tap()
    refusal = stale.get_by_role("alert")
    expect(refusal).to_contain_text("hanya dapat dijadwalkan ulang 1 kali")
    expect(refusal).to_be_focused()
    check_page(stale, "booking-14-reschedule-refused")


def test_booking_works_without_javascript(live_server, phone_without_js, check_page, ktp):
    page = phone_without_js
    page.goto(live_server.url + reverse("booking-slots", args=[ktp.agency.code, ktp.code, tomorrow()]))
    slot_link(page, "10.00").tap()
    page.get_by_label("NIK", exact=True).fill(NIK)
    page.get_by_label("Nama lengkap").fill("Budi Santoso")
    page.get_by_label("Nomor ponsel").fill("+62 812 3456 7890")
    page.get_by_label("Saya setuju data pribadi saya diproses").check()
    page.get_by_role("button", name="Pesan nomor antrean").tap()
    expect(page.locator(".ticket__code")).to_have_text(CODE)
    expect(page.locator("svg.qr")).to_be_visible()
    check_page(page, "booking-10-without-js", audit=False)

    page.get_by_role("link", name="Batalkan pemesanan").tap()
    page.get_by_role("button", name="Ya, batalkan").tap()
    expect(page.locator(".status")).to_contain_text("Dibatalkan")
