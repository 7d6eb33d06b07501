"""Rules the agencies' models keep by themselves, in Python and in the database."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agencies.models import Agreement, Role, User
from tests.factories import AgreementFactory, UserFactory

pytestmark = pytest.mark.django_db

MARCH_5 = dt.date(2021, 3, 5)


def test_mou_that_ends_before_it_starts_is_rejected_by_validation(disdukcapil):
    mou = Agreement(
        agency=disdukcapil,
        number="MoU/1/2021",
        signed_on=MARCH_5,
        valid_from=MARCH_5,
        valid_until=MARCH_5 - dt.timedelta(days=1),
    )

    with pytest.raises(ValidationError):
        mou.full_clean()


def test_mou_that_ends_before_it_starts_is_rejected_by_the_database(disdukcapil):
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(agency=disdukcapil, valid_from=MARCH_5, valid_until=MARCH_5 - dt.timedelta(days=1))

    assert not Agreement.objects.exists()


@pytest.mark.parametrize("valid_until", [None, MARCH_5, dt.date(2026, 3, 4)])
def test_mou_may_be_open_ended_or_end_on_or_after_its_start(disdukcapil, valid_until):
    mou = AgreementFactory(agency=disdukcapil, valid_from=MARCH_5, valid_until=valid_until)

    mou.full_clean()


def test_mou_number_is_unique_per_agency(disdukcapil, samsat):
    AgreementFactory(agency=disdukcapil, number="MoU/1/2021")
    AgreementFactory(agency=samsat, number="MoU/1/2021")

    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(agency=disdukcapil, number="MoU/1/2021")


def test_mou_in_force_covers_its_dates_only(disdukcapil):
    mou = AgreementFactory(agency=disdukcapil, valid_from=MARCH_5, valid_until=dt.date(2026, 3, 4))

    assert list(Agreement.objects.in_force(on=MARCH_5)) == [mou]
    assert list(Agreement.objects.in_force(on=dt.date(2026, 3, 4))) == [mou]
    assert not Agreement.objects.in_force(on=dt.date(2026, 3, 5)).exists()
    assert not Agreement.objects.in_force(on=MARCH_5 - dt.timedelta(days=1)).exists()


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.OFFICER])
def test_agency_staff_without_an_agency_are_rejected_by_the_database(role):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(role=role, agency=None)

    assert not User.objects.exists()


def test_supervisor_manages_and_sees_their_own_agency_only(alice, disdukcapil, samsat):
    assert alice.can_manage_agency(disdukcapil.pk)
    assert alice.can_see_agency(disdukcapil.pk)
    assert not alice.can_manage_agency(samsat.pk)
    assert not alice.can_see_agency(samsat.pk)


def test_officer_sees_but_does_not_manage_their_agency(bob, disdukcapil):
    assert bob.can_see_agency(disdukcapil.pk)
    assert not bob.can_manage_agency(disdukcapil.pk)


def test_admin_manages_every_agency(admin_user, samsat):
    assert admin_user.is_mall_admin
    assert admin_user.can_manage_agency(samsat.pk)


def test_an_inactive_supervisor_manages_nothing(alice, disdukcapil):
    alice.is_active = False

    assert not alice.can_manage_agency(disdukcapil.pk)
    assert not alice.can_see_agency(disdukcapil.pk)


def test_createsuperuser_makes_a_mall_administrator(db):
    from agencies.models import User

    root = User.objects.create_superuser("root", "root@example.org", "rahasia-uji-2026")
    assert root.role == "admin"
    assert root.is_mall_admin
    assert root.agency is None
