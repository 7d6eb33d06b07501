"""Who was shown a citizen's full NIK: a supervisor's booking list and booking page in
the administration (the only places a full NIK is shown) write an audit entry per
booking; administrators, who see it masked, write none."""

import json

import pytest
from django.urls import reverse

from agencies.models import AuditAction, AuditEntry
from queueing.bookings.services import booking_create
from tests.queueing.conftest import at, nik

pytestmark = pytest.mark.django_db


def entries(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("id"))


def dumped() -> str:
    return json.dumps([[e.object_id, e.object_repr, e.changes] for e in AuditEntry.objects.all()], ensure_ascii=False)


@pytest.fixture
def booking(ktp, tomorrow):
    return booking_create(service=ktp, start=at(tomorrow, 9), nik=nik(7), name="Siti", phone="081234567890")


def test_a_supervisor_opening_a_booking_with_its_full_nik_is_recorded(client, alice, booking):
    client.force_login(alice)

    page = client.get(reverse("admin:queueing_booking_change", args=[booking.pk]))

    assert booking.nik in page.content.decode()
    [entry] = entries(action=AuditAction.VIEW_NIK)
    assert (entry.actor, entry.model, entry.object_id) == (alice, "queueing.booking", str(booking.pk))
    assert entry.changes == {"nik": {"shown": "3674••••••••0007"}}
    # Neither the NIK nor the booking code (a key to the booking) is in the log.
    assert booking.nik not in dumped() and booking.code not in dumped() and booking.display_code not in dumped()
    assert entry.object_repr == f"pemesanan #{booking.pk}"


def test_a_supervisors_list_of_bookings_records_each_booking_shown(client, alice, ktp, tomorrow, booking):
    other = booking_create(service=ktp, start=at(tomorrow, 10), nik=nik(8), name="Budi", phone="081234567891")
    client.force_login(alice)

    client.get(reverse("admin:queueing_booking_changelist"))

    assert {e.object_id for e in entries(action=AuditAction.VIEW_NIK)} == {str(booking.pk), str(other.pk)}


def test_an_administrator_sees_the_nik_masked_and_nothing_is_recorded(client, admin_user, booking):
    client.force_login(admin_user)
    page = client.get(reverse("admin:queueing_booking_change", args=[booking.pk])).content.decode()
    client.get(reverse("admin:queueing_booking_changelist"))
    assert booking.nik not in page
    assert not AuditEntry.objects.exists()


def test_another_agencys_supervisor_sees_no_booking_and_nothing_is_recorded(client, carol, booking):
    client.force_login(carol)
    client.get(reverse("admin:queueing_booking_change", args=[booking.pk]))
    client.get(reverse("admin:queueing_booking_changelist"))
    assert not AuditEntry.objects.exists()
