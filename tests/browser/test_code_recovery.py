"""A citizen who lost the booking code asks for it on a phone and at the kiosk, in
Chromium: a mistyped NIK is shown at its field, then the same answer comes whatever
was typed, the code goes to the phone and never onto the screen. Pages audited with
axe-core."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from queueing.bookings.services import booking_create
from queueing.models import Notification, NotificationEvent
from tests.browser.conftest import log_in_as_kiosk
from tests.factories import AgencyFactory, OpeningHoursFactory, ServiceFactory

pytestmark = pytest.mark.browser

NIK = "3674011708900001"
KIOSK = {"viewport": {"width": 1080, "height": 1920}, "has_touch": True, "locale": "id-ID"}


@pytest.fixture
def booking(transactional_db):
    agency = AgencyFactory(code="disdukcapil", name="Dinas Kependudukan dan Pencatatan Sipil")
    for weekday in range(7):
        OpeningHoursFactory(agency=agency, weekday=weekday, opens=dt.time(8), closes=dt.time(12))
    service = ServiceFactory(agency=agency, code="ktp-el", name="Perekaman KTP Elektronik")
    start = dt.datetime.combine(
        timezone.localdate() + dt.timedelta(days=2), dt.time(9), tzinfo=timezone.get_current_timezone()
    )
    return booking_create(service=service, start=start, nik=NIK, name="Siti", phone="+6281234567890")


def codes_sent():
    return Notification.objects.filter(event=NotificationEvent.BOOKING_CODES)


def test_a_lost_code_is_sent_to_the_phone_from_the_web(live_server, phone, check_page, booking):
    phone.goto(live_server.url + reverse("booking-lookup"))
    phone.get_by_role("link", name="Lupa kode pemesanan?").click()
    check_page(phone, "code-recovery-1-form")
    phone.get_by_label("NIK").fill("3674-01")
    phone.get_by_label("Nomor ponsel").fill("0812 3456 7890")
    phone.get_by_role("button", name="Kirim kode ke ponsel saya").click()
    expect(phone.locator("#id_nik_error")).to_contain_text("NIK harus 16 digit")
    check_page(phone, "code-recovery-2-error")
    phone.get_by_label("NIK").fill(NIK)
    phone.get_by_role("button", name="Kirim kode ke ponsel saya").click()
    expect(phone.get_by_role("heading", name="Permintaan kode diterima", level=1)).to_be_visible()
    check_page(phone, "code-recovery-3-sent")
    assert booking.display_code not in phone.content()
    assert NIK not in phone.url
    assert booking.display_code in codes_sent().get().message


def test_a_lost_code_is_sent_to_the_phone_from_the_kiosk(live_server, browser, check_page, booking):
    context = browser.new_context(**KIOSK)
    context.set_default_timeout(10_000)
    log_in_as_kiosk(context, live_server.url)
    kiosk = context.new_page()
    try:
        kiosk.goto(live_server.url + reverse("kiosk-check-in"))
        kiosk.get_by_role("link", name="Lupa kode booking?").click()
        check_page(kiosk, "kiosk-code-recovery-1-form")
        kiosk.get_by_label("NIK").fill(NIK)
        kiosk.get_by_label("Nomor ponsel").fill("0812 3456 7890")
        kiosk.get_by_role("button", name="Kirim kode ke ponsel saya").click()
        expect(kiosk.get_by_role("heading", name="Permintaan kode diterima", level=1)).to_be_visible()
        check_page(kiosk, "kiosk-code-recovery-2-sent")
        assert booking.display_code not in kiosk.content()
        assert booking.display_code in codes_sent().get().message
    finally:
        context.close()
