"""DPMPTSP's help desk in Chromium at a front-office PC: a staff member signs in, finds a
citizen's bookings by NIK and phone, moves one, sends its confirmation again, cancels
another, and sees each act recorded with their name; an agency's officer is turned
away. Every page is audited with axe-core."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Role
from queueing.bookings.services import booking_create
from queueing.models import Booking, BookingAct, BookingStatus, Notification, NotificationEvent
from tests.factories import AgencyFactory, OpeningHoursFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "rahasia-uji-2026"
NIK = "3674011708900001"
PHONE = "+6281234567890"
FRONT_OFFICE_PC = {"viewport": {"width": 1366, "height": 768}, "locale": "id-ID"}


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def bookings(transactional_db):
    agency = AgencyFactory(code="disdukcapil", name="Dinas Kependudukan dan Pencatatan Sipil")
    for weekday in range(7):
        OpeningHoursFactory(agency=agency, weekday=weekday, opens=dt.time(8), closes=dt.time(12))
    ktp = ServiceFactory(agency=agency, code="ktp-el", name="Perekaman KTP Elektronik", slot_minutes=60)
    kk = ServiceFactory(agency=agency, code="kk", name="Kartu Keluarga", slot_minutes=60)
    day = timezone.localdate() + dt.timedelta(days=4)
    return [
        booking_create(service=ktp, start=at(day, 9), nik=NIK, name="Siti Rahmawati", phone=PHONE),
        booking_create(service=kk, start=at(day, 10), nik=NIK, name="Siti Rahmawati", phone=PHONE),
    ]


@pytest.fixture
def pc(browser):
    context = browser.new_context(**FRONT_OFFICE_PC)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def log_in(page, base_url: str, username: str) -> None:
    page.goto(base_url + reverse("help-desk"))
    expect(page.get_by_role("heading", name="Masuk petugas", level=1)).to_be_visible()
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()


def test_a_staff_member_finds_moves_resends_and_cancels_and_sees_the_record(live_server, pc, check_page, bookings):
    ktp_booking, kk_booking = bookings
    UserFactory(username="dina", first_name="Dina", last_name="Lestari", role=Role.HELP_DESK, agency=None)
    log_in(pc, live_server.url, "dina")
    expect(pc.get_by_role("heading", name="Cari pemesanan warga", level=1)).to_be_visible()
    check_page(pc, "help-desk-1-search")

    # Garbage first: the error is at its field and the page keeps working.
    pc.get_by_label("NIK").fill("bukan-nik")
    pc.get_by_label("Nomor ponsel").fill("0812 3456 7890")
    pc.get_by_role("button", name="Cari", exact=True).click()
    expect(pc.locator("#id_nik_error")).to_contain_text("NIK hanya berisi angka")

    pc.get_by_label("NIK").fill(NIK)
    pc.get_by_role("button", name="Cari", exact=True).click()
    results = pc.locator(".desk-results table")
    expect(results).to_contain_text(ktp_booking.display_code)
    expect(results).to_contain_text(kk_booking.display_code)
    expect(results).to_contain_text("3674••••••••0001")
    assert NIK not in pc.content() and NIK not in pc.url
    check_page(pc, "help-desk-2-results")

    # Move the KTP-el booking from 09.00 to 11.00.
    pc.get_by_role("link", name=ktp_booking.display_code).click()
    pc.get_by_role("link", name="Jadwalkan ulang").click()
    pc.get_by_label("Tanggal").fill(ktp_booking.date.isoformat())
    pc.get_by_role("button", name="Tampilkan jam").click()
    check_page(pc, "help-desk-3-move")
    pc.get_by_label("11.00").check()
    pc.get_by_role("button", name="Pindahkan ke jam ini").click()
    expect(pc.get_by_role("status").or_(pc.locator(".alert--ok"))).to_contain_text("sudah dipindahkan")
    expect(pc.locator(".facts")).to_contain_text("11.00")

    # Send its confirmation again.
    pc.get_by_role("button", name="Kirim ulang konfirmasi").click()
    expect(pc.locator(".alert--ok")).to_contain_text("Konfirmasi dikirim ulang")
    acts = pc.locator(".desk-acts table")
    expect(acts).to_contain_text("Dijadwalkan ulang")
    expect(acts).to_contain_text("Konfirmasi dikirim ulang")
    expect(acts).to_contain_text("Dina Lestari")
    expect(acts).to_contain_text("09.00 → ")
    check_page(pc, "help-desk-4-booking")

    # The print page, with its QR code.
    pc.get_by_role("link", name="Cetak pemesanan").click()
    expect(pc.locator(".desk-print__qr svg")).to_be_visible()
    check_page(pc, "help-desk-5-print")
    pc.emulate_media(media="print")
    expect(pc.get_by_role("link", name="Kembali ke pemesanan")).to_be_hidden()  # the print stylesheet
    pc.emulate_media(media="screen")
    pc.get_by_role("link", name="Kembali ke pemesanan").click()
    expect(pc.locator(".desk-acts table")).to_contain_text("Dicetak")

    # Cancel the KK booking, found again by its code.
    pc.get_by_role("link", name="Cari pemesanan").first.click()
    pc.get_by_label("Kode pemesanan").fill(kk_booking.code.lower())
    pc.get_by_role("button", name="Cari", exact=True).click()
    pc.get_by_role("link", name=kk_booking.display_code).click()
    pc.get_by_role("link", name="Batalkan pemesanan").click()
    pc.get_by_role("button", name="Ya, batalkan").click()
    expect(pc.locator(".alert--ok")).to_contain_text("Pemesanan dibatalkan")
    expect(pc.locator(".desk-acts table")).to_contain_text("Dibatalkan")
    expect(pc.locator(".desk-acts table")).to_contain_text("Dina Lestari")

    assert Booking.objects.get(pk=ktp_booking.pk).start == at(ktp_booking.date, 11)
    assert Booking.objects.get(pk=kk_booking.pk).status == BookingStatus.CANCELLED
    assert set(BookingAct.objects.values_list("staff_name", flat=True)) == {"Dina Lestari"}
    assert Notification.objects.filter(booking=ktp_booking, event=NotificationEvent.BOOKING_CONFIRMED).count() == 2


def test_an_agencys_officer_is_turned_away(live_server, pc, bookings):
    agency = bookings[0].service.agency
    UserFactory(username="bob", role=Role.OFFICER, agency=agency)
    log_in(pc, live_server.url, "bob")
    answer = pc.goto(live_server.url + reverse("help-desk"))
    assert answer.status == 403
    expect(pc.get_by_role("heading", name="Tidak ada akses", level=1)).to_be_visible()
    answer = pc.goto(live_server.url + reverse("help-desk-booking", args=[bookings[0].display_code]))
    assert answer.status == 403
    assert not re.search(bookings[0].name, pc.content())
