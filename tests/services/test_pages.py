"""The public pages: the catalogue with its search, an agency, one service's standard."""

import datetime as dt
import re

import factory
import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import AgencyKind
from services.models import ClosureDay
from tests.factories import AgencyFactory, OpeningHoursFactory, ServiceFactory

pytestmark = pytest.mark.django_db

ID_MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


def service_url(service) -> str:
    return reverse("service", args=[service.agency.code, service.code])


def text_of(response) -> str:
    return response.content.decode()


def factory_name(prefix: str):
    return factory.Sequence(lambda n: f"{prefix} {n}")


@pytest.fixture
def ktp(disdukcapil):
    disdukcapil.location = "Lantai 2, loket 5–9"
    disdukcapil.phone = "021 1234 5678"
    disdukcapil.description = "Pelayanan dokumen kependudukan."
    disdukcapil.save()
    return ServiceFactory(
        agency=disdukcapil,
        code="ktp-el",
        name="Perekaman KTP Elektronik",
        description="Perekaman data dan foto untuk KTP-el baru.",
        requirements="Surat pengantar RT/RW\n- Fotokopi Kartu Keluarga",
        procedure="Ambil nomor antrean\nSerahkan berkas di loket\nPerekaman foto, sidik jari dan iris",
        completion_time="Selesai di hari yang sama",
        fee="Gratis",
        product="KTP elektronik",
        complaints="SP4N-LAPOR! atau meja pengaduan MPP",
        legal_basis="UU 24/2013 tentang Administrasi Kependudukan\nUU 25/2009 tentang Pelayanan Publik",
    )


# Home page: agencies by kind


def test_home_lists_the_active_agencies_grouped_by_kind_in_the_mou_order(client):
    AgencyFactory(name="PT Pos Indonesia", kind=AgencyKind.BUMN)
    AgencyFactory(name="Bank bjb", kind=AgencyKind.BUMD)
    AgencyFactory(name="Dinas Kependudukan", kind=AgencyKind.OPD)
    AgencyFactory(name="Polres Tangerang Selatan", kind=AgencyKind.PEMERINTAH)
    AgencyFactory(name="Instansi Lama", kind=AgencyKind.OPD, active=False)

    page = text_of(client.get(reverse("home")))

    order = [
        "Instansi pemerintah pusat",
        "Polres Tangerang Selatan",
        "Perangkat daerah (OPD)",
        "Dinas Kependudukan",
        "BUMN",
        "PT Pos Indonesia",
        "BUMD",
        "Bank bjb",
    ]
    positions = [page.index(f">{text}<") for text in order]
    assert positions == sorted(positions)
    assert "Instansi Lama" not in page
    assert ">Swasta<" not in page  # a kind with no agency shows no heading


def test_home_links_each_agency_with_its_count_of_published_services(client, disdukcapil):
    ServiceFactory.create_batch(2, agency=disdukcapil)
    ServiceFactory(agency=disdukcapil, active=False)

    page = text_of(client.get(reverse("home")))

    assert f'href="{reverse("agency", args=["disdukcapil"])}"' in page
    assert "2 layanan" in page


# Home page: search


def test_search_finds_a_service_by_a_word_of_its_name(client, ktp):
    ServiceFactory(name="Pembayaran Pajak Kendaraan")

    response = client.get(reverse("home"), {"q": "perekaman"})

    page = text_of(response)
    assert response.status_code == 200
    assert "Perekaman KTP Elektronik" in page
    assert "Dinas Kependudukan dan Pencatatan Sipil" in page
    assert f'href="{service_url(ktp)}"' in page
    assert "Pembayaran Pajak Kendaraan" not in page
    assert "1 layanan cocok dengan “perekaman”" in page


def test_search_without_a_match_says_so(client, ktp):
    page = text_of(client.get(reverse("home"), {"q": "helikopter"}))

    assert "Tidak ada layanan yang cocok dengan “helikopter”" in page
    assert f'href="{service_url(ktp)}"' not in page


def test_an_empty_search_asks_for_a_word(client, ktp):
    page = text_of(client.get(reverse("home"), {"q": "   "}))

    assert "Tulis nama layanan atau instansi yang Anda cari" in page


def test_search_leaves_out_inactive_services_and_agencies(client):
    ServiceFactory(name="Legalisir Lama", active=False)
    ServiceFactory(name="Legalisir Akta", agency=AgencyFactory(active=False))

    page = text_of(client.get(reverse("home"), {"q": "legalisir"}))

    assert "Legalisir" not in page.split("Hasil pencarian", 1)[1]
    assert "Tidak ada layanan yang cocok" in page


