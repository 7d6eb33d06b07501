import pytest
from rest_framework.test import APIClient

from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def results(answer):
    body = answer.json()
    return body["results"] if isinstance(body, dict) else body


def test_services_carry_the_published_standard(api, disdukcapil):
    ServiceFactory(agency=disdukcapil, name="Penerbitan KTP-el", requirements="Fotokopi KK\n- Surat pengantar")
    answer = api.get("/api/v1/services/")
    assert answer.status_code == 200
    service = results(answer)[0]
    assert service["name"] == "Penerbitan KTP-el"
    assert service["agency"] == disdukcapil.id
    assert service["online_booking"] is True
    standard = service["standard"]
    assert standard["requirements"] == ["Fotokopi KK", "Surat pengantar"]
    for field in ("procedure", "completion_time", "fee", "product", "complaints", "legal_basis"):
        assert standard[field]


def test_services_filter_by_agency_and_search(api, disdukcapil, samsat):
    ktp = ServiceFactory(agency=disdukcapil, name="Penerbitan KTP-el")
    ServiceFactory(agency=samsat, name="Pajak kendaraan tahunan")
    assert [s["id"] for s in results(api.get(f"/api/v1/services/?agency={disdukcapil.id}"))] == [ktp.id]
    assert [s["id"] for s in results(api.get("/api/v1/services/?q=penerbitan"))] == [ktp.id]
    assert results(api.get("/api/v1/services/?q=tidak-ada-layanan-ini")) == []


def test_inactive_services_and_services_of_inactive_agencies_are_hidden(api, disdukcapil, samsat):
    ServiceFactory(agency=disdukcapil, active=False)
    samsat.active = False
    samsat.save()
    ServiceFactory(agency=samsat)
    assert results(api.get("/api/v1/services/")) == []


@pytest.mark.parametrize("q", ["<script>alert(1)</script>", "x" * 10_000, "' OR 1=1 --", "\x00"])
def test_hostile_search_is_never_a_server_error(api, disdukcapil, q):
    ServiceFactory(agency=disdukcapil)
    answer = api.get("/api/v1/services/", {"q": q})
    assert answer.status_code in (200, 400)
