"""A service's content in the page's language: staff enter each field in Bahasa
Indonesia and in English; an English page shows the English, or the Indonesian where
the English is empty. The API does the same by Accept-Language."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from services import demo_data
from services.models import Service
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paspor(disdukcapil):
    disdukcapil.name_en = "Population and Civil Registration Office"
    disdukcapil.description = "Dokumen kependudukan."
    disdukcapil.description_en = "Population documents."
    disdukcapil.save()
    return ServiceFactory(
        agency=disdukcapil,
        code="paspor",
        name="Paspor biasa",
        name_en="Ordinary passport",
        description="Penerbitan paspor.",
        description_en="",  # not translated yet: the Indonesian shows
        requirements="KTP-el asli\nKartu Keluarga",
        requirements_en="Original KTP-el\nFamily card (KK)",
        procedure="Ambil nomor antrean\nSerahkan berkas",
        procedure_en="Take a queue number\nHand in the documents",
        completion_time="4 hari kerja",
        completion_time_en="4 working days",
        fee="Rp350.000",
        fee_en="IDR 350,000",
        product="Paspor",
        product_en="Passport",
        complaints="Meja pengaduan MPP",
        complaints_en="",
        legal_basis="UU 6/2011 tentang Keimigrasian",
        legal_basis_en="Law 6/2011 on Immigration",
    )


def page(client, url: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def service_url(service) -> str:
    return reverse("service", args=[service.agency.code, service.code])


def test_english_service_page_shows_the_english_content(client, paspor):
    text = page(client, service_url(paspor), "en")

    assert "<h1>Ordinary passport</h1>" in text
    for english in (
        "<span>Original KTP-el</span>",
        "<span>Family card (KK)</span>",
        "<li>Take a queue number</li>",
        "<li>Hand in the documents</li>",
        "4 working days",
        "IDR 350,000",
        "Passport",
        "<li>Law 6/2011 on Immigration</li>",
        "Population and Civil Registration Office",
    ):
        assert english in text
    for indonesian in ("Paspor biasa", "KTP-el asli", "Ambil nomor antrean", "4 hari kerja", "Rp350.000"):
        assert indonesian not in text


def test_english_page_falls_back_to_the_indonesian_and_marks_its_language(client, paspor):
    text = page(client, service_url(paspor), "en")

    assert re.search(r'<p class="lead" lang="id">Penerbitan paspor.</p>', text)
    assert re.search(r'<div class="prose" lang="id">\s*<p>Meja pengaduan MPP</p>', text)
    # English content is not marked as Indonesian.
    assert 'lang="id">4 working days' not in text


def test_indonesian_service_page_shows_the_indonesian_content(client, paspor):
    text = page(client, service_url(paspor), "id")

    assert "<h1>Paspor biasa</h1>" in text
    assert "<span>KTP-el asli</span>" in text
    assert "Rp350.000" in text
    assert "Ordinary passport" not in text
    assert "IDR 350,000" not in text


def test_english_agency_page_and_search_show_english_names(client, paspor):
    agency_page = page(client, reverse("agency", args=[paspor.agency.code]), "en")
    assert "<h1>Population and Civil Registration Office</h1>" in agency_page
    assert "Population documents." in agency_page
    assert "Ordinary passport" in agency_page
    assert "IDR 350,000" in agency_page

    results = page(client, reverse("home") + "?q=passport", "en")
    assert "Ordinary passport" in results
    assert "Paspor biasa" not in results


def test_the_api_answers_in_indonesian_by_default_and_in_english_when_asked(paspor):
    api = APIClient()

    indonesian = api.get("/api/v1/services/").json()["results"][0]
    english = api.get("/api/v1/services/", HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]

    assert indonesian["name"] == "Paspor biasa"
    assert indonesian["standard"]["fee"] == "Rp350.000"
    assert english["name"] == "Ordinary passport"
    assert english["agency_name"] == "Population and Civil Registration Office"
    assert english["description"] == "Penerbitan paspor."  # no English yet
    assert english["standard"]["requirements"] == ["Original KTP-el", "Family card (KK)"]
    assert english["standard"]["procedure"] == ["Take a queue number", "Hand in the documents"]
    assert english["standard"]["fee"] == "IDR 350,000"
    agencies = api.get("/api/v1/agencies/", HTTP_ACCEPT_LANGUAGE="en").json()
    agencies = agencies["results"] if isinstance(agencies, dict) else agencies
    assert agencies[0]["name"] == "Population and Civil Registration Office"


def test_staff_enter_both_languages_side_by_side(client, alice, paspor):
    client.force_login(alice)

    form = client.get(reverse("admin:services_service_change", args=[paspor.pk])).content.decode()

    for field in ("name", "requirements", "procedure", "completion_time", "fee", "product", "complaints"):
        assert f'name="{field}"' in form
        assert f'name="{field}_en"' in form
        # each English field follows its Indonesian one, on the same row
        assert form.index(f'name="{field}"') < form.index(f'name="{field}_en"')


@pytest.mark.parametrize("field", ["name", "requirements", "procedure", "fee"])
def test_every_demo_service_has_an_english_text_for(field):
    missing = [
        f"{agency['code']}/{service['code']}"
        for agency in demo_data.AGENCIES
        for service in agency["services"]
        if not service[f"{field}_en"].strip()
    ]
    assert missing == []


def test_the_demo_english_lists_have_a_line_for_each_indonesian_line():
    for agency in demo_data.AGENCIES:
        for service in agency["services"]:
            for field in ("requirements", "procedure"):
                assert len(service[f"{field}_en"].splitlines()) == len(service[field].splitlines()), (
                    f"{agency['code']}/{service['code']} {field}"
                )


def test_the_demo_catalogue_loads_in_english(client, db):
    call_command("load_demo_data", stdout=StringIO())

    ktp = Service.objects.get(agency__code="disdukcapil", code="ktp-el")
    text = page(client, service_url(ktp), "en")

    assert ktp.name_en in text
    assert "Gratis (Pasal 79A" not in text
