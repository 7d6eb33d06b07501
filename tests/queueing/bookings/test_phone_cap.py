"""One mobile number holds at most BOOKINGS_PER_PHONE_PER_DAY active bookings on a
day, whichever way it is written, across services, through the API, the booking form
and a move, and under a rush; a cancel or a move off the day frees the place."""

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction
from rest_framework.test import APIClient

from queueing.bookings.phone_cap import phone_days_forget
from queueing.bookings.services import BookingError, booking_cancel, booking_create, booking_reschedule
from queueing.bookings.tasks import forget_phone_days
from queueing.models import Booking, PhoneDay
from tests.queueing.bookings.test_booking_pages import GOOD, form_url, submit, text, value_of
from tests.queueing.conftest import at, nik
from tests.require import missing

# The same number, as people write it.
FORMS = ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "081234567890"]
PHONE = "+6281234567890"


@pytest.fixture(autouse=True)
def _cap_on(settings):
    settings.BOOKINGS_PER_PHONE_PER_DAY = 3
    # Not a rate limit: it holds with the rate limits off, as in the load tests.
    settings.RATELIMIT_ENABLED = False


def payload(service, start, n: int, phone: str = PHONE) -> dict:
    return {"service": service.id, "start": start.isoformat(), "nik": nik(n), "name": f"Warga {n}", "phone": phone}


def book(service, start, n: int, phone=PHONE) -> Booking:
    return booking_create(service=service, start=start, nik=nik(n), name=f"Warga {n}", phone=phone)


@pytest.mark.django_db
def test_a_fourth_booking_on_one_number_is_a_409_at_the_phone_whichever_way_it_is_written(ktp, tomorrow):
    api = APIClient()
    codes = [
        api.post("/api/v1/bookings/", payload(ktp, at(tomorrow, 9), n, phone), format="json").status_code
        for n, phone in enumerate(FORMS)
    ]
    assert codes == [201, 201, 201, 409]
    refused = api.post("/api/v1/bookings/", payload(ktp, at(tomorrow, 10), 9, FORMS[0]), format="json")
    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "phone_limit"
    assert body["phone"] == [body["detail"]]
    assert "paling banyak 3 pemesanan aktif" in body["detail"]
    english = api.post(
        "/api/v1/bookings/", payload(ktp, at(tomorrow, 10), 9, FORMS[0]), format="json", HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert "at most 3 active bookings" in english["detail"]
    assert Booking.objects.filter(phone=PHONE).count() == 3
    # Another number, and the same number on another day, still book.
    other = payload(ktp, at(tomorrow, 10), 10, "0813-1111-2222")
    assert api.post("/api/v1/bookings/", other, format="json").status_code == 201
    next_day = payload(ktp, at(tomorrow + dt.timedelta(days=1), 9), 11, FORMS[3])
    assert api.post("/api/v1/bookings/", next_day, format="json").status_code == 201


@pytest.mark.django_db
def test_the_cap_counts_across_services_and_a_cancel_frees_its_place(
    ktp, kk, tomorrow, django_capture_on_commit_callbacks
):
    first = book(ktp, at(tomorrow, 9), 1)
    book(ktp, at(tomorrow, 10), 2)
    book(kk, at(tomorrow, 9), 3)
    with pytest.raises(BookingError) as refused:
        book(kk, at(tomorrow, 10), 4)
    assert (refused.value.code, refused.value.field) == ("phone_limit", "phone")
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=first)
    assert book(kk, at(tomorrow, 10), 4).pk


@pytest.mark.django_db
def test_a_booking_refused_for_another_reason_gives_its_place_back(ktp, tomorrow):
    book(ktp, at(tomorrow, 9), 1)
    with pytest.raises(BookingError, match="NIK ini"):
        book(ktp, at(tomorrow, 10), 1)  # the same person again: a duplicate
    book(ktp, at(tomorrow, 10), 2)
    book(ktp, at(tomorrow, 11), 3)
    assert Booking.objects.filter(phone=PHONE).count() == 3


@pytest.mark.django_db
def test_a_move_to_a_full_day_is_refused_and_a_move_off_a_day_frees_its_place(
    ktp, tomorrow, django_capture_on_commit_callbacks
):
    later = tomorrow + dt.timedelta(days=1)
    for n in range(3):
        book(ktp, at(later, 9 + n), n)
    mover = book(ktp, at(tomorrow, 9), 5)
    api = APIClient()
    refused = api.post(f"/api/v1/bookings/{mover.display_code}/reschedule/", {"start": at(later, 11).isoformat()})
    assert refused.status_code == 409
    assert refused.json()["code"] == "phone_limit"
    # Moving within its own day takes no second place.
    with django_capture_on_commit_callbacks(execute=True):
        mover = booking_reschedule(booking=mover, start=at(tomorrow, 10))
    with pytest.raises(BookingError, match="paling banyak"):
        book(ktp, at(later, 11), 6)
    # A move off the full day frees its place there.
    moved = Booking.objects.filter(phone=PHONE, date=later).first()
    with django_capture_on_commit_callbacks(execute=True):
        booking_reschedule(booking=moved, start=at(tomorrow, 11))
    assert book(ktp, at(later, 11), 6).pk


