"""Who sees and changes what in the administration of services, opening hours and
closure days; and the quota rules the service form keeps.

alice supervises Disdukcapil; carol supervises Samsat.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from services.models import BookingPolicy, ClosureDay, ClosureSource, OpeningHours, Service
from tests.conftest import post_confirmed
from tests.factories import CounterFactory, OpeningHoursFactory, ServiceFactory

pytestmark = pytest.mark.django_db

INDEPENDENCE_DAY = dt.date(2026, 8, 17)


@pytest.fixture
def ktp(disdukcapil):
    return ServiceFactory(agency=disdukcapil, code="ktp-el", name="Perekaman KTP-el")


@pytest.fixture
def stnk(samsat):
    return ServiceFactory(agency=samsat, code="stnk", name="Perpanjangan STNK")


def changelist(client, model: str):
    response = client.get(reverse(f"admin:services_{model}_changelist"))
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def new_service_data(agency, **fields) -> dict:
    """What the add-service form sends with the standard filled in and no hours rows."""
    return {
        "agency": agency.pk,
        "code": "akta-kelahiran",
        "name": "Akta Kelahiran",
        "order": "0",
        "active": "on",
        "requirements": "Surat keterangan lahir\nKartu Keluarga",
        "procedure": "Ambil nomor antrean\nSerahkan berkas",
        "completion_time": "1 hari kerja",
        "completion_days": "1",
        "fee": "Gratis",
        "product": "Akta kelahiran",
        "complaints": "SP4N-LAPOR!",
        "walk_in": "on",
        "slot_minutes": "30",
        "slot_capacity": "4",
        "daily_quota": "20",
        "walk_in_reserve": "0",
        "priority_reserve": "0",
        "waiting_target_minutes": "30",
        "opening_hours-TOTAL_FORMS": "0",
        "opening_hours-INITIAL_FORMS": "0",
        **fields,
    }


def form_errors(response) -> dict:
    assert response.status_code == 200, "the form was expected to come back with errors"
    return response.context["adminform"].form.errors


# Services -----------------------------------------------------------------------------


def test_admin_sees_every_agencys_services(client, admin_user, ktp, stnk):
    client.force_login(admin_user)

    assert set(changelist(client, "service")) == {ktp, stnk}


def test_supervisor_sees_only_their_own_agencys_services(client, alice, ktp, stnk):
    client.force_login(alice)

    assert changelist(client, "service") == [ktp]


def test_supervisor_cannot_open_another_agencys_service(client, alice, stnk):
    client.force_login(alice)

    response = client.get(reverse("admin:services_service_change", args=[stnk.pk]))

    assert response.status_code != 200


def test_supervisor_cannot_change_another_agencys_service(client, alice, stnk, samsat):
    client.force_login(alice)

    response = client.post(
        reverse("admin:services_service_change", args=[stnk.pk]), new_service_data(samsat, name="Diubah")
    )

    assert response.status_code != 200
    stnk.refresh_from_db()
    assert stnk.name == "Perpanjangan STNK"


def test_supervisor_cannot_delete_another_agencys_service(client, alice, stnk):
    client.force_login(alice)

    response = client.post(reverse("admin:services_service_delete", args=[stnk.pk]), {"post": "yes"})

    assert response.status_code != 200
    assert Service.objects.filter(pk=stnk.pk).exists()


def test_supervisor_cannot_create_a_service_for_another_agency(client, alice, samsat):
    client.force_login(alice)

    response = client.post(reverse("admin:services_service_add"), new_service_data(samsat))

    assert form_errors(response)["agency"] == ["Instansi harus instansi Anda sendiri."]
    assert not Service.objects.exists()


def test_supervisor_creates_a_service_with_its_own_hours_in_their_agency(client, alice, disdukcapil):
    counter = CounterFactory(agency=disdukcapil)
    client.force_login(alice)

    response = client.post(
        reverse("admin:services_service_add"),
        new_service_data(
            disdukcapil,
            counters=[counter.pk],
            **{
                "opening_hours-TOTAL_FORMS": "1",
                "opening_hours-0-weekday": "0",
                "opening_hours-0-opens": "08.00",
                "opening_hours-0-closes": "12.00",
            },
        ),
    )

    assert response.status_code == 302
    service = Service.objects.get(code="akta-kelahiran")
    assert service.agency == disdukcapil
    assert list(service.counters.all()) == [counter]
    assert [(h.weekday, h.opens, h.closes) for h in service.opening_hours.all()] == [(0, dt.time(8), dt.time(12))]


def test_supervisor_cannot_give_a_service_another_agencys_counter(client, alice, disdukcapil, samsat):
    counter = CounterFactory(agency=samsat)
    client.force_login(alice)

    response = client.post(reverse("admin:services_service_add"), new_service_data(disdukcapil, counters=[counter.pk]))

    assert form_errors(response)["counters"] == ["Loket harus milik instansi Anda."]
    assert not Service.objects.exists()


def test_admin_cannot_give_a_service_another_agencys_counter(client, admin_user, disdukcapil, samsat):
    counter = CounterFactory(agency=samsat)
    client.force_login(admin_user)

    response = client.post(reverse("admin:services_service_add"), new_service_data(disdukcapil, counters=[counter.pk]))

    assert form_errors(response)["counters"] == ["Loket harus milik instansi layanan ini."]
    assert not Service.objects.exists()


def test_supervisor_cannot_change_hours_of_another_agencys_service_through_its_id(client, alice, stnk):
    hours = OpeningHoursFactory(service=stnk)
    client.force_login(alice)

    response = client.post(
        reverse("admin:services_openinghours_change", args=[hours.pk]),
        {"service": stnk.pk, "weekday": "0", "opens": "07.00", "closes": "09.00"},
    )

    assert response.status_code != 200
    hours.refresh_from_db()
    assert hours.opens == dt.time(8)


# The daily quota and its reserves -----------------------------------------------------


def test_service_form_rejects_reserves_exceeding_the_daily_quota(client, admin_user, disdukcapil):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:services_service_add"),
        new_service_data(disdukcapil, daily_quota="20", walk_in_reserve="15", priority_reserve="10"),
    )

    assert form_errors(response)["walk_in_reserve"] == ["Jumlah cadangan melebihi kuota harian."]
    assert not Service.objects.exists()


def test_service_clean_rejects_reserves_exceeding_the_daily_quota(disdukcapil):
    service = ServiceFactory.build(agency=disdukcapil, daily_quota=20, walk_in_reserve=15, priority_reserve=10)

    with pytest.raises(ValidationError) as error:
        service.full_clean()

    assert "walk_in_reserve" in error.value.message_dict


def test_database_rejects_reserves_exceeding_the_daily_quota(disdukcapil):
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceFactory(agency=disdukcapil, daily_quota=20, walk_in_reserve=15, priority_reserve=10)

    assert not Service.objects.exists()


def test_reserves_may_take_the_whole_daily_quota(disdukcapil):
    service = ServiceFactory(agency=disdukcapil, daily_quota=20, walk_in_reserve=15, priority_reserve=5)

    service.full_clean()
    assert service.bookable_per_day == 0


# Opening hours ------------------------------------------------------------------------


@pytest.fixture
def mall_hours(db):
    return OpeningHoursFactory(weekday=0, opens=dt.time(8), closes=dt.time(15))


def test_supervisor_sees_their_agencys_and_the_malls_hours_but_not_another_agencys(
    client, alice, disdukcapil, samsat, ktp, stnk, mall_hours
):
    own_agency = OpeningHoursFactory(agency=disdukcapil)
    own_service = OpeningHoursFactory(service=ktp)
    OpeningHoursFactory(agency=samsat)
    OpeningHoursFactory(service=stnk)
    client.force_login(alice)

    assert set(changelist(client, "openinghours")) == {mall_hours, own_agency, own_service}


def test_supervisor_can_view_but_not_change_the_malls_hours(client, alice, mall_hours):
    client.force_login(alice)
    url = reverse("admin:services_openinghours_change", args=[mall_hours.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, {"weekday": "0", "opens": "07.00", "closes": "09.00"})
    assert response.status_code == 403
    response = client.post(reverse("admin:services_openinghours_delete", args=[mall_hours.pk]), {"post": "yes"})
    assert response.status_code == 403
    mall_hours.refresh_from_db()
    assert (mall_hours.opens, mall_hours.closes) == (dt.time(8), dt.time(15))


def test_supervisor_cannot_add_hours_for_the_whole_mall(client, alice):
    client.force_login(alice)

    response = client.post(
        reverse("admin:services_openinghours_add"), {"agency": "", "weekday": "5", "opens": "08.00", "closes": "12.00"}
    )

    assert "agency" in form_errors(response)
    assert not OpeningHours.objects.exists()


def test_supervisor_adds_hours_for_their_own_agency(client, alice, disdukcapil):
    client.force_login(alice)

    response = post_confirmed(
        client,
        reverse("admin:services_openinghours_add"),
        {"agency": disdukcapil.pk, "weekday": "5", "opens": "08.00", "closes": "12.00"},
    )

    assert response.status_code == 302
    assert OpeningHours.objects.get().agency == disdukcapil


def test_supervisor_cannot_add_hours_for_another_agencys_service(client, alice, disdukcapil, stnk):
    client.force_login(alice)

    response = client.post(
        reverse("admin:services_openinghours_add"),
        {"agency": disdukcapil.pk, "service": stnk.pk, "weekday": "5", "opens": "08.00", "closes": "12.00"},
    )

    assert form_errors(response)["service"] == ["Layanan harus milik instansi Anda."]
    assert not OpeningHours.objects.exists()


# Closure days -------------------------------------------------------------------------


@pytest.fixture
def mall_closure(db):
    return ClosureDay.objects.create(date=INDEPENDENCE_DAY, name="Hari Kemerdekaan", source=ClosureSource.HOLIDAYS)


def test_supervisor_sees_their_agencys_and_the_malls_closure_days_only(
    client, alice, disdukcapil, samsat, mall_closure
):
    own = ClosureDay.objects.create(date=dt.date(2026, 9, 1), agency=disdukcapil, name="Pemeliharaan sistem")
    ClosureDay.objects.create(date=dt.date(2026, 9, 2), agency=samsat, name="Rapat kerja")
    client.force_login(alice)

    assert set(changelist(client, "closureday")) == {mall_closure, own}


def test_supervisor_adds_a_closure_day_for_their_own_agency(client, alice, disdukcapil):
    client.force_login(alice)

    response = post_confirmed(
        client,
        reverse("admin:services_closureday_add"),
        {"date": "2026-09-01", "agency": disdukcapil.pk, "name": "Pemeliharaan sistem"},
    )

    assert response.status_code == 302
    closure = ClosureDay.objects.get()
    assert (closure.agency, closure.source) == (disdukcapil, ClosureSource.MANUAL)


def test_supervisor_cannot_close_the_whole_mall(client, alice):
    client.force_login(alice)

    response = client.post(reverse("admin:services_closureday_add"), {"date": "2026-09-01", "name": "Libur"})

    assert "agency" in form_errors(response)
    assert not ClosureDay.objects.exists()


def test_supervisor_cannot_change_or_delete_a_mall_wide_closure_day(client, alice, mall_closure):
    client.force_login(alice)

    change = client.post(
        reverse("admin:services_closureday_change", args=[mall_closure.pk]),
        {"date": "2026-08-18", "name": "Digeser"},
    )
    delete = client.post(reverse("admin:services_closureday_delete", args=[mall_closure.pk]), {"post": "yes"})

    assert (change.status_code, delete.status_code) == (403, 403)
    mall_closure.refresh_from_db()
    assert (mall_closure.date, mall_closure.name) == (INDEPENDENCE_DAY, "Hari Kemerdekaan")


def test_supervisor_cannot_delete_a_mall_wide_closure_day_with_the_bulk_action(client, alice, mall_closure):
    client.force_login(alice)

    response = client.post(
        reverse("admin:services_closureday_changelist"),
        {"action": "delete_selected", "_selected_action": [mall_closure.pk], "post": "yes"},
    )

    # The bulk delete is not offered at all (it has no preview of the week it leaves).
    assert response.status_code in (200, 302, 403)
    assert ClosureDay.objects.filter(pk=mall_closure.pk).exists()


def test_admin_closes_the_whole_mall(client, admin_user):
    client.force_login(admin_user)

    response = post_confirmed(
        client, reverse("admin:services_closureday_add"), {"date": "2026-09-01", "agency": "", "name": "Cuti bersama"}
    )

    assert response.status_code == 302
    assert ClosureDay.objects.get().agency is None


# Booking rules ------------------------------------------------------------------------


def test_admin_edits_the_booking_rules(client, admin_user, admin_form_data):
    policy = BookingPolicy.current()
    client.force_login(admin_user)
    url = reverse("admin:services_bookingpolicy_change", args=[policy.pk])
    data = admin_form_data(client.get(url)) | {"registration_hours": "06.00-10.00, 16.00-22.00"}

    response = client.post(url, data)

    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.registration_hours == "06.00-10.00, 16.00-22.00"
    assert client.get(reverse("admin:services_bookingpolicy_add")).status_code == 403  # there is one set only


def test_supervisor_reads_but_cannot_change_the_booking_rules(client, alice):
    policy = BookingPolicy.current()
    client.force_login(alice)
    url = reverse("admin:services_bookingpolicy_change", args=[policy.pk])

    response = client.get(url)

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert client.post(url, {"max_days_ahead": "90"}).status_code == 403
    policy.refresh_from_db()
    assert policy.max_days_ahead == 14


# Officers -----------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["service", "openinghours", "closureday", "bookingpolicy"])
def test_officer_opens_no_service_administration(client, bob, model):
    client.force_login(bob)

    answer = client.get(reverse(f"admin:services_{model}_changelist"))
    assert answer.status_code == 302
    assert answer.url.startswith(reverse("admin:login"))
