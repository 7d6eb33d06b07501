"""The audit log: every add, change, delete and action in the administration with the
values before and after (passwords, keys and NIK never in clear), who was shown a full
NIK; read by DPMPTSP's administrators only, append-only for everyone."""

import datetime as dt
import json

import pytest
from django.contrib import admin
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from agencies.audit import SECRET, AuditedAdminMixin
from agencies.models import Agency, AuditAction, AuditEntry, Role, User
from queueing.models import Announcement
from tests.factories import AgreementFactory, CounterFactory, UserFactory
from tests.require import missing

pytestmark = pytest.mark.django_db


def entries(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("id"))


def dumped() -> str:
    """Everything the log holds, as text."""
    return json.dumps([[e.object_repr, e.changes] for e in AuditEntry.objects.all()], ensure_ascii=False)


def test_every_model_admin_writes_the_audit_log():
    unaudited = [model._meta.label for model, model_admin in admin.site._registry.items()
                 if not isinstance(model_admin, AuditedAdminMixin)]  # fmt: skip
    assert unaudited == []


# Changes in the administration ---------------------------------------------------------------


def test_a_change_is_recorded_with_its_values_before_and_after(client, admin_user, disdukcapil, admin_form_data):
    client.force_login(admin_user)
    url = reverse("admin:agencies_agency_change", args=[disdukcapil.pk])
    data = admin_form_data(client.get(url)) | {"location": "Lantai 2, loket 10–14", "phone": "021-555"}

    assert client.post(url, data, REMOTE_ADDR="10.1.2.3").status_code == 302

    [entry] = entries(model="agencies.agency")
    assert (entry.actor, entry.actor_name, entry.action, entry.object_id) == (
        admin_user,
        "admin",
        AuditAction.CHANGE,
        str(disdukcapil.pk),
    )
    assert entry.address == "10.1.2.3"
    assert entry.object_repr == disdukcapil.name
    assert entry.changes == {
        "location": {"before": "", "after": "Lantai 2, loket 10–14"},
        "phone": {"before": "", "after": "021-555"},
    }


def test_an_add_and_a_delete_are_recorded_with_the_values(client, admin_user, disdukcapil):
    client.force_login(admin_user)
    added = client.post(reverse("admin:agencies_counter_add"), {"agency": disdukcapil.pk, "number": 12, "name": "KK"})
    assert added.status_code == 302
    counter = disdukcapil.counters.get()

    deleted = client.post(reverse("admin:agencies_counter_delete", args=[counter.pk]), {"post": "yes"})

    assert deleted.status_code == 302
    add, delete = entries(model="agencies.counter")
    assert add.action == AuditAction.ADD and add.object_id == str(counter.pk)
    assert add.changes["number"] == {"after": 12} and add.changes["name"] == {"after": "KK"}
    assert delete.action == AuditAction.DELETE and delete.object_id == str(counter.pk)
    assert delete.changes["name"] == {"before": "KK"} and delete.changes["agency"] == {"before": disdukcapil.pk}


def test_a_delete_of_several_from_the_list_is_recorded_for_each(client, admin_user, disdukcapil):
    first, second = CounterFactory(agency=disdukcapil), CounterFactory(agency=disdukcapil)
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:agencies_counter_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert {(e.action, e.object_id) for e in entries(model="agencies.counter")} == {
        (AuditAction.DELETE, str(first.pk)),
        (AuditAction.DELETE, str(second.pk)),
    }


def test_a_change_in_the_lists_editable_columns_is_recorded(client, alice, disdukcapil):
    line = Announcement.objects.create(text="KTP selesai hari ini", agency=disdukcapil, active=True, order=1)
    client.force_login(alice)

    response = client.post(
        reverse("admin:queueing_announcement_changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": line.pk,
            "form-0-order": "5",
            "_save": "Simpan",
        },
    )

    assert response.status_code == 302
    [entry] = entries(model="queueing.announcement")
    assert entry.actor == alice
    assert entry.changes == {"active": {"before": True, "after": False}, "order": {"before": 1, "after": 5}}


def test_inline_records_are_recorded_after_their_parent(client, admin_user, disdukcapil, admin_form_data):
    client.force_login(admin_user)
    url = reverse("admin:agencies_agency_change", args=[disdukcapil.pk])
    data = admin_form_data(client.get(url))
    data |= {
        "agreements-TOTAL_FORMS": "1",
        "agreements-0-number": "800/1/2026",
        "agreements-0-signed_on": "2026-03-05",
        "agreements-0-valid_from": "2026-03-05",
        "agreements-0-valid_until": "2031-03-04",
        "agreements-0-agency": disdukcapil.pk,
    }

    assert client.post(url, data).status_code == 302

    parent, inline = entries()
    assert (parent.model, parent.action) == ("agencies.agency", AuditAction.CHANGE)
    assert (inline.model, inline.action) == ("agencies.agreement", AuditAction.ADD)
    assert inline.changes["number"] == {"after": "800/1/2026"}
    assert inline.changes["valid_until"] == {"after": "2031-03-04"}


