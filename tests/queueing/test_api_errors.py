"""Every error under /api/ is JSON: a body too large, one that does not parse, a method
the endpoint does not take, a failed CSRF check, a database that is away."""

import json

import pytest
from django.db import OperationalError
from django.test import Client

from queueing.bookings import api as bookings_api
from tests.queueing.conftest import VALID_NIK, at

pytestmark = pytest.mark.django_db

TOO_LARGE = 3 * 1024 * 1024  # DATA_UPLOAD_MAX_MEMORY_SIZE is 2 MiB


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def _json_error(answer, status: int) -> dict:
    assert answer.status_code == status, answer.content[:200]
    assert answer["Content-Type"].startswith("application/json"), answer["Content-Type"]
    body = answer.json()
    assert body["detail"]
    return body


@pytest.mark.parametrize("path", ["/api/v1/bookings/", "/api/v1/surveys/", "/api/v1/auth/token/"])
def test_a_body_too_large_is_a_json_413(client, path):
    body = json.dumps({"comment": "x" * TOO_LARGE})
    _json_error(client.post(path, body, content_type="application/json"), 413)


def test_a_form_too_large_on_a_page_is_a_413(client):
    answer = client.post("/petugas/masuk/", {"username": "x" * TOO_LARGE, "password": "y"})
    assert answer.status_code == 413


@pytest.mark.parametrize("path", ["/api/v1/bookings/", "/api/v1/surveys/", "/api/v1/auth/token/"])
def test_a_body_that_does_not_parse_is_a_json_400(client, path):
    _json_error(client.post(path, '{"service": ', content_type="application/json"), 400)


@pytest.mark.parametrize("path", ["/api/v1/bookings/", "/api/v1/agencies/", "/api/v1/display/"])
def test_a_method_not_taken_is_a_json_405(client, path):
    _json_error(client.delete(path), 405)


def test_a_failed_csrf_check_on_the_api_is_a_json_403(bob, counter):
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    browser.force_login(bob)
    _json_error(browser.post(f"/api/v1/counters/{counter.pk}/call-next/"), 403)


def test_a_database_that_is_away_is_a_json_503_that_says_when_to_try_again(client, ktp, tomorrow, monkeypatch):
    def away(**_values):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(bookings_api, "booking_create", away)
    payload = {"service": ktp.pk, "start": at(tomorrow, 9).isoformat(), "nik": VALID_NIK, "name": "Siti",
               "phone": "081234567890"}  # fmt: skip
    answer = client.post("/api/v1/bookings/", payload, content_type="application/json")
    _json_error(answer, 503)
    assert int(answer["Retry-After"]) > 0


def test_a_database_that_is_away_is_a_plain_503_page(client, monkeypatch):
    from services import views

    def away(*_args, **_kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(views, "render", away)
    answer = client.get("/")
    assert answer.status_code == 503
    assert int(answer["Retry-After"]) > 0
    assert "tidak tersedia" in answer.content.decode()
