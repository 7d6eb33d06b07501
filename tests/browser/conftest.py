"""Browser fixtures: Debian's Chromium driven by Playwright, on a phone-sized screen.

Playwright's own browser download is never used. Without /usr/bin/chromium the browser
tests are skipped, unless REQUIRE_SERVICES=1 asks for every test to run.
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from tests.require import missing

# Playwright's sync API runs an event loop in this thread; the tests still create their
# data through the ORM, which Django would otherwise refuse next to a running loop.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "id-ID",
}


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        missing(f"{CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def sign_in_to_admin(page, base_url: str, username: str, password: str) -> None:
    """Sign in on the administration's login page, as staff do."""
    page.goto(base_url + reverse("admin:login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("input[type=submit]").click()


def admin_signed_in(browser, live_server, username: str, *, locale: str = "id-ID"):
    """(context, page): a desktop-sized page signed in to the administration as
    ``username`` (made by ``tests.factories``, with its password); close the context."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    context.set_default_timeout(10_000)
    page = context.new_page()
    ARTIFACTS.mkdir(exist_ok=True)
    sign_in_to_admin(page, live_server.url, username, "rahasia-uji-2026")
    return context, page


def _new_page(browser, **options):
    context = browser.new_context(**PHONE, **options)
    context.set_default_timeout(10_000)
    return context, context.new_page()


def log_in_as_kiosk(context, base_url: str):
    """Make a browser context a registered kiosk: a kiosk account's session, as its
    login at /kiosk/masuk/ leaves it. Answers the account."""
    from django.conf import settings
    from django.test import Client

    from agencies.models import Role
    from tests.factories import UserFactory

    kiosk = UserFactory(role=Role.KIOSK, agency=None, is_staff=False)
    client = Client()
    client.force_login(kiosk)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])
    return kiosk


@pytest.fixture
def phone(browser):
    """A page on a small Android phone."""
    context, page = _new_page(browser)
    yield page
    context.close()


@pytest.fixture
def phone_without_js(browser):
    """The same phone with JavaScript switched off."""
    context, page = _new_page(browser, java_script_enabled=False)
    yield page
    context.close()


@pytest.fixture
def check_page():
    """Screenshot the page into test-artifacts/, then audit it with axe-core and for
    phone-sized layout: no serious or critical violation, no sideways scrolling, and
    touch targets of at least 44 by 44 pixels. A page without JavaScript can only be
    photographed: pass audit=False."""
    from axe_playwright_python.sync_playwright import Axe

    ARTIFACTS.mkdir(exist_ok=True)
    axe = Axe()

    def check(page, name: str, *, audit: bool = True) -> None:
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
        if not audit:  # the audits run scripts in the page
            return

        results = axe.run(page)
        serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert not serious, f"{name}: {page.url}\n" + "\n".join(
            f"{v['impact']}: {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']]}" for v in serious
        )

        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name}: the page scrolls sideways by {overflow}px"

        small = page.evaluate(
            """() => Array.from(document.querySelectorAll(
                'button, input, select, textarea, .card, .button, .breadcrumbs a, .toc a, .checklist label'
            )).filter(el => el.offsetParent !== null && el.type !== 'checkbox' && el.type !== 'hidden')
              .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect()])
              .filter(([, r]) => r.width < 44 || r.height < 44)
              .map(([html, r]) => `${html} ${Math.round(r.width)}x${Math.round(r.height)}`)"""
        )
        assert not small, f"{name}: touch targets under 44px: {small}"

    return check
