"""Searching the catalogue: what citizens type (abbreviations, everyday words, English)
finds the service they mean first, on Indonesian and English pages alike."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from services.models import Service
from services.search import search_services
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

RESULT_LINK = re.compile(r'class="card" href="/instansi/([a-z0-9-]+)/layanan/([a-z0-9-]+)/"')


@pytest.fixture
def demo(db):
    call_command("load_demo_data", stdout=StringIO())


def found(client, query: str, language: str = "id") -> list[str]:
    """The services a search page lists, in order, as ``agency/service``."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("home"), {"q": query})
    assert response.status_code == 200
    return [f"{agency}/{service}" for agency, service in RESULT_LINK.findall(response.content.decode())]


@pytest.mark.parametrize("language", ["id", "en"])
def test_ktp_finds_the_ktp_el_service_first_and_no_service_that_merely_asks_for_a_ktp(client, demo, language):
    results = found(client, "KTP", language)

    assert results[0] == "disdukcapil/ktp-el"
    # Nearly every service asks for a KTP-el among its requirements: that says nothing
    # about what the citizen looks for.
    assert not any(result.startswith(("bpjstk/", "bjb/", "kpp/")) for result in results)
    assert len(results) <= 5


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("e-KTP", "disdukcapil/ktp-el"),
        ("ektp", "disdukcapil/ktp-el"),
        ("KTP-el", "disdukcapil/ktp-el"),
        ("perpanjang stnk", "samsat/pkb-tahunan"),
        ("passport", "imigrasi/paspor"),
        ("paspor", "imigrasi/paspor"),
        ("akta lahir", "disdukcapil/akta-kelahiran"),
        ("akte kelahiran", "disdukcapil/akta-kelahiran"),
        ("birth certificate", "disdukcapil/akta-kelahiran"),
        ("SIM", "kejari/barang-bukti-tilang"),
        ("surat izin mengemudi", "kejari/barang-bukti-tilang"),
        ("kartu keluarga", "disdukcapil/kartu-keluarga"),
        ("skck", "polres/skck"),
        ("police certificate", "polres/skck"),
        ("npwp", "kpp/npwp"),
        ("pasang listrik", "pln/pasang-baru"),
        ("cara membuat ktp", "disdukcapil/ktp-el"),
    ],
)
def test_everyday_words_and_abbreviations_find_the_service_first(client, demo, query, expected, language):
    assert found(client, query, language)[0] == expected


def test_a_search_for_two_words_leaves_out_services_that_match_only_one(client, demo):
    results = found(client, "akta lahir")

    assert "disdukcapil/akta-kematian" not in results
    assert results == ["disdukcapil/akta-kelahiran"]


def test_sim_matches_whole_words_only(client, demo):
    # SIMBG (the building permit system) is not a driving licence.
    assert "dpmptsp/pbg" not in found(client, "SIM")


def test_the_name_ranks_before_the_description_and_the_requirements(disdukcapil):
    in_requirements = ServiceFactory(agency=disdukcapil, name="Legalisir dokumen", requirements="Fotokopi paspor")
    in_description = ServiceFactory(agency=disdukcapil, name="Informasi", description="Tentang paspor dan visa")
    in_name = ServiceFactory(agency=disdukcapil, name="Paspor biasa")

    ranked = list(search_services(Service.objects.published(), "paspor"))

    assert ranked[:2] == [in_name, in_description]
    assert in_requirements not in ranked[:2]


def test_english_text_is_searched_on_the_indonesian_page_too(client, disdukcapil):
    ServiceFactory(agency=disdukcapil, code="legalisir", name="Legalisir dokumen", name_en="Document legalisation")

    assert found(client, "legalisation", "id") == ["disdukcapil/legalisir"]
    assert found(client, "legalisir", "en") == ["disdukcapil/legalisir"]


def test_a_word_found_only_as_a_prefix_still_finds_the_service(client, disdukcapil):
    ServiceFactory(agency=disdukcapil, code="paspor", name="Paspor biasa")

    assert found(client, "pasp") == ["disdukcapil/paspor"]


def test_the_api_ranks_its_search_the_same_way(demo):
    body = APIClient().get("/api/v1/services/", {"q": "KTP"}).json()

    names = [(s["agency_code"], s["code"]) for s in body["results"]]
    assert names[0] == ("disdukcapil", "ktp-el")
    assert not any(agency == "bpjstk" for agency, _code in names)


def test_the_api_search_within_one_agency_keeps_weak_matches(demo):
    # A weak match is dropped only beside a strong one, not when it is all there is.
    bpjs = Service.objects.get(agency__code="bpjstk", code="klaim-jht").agency_id
    body = APIClient().get("/api/v1/services/", {"q": "KTP", "agency": bpjs}).json()

    assert body["results"]


@pytest.mark.parametrize(
    "query",
    [
        "%",
        "_",
        "%%%___",
        "\\",
        ".*",
        "(((",
        "' OR 1=1 --",
        "ktp " * 400,
        " ".join(f"kata{n}" for n in range(500)),
        "é" * 300,
        "\x00\x01\x02",
        "🙂 ktp 🙂",
        "ｋｔｐ",
    ],
)
def test_hostile_and_huge_searches_answer_without_matching_everything(client, demo, query):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    response = client.get(reverse("home"), {"q": query})

    assert response.status_code == 200
    assert len(RESULT_LINK.findall(response.content.decode())) < 10


def test_fullwidth_and_emoji_decorated_queries_still_find_the_service(client, demo):
    assert found(client, "🙂 ktp 🙂")[0] == "disdukcapil/ktp-el"
    assert found(client, "ｋｔｐ")[0] == "disdukcapil/ktp-el"


def test_a_repeated_search_costs_a_fixed_small_number_of_queries(client, demo, django_assert_max_num_queries):
    found(client, "KTP")  # builds this process's search index

    with django_assert_max_num_queries(6):
        found(client, "perpanjang stnk")


def test_a_changed_service_is_found_by_its_new_name_at_once(client, disdukcapil):
    service = ServiceFactory(agency=disdukcapil, code="dokumen", name="Legalisir dokumen")
    assert found(client, "legalisir") == ["disdukcapil/dokumen"]

    service.name = "Pengesahan salinan"
    service.save()

    assert found(client, "legalisir") == []
    assert found(client, "salinan") == ["disdukcapil/dokumen"]