def test_a_changed_inline_keeps_its_values_before(client, admin_user, disdukcapil, admin_form_data):
    mou = AgreementFactory(agency=disdukcapil, number="800/1/2021", scope="KTP")
    client.force_login(admin_user)
    url = reverse("admin:agencies_agency_change", args=[disdukcapil.pk])
    data = admin_form_data(client.get(url)) | {"agreements-0-scope": "KTP dan KK"}

    assert client.post(url, data).status_code == 302

    [inline] = entries(model="agencies.agreement")
    assert (inline.action, inline.object_id) == (AuditAction.CHANGE, str(mou.pk))
    assert inline.changes == {"scope": {"before": "KTP", "after": "KTP dan KK"}}


def test_a_change_of_an_officers_counters_is_recorded_by_their_ids(client, alice, bob, disdukcapil, admin_form_data):
    counter = CounterFactory(agency=disdukcapil)
    client.force_login(alice)
    url = reverse("admin:agencies_user_change", args=[bob.pk])
    data = admin_form_data(client.get(url)) | {"counters": [str(counter.pk)]}

    assert client.post(url, data).status_code == 302

    [entry] = entries(model="agencies.user")
    assert entry.changes["counters"] == {"before": [], "after": [counter.pk]}


def test_a_password_is_never_stored_only_that_it_changed(client, admin_user, bob):
    old_hash = bob.password
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:auth_user_password_change", args=[bob.pk]),
        {"password1": "Sandi-Baru-Loket-2026", "password2": "Sandi-Baru-Loket-2026", "usable_password": "true"},
    )

    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.password != old_hash
    [entry] = entries(model="agencies.user")
    assert entry.changes == {"password": {"before": SECRET, "after": SECRET}}
    assert old_hash not in dumped() and bob.password not in dumped() and "Sandi-Baru" not in dumped()


def test_an_api_token_added_in_the_administration_is_not_in_the_log(client, admin_user, bob):
    client.force_login(admin_user)
    response = client.post(reverse("admin:authtoken_tokenproxy_add"), {"user": bob.pk})
    assert response.status_code == 302
    key = Token.objects.get(user=bob).key
    [entry] = entries(action=AuditAction.ADD)
    assert entry.changes["key"] == {"after": SECRET}
    assert key not in dumped()


def test_a_nik_typed_into_any_value_is_masked(client, admin_user, disdukcapil, admin_form_data):
    client.force_login(admin_user)
    url = reverse("admin:agencies_agency_change", args=[disdukcapil.pk])
    data = admin_form_data(client.get(url)) | {"description": "Contoh NIK 3674011708900001 di keterangan"}

    assert client.post(url, data).status_code == 302

    assert "3674011708900001" not in dumped()
    [entry] = entries()
    assert entry.changes["description"]["after"] == "Contoh NIK 3674••••••••0001 di keterangan"


def test_an_admin_action_is_recorded_for_each_record_without_its_secret(client, admin_user):
    kiosk = UserFactory(username="kiosk-lantai-2", role=Role.KIOSK, agency=None, is_staff=False)
    client.force_login(admin_user)

    client.post(
        reverse("admin:agencies_user_changelist"),
        {"action": "issue_kiosk_token", "_selected_action": [kiosk.pk]},
    )

    [entry] = entries(action=AuditAction.ACTION)
    assert (entry.model, entry.object_id, entry.object_repr) == ("agencies.user", str(kiosk.pk), "kiosk-lantai-2")
    assert entry.changes == {"action": {"after": "issue_kiosk_token"}}
    assert Token.objects.get(user=kiosk).key not in dumped()


def test_a_form_refused_at_a_field_writes_nothing(client, admin_user, disdukcapil, admin_form_data):
    client.force_login(admin_user)
    url = reverse("admin:agencies_agency_change", args=[disdukcapil.pk])
    data = admin_form_data(client.get(url)) | {"ticket_prefix": "salah!"}
    assert client.post(url, data).status_code == 200
    assert not AuditEntry.objects.exists()


