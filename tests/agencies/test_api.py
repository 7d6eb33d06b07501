import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from agencies.models import AgencyKind
from tests.factories import AgencyFactory, CounterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_agencies_are_public_and_list_kind_and_prefix(api, disdukcapil):
    AgencyFactory(code="pln", name="PT PLN", kind=AgencyKind.BUMN, ticket_prefix="P")
    answer = api.get("/api/v1/agencies/")
    assert answer.status_code == 200
    by_code = {a["code"]: a for a in answer.json()}
    assert by_code["pln"]["kind"] == "bumn"
    assert by_code["pln"]["ticket_prefix"] == "P"
    assert by_code["disdukcapil"]["kind"] == "opd"
    assert {"id", "code", "name", "kind", "ticket_prefix"} <= set(by_code["pln"])


def test_inactive_agencies_are_not_listed(api):
    AgencyFactory(code="tutup", active=False)
    assert api.get("/api/v1/agencies/").json() == []


def test_token_endpoint_gives_a_token_for_good_credentials_only(api, bob):
    good = api.post("/api/v1/auth/token/", {"username": "bob", "password": "rahasia-uji-2026"}, format="json")
    assert good.status_code == 200
    assert good.json()["token"] == Token.objects.get(user=bob).key
    bad = api.post("/api/v1/auth/token/", {"username": "bob", "password": "salah"}, format="json")
    assert bad.status_code == 400
    assert "token" not in bad.json()


def test_counters_need_a_login(api):
    assert api.get("/api/v1/counters/").status_code == 401


def test_officer_sees_only_own_agency_counters(api, bob, samsat):
    own = CounterFactory(agency=bob.agency)
    CounterFactory(agency=samsat)
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=bob).key}")
    answer = api.get("/api/v1/counters/")
    assert answer.status_code == 200
    assert [c["id"] for c in answer.json()] == [own.id]
    # Asking for another agency's counters gives nothing, not their counters.
    assert api.get(f"/api/v1/counters/?agency={samsat.id}").json() == []


def test_admin_sees_every_counter_and_can_filter(api, admin_user, disdukcapil, samsat):
    CounterFactory(agency=disdukcapil)
    theirs = CounterFactory(agency=samsat)
    api.force_authenticate(admin_user)
    assert len(api.get("/api/v1/counters/").json()) == 2
    assert [c["id"] for c in api.get(f"/api/v1/counters/?agency={samsat.id}").json()] == [theirs.id]


@pytest.mark.parametrize("garbage", ["abc", "-1", "1.5", "9" * 40, "<script>"])
def test_garbage_agency_filter_is_a_400_at_the_field(api, admin_user, garbage):
    api.force_authenticate(admin_user)
    answer = api.get("/api/v1/counters/", {"agency": garbage})
    assert answer.status_code == 400
    assert "agency" in answer.json()
