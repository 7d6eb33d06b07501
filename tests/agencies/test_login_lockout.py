"""Failed logins lock an account out per username and client address, at every login:
the administration's, the officers', the kiosk's and the API's token. Successful logins
are never counted, so a whole shift behind one address always gets in."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from agencies.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = "rahasia-uji-2026"
LIMIT = 3
HOME = {"REMOTE_ADDR": "192.0.2.10"}
ELSEWHERE = {"REMOTE_ADDR": "192.0.2.99"}


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def html_login(path: str, username: str, password: str, address: dict, **extra):
    return Client().post(path, {"username": username, "password": password}, **address, **extra)


def fail(path: str, username: str, times: int = LIMIT, address: dict = HOME) -> list[int]:
    """Wrong passwords; the last failure of the limit already answers with the lockout."""
    return [html_login(path, username, "salah", address).status_code for _ in range(times)]


def test_admin_login_locks_the_username_at_that_address_only(alice, carol):
    assert fail("/admin/login/", "alice") == [200] * (LIMIT - 1) + [429]

    locked = html_login("/admin/login/", "alice", GOOD, HOME)
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "dikunci" in body
    assert 'value="alice"' in body  # the username typed stays in the form
    # The same person from another address, and someone else from this one, get in.
    assert html_login("/admin/login/", "alice", GOOD, ELSEWHERE).status_code == 302
    assert html_login("/admin/login/", "carol", GOOD, HOME).status_code == 302


def test_the_lockout_message_has_its_english_translation(alice):
    fail("/admin/login/", "alice")
    locked = html_login("/admin/login/", "alice", GOOD, HOME, HTTP_ACCEPT_LANGUAGE="en")
    assert locked.status_code == 429
    assert "locked" in locked.content.decode()


def test_failures_below_the_limit_then_a_success_start_the_count_again(bob):
    fail("/petugas/masuk/", "bob", times=LIMIT - 1)
    assert html_login("/petugas/masuk/", "bob", GOOD, HOME).status_code == 302
    fail("/petugas/masuk/", "bob", times=LIMIT - 1)
    assert html_login("/petugas/masuk/", "bob", GOOD, HOME).status_code == 302


def test_twenty_officers_logging_in_from_one_address_are_never_locked_out(disdukcapil, settings):
    settings.RATELIMIT_ENABLED = True
    officers = [UserFactory(username=f"petugas-{n}", role=Role.OFFICER, agency=disdukcapil) for n in range(20)]
    for _round in range(2):
        answers = [html_login("/petugas/masuk/", officer.username, GOOD, HOME).status_code for officer in officers]
        assert answers == [302] * 20


@pytest.mark.parametrize(
    ("path", "username", "other"),
    [("/petugas/masuk/", "bob", "dave"), ("/kiosk/masuk/", "kiosk-lobi", "kiosk-lantai-2")],
)
def test_officer_and_kiosk_logins_lock_after_the_limit_and_keep_the_username(path, username, other, bob, dave, kiosk):
    UserFactory(username="kiosk-lantai-2", role=Role.KIOSK, agency=None, is_staff=False)
    assert fail(path, username) == [200] * (LIMIT - 1) + [429]
    locked = html_login(path, username, GOOD, HOME)
    assert locked.status_code == 429
    assert "dikunci" in locked.content.decode()
    assert f'value="{username}"' in locked.content.decode()
    assert html_login(path, other, GOOD, HOME).status_code == 302
    assert html_login(path, username, GOOD, ELSEWHERE).status_code == 302


def token(username: str, password: str, address: dict = HOME):
    return APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json", **address
    )


def test_token_api_answers_429_json_once_locked(bob, dave):
    assert [token("bob", "salah").status_code for _ in range(LIMIT)] == [400] * (LIMIT - 1) + [429]
    locked = token("bob", GOOD)
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json"
    assert locked.json()["code"] == "locked_out"
    assert "dikunci" in locked.json()["detail"]
    assert token("dave", GOOD).status_code == 200
    assert token("bob", GOOD, ELSEWHERE).status_code == 200


def test_many_staff_fetch_their_tokens_from_one_address(disdukcapil, settings):
    settings.RATELIMIT_ENABLED = True
    officers = [UserFactory(username=f"api-{n}", role=Role.OFFICER, agency=disdukcapil) for n in range(20)]
    assert [token(officer.username, GOOD).status_code for officer in officers] == [200] * 20


def test_the_address_counted_is_the_client_address_behind_the_trusted_proxy(bob, settings):
    settings.TRUSTED_PROXIES = 1

    def via_proxy(client_address: str, password: str) -> int:
        proxy = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": client_address}
        return token("bob", password, proxy).status_code

    assert [via_proxy("203.0.113.7", "salah") for _ in range(LIMIT)] == [400] * (LIMIT - 1) + [429]
    assert via_proxy("203.0.113.7", GOOD) == 429
    # Another client behind the same proxy is not held up.
    assert via_proxy("203.0.113.8", GOOD) == 200


def test_a_hostile_username_is_counted_not_a_crash(bob):
    for _ in range(LIMIT + 1):
        answer = token("x" * 100_000, "salah")
        assert answer.status_code in (400, 429)
    assert answer.status_code == 429
    assert token("bob", GOOD).status_code == 200
