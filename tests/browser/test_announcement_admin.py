"""A supervisor edits the running text from its list in the administration: their own
line's columns can be changed, the mall-wide line's cannot, and saving the list leaves
the mall-wide line as it was. A citizen who types a day at the end of the calendar into
a booking address gets the portal's page-not-found."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from agencies.models import Role
from queueing.models import Announcement
from tests.browser.conftest import sign_in_to_admin
from tests.factories import AgencyFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "rahasia-uji-2026"


@pytest.fixture
def lines(transactional_db):
    disdukcapil = AgencyFactory(code="disdukcapil", name="Dinas Kependudukan dan Pencatatan Sipil", ticket_prefix="B")
    UserFactory(username="supervisor-disdukcapil", role=Role.SUPERVISOR, agency=disdukcapil)
    mall_wide = Announcement.objects.create(text="MPP buka pukul 08.00", agency=None, active=True, order=0)
    own = Announcement.objects.create(text="KTP selesai hari ini", agency=disdukcapil, active=True, order=1)
    return mall_wide, own


def test_a_supervisor_saves_the_running_text_list_without_touching_the_mall_wide_line(live_server, browser, lines):
    mall_wide, own = lines
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in_to_admin(page, live_server.url, "supervisor-disdukcapil", PASSWORD)
        page.goto(live_server.url + reverse("admin:queueing_announcement_changelist"))

        mall_row = page.locator("tr", has_text="MPP buka pukul 08.00")
        own_row = page.locator("tr", has_text="KTP selesai hari ini")
        expect(mall_row.locator("input[name$=-active]")).to_be_disabled()
        expect(mall_row.locator("input[name$=-order]")).to_be_disabled()
        expect(own_row.locator("input[name$=-active]")).to_be_enabled()

        own_row.locator("input[name$=-active]").uncheck()
        page.locator("input[name=_save]").click()
        expect(page.locator(".messagelist")).to_be_visible()
    finally:
        context.close()

    mall_wide.refresh_from_db()
    own.refresh_from_db()
    assert (mall_wide.agency_id, mall_wide.active, mall_wide.order) == (None, True, 0)
    assert own.active is False


def test_a_booking_address_at_the_end_of_the_calendar_is_the_portals_page_not_found(live_server, phone, lines):
    agency = AgencyFactory(code="samsat", name="Samsat", ticket_prefix="C")
    service = ServiceFactory(agency=agency, code="stnk", name="Perpanjangan STNK")
    url = reverse("booking-form", args=[agency.code, service.code, "9999-12-31", "2359"])
    answer = phone.goto(live_server.url + url)
    assert answer.status == 404
    expect(phone.locator("a[href='/']").first).to_be_visible()
