"""Walk-in tickets come only from registered kiosks: a kiosk account's token or its
kiosk page's session. Anyone else is refused, and a kiosk's own rate is capped."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from agencies.models import Role
from agencies.services import kiosk_revoke, kiosk_token_issue
from queueing.models import Ticket
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def token_client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_an_anonymous_walk_in_is_refused_with_json(kk):
    answer = APIClient().post("/api/v1/tickets/", {"service": kk.id}, format="json")
    assert answer.status_code == 403
    assert answer["Content-Type"] == "application/json"
    assert "detail" in answer.json()
    assert not Ticket.objects.exists()


def test_an_anonymous_check_in_is_refused(kk):
    assert APIClient().post("/api/v1/bookings/ABCD-EFGH-JKMN/check-in/").status_code == 403


def test_an_officers_token_is_refused(kk, bob, admin_user):
    for user in (bob, admin_user):
        answer = token_client(Token.objects.create(user=user).key).post(
            "/api/v1/tickets/", {"service": kk.id}, format="json"
        )
        assert answer.status_code == 403
    assert not Ticket.objects.exists()


def test_a_kiosks_token_issues_and_a_revoked_one_does_not(kk, kiosk):
    token = kiosk_token_issue(user=kiosk)
    client = token_client(token)
    assert client.post("/api/v1/tickets/", {"service": kk.id}, format="json").status_code == 201
    kiosk_revoke(user=kiosk)
    assert client.post("/api/v1/tickets/", {"service": kk.id}, format="json").status_code in (401, 403)
    assert Ticket.objects.count() == 1


def test_a_new_token_replaces_the_old_one(kk, kiosk):
    old = kiosk_token_issue(user=kiosk)
    new = kiosk_token_issue(user=kiosk)
    assert old != new
    assert token_client(old).post("/api/v1/tickets/", {"service": kk.id}, format="json").status_code in (401, 403)
    assert token_client(new).post("/api/v1/tickets/", {"service": kk.id}, format="json").status_code == 201


def test_a_token_is_issued_only_to_a_kiosk_account(bob):
    with pytest.raises(ValueError):
        kiosk_token_issue(user=bob)
    assert not Token.objects.exists()


def test_a_kiosks_rate_is_capped_per_kiosk(kk, kiosk, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "kiosk", "3/min")
    client = token_client(kiosk_token_issue(user=kiosk))
    answers = [client.post("/api/v1/tickets/", {"service": kk.id}, format="json").status_code for _ in range(4)]
    assert answers == [201, 201, 201, 429]
    # The cap is the kiosk's own: another kiosk at the same address still issues.
    other = UserFactory(username="kiosk-lantai-2", role=Role.KIOSK, agency=None, is_staff=False)
    assert (
        token_client(kiosk_token_issue(user=other))
        .post("/api/v1/tickets/", {"service": kk.id}, format="json")
        .status_code
        == 201
    )
    assert Ticket.objects.count() == 4


def test_an_anonymous_visitor_of_the_kiosk_gets_the_login(kk):
    client = Client()
    for url in ("/kiosk/", "/kiosk/check-in/", f"/kiosk/instansi/disdukcapil/{kk.code}/", "/kiosk/lupa-kode/"):
        answer = client.get(url)
        assert answer.status_code == 302, url
        assert answer["Location"].startswith(reverse("kiosk-login")), url
    answer = client.post(f"/kiosk/instansi/disdukcapil/{kk.code}/", {"priority": ""})
    assert answer.status_code in (302, 403)
    assert not Ticket.objects.exists()


def test_an_officer_session_is_not_a_kiosk(kk, bob):
    client = Client()
    client.force_login(bob)
    assert client.get("/kiosk/")["Location"].startswith(reverse("kiosk-login"))


def test_the_kiosk_account_logs_in_for_a_long_session(kk, kiosk, settings):
    client = Client()
    login = client.get(reverse("kiosk-login") + "?next=/kiosk/")
    assert login.status_code == 200
    answer = client.post(
        reverse("kiosk-login"), {"username": "kiosk-lobi", "password": "rahasia-uji-2026", "next": "/kiosk/"}
    )
    assert (answer.status_code, answer["Location"]) == (302, "/kiosk/")
    assert client.session.get_expiry_age() == settings.KIOSK_SESSION_SECONDS
    assert client.get("/kiosk/").status_code == 200


def test_other_accounts_and_bad_input_are_refused_at_the_kiosk_login(kiosk, bob):
    client = Client()
    for data in (
        {"username": "bob", "password": "rahasia-uji-2026"},
        {"username": "kiosk-lobi", "password": "salah"},
        {"username": "x" * 100_000, "password": "<script>"},
        {},
    ):
        answer = client.post(reverse("kiosk-login"), data)
        assert answer.status_code == 200, data
        assert "_auth_user_id" not in client.session
    assert (
        "Akun ini bukan akun kiosk."
        in client.post(reverse("kiosk-login"), {"username": "bob", "password": "rahasia-uji-2026"}).content.decode()
    )


def test_revoking_ends_the_kiosks_sessions(kk, kiosk, bob):
    kiosk_client, officer = Client(), Client()
    kiosk_client.force_login(kiosk)
    officer.force_login(bob)
    assert kiosk_client.get("/kiosk/").status_code == 200
    kiosk_revoke(user=kiosk)
    assert kiosk_client.get("/kiosk/").status_code == 302
    assert Session.objects.count() == 1  # the officer's stays


def test_an_administrator_issues_and_revokes_a_kiosk_token_in_the_admin(client, admin_user, kiosk, alice):
    client.force_login(admin_user)
    url = reverse("admin:agencies_user_changelist")
    answer = client.post(url, {"action": "issue_kiosk_token", "_selected_action": [kiosk.pk]}, follow=True)
    token = Token.objects.get(user=kiosk)
    assert token.key in answer.content.decode()
    client.post(url, {"action": "revoke_kiosk", "_selected_action": [kiosk.pk]}, follow=True)
    assert not Token.objects.filter(user=kiosk).exists()
    # Only kiosk accounts get one.
    answer = client.post(url, {"action": "issue_kiosk_token", "_selected_action": [alice.pk]}, follow=True)
    assert not Token.objects.filter(user=alice).exists()
    assert "bukan akun kiosk" in answer.content.decode()


def test_a_kiosk_account_has_no_admin_and_no_agency(kiosk):
    assert kiosk.agency is None
    assert not kiosk.is_staff
    assert kiosk.can_issue_walk_ins


def test_a_kiosk_cannot_fetch_its_own_token_with_its_password(kiosk):
    answer = APIClient().post(
        "/api/v1/auth/token/", {"username": "kiosk-lobi", "password": "rahasia-uji-2026"}, format="json"
    )
    assert answer.status_code == 400
    assert not Token.objects.filter(user=kiosk).exists()


@pytest.mark.parametrize("path", ["/api/v1/reports/ikm/", "/api/v1/reports/summary/"])
def test_a_kiosks_token_reads_no_reports(kiosk, path):
    answer = token_client(kiosk_token_issue(user=kiosk)).get(path)
    assert answer.status_code == 403


def test_the_kiosk_account_at_the_officer_login_goes_to_the_kiosk(kiosk, settings):
    client = Client()
    answer = client.post(reverse("officer-login"), {"username": "kiosk-lobi", "password": "rahasia-uji-2026"})
    assert (answer.status_code, answer["Location"]) == (302, reverse("kiosk-home"))
    assert client.session.get_expiry_age() == settings.KIOSK_SESSION_SECONDS


def test_the_kiosk_login_speaks_english_on_an_english_screen(kiosk, bob, settings):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Kiosk login" in client.get(reverse("kiosk-login")).content.decode()
    answer = client.post(reverse("kiosk-login"), {"username": "bob", "password": "rahasia-uji-2026"})
    assert "This account is not a kiosk account." in answer.content.decode()
    assert 'value="bob"' in answer.content.decode()
