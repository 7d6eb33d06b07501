"""A supervisor adds a Friday row for their agency in the administration: the page
shows the week it leaves and the bookings it strands before anything is saved, the
confirmation saves it, and the other weekdays stay open for booking and at the kiosk."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Role
from queueing.bookings.services import booking_create
from queueing.models import Booking
from services.models import OpeningHours
from tests.browser.conftest import ARTIFACTS, admin_signed_in, log_in_as_kiosk
from tests.factories import AgencyFactory, OpeningHoursFactory, ServiceFactory, UserFactory
from tests.queueing.bookings.test_schedule_preview import next_weekday
from tests.queueing.conftest import at, nik

pytestmark = pytest.mark.browser

WEEKDAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


@pytest.fixture
def mall(transactional_db):
    for weekday in range(5):
        OpeningHoursFactory(weekday=weekday, opens=dt.time(8), closes=dt.time(15))
    disdukcapil = AgencyFactory(code="disdukcapil", name="Dinas Kependudukan dan Pencatatan Sipil", ticket_prefix="B")
    ktp = ServiceFactory(agency=disdukcapil, code="ktp-el", name="Penerbitan KTP-el", slot_capacity=5, daily_quota=50)
    UserFactory(username="supervisor-disdukcapil", role=Role.SUPERVISOR, agency=disdukcapil)
    # Nine bookings: two on each of Monday to Thursday, one on Friday afternoon.
    starts = [at(next_weekday(weekday), 9, 30 * n) for weekday in range(4) for n in range(2)]
    starts.append(at(next_weekday(4), 13))
    for n, start in enumerate(starts):
        booking_create(service=ktp, start=start, nik=nik(n + 1), name=f"Warga {n}", phone="+6281234567890")
    return disdukcapil, ktp


def expected_kiosk_state(now: dt.datetime) -> str:
    """What the kiosk must say of the agency with the mall's Monday–Thursday hours and
    the agency's Friday 08.00–11.30, worked out here without the portal's rule."""
    here = timezone.localtime(now)
    closes = {0: 15, 1: 15, 2: 15, 3: 15, 4: 11.5}
    hour = here.hour + here.minute / 60
    if here.weekday() in closes and 8 <= hour < closes[here.weekday()]:
        return "Buka"
    day = here.date() if here.weekday() in closes and hour < 8 else here.date() + dt.timedelta(days=1)
    while day.weekday() not in closes:
        day += dt.timedelta(days=1)
    if day == here.date():
        return "buka pukul 08.00"
    if day == here.date() + dt.timedelta(days=1):
        return "buka besok pukul 08.00"
    return f"buka {WEEKDAYS[day.weekday()]}, {day.day} "


def test_a_supervisor_previews_and_confirms_an_agency_friday_row(live_server, browser, mall):
    disdukcapil, ktp = mall
    context, page = admin_signed_in(browser, live_server, "supervisor-disdukcapil")
    try:
        page.goto(live_server.url + reverse("admin:services_openinghours_add"))
        page.locator("#id_agency").select_option(str(disdukcapil.pk))
        page.locator("#id_weekday").select_option("4")
        page.locator("#id_opens").fill("08.00")
        page.locator("#id_closes").fill("11.30")
        page.locator("input[name=_save]").last.click()

        preview = page.locator(".schedule-preview")
        expect(preview).to_be_visible()
        expect(preview).to_contain_text("1 pemesanan akan tidak sesuai jadwal")
        agency_row = preview.locator("tbody tr", has_text=disdukcapil.name)
        expect(agency_row.locator("ins")).to_have_text(["08.00–11.30"])
        page.screenshot(path=ARTIFACTS / "admin-hours-preview.png", full_page=True)
        assert not OpeningHours.objects.filter(agency=disdukcapil).exists()
        assert not Booking.objects.filter(schedule_conflict_at__isnull=False).exists()

        page.get_by_role("button", name="Konfirmasi dan simpan").click()

        expect(page.locator(".messagelist")).to_contain_text("1 pemesanan tidak lagi sesuai jadwal")
        assert OpeningHours.objects.filter(agency=disdukcapil, weekday=4).count() == 1
        stranded = Booking.objects.filter(schedule_conflict_at__isnull=False)
        assert [b.start.astimezone(timezone.get_current_timezone()).weekday() for b in stranded] == [4]

        # Monday to Thursday still take bookings, and the kiosk says so.
        for weekday in range(4):
            day = next_weekday(weekday)
            slots = page.request.get(f"{live_server.url}/api/v1/services/{ktp.pk}/slots/?date={day.isoformat()}")
            assert slots.ok
            assert len(slots.json()) == 14, (day, slots.json())  # 08.00–15.00 in half hours
        friday = page.request.get(
            f"{live_server.url}/api/v1/services/{ktp.pk}/slots/?date={next_weekday(4).isoformat()}"
        )
        assert len(friday.json()) == 7  # 08.00–11.30

        # The kiosk is a device of its own, logged in as a kiosk.
        kiosk_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
        log_in_as_kiosk(kiosk_context, live_server.url)
        kiosk = kiosk_context.new_page()
        kiosk.goto(live_server.url + "/kiosk/")
        line = kiosk.get_by_role("link", name=re.compile("Kependudukan"))
        expect(line).to_contain_text(expected_kiosk_state(timezone.now()))
        kiosk.screenshot(path=ARTIFACTS / "admin-hours-kiosk.png", full_page=True)
        kiosk_context.close()
    finally:
        context.close()
