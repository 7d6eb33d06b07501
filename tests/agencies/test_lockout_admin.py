"""A locked-out account is opened again in the administration: by the supervisor of its
agency, or by an administrator for anyone. alice supervises Disdukcapil (bob), carol
Samsat (dave)."""

import pytest
from django.test import Client
from django.urls import reverse

from agencies.models import LoginLockout

pytestmark = pytest.mark.django_db

LIMIT = 3
ADDRESS = {"REMOTE_ADDR": "192.0.2.10"}
LIST = "admin:agencies_loginlockout_changelist"


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def lock_out(username: str) -> LoginLockout:
    for _ in range(LIMIT):
        Client().post("/petugas/masuk/", {"username": username, "password": "salah"}, **ADDRESS)
    return LoginLockout.objects.get(username=username)


def logs_in(username: str) -> bool:
    answer = Client().post("/petugas/masuk/", {"username": username, "password": "rahasia-uji-2026"}, **ADDRESS)
    return answer.status_code == 302


def unlock(client, *lockouts):
    return client.post(reverse(LIST), {"action": "unlock", "_selected_action": [lockout.pk for lockout in lockouts]})


def test_supervisor_sees_and_unlocks_their_own_officer(client, alice, bob):
    lockout = lock_out("bob")
    assert not logs_in("bob")
    client.force_login(alice)

    listed = client.get(reverse(LIST))
    assert listed.status_code == 200
    assert list(listed.context["cl"].result_list) == [lockout]
    assert "Buka kunci" in listed.content.decode()

    assert unlock(client, lockout).status_code == 302
    assert not LoginLockout.objects.exists()
    assert logs_in("bob")


def test_supervisor_neither_sees_nor_unlocks_another_agencys_officer(client, alice, bob, dave, kiosk):
    theirs, mall = lock_out("dave"), lock_out("kiosk-lobi")
    client.force_login(alice)

    assert list(client.get(reverse(LIST)).context["cl"].result_list) == []
    unlock(client, theirs, mall)
    assert LoginLockout.objects.filter(pk__in=[theirs.pk, mall.pk]).count() == 2
    assert not logs_in("dave")
    opened = client.get(reverse("admin:agencies_loginlockout_change", args=[theirs.pk]))
    assert opened.status_code in (302, 403, 404)


def test_supervisor_does_not_see_attempts_on_unknown_or_admin_usernames(client, alice, admin_user):
    lock_out("admin")
    lock_out("tidak-ada")
    client.force_login(alice)
    assert list(client.get(reverse(LIST)).context["cl"].result_list) == []


def test_admin_sees_and_unlocks_anyone(client, admin_user, bob, dave, kiosk):
    lockouts = [lock_out("bob"), lock_out("dave"), lock_out("kiosk-lobi"), lock_out("tidak-ada")]
    client.force_login(admin_user)

    assert set(client.get(reverse(LIST)).context["cl"].result_list) == set(lockouts)
    unlock(client, *lockouts)
    assert not LoginLockout.objects.exists()
    assert logs_in("bob") and logs_in("dave")


def test_nobody_adds_or_edits_a_lockout_by_hand(client, admin_user, bob):
    lockout = lock_out("bob")
    client.force_login(admin_user)
    assert client.get(reverse("admin:agencies_loginlockout_add")).status_code == 403
    client.post(reverse("admin:agencies_loginlockout_change", args=[lockout.pk]), {"failures_since_start": 0})
    lockout.refresh_from_db()
    assert lockout.failures_since_start == LIMIT


def test_an_officer_cannot_open_the_lockouts(client, bob):
    client.force_login(bob)
    assert client.get(reverse(LIST)).status_code == 302