def test_search_shows_at_most_fifty_results_and_says_so(client, disdukcapil):
    ServiceFactory.create_batch(55, agency=disdukcapil, name=factory_name("Salinan Akta"))

    page = text_of(client.get(reverse("home"), {"q": "salinan"}))

    assert page.count('class="card" href="/instansi/disdukcapil/layanan/') == 50
    assert "Hanya hasil teratas yang ditampilkan" in page


@pytest.mark.parametrize(
    "query_string",
    [
        "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "q=%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E",
        "q=" + "a" * 10_000,
        "q=%00",
        "q=KTP%00%00elektronik",
        "q=%ff%fe%fd",
        "q=%25%27%3B--+DROP+TABLE",
        "q=1&q=2",
    ],
)
def test_hostile_search_input_is_rendered_inert(client, ktp, query_string):
    response = client.get(f"{reverse('home')}?{query_string}")

    page = text_of(response)
    assert response.status_code == 200
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "\x00" not in page
    assert "a" * 201 not in page


def test_a_script_tag_in_the_search_is_shown_as_text(client):
    page = text_of(client.get(reverse("home"), {"q": "<script>alert(1)</script>"}))

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_long_search_is_cut_to_two_hundred_characters(client):
    page = text_of(client.get(reverse("home"), {"q": "b" * 10_000}))

    assert 'value="' + "b" * 200 + '"' in page
    assert "b" * 201 not in page


def test_a_null_byte_does_not_stop_the_search(client, ktp):
    page = text_of(client.get(reverse("home"), {"q": "perekaman\x00"}))

    assert "Perekaman KTP Elektronik" in page


# Agency page


def test_agency_page_shows_the_agency_and_its_published_services(client, ktp):
    ServiceFactory(agency=ktp.agency, name="Layanan Ditutup", active=False)
    paspor = ServiceFactory(
        agency=ktp.agency,
        name="Paspor",
        online_booking=False,
        walk_in=False,
        external_booking_url="https://example.org/m-paspor",
        fee="Rp350.000",
        completion_time="4 hari kerja",
    )

    page = text_of(client.get(reverse("agency", args=["disdukcapil"])))

    assert "<h1>Dinas Kependudukan dan Pencatatan Sipil</h1>" in page
    assert "Perangkat daerah (OPD)" in page
    assert "Lantai 2, loket 5–9" in page
    assert 'href="tel:02112345678"' in page
    assert "Pelayanan dokumen kependudukan." in page
    assert f'href="{service_url(ktp)}"' in page
    assert "Perekaman data dan foto untuk KTP-el baru." in page
    assert "Selesai di hari yang sama" in page
    assert "4 hari kerja" in page
    assert "Rp350.000" in page
    assert "Pesan daring" in page
    assert "Datang langsung" in page
    assert "Pesan di situs instansi" in page
    assert f'href="{service_url(paspor)}"' in page
    assert "Layanan Ditutup" not in page


# Service page


def test_service_page_shows_the_published_standard_in_order(client, ktp):
    page = text_of(client.get(service_url(ktp)))

    headings = [
        "Persyaratan",
        "Sistem, mekanisme dan prosedur",
        "Jangka waktu penyelesaian",
        "Biaya/tarif",
        "Produk pelayanan",
        "Penanganan pengaduan, saran dan masukan",
        "Dasar hukum",
    ]
    positions = [page.index(f">{heading}</h3>") for heading in headings]
    assert positions == sorted(positions)
    assert "<h1>Perekaman KTP Elektronik</h1>" in page
    assert '<input type="checkbox"> <span>Surat pengantar RT/RW</span>' in page
    assert "<span>Fotokopi Kartu Keluarga</span>" in page
    steps = re.search(r'<ol class="steps"[^>]*>(.*?)</ol>', page, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", steps) == [
        "Ambil nomor antrean",
        "Serahkan berkas di loket",
        "Perekaman foto, sidik jari dan iris",
    ]
    assert "KTP elektronik" in page
    assert "SP4N-LAPOR! atau meja pengaduan MPP" in page
    assert "<li>UU 24/2013 tentang Administrasi Kependudukan</li>" in page


def test_service_page_says_how_to_get_served(client, disdukcapil):
    service = ServiceFactory(
        agency=disdukcapil, online_booking=False, walk_in=True, external_booking_url="https://example.org/antre"
    )

    page = text_of(client.get(service_url(service)))

    assert "Datang langsung." in page
    assert 'href="https://example.org/antre"' in page
    assert "Pesan daring." not in page


def test_service_page_leads_to_the_online_booking(client, ktp):
    booking_url = reverse("booking-days", args=[ktp.agency.code, ktp.code])

    page = text_of(client.get(service_url(ktp)))

    assert f'<a class="button" href="{booking_url}">Pesan slot</a>' in page


