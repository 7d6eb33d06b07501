"""Who sees and changes what in the administration of agencies, MoUs, counters and staff.

alice supervises Disdukcapil, bob is her officer; carol supervises Samsat, dave is hers.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies.models import Role, User
from agencies.services import staff_set_role
from tests.factories import AgreementFactory, CounterFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "loket-baru-2026"


@pytest.fixture
def disdukcapil_counter(disdukcapil):
    return CounterFactory(agency=disdukcapil, name="Loket KTP")


@pytest.fixture
def samsat_counter(samsat):
    return CounterFactory(agency=samsat, name="Loket STNK")


def changelist(client, model: str):
    response = client.get(reverse(f"admin:agencies_{model}_changelist"))
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def act_on(client, model: str, obj, action: str):
    """Open, change or delete ``obj`` through the admin, by its id."""
    change_url = reverse(f"admin:agencies_{model}_change", args=[obj.pk])
    if action == "open":
        return client.get(change_url)
    if action == "change":
        return client.post(change_url, {"name": "Diubah", "first_name": "Diubah", "is_open": ""})
    return client.post(reverse(f"admin:agencies_{model}_delete", args=[obj.pk]), {"post": "yes"})


# The DPMPTSP administrator ------------------------------------------------------------


def test_admin_sees_every_agencys_counters_and_staff(client, admin_user, alice, bob, carol, dave):
    counters = [CounterFactory(agency=alice.agency), CounterFactory(agency=carol.agency)]
    client.force_login(admin_user)

    assert set(changelist(client, "counter")) == set(counters)
    assert set(changelist(client, "user")) == {admin_user, alice, bob, carol, dave}
    assert set(changelist(client, "agency")) == {alice.agency, carol.agency}


def test_admin_creates_a_supervisor_who_may_then_sign_in_to_the_admin(client, admin_user, samsat):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:agencies_user_add"),
        {
            "username": "eko",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": Role.SUPERVISOR,
            "agency": samsat.pk,
        },
    )

    assert response.status_code == 302
    eko = User.objects.get(username="eko")
    assert (eko.role, eko.agency, eko.is_staff) == (Role.SUPERVISOR, samsat, True)


def test_admin_cannot_make_an_officer_a_superuser(client, admin_user, bob, admin_form_data):
    client.force_login(admin_user)
    url = reverse("admin:agencies_user_change", args=[bob.pk])
    data = admin_form_data(client.get(url)) | {"is_superuser": "on"}

    response = client.post(url, data)

    assert response.status_code == 200
    assert "is_superuser" in response.context["adminform"].form.errors
    bob.refresh_from_db()
    assert not bob.is_superuser


def test_admin_cannot_give_an_officer_another_agencys_counter(client, admin_user, bob, samsat_counter, admin_form_data):
    client.force_login(admin_user)
    url = reverse("admin:agencies_user_change", args=[bob.pk])
    data = admin_form_data(client.get(url)) | {"counters": [samsat_counter.pk]}

    response = client.post(url, data)

    assert response.status_code == 200
    assert "counters" in response.context["adminform"].form.errors
    assert not bob.counters.exists()


# Supervisors: their own agency only ---------------------------------------------------


def test_supervisor_sees_only_their_own_agencys_counters(client, alice, disdukcapil_counter, samsat_counter):
    client.force_login(alice)

    assert changelist(client, "counter") == [disdukcapil_counter]


def test_supervisor_sees_only_their_own_agencys_officers(client, admin_user, alice, bob, carol, dave):
    client.force_login(alice)

    assert changelist(client, "user") == [bob]


def test_supervisor_does_not_get_an_agency_filter_listing_other_agencies(client, alice, samsat_counter):
    client.force_login(alice)

    response = client.get(reverse("admin:agencies_counter_changelist"))

    assert b"Samsat" not in response.content


@pytest.mark.parametrize("action", ["open", "change", "delete"])
def test_supervisor_cannot_touch_another_agencys_counter(client, alice, samsat_counter, action):
    client.force_login(alice)

    response = act_on(client, "counter", samsat_counter, action)

    assert response.status_code != 200
    samsat_counter.refresh_from_db()
    assert (samsat_counter.name, samsat_counter.is_open) == ("Loket STNK", True)


@pytest.mark.parametrize("action", ["open", "change", "delete"])
def test_supervisor_cannot_touch_another_agencys_officer(client, alice, dave, action):
    client.force_login(alice)

    response = act_on(client, "user", dave, action)

    assert response.status_code != 200
    dave.refresh_from_db()
    assert dave.first_name == ""


@pytest.mark.parametrize("who", ["carol", "admin_user", "fellow_supervisor"])
def test_supervisor_cannot_open_a_supervisor_or_an_administrator(client, alice, disdukcapil, who, request):
    others = {"fellow_supervisor": lambda: UserFactory(role=Role.SUPERVISOR, agency=disdukcapil)}
    other = others[who]() if who in others else request.getfixturevalue(who)
    client.force_login(alice)

    assert client.get(reverse("admin:agencies_user_change", args=[other.pk])).status_code != 200
    assert client.get(reverse("admin:auth_user_password_change", args=[other.pk])).status_code != 200


def test_supervisor_changes_their_own_agencys_counter(client, alice, disdukcapil_counter, admin_form_data):
    client.force_login(alice)
    url = reverse("admin:agencies_counter_change", args=[disdukcapil_counter.pk])
    data = admin_form_data(client.get(url)) | {"name": "Loket KIA"}

    response = client.post(url, data)

    assert response.status_code == 302
    disdukcapil_counter.refresh_from_db()
    assert disdukcapil_counter.name == "Loket KIA"


def test_supervisor_cannot_move_a_counter_to_another_agency(
    client, alice, samsat, disdukcapil_counter, admin_form_data
):
    client.force_login(alice)
    url = reverse("admin:agencies_counter_change", args=[disdukcapil_counter.pk])
    data = admin_form_data(client.get(url)) | {"agency": samsat.pk}

    response = client.post(url, data)

    assert response.status_code == 200
    assert "agency" in response.context["adminform"].form.errors
    disdukcapil_counter.refresh_from_db()
    assert disdukcapil_counter.agency != samsat


def test_counter_shows_the_services_it_serves(client, alice, disdukcapil_counter):
    ServiceFactory(agency=alice.agency, name="Perekaman KTP-el").counters.add(disdukcapil_counter)
    client.force_login(alice)

    response = client.get(reverse("admin:agencies_counter_change", args=[disdukcapil_counter.pk]))

    assert "Perekaman KTP-el" in response.content.decode()
    assert "services" not in response.context["adminform"].form.fields


# Supervisors and their officers -------------------------------------------------------


def test_supervisor_creates_an_officer_who_lands_in_their_agency(client, alice, disdukcapil_counter):
    client.force_login(alice)

    response = client.post(
        reverse("admin:agencies_user_add"),
        {
            "username": "dina",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "agency": alice.agency_id,
            "counters": [disdukcapil_counter.pk],
            # Fields a supervisor is not given, sent anyway:
            "role": Role.SUPERVISOR,
            "is_superuser": "on",
            "is_staff": "on",
        },
    )

    assert response.status_code == 302
    dina = User.objects.get(username="dina")
    assert (dina.role, dina.agency, dina.is_superuser, dina.is_staff) == (Role.OFFICER, alice.agency, False, False)
    assert list(dina.counters.all()) == [disdukcapil_counter]


def test_supervisor_cannot_create_an_officer_for_another_agency(client, alice, samsat):
    client.force_login(alice)

    response = client.post(
        reverse("admin:agencies_user_add"),
        {
            "username": "dina",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "agency": samsat.pk,
        },
    )

    assert response.status_code == 200
    assert "agency" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="dina").exists()


def test_supervisor_cannot_give_an_officer_another_agencys_counter(client, alice, bob, samsat_counter, admin_form_data):
    client.force_login(alice)
    url = reverse("admin:agencies_user_change", args=[bob.pk])
    data = admin_form_data(client.get(url)) | {"counters": [samsat_counter.pk]}

    response = client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["counters"]
    assert errors == ["Loket harus milik instansi Anda."]
    assert not bob.counters.exists()


def test_supervisor_cannot_make_an_officer_a_supervisor_or_superuser(client, alice, bob, admin_form_data):
    client.force_login(alice)
    url = reverse("admin:agencies_user_change", args=[bob.pk])
    data = admin_form_data(client.get(url)) | {
        "first_name": "Bob",
        "role": Role.SUPERVISOR,
        "is_superuser": "on",
        "is_staff": "on",
    }

    response = client.post(url, data)

    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.first_name == "Bob"
    assert (bob.role, bob.is_superuser, bob.is_staff) == (Role.OFFICER, False, False)


def test_supervisor_is_not_offered_superuser_groups_or_permissions(client, alice, bob):
    client.force_login(alice)

    response = client.get(reverse("admin:agencies_user_change", args=[bob.pk]))

    fields = response.context["adminform"].form.fields
    assert not {"role", "is_superuser", "is_staff", "groups", "user_permissions"} & set(fields)


# Supervisors and their agency's record and MoUs ---------------------------------------


def test_supervisor_can_view_but_not_change_their_own_agency(client, alice, disdukcapil, admin_form_data):
    client.force_login(alice)
    url = reverse("admin:agencies_agency_change", args=[disdukcapil.pk])

    response = client.get(url)

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    response = client.post(url, {"name": "Diubah", "code": "disdukcapil", "kind": "opd", "ticket_prefix": "B"})
    assert response.status_code == 403
    disdukcapil.refresh_from_db()
    assert disdukcapil.name == "Dinas Kependudukan dan Pencatatan Sipil"


def test_supervisor_sees_only_their_own_agency(client, alice, disdukcapil, samsat):
    client.force_login(alice)

    assert changelist(client, "agency") == [disdukcapil]
    assert client.get(reverse("admin:agencies_agency_change", args=[samsat.pk])).status_code != 200


def test_supervisor_views_their_agencys_mous_only_and_cannot_add_one(client, alice, disdukcapil, samsat):
    own = AgreementFactory(agency=disdukcapil)
    other = AgreementFactory(agency=samsat)
    client.force_login(alice)

    assert changelist(client, "agreement") == [own]
    assert client.get(reverse("admin:agencies_agreement_change", args=[own.pk])).status_code == 200
    assert client.get(reverse("admin:agencies_agreement_change", args=[other.pk])).status_code != 200
    assert client.get(reverse("admin:agencies_agreement_add")).status_code == 403


def test_admin_form_rejects_an_mou_that_ends_before_it_starts(client, admin_user, disdukcapil):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:agencies_agreement_add"),
        {
            "agency": disdukcapil.pk,
            "number": "MoU/1/2021",
            "signed_on": "2021-03-05",
            "valid_from": "2021-03-05",
            "valid_until": "2021-03-04",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["valid_until"] == [
        "Tanggal akhir berlaku sebelum tanggal mulai berlaku."
    ]
    assert not disdukcapil.agreements.exists()


# Who may sign in to the admin ---------------------------------------------------------


@pytest.mark.parametrize(("role", "is_staff"), [(Role.ADMIN, True), (Role.SUPERVISOR, True), (Role.OFFICER, False)])
def test_admin_access_follows_the_role(disdukcapil, role, is_staff):
    user = staff_set_role(user=User(username="eko"), role=role, agency=disdukcapil)

    user.refresh_from_db()
    assert (user.role, user.is_staff) == (role, is_staff)


def test_an_officer_or_supervisor_needs_an_agency():
    with pytest.raises(ValidationError) as error:
        staff_set_role(user=User(username="eko"), role=Role.OFFICER, agency=None)

    assert "agency" in error.value.message_dict
    assert not User.objects.filter(username="eko").exists()


def test_moving_an_officer_takes_away_the_old_agencys_counters(bob, samsat, disdukcapil_counter, samsat_counter):
    bob.counters.set([disdukcapil_counter, samsat_counter])

    staff_set_role(user=bob, role=Role.OFFICER, agency=samsat)

    assert list(bob.counters.all()) == [samsat_counter]


def test_officer_cannot_open_the_admin(client, bob):
    staff_set_role(user=bob, role=Role.OFFICER, agency=bob.agency)
    client.force_login(bob)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("model", ["agency", "agreement", "counter", "user"])
def test_officer_flagged_as_staff_by_mistake_still_opens_nothing(client, bob, model):
    bob.is_staff = True  # a wrong flag, set around staff_set_role
    bob.save()
    client.force_login(bob)

    index = client.get(reverse("admin:index"))
    assert index.status_code == 302
    assert index.url.startswith(reverse("admin:login"))
    assert client.get(reverse(f"admin:agencies_{model}_changelist")).status_code == 302
    assert client.get(reverse(f"admin:agencies_{model}_add")).status_code == 302


def test_every_list_with_editable_columns_checks_each_row():
    """The per-row check of the list's editable columns lives in ``RoleScopedAdmin``:
    a list with editable columns anywhere else would change any row it lists."""
    from django.contrib import admin

    from agencies.admin import RoleScopedAdmin

    editable = [model_admin for model_admin in admin.site._registry.values() if model_admin.list_editable]
    assert editable
    assert all(isinstance(model_admin, RoleScopedAdmin) for model_admin in editable)
