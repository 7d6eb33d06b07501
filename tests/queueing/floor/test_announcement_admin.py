"""The running text's list in the administration: its editable columns change only the
rows the user may change. alice supervises Disdukcapil, carol Samsat."""

import pytest
from django.urls import reverse

from queueing.models import Announcement

pytestmark = pytest.mark.django_db

URL = reverse("admin:queueing_announcement_changelist")


@pytest.fixture
def mall_wide(db):
    return Announcement.objects.create(text="MPP buka pukul 08.00", agency=None, active=True, order=0)


@pytest.fixture
def samsats(samsat):
    return Announcement.objects.create(text="Bayar pajak di loket 5", agency=samsat, active=True, order=0)


@pytest.fixture
def own(disdukcapil):
    return Announcement.objects.create(text="KTP selesai hari ini", agency=disdukcapil, active=True, order=0)


def post_list(client, *rows: Announcement, active: bool = False, order: int = 7):
    """The list's editable columns sent for ``rows``, as its Save button sends them
    (an unticked box is left out)."""
    data = {"form-TOTAL_FORMS": len(rows), "form-INITIAL_FORMS": len(rows), "_save": "Simpan"}
    for i, row in enumerate(rows):
        data |= {f"form-{i}-id": row.pk, f"form-{i}-order": order}
        if active:
            data[f"form-{i}-active"] = "on"
    return client.post(URL, data)


def state(row: Announcement) -> tuple:
    row.refresh_from_db()
    return row.text, row.agency_id, row.active, row.order


def test_a_supervisor_cannot_hide_or_take_over_the_mall_wide_text_through_the_list(client, alice, mall_wide, own):
    client.force_login(alice)
    before = state(mall_wide)
    post_list(client, mall_wide, own)
    assert state(mall_wide) == before
    assert state(own)[2:] == (False, 7)  # their own row in the same post is changed


def test_a_supervisor_cannot_change_another_agencys_text_through_the_list(client, alice, samsats):
    client.force_login(alice)
    before = state(samsats)
    post_list(client, samsats)
    assert state(samsats) == before


def test_the_supervisor_sees_the_mall_wide_row_but_not_its_inputs(client, alice, mall_wide, own):
    client.force_login(alice)
    forms = {form.instance.pk: form for form in client.get(URL).context["cl"].formset.forms}
    assert all(field.disabled for field in forms[mall_wide.pk].fields.values() if field.widget.input_type != "hidden")
    assert not any(forms[own.pk].fields[name].disabled for name in ("active", "order"))


def test_the_administrator_changes_the_mall_wide_text_through_the_list(client, admin_user, mall_wide):
    client.force_login(admin_user)
    post_list(client, mall_wide)
    assert state(mall_wide) == ("MPP buka pukul 08.00", None, False, 7)


def test_a_supervisor_cannot_delete_the_mall_wide_text_with_the_list_action(client, alice, mall_wide):
    client.force_login(alice)
    client.post(URL, {"action": "delete_selected", "_selected_action": [mall_wide.pk], "post": "yes"})
    assert Announcement.objects.filter(pk=mall_wide.pk).exists()
