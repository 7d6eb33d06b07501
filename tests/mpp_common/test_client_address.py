"""Every rate limit counts per client address, and that address is the connection's
unless TRUSTED_PROXIES says how many proxies in front add to X-Forwarded-For."""

import pytest
from django.test import Client
from django.test.client import RequestFactory
from rest_framework.test import APIClient

from mpp_common.throttling import client_address
from tests.mpp_portal.test_settings import run_django
from tests.queueing.bookings.test_booking_pages import GOOD, form_url, page
from tests.queueing.conftest import at, nik

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits_on(settings):
    settings.RATELIMIT_ENABLED = True
    settings.TRUSTED_PROXIES = 0


def spoofed(n: int) -> dict:
    """A header the client writes itself, different on every request."""
    return {"HTTP_X_FORWARDED_FOR": f"198.51.100.{n % 250}"}


def booking(ktp, tomorrow, n: int) -> dict:
    return {
        "service": ktp.id,
        "start": at(tomorrow, 8 + n % 4).isoformat(),
        "nik": nik(n),
        "name": "Siti Rahmawati",
        "phone": f"0812345678{n:02d}",
    }


# Which address


def address(forwarded: str | None, *, remote="192.0.2.1") -> str:
    meta = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {})
    return client_address(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    assert address("203.0.113.7") == "192.0.2.1"
    assert address("203.0.113.7, 10.0.0.2") == "192.0.2.1"


def test_with_trusted_proxies_the_address_the_first_of_them_saw_is_taken(settings):
    settings.TRUSTED_PROXIES = 1
    assert address("203.0.113.7") == "203.0.113.7"
    assert address("6.6.6.6, 203.0.113.7") == "203.0.113.7"  # the left part is the client's own writing
    settings.TRUSTED_PROXIES = 2
    assert address("6.6.6.6, 203.0.113.7, 10.0.0.2") == "203.0.113.7"
    assert address(" 203.0.113.7 ,10.0.0.2") == "203.0.113.7"
    assert address("2001:db8::7, 10.0.0.2") == "2001:db8::7"


def test_a_header_shorter_or_stranger_than_the_proxies_is_not_believed(settings):
    settings.TRUSTED_PROXIES = 2
    assert address("203.0.113.7") == "192.0.2.1"
    assert address(None) == "192.0.2.1"
    assert address("") == "192.0.2.1"
    assert address("not-an-address, 10.0.0.2") == "192.0.2.1"
    assert address("x" * 10_000 + ", 10.0.0.2") == "192.0.2.1"
    assert address(",,,") == "192.0.2.1"


# Every limit follows it


def test_token_login_locks_out_whatever_the_client_writes_in_x_forwarded_for(bob, settings):
    api = APIClient()
    limit = settings.AXES_FAILURE_LIMIT
    answers = [
        api.post(
            "/api/v1/auth/token/", {"username": "bob", "password": "salah"}, format="json", **spoofed(n)
        ).status_code
        for n in range(limit + 2)
    ]
    assert answers == [400] * (limit - 1) + [429] * 3


def test_the_booking_api_is_throttled_whatever_the_client_writes_in_x_forwarded_for(ktp, tomorrow):
    api = APIClient()
    codes = [
        api.post("/api/v1/bookings/", booking(ktp, tomorrow, n), format="json", **spoofed(n)).status_code
        for n in range(22)
    ]
    assert 429 not in codes[:20]
    assert codes[-1] == 429


def test_the_booking_form_is_throttled_whatever_the_client_writes_in_x_forwarded_for(ktp, tomorrow, settings):
    from mpp_common.throttling import SwitchableScopedRateThrottle

    rates = SwitchableScopedRateThrottle.THROTTLE_RATES
    SwitchableScopedRateThrottle.THROTTLE_RATES = {**rates, "booking": "2/hour"}
    try:
        browser = Client(enforce_csrf_checks=True)
        url = form_url(ktp, tomorrow)
        token = page(browser.get(url)).inputs["csrfmiddlewaretoken"]["value"]
        codes = [
            browser.post(
                url, GOOD | {"nik": nik(n), "csrfmiddlewaretoken": token, "phone": f"0812345678{n:02d}"}, **spoofed(n)
            ).status_code
            for n in range(3)
        ]
    finally:
        SwitchableScopedRateThrottle.THROTTLE_RATES = rates
    assert codes == [302, 302, 429]


def test_officer_login_locks_out_whatever_the_client_writes_in_x_forwarded_for(client, bob, settings):
    limit = settings.AXES_FAILURE_LIMIT
    answers = [
        client.post("/petugas/masuk/", {"username": "bob", "password": "salah"}, **spoofed(n)).status_code
        for n in range(limit + 1)
    ]
    assert answers == [200] * (limit - 1) + [429] * 2


def test_behind_one_proxy_each_client_has_its_own_limit_and_cannot_write_itself_a_new_one(bob, settings):
    settings.TRUSTED_PROXIES = 1
    api = APIClient()

    def login(forwarded: str) -> int:
        return api.post(
            "/api/v1/auth/token/",
            {"username": "bob", "password": "salah"},
            format="json",
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=forwarded,
        ).status_code

    # One citizen, who writes a new left part each time: the proxy's part counts.
    answers = [login(f"198.51.100.{n}, 203.0.113.7") for n in range(11)]
    assert answers[-1] == 429
    # Another citizen behind the same proxy is not held up by the first.
    assert login("203.0.113.8") == 400


def test_drf_counts_as_many_proxies_as_the_portal():
    show = "from rest_framework.settings import api_settings; print(api_settings.NUM_PROXIES)"
    done = run_django(["shell", "--no-imports", "-c", show], TRUSTED_PROXIES="2")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2"


def test_a_bad_trusted_proxies_stops_the_start_with_a_clear_message():
    for bad in ("many", "-1", "1.5"):
        done = run_django(["check"], TRUSTED_PROXIES=bad)
        assert done.returncode != 0
        assert "TRUSTED_PROXIES" in done.stderr
    assert run_django(["check"], TRUSTED_PROXIES="1").returncode == 0