def test_service_page_without_online_booking_does_not_offer_it(client, ktp):
    ktp.online_booking = False
    ktp.save()

    page = text_of(client.get(service_url(ktp)))

    assert "Pesan nomor antrean</a>" not in page
    assert "/pesan/" not in page


def test_service_page_shows_the_hours_of_the_next_seven_days_and_marks_closed_days(client, ktp):
    for weekday in range(7):
        OpeningHoursFactory(weekday=weekday, opens=dt.time(8, 30), closes=dt.time(15, 0))
    today = timezone.localdate()
    closed = today + dt.timedelta(days=2)
    ClosureDay.objects.create(date=closed, name="Cuti bersama")

    page = text_of(client.get(service_url(ktp)))

    rows = re.findall(r"<tr[^>]*>\s*<th scope=\"row\">(.*?)</th>\s*<td>(.*?)</td>", page, re.S)
    assert len(rows) == 7
    for offset, (day_cell, hours_cell) in enumerate(rows):
        day = today + dt.timedelta(days=offset)
        assert f"{day.day} {ID_MONTHS[day.month - 1]} {day.year}" in day_cell
        if day == closed:
            assert "Tutup" in hours_cell
        else:
            assert hours_cell == "08.30–15.00"
    assert "hari ini" in rows[0][0]


def test_service_page_without_opening_hours_shows_every_day_closed(client, ktp):
    page = text_of(client.get(service_url(ktp)))

    assert page.count(">Tutup</span>") == 7


# Not found


@pytest.mark.parametrize(
    "path",
    [
        "/instansi/tidak-ada/",
        "/instansi/disdukcapil/layanan/tidak-ada/",
        "/instansi/samsat/layanan/ktp-el/",
    ],
)
def test_unknown_agency_or_service_is_not_found(client, ktp, samsat, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in text_of(response)


def test_inactive_agency_and_its_services_are_not_found(client, ktp):
    ktp.agency.active = False
    ktp.agency.save()

    assert client.get(reverse("agency", args=["disdukcapil"])).status_code == 404
    assert client.get(service_url(ktp)).status_code == 404


def test_inactive_service_is_not_found(client, ktp):
    ktp.active = False
    ktp.save()

    assert client.get(service_url(ktp)).status_code == 404


# Language


def test_every_page_offers_the_language_switch(client, ktp):
    page = text_of(client.get(service_url(ktp)))

    assert '<html lang="id">' in page
    assert f'action="{reverse("set_language")}" method="post"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert f'name="next" value="{service_url(ktp)}"' in page
    assert 'value="id" lang="id" aria-current="true">Bahasa Indonesia</button>' in page
    assert 'value="en" lang="en">English</button>' in page


def test_language_switch_turns_the_page_english(client, ktp):
    response = client.post(reverse("set_language"), {"language": "en", "next": service_url(ktp)})
    assert response.status_code == 302
    assert response["Location"] == service_url(ktp)

    page = text_of(client.get(service_url(ktp)))

    assert '<html lang="en">' in page
    assert ">Requirements</h3>" in page
    assert ">Persyaratan</h3>" not in page
    assert "Search services" in text_of(client.get(reverse("home")))


def test_language_switch_keeps_the_search(client, ktp):
    page = text_of(client.get(reverse("home"), {"q": "KTP el"}))

    assert 'name="next" value="/?q=KTP%20el"' in page


# Queries


def test_home_page_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for kind in AgencyKind:
        for agency in AgencyFactory.create_batch(4, kind=kind):
            ServiceFactory.create_batch(3, agency=agency, name=factory_name("Layanan Legalisir"))

    client.get(reverse("home"), {"q": "layanan"})  # builds the process's search index

    # The candidates' ids, the results, the agencies.
    with django_assert_max_num_queries(3):
        page = text_of(client.get(reverse("home"), {"q": "legalisir"}))

    assert page.count("3 layanan") == 20


def test_agency_and_service_pages_run_few_queries(client, ktp, django_assert_max_num_queries):
    ServiceFactory.create_batch(10, agency=ktp.agency)

    with django_assert_max_num_queries(2):
        client.get(reverse("agency", args=["disdukcapil"]))
    # The first visit reads the service's schedule (service, hours, closure days);
    # later ones take it from the process's copy.
    with django_assert_max_num_queries(4):
        client.get(service_url(ktp))
    with django_assert_max_num_queries(1):
        client.get(service_url(ktp))


@pytest.mark.django_db
def test_any_unknown_address_gets_the_portals_404_page(client):
    answer = client.get("/tidak/ada/halaman/ini/")
    assert answer.status_code == 404
    assert "MPP Kota Tangerang Selatan" in answer.content.decode()
