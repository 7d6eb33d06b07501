"""One mobile number holds at most the policy's number of active bookings on a day,
whichever way it is written, across services, and under a rush."""

import datetime as dt

import pytest
from django.db import connection
from rest_framework.test import APIClient

from queueing.bookings.services import BookingError, booking_cancel, booking_create
from queueing.models import Booking
from services.models import BookingPolicy
from tests.queueing.bookings.test_booking_concurrency import rush
from tests.queueing.bookings.test_booking_pages import GOOD, form_url, submit, text, value_of
from tests.queueing.conftest import at, nik
from tests.require import missing

# The same number, as people write it.
FORMS = ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "081234567890"]


def payload(service, start, n: int, phone: str) -> dict:
    return {"service": service.id, "start": start.isoformat(), "nik": nik(n), "name": f"Warga {n}", "phone": phone}


def book(service, start, n: int, phone="+6281234567890") -> Booking:
    return booking_create(service=service, start=start, nik=nik(n), name=f"Warga {n}", phone=phone)


@pytest.mark.django_db
def test_a_fourth_booking_on_one_number_is_refused_whichever_way_the_number_is_written(ktp, tomorrow):
    api = APIClient()
    codes = [
        api.post("/api/v1/bookings/", payload(ktp, at(tomorrow, 9), n, phone), format="json").status_code
        for n, phone in enumerate(FORMS)
    ]
    assert codes == [201, 201, 201, 409]
    refused = api.post("/api/v1/bookings/", payload(ktp, at(tomorrow, 10), 9, FORMS[0]), format="json").json()
    assert refused["code"] == "phone_limit"
    assert "3" in refused["detail"]
    english = api.post(
        "/api/v1/bookings/", payload(ktp, at(tomorrow, 10), 9, FORMS[0]), format="json", HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert "3" in english["detail"] and "mobile number" in english["detail"]
    assert Booking.objects.filter(phone="+6281234567890").count() == 3
    # Another number, and the same number on another day, still book.
    assert (
        api.post("/api/v1/bookings/", payload(ktp, at(tomorrow, 10), 10, "0813-1111-2222"), format="json").status_code
        == 201
    )
    assert (
        api.post(
            "/api/v1/bookings/", payload(ktp, at(tomorrow + dt.timedelta(days=1), 9), 11, FORMS[3]), format="json"
        ).status_code
        == 201
    )


@pytest.mark.django_db
def test_the_cap_counts_across_services_and_a_cancelled_booking_frees_its_place(ktp, kk, tomorrow):
    first = book(ktp, at(tomorrow, 9), 1)
    book(ktp, at(tomorrow, 10), 2)
    book(kk, at(tomorrow, 9), 3)
    with pytest.raises(BookingError) as refused:
        book(kk, at(tomorrow, 10), 4)
    assert refused.value.code == "phone_limit"
    booking_cancel(booking=first)
    assert book(kk, at(tomorrow, 10), 4).pk


@pytest.mark.django_db
def test_the_cap_is_the_policys(ktp, tomorrow):
    policy = BookingPolicy.current()
    assert policy.max_bookings_per_phone_per_day == 3
    policy.max_bookings_per_phone_per_day = 1
    policy.save()
    book(ktp, at(tomorrow, 9), 1)
    with pytest.raises(BookingError, match="1"):
        book(ktp, at(tomorrow, 9), 2)


@pytest.mark.django_db
def test_the_booking_form_names_the_limit_and_keeps_the_input(client, ktp, tomorrow):
    for n in range(3):
        book(ktp, at(tomorrow, 10), n)
    answer = submit(client, form_url(ktp, tomorrow), GOOD | {"nik": nik(7), "phone": "0812 3456 7890"})
    assert answer.status_code == 409
    assert "paling banyak 3 pemesanan aktif" in text(answer)
    assert value_of(answer, "nik") == nik(7)
    assert Booking.objects.count() == 3


@pytest.mark.postgres
def test_a_rush_on_one_number_across_services_gets_the_cap_and_no_more(transactional_db, settings, ktp, kk, tomorrow):
    if connection.vendor != "postgresql":
        missing("PostgreSQL (set DATABASE_URL)")
    settings.RATELIMIT_ENABLED = False
    requests = [payload(service, at(tomorrow, 9 + n % 3), n, FORMS[n % 4]) for n, service in enumerate([ktp, kk] * 6)]
    codes = rush(requests)
    assert codes.count(201) == 3
    assert codes.count(409) == 9
    assert Booking.objects.filter(phone="+6281234567890").count() == 3
