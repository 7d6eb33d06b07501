"""An agency's own kiosk issues walk-in tickets and checks bookings in for that agency's
services only; the mall's kiosk serves every agency."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from agencies.models import Role
from queueing.models import Ticket
from tests.factories import ServiceFactory, UserFactory
from tests.queueing.conftest import open_around_the_clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def stnk(samsat):
    """Samsat's walk-in service, open around the clock."""
    return open_around_the_clock(
        ServiceFactory(agency=samsat, code="stnk", name="Perpanjangan STNK", daily_quota=50, walk_in_reserve=0)
    )


@pytest.fixture
def disdukcapil_kiosk(disdukcapil):
    return UserFactory(username="kiosk-disdukcapil", role=Role.KIOSK, agency=disdukcapil, is_staff=False)


def api_of(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_an_agency_kiosk_issues_for_its_own_agency(kk, disdukcapil_kiosk):
    answer = api_of(disdukcapil_kiosk).post("/api/v1/tickets/", {"service": kk.pk}, format="json")
    assert answer.status_code == 201


def test_an_agency_kiosk_cannot_issue_for_another_agency(kk, stnk, disdukcapil_kiosk):
    answer = api_of(disdukcapil_kiosk).post("/api/v1/tickets/", {"service": stnk.pk}, format="json")
    assert answer.status_code == 403
    assert "instansi" in answer.json()["detail"]
    assert not Ticket.objects.exists()


def test_the_malls_kiosk_issues_for_every_agency(kk, stnk, kiosk_api):
    for service in (kk, stnk):
        assert kiosk_api.post("/api/v1/tickets/", {"service": service.pk}, format="json").status_code == 201


def test_the_agency_kiosks_page_refuses_another_agencys_service(kk, stnk, disdukcapil_kiosk):
    client = Client()
    client.force_login(disdukcapil_kiosk)
    assert client.get("/kiosk/instansi/samsat/").status_code == 403
    assert client.get("/kiosk/instansi/samsat/stnk/").status_code == 403
    refused = client.post("/kiosk/instansi/samsat/stnk/", {"priority": ""})
    assert refused.status_code == 403
    assert not Ticket.objects.exists()
    # Its start page shows its own agency's services, whatever the URL asks for.
    start = client.get("/kiosk/?agency=samsat")
    assert start.status_code == 200
    assert "Kartu Keluarga" in start.content.decode()
    assert "Perpanjangan STNK" not in start.content.decode()


def test_an_agency_kiosk_cannot_get_a_token_with_its_password(disdukcapil_kiosk):
    answer = APIClient().post(
        "/api/v1/auth/token/", {"username": "kiosk-disdukcapil", "password": "rahasia-uji-2026"}, format="json"
    )
    assert answer.status_code == 400


def test_an_agency_kiosk_checks_in_its_own_agencys_bookings_only(kk, stnk, disdukcapil_kiosk):
    from tests.queueing.floor.test_kiosk_pages import booking_for

    own, other = booking_for(kk, minutes_from_now=20), booking_for(stnk, minutes_from_now=20)
    api = api_of(disdukcapil_kiosk)
    refused = api.post(f"/api/v1/bookings/{other.code}/check-in/")
    assert (refused.status_code, refused.json()["code"]) == (403, "other_agency")
    page = Client()
    page.force_login(disdukcapil_kiosk)
    assert page.post("/kiosk/check-in/", {"kode": other.display_code}).status_code == 403
    assert not Ticket.objects.exists()
    assert api.post(f"/api/v1/bookings/{own.code}/check-in/").status_code == 200


# An agency's kiosk is a device of the agency, not one of its staff


def test_an_agency_kiosk_does_nothing_an_officer_does(kk, counter, disdukcapil_kiosk):
    from queueing.floor.tickets import ticket_call_next, ticket_issue_walk_in

    ticket_issue_walk_in(service=kk)
    ticket_issue_walk_in(service=kk)
    called = ticket_call_next(counter=counter, officer=counter.officers.get())
    api = api_of(disdukcapil_kiosk)
    assert api.get("/api/v1/counters/").status_code == 403
    assert api.post(f"/api/v1/counters/{counter.pk}/call-next/").status_code in (403, 404)
    assert api.post(f"/api/v1/counters/{counter.pk}/pause/", {"paused": True}, format="json").status_code in (403, 404)
    for action in ("hold", "no-show", "transfer"):
        assert (
            api.post(f"/api/v1/tickets/{called.code}/{action}/", {"service": kk.pk}, format="json").status_code == 403
        )
    called.refresh_from_db()
    assert called.status == "called"
    assert Ticket.objects.filter(status="waiting").count() == 1


def test_an_agency_kiosk_reads_no_suggestions_and_hands_over_no_survey(served, disdukcapil_kiosk):
    from queueing.surveys.services import survey_submit

    survey_submit(ticket=served, answers=[4] * 9, comment="Petugasnya ramah sekali")
    page = Client()
    page.force_login(disdukcapil_kiosk)
    assert "Petugasnya ramah sekali" not in page.get("/petugas/saran/").content.decode()
    assert page.get(f"/petugas/survei/{served.code}/").status_code in (302, 403)
