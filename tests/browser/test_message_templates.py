"""An administrator words a message in the administration: a typo in a placeholder is
refused at the field with what was typed kept, and the mended wording is saved."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from queueing.models import MessageTemplate
from tests.browser.conftest import ARTIFACTS, admin_signed_in
from tests.factories import AdminFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("locale", "refused"), [("id-ID", "tanpa pasangannya"), ("en-US", "without its pair")])
def test_a_typo_in_a_template_is_refused_at_the_field_and_kept(live_server, browser, transactional_db, locale, refused):
    AdminFactory(username="admin-dpmptsp")
    context, page = admin_signed_in(browser, live_server, "admin-dpmptsp", locale=locale)
    try:
        page.goto(live_server.url + reverse("admin:queueing_messagetemplate_add"))
        page.locator("#id_event").select_option("booking_cancelled")
        page.locator("#id_language").select_option("id")
        page.locator("#id_subject").fill("Batal {code.__class__}")
        page.locator("#id_text").fill("Batal {code} {")
        page.locator("input[name=_save]").click()

        expect(page.locator(".field-text .errorlist")).to_contain_text(refused)
        expect(page.locator(".field-subject .errorlist")).to_contain_text("{code.__class__}")
        expect(page.locator("#id_text")).to_have_value("Batal {code} {")
        expect(page.locator("#id_subject")).to_have_value("Batal {code.__class__}")
        page.screenshot(path=ARTIFACTS / f"message-template-refused-{locale}.png", full_page=True)
        assert not MessageTemplate.objects.exists()

        page.locator("#id_subject").fill("Batal {code}")
        page.locator("#id_text").fill("Pemesanan {code} pada {date} pukul {time} dibatalkan.")
        page.locator("input[name=_save]").click()
        expect(page.locator(".messagelist")).to_be_visible()
        assert MessageTemplate.objects.get().text == "Pemesanan {code} pada {date} pukul {time} dibatalkan."
    finally:
        context.close()