def test_the_entry_outlives_the_account(client, admin_user, disdukcapil):
    helper = UserFactory(username="admin-sementara", role=Role.ADMIN, agency=None, is_superuser=True)
    client.force_login(helper)
    client.post(reverse("admin:agencies_counter_add"), {"agency": disdukcapil.pk, "number": 3})
    client.logout()
    AuditEntry.objects.filter(actor=helper).values_list("pk", flat=True)  # the account's entries …
    User.objects.filter(pk=helper.pk).delete()  # … do not keep it from being deleted

    [entry] = entries()
    assert entry.actor_name == "admin-sementara"


# Reading the log ----------------------------------------------------------------------------------


@pytest.fixture
def logged(client, admin_user, alice, disdukcapil):
    """A few entries: alice changed a counter, the administrator added one."""
    counter = CounterFactory(agency=disdukcapil, number=20, name="KTP")
    client.force_login(alice)
    client.post(reverse("admin:agencies_counter_change", args=[counter.pk]), {"agency": disdukcapil.pk, "number": 20})
    client.force_login(admin_user)
    client.post(reverse("admin:agencies_counter_add"), {"agency": disdukcapil.pk, "number": 21})
    client.logout()
    return AuditEntry.objects.all()


def audit_list(client, **params):
    response = client.get(reverse("admin:agencies_auditentry_changelist"), params)
    assert response.status_code == 200
    return [(e.actor_name, e.action, e.model) for e in response.context["cl"].result_list]


def test_administrators_filter_the_log_by_user_action_model_and_date(client, admin_user, alice, logged):
    client.force_login(admin_user)
    assert audit_list(client, actor__id__exact=alice.pk) == [("alice", "change", "agencies.counter")]
    assert audit_list(client, action__exact="add") == [("admin", "add", "agencies.counter")]
    assert audit_list(client, model="agencies.counter") == [
        ("admin", "add", "agencies.counter"),
        ("alice", "change", "agencies.counter"),
    ]
    assert audit_list(client, model="agencies.agency") == []
    today = timezone.localdate()
    assert len(audit_list(client, at__year=today.year, at__month=today.month, at__day=today.day)) == 2
    tomorrow = today + dt.timedelta(days=1)
    assert audit_list(client, at__year=tomorrow.year, at__month=tomorrow.month, at__day=tomorrow.day) == []


def test_an_entry_shows_its_values_before_and_after_by_field_name(client, admin_user, logged):
    client.force_login(admin_user)
    entry = AuditEntry.objects.get(action=AuditAction.ADD)
    page = client.get(reverse("admin:agencies_auditentry_change", args=[entry.pk])).content.decode()
    assert "nomor loket" in page and "21" in page
    assert "sebelum" in page and "sesudah" in page


@pytest.mark.parametrize("who", ["alice", "carol"])
def test_supervisors_cannot_read_the_log(client, request, logged, who):
    client.force_login(request.getfixturevalue(who))
    entry = logged.first()
    assert client.get(reverse("admin:agencies_auditentry_changelist")).status_code == 403
    assert client.get(reverse("admin:agencies_auditentry_change", args=[entry.pk])).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:agencies_auditentry_changelist") not in index


@pytest.mark.parametrize("who", ["bob", "dave"])
def test_officers_never_reach_the_log(client, request, logged, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("admin:agencies_auditentry_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_not_even_an_administrator_adds_changes_or_deletes_an_entry(client, admin_user, logged):
    client.force_login(admin_user)
    entry = logged.first()
    assert client.get(reverse("admin:agencies_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:agencies_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    changed = client.post(reverse("admin:agencies_auditentry_change", args=[entry.pk]), {"actor_name": "x"})
    assert changed.status_code == 403
    bulk = client.post(
        reverse("admin:agencies_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert bulk.status_code == 200  # no such action: the list again, nothing deleted
    assert AuditEntry.objects.count() == 2
    entry.refresh_from_db()
    assert entry.actor_name != "x"


# Append-only in the database ------------------------------------------------------------------------


def test_the_database_refuses_to_change_an_entry(logged):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.update(actor_name="orang lain")
    assert not AuditEntry.objects.filter(actor_name="orang lain").exists()


def test_the_database_refuses_to_delete_an_entry(logged):
    if connection.vendor != "postgresql":
        # SQLite refuses UPDATE only: its DELETE is how Django empties tables.
        missing("PostgreSQL (set DATABASE_URL)")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.all().delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM agencies_auditentry")
    assert AuditEntry.objects.count() == 2


def test_an_agency_is_still_found_after_its_audited_change(client, admin_user, disdukcapil):
    # The log's writes ride in the change's own transaction and change nothing else.
    client.force_login(admin_user)
    client.post(reverse("admin:agencies_counter_add"), {"agency": disdukcapil.pk, "number": 30})
    assert Agency.objects.get(pk=disdukcapil.pk).counters.count() == 1
