"""A kiosk may be an agency's own ticket machine: that agency's supervisor issues and
revokes its token and sessions; the mall's kiosks (no agency) stay the administrator's.
alice supervises Disdukcapil, carol Samsat."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from agencies.models import Role, User
from agencies.services import staff_check_role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STAFF = "admin:agencies_user_changelist"


def agency_kiosk(agency, username: str) -> User:
    return UserFactory(username=username, role=Role.KIOSK, agency=agency, is_staff=False)


@pytest.fixture
def disdukcapil_kiosk(disdukcapil):
    return agency_kiosk(disdukcapil, "kiosk-disdukcapil")


@pytest.fixture
def samsat_kiosk(samsat):
    return agency_kiosk(samsat, "kiosk-samsat")


def act(client, action: str, *users):
    return client.post(reverse(STAFF), {"action": action, "_selected_action": [user.pk for user in users]})


def logged_in_session(user: User) -> None:
    Client().force_login(user)


def test_a_kiosk_may_belong_to_an_agency_or_to_the_whole_mall(disdukcapil):
    staff_check_role(role=Role.KIOSK, agency=disdukcapil)
    staff_check_role(role=Role.KIOSK, agency=None)
    agency_kiosk(disdukcapil, "kiosk-sendiri").full_clean()


def test_supervisor_sees_their_agencys_kiosk_among_their_staff(client, alice, bob, disdukcapil_kiosk, kiosk):
    client.force_login(alice)
    listed = set(client.get(reverse(STAFF)).context["cl"].result_list)
    assert listed == {bob, disdukcapil_kiosk}


def test_supervisor_issues_and_revokes_their_agencys_kiosk(client, alice, disdukcapil_kiosk):
    client.force_login(alice)

    act(client, "issue_kiosk_token", disdukcapil_kiosk)
    key = Token.objects.get(user=disdukcapil_kiosk).key
    messages = [str(message) for message in client.get(reverse(STAFF)).context["messages"]]
    assert any(key in message for message in messages)

    logged_in_session(disdukcapil_kiosk)
    act(client, "revoke_kiosk", disdukcapil_kiosk)
    assert not Token.objects.filter(user=disdukcapil_kiosk).exists()
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(disdukcapil_kiosk.pk)]


def test_supervisor_cannot_issue_or_revoke_another_agencys_or_the_malls_kiosk(client, alice, samsat_kiosk, kiosk):
    theirs = Token.objects.create(user=samsat_kiosk).key
    malls = Token.objects.create(user=kiosk).key
    client.force_login(alice)

    act(client, "issue_kiosk_token", samsat_kiosk, kiosk)
    act(client, "revoke_kiosk", samsat_kiosk, kiosk)

    assert Token.objects.get(user=samsat_kiosk).key == theirs
    assert Token.objects.get(user=kiosk).key == malls
    opened = client.get(reverse("admin:agencies_user_change", args=[samsat_kiosk.pk]))
    assert opened.status_code in (302, 403, 404)


def test_supervisor_cannot_turn_their_kiosk_into_a_supervisor(client, alice, disdukcapil_kiosk, admin_form_data):
    client.force_login(alice)
    url = reverse("admin:agencies_user_change", args=[disdukcapil_kiosk.pk])
    data = admin_form_data(client.get(url)) | {"role": Role.SUPERVISOR, "first_name": "Lobi"}
    assert client.post(url, data).status_code == 302
    disdukcapil_kiosk.refresh_from_db()
    assert (disdukcapil_kiosk.role, disdukcapil_kiosk.agency, disdukcapil_kiosk.first_name) == (
        Role.KIOSK,
        alice.agency,
        "Lobi",
    )


def test_administrator_issues_and_revokes_any_kiosk(client, admin_user, samsat_kiosk, kiosk):
    client.force_login(admin_user)
    act(client, "issue_kiosk_token", samsat_kiosk, kiosk)
    assert Token.objects.filter(user__in=[samsat_kiosk, kiosk]).count() == 2
    act(client, "revoke_kiosk", samsat_kiosk, kiosk)
    assert not Token.objects.exists()
