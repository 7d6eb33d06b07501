"""Instances made for plain-SQL inserts read as the keyword form makes them."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mpp_common.rows import new_instance
from queueing.models import Booking, BookingStatus

pytestmark = pytest.mark.django_db


def values(service) -> dict:
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    return {
        "service": service,
        "date": start.date(),
        "start": start,
        "end": start + dt.timedelta(minutes=30),
        "nik": "3674011203990001",
        "name": "Ani",
        "phone": "+6281234567890",
        "channels": ["sms"],
        "consent_at": start - dt.timedelta(days=1),
    }


def test_a_new_instance_holds_what_the_keyword_form_holds(ktp):
    now = timezone.now()
    made = new_instance(Booking, values(ktp), now=now)
    expected = Booking(**values(ktp))
    for field in Booking._meta.concrete_fields:
        if field.name in ("code", "created_at"):
            continue
        assert getattr(made, field.attname) == getattr(expected, field.attname), field.name
    assert made.status == BookingStatus.BOOKED and made.reschedule_count == 0 and made.cancelled_at is None
    assert len(made.code) == len(expected.code) and made.code != expected.code  # a default called for each
    assert made.created_at == now  # set on creation, as save() would
    assert made.pk is None and made._state.adding


def test_a_related_object_given_is_kept_and_read_without_a_query(ktp):
    made = new_instance(Booking, values(ktp), now=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        assert made.service is ktp
    assert made.service_id == ktp.pk and not queries.captured_queries


def test_a_foreign_key_may_be_given_by_its_attname(ktp):
    given = values(ktp)
    given["service_id"] = given.pop("service").pk
    assert new_instance(Booking, given, now=timezone.now()).service_id == ktp.pk


def test_an_unknown_field_is_refused(ktp):
    with pytest.raises(TypeError, match="no field"):
        new_instance(Booking, values(ktp) | {"colour": "red"}, now=timezone.now())


def test_a_foreign_key_given_twice_is_refused(ktp):
    with pytest.raises(TypeError, match="both"):
        new_instance(Booking, values(ktp) | {"service_id": ktp.pk}, now=timezone.now())