@pytest.mark.django_db
def test_zero_switches_the_cap_off(ktp, tomorrow, settings):
    settings.BOOKINGS_PER_PHONE_PER_DAY = 0
    for n in range(5):
        book(ktp, at(tomorrow, 9), n)
    assert Booking.objects.filter(phone=PHONE).count() == 5


@pytest.mark.django_db
def test_the_booking_form_says_so_at_the_phone_and_keeps_the_input(client, ktp, tomorrow):
    for n in range(3):
        book(ktp, at(tomorrow, 10), n)
    answer = submit(client, form_url(ktp, tomorrow), GOOD | {"nik": nik(7), "phone": "0812 3456 7890"})
    assert answer.status_code == 409
    assert "paling banyak 3 pemesanan aktif" in text(answer)
    assert answer.context["form"].errors["phone"]
    assert value_of(answer, "nik") == nik(7)
    assert Booking.objects.count() == 3


def _rush(requests: list[dict]) -> list[tuple[int, dict]]:
    """POST every booking at once, each from its own thread and connection."""
    barrier = threading.Barrier(len(requests))

    def post(body):
        client = APIClient()
        try:
            barrier.wait(timeout=30)
            answer = client.post("/api/v1/bookings/", body, format="json")
            return answer.status_code, answer.json()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(post, requests))


@pytest.mark.postgres
def test_a_rush_on_one_number_across_two_services_gets_the_cap_and_no_more(transactional_db, ktp, kk, tomorrow):
    if connection.vendor != "postgresql":
        missing("PostgreSQL (set DATABASE_URL)")
    requests = [payload(service, at(tomorrow, 9 + n % 3), n, FORMS[n % 4]) for n, service in enumerate([ktp, kk] * 6)]
    answers = _rush(requests)
    assert [status for status, _body in answers].count(201) == 3
    refused = [body for status, body in answers if status != 201]
    assert len(refused) == 9
    assert all(body["code"] == "phone_limit" and "paling banyak 3" in body["phone"][0] for body in refused)
    assert Booking.objects.filter(phone=PHONE).count() == 3


@pytest.mark.django_db
def test_cancelling_a_booking_that_was_never_counted_gives_the_number_no_extra_place(
    ktp, tomorrow, settings, django_capture_on_commit_callbacks
):
    settings.BOOKINGS_PER_PHONE_PER_DAY = 0  # switched off: not counted
    uncounted = book(ktp, at(tomorrow, 9), 1)
    settings.BOOKINGS_PER_PHONE_PER_DAY = 3
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=uncounted)
    for n in range(2, 5):
        book(ktp, at(tomorrow, 10), n)
    with pytest.raises(BookingError, match="paling banyak"):
        book(ktp, at(tomorrow, 11), 5)


@pytest.mark.django_db
def test_a_booking_rolled_back_with_its_callers_transaction_takes_no_place(ktp, tomorrow):
    # The help desk writes its own record around a booking: when that fails, the
    # number's count goes back with the booking.
    with pytest.raises(RuntimeError), transaction.atomic():
        book(ktp, at(tomorrow, 9), 1)
        raise RuntimeError
    for n in range(2, 5):
        book(ktp, at(tomorrow, 10), n)
    assert Booking.objects.filter(phone=PHONE).count() == 3


@pytest.mark.django_db
def test_a_lower_cap_holds_for_a_day_already_counted(ktp, tomorrow, settings):
    for n in range(3):
        book(ktp, at(tomorrow, 9), n)
    settings.BOOKINGS_PER_PHONE_PER_DAY = 2
    with pytest.raises(BookingError, match="paling banyak 2"):
        book(ktp, at(tomorrow, 10), 4)


@pytest.mark.django_db
def test_the_counts_of_past_days_are_forgotten(ktp, tomorrow):
    book(ktp, at(tomorrow, 9), 1)
    assert forget_phone_days() == 0
    assert phone_days_forget(before=tomorrow + dt.timedelta(days=1)) == 1
    assert not PhoneDay.objects.exists()
