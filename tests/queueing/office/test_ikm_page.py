"""The office's IKM page (/kantor/ikm/), its API and files: the figures of the
hand-worked example on the page, in JSON, CSV and XLSX alike; a supervisor's own
agency only (403 for another on the page, the API and the files); hostile filters
answered at their field."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from queueing.surveys import periods
from tests.queueing.surveys.ikm_data import add_surveys, add_visits_without_survey

pytestmark = pytest.mark.django_db

PAGE = "/kantor/ikm/"
API = "/api/v1/reports/ikm/"
SKIPPED = [
    [4, 4, 3, 4, 3, 3, 4, 3, 4],
    [3, None, 3, 4, 3, 4, 4, 3, 3],
    [4, 3, None, None, 4, 3, 3, 4, 4],
    [2, 3, 3, 4, 3, 3, 4, 3, None],
]


@pytest.fixture
def last_month():
    return periods.last_complete_month(timezone.localdate())


@pytest.fixture
def surveyed(kk, last_month):
    """Disdukcapil's KK, last month: the four respondents of the hand-worked example
    (85.42, B), one with a suggestion that carries a phone number."""
    add_surveys(kk, SKIPPED[:3], day=last_month.first)
    add_surveys(kk, SKIPPED[3:], day=last_month.last, comment="Petugas ramah, hubungi saya 0812 3456 7890")
    return kk


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_page_shows_last_months_publication_by_default(client, admin_user, surveyed, last_month):
    client.force_login(admin_user)
    page = client.get(PAGE)
    html = page.content.decode()
    assert page.status_code == 200
    assert f'value="{last_month.code}" selected' in html
    assert '<select name="agency"' in html and '<select name="service"' in html
    assert "85,42" in html and "Baik" in html  # the 25–100 figure, decimal comma
    assert "3,4167" in html  # IKM 1–4
    for code, nrr in (("U1", "3,2500"), ("U2", "3,3333"), ("U4", "4,0000"), ("U9", "3,6667")):
        assert f'<th scope="row">{code}</th>' in html
        assert nrr in html
    assert html.count('<svg class="ikm-chart__svg"') == 9
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    assert "hubungi saya •••" in html and "0812" not in html
    assert 'style="' not in html and "<script>" not in html
    assert f"period={last_month.code}&amp;format=csv" in html


def test_the_page_marks_the_few_respondents(client, admin_user, surveyed):
    client.force_login(admin_user)
    html = client.get(PAGE).content.decode()
    # Four visits served, four surveyed: Krejcie–Morgan asks four of four.
    assert "Responden terlalu sedikit" not in html
    add_surveys(surveyed, [[4] * 9])  # today: not last month's
    add_visits_without_survey(surveyed, 6, day=periods.last_complete_month(timezone.localdate()).first)
    html = client.get(PAGE).content.decode()
    assert "Responden terlalu sedikit" in html
    assert "Untuk 10 kunjungan yang dilayani" in html


@pytest.mark.parametrize("file_format", ["json", "csv", "xlsx"])
def test_the_files_hold_the_figures_the_page_shows(admin_user, surveyed, last_month, file_format):
    answer = _api(admin_user).get(API, {"period": last_month.code, "format": file_format})
    assert answer.status_code == 200
    if file_format == "json":
        data = answer.json()
        assert (data["respondents"], data["skm"], data["grade"]) == (4, 85.42, "B")
        assert data["nrr"] == [3.25, 3.3333, 3.0, 4.0, 3.25, 3.25, 3.75, 3.25, 3.6667]
        assert data["period"]["code"] == last_month.code
        assert [s["service_name"] for s in data["services"]] == ["Kartu Keluarga"]
        assert data["comments"][0]["comment"] == "Petugas ramah, hubungi saya •••"
        return
    if file_format == "csv":
        assert answer["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    else:
        book = load_workbook(io.BytesIO(answer.content))
        assert book.sheetnames == ["IKM", "Unsur", "Saran"]
        rows = [[("" if v is None else str(v)) for v in row] for row in book["IKM"].iter_rows(values_only=True)]
        elements = list(book["Unsur"].iter_rows(values_only=True))
        assert elements[1][:3] == ("U1", "Persyaratan", 3.25)
        assert elements[-1][-1] == 3.4167
        assert "•••" in book["Saran"]["C2"].value
    assert "attachment;" in answer["Content-Disposition"]
    header, total = rows[0], rows[1]
    assert header[9:18] == [f"NRR U{n}" for n in range(1, 10)]
    assert total[7] == "4"
    assert [float(v) for v in total[9:18]] == [3.25, 3.3333, 3.0, 4.0, 3.25, 3.25, 3.75, 3.25, 3.6667]
    assert (float(total[18]), float(total[19]), total[20], total[21]) == (3.4167, 85.42, "B", "Baik")
    assert [row[0] for row in rows[1:]] == ["Seluruh pilihan", "Instansi", "Layanan"]


def test_a_name_that_looks_like_a_formula_is_written_as_text(admin_user, kk, last_month):
    kk.name = '=HYPERLINK("http://x")'
    kk.save()
    add_surveys(kk, [[4] * 9], day=last_month.first)
    answer = _api(admin_user).get(API, {"period": last_month.code, "format": "csv"})
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[-1][3] == '\'=HYPERLINK("http://x")'
    book = load_workbook(io.BytesIO(_api(admin_user).get(API, {"period": last_month.code, "format": "xlsx"}).content))
    assert book["IKM"]["D4"].data_type == "s"


def test_a_supervisor_sees_their_own_agency_and_is_refused_another(client, alice, carol, surveyed, last_month):
    client.force_login(alice)  # Disdukcapil's supervisor
    assert "85,42" in client.get(PAGE).content.decode()
    client.force_login(carol)  # Samsat's supervisor
    own = client.get(PAGE)
    assert own.status_code == 200 and "85,42" not in own.content.decode()
    for query in ({"agency": surveyed.agency_id}, {"service": surveyed.pk}):
        page = client.get(PAGE, query)
        assert page.status_code == 403
        assert "hanya dapat melihat IKM instansi Anda sendiri" in page.content.decode()
        for file_format in ("json", "csv", "xlsx"):
            answer = _api(carol).get(API, query | {"format": file_format, "period": last_month.code})
            assert answer.status_code == 403
            assert answer["Content-Type"] == "application/json"
            assert "85.42" not in answer.content.decode()


def test_a_supervisor_sees_the_error_of_an_agency_they_cannot_choose(client, alice, surveyed):
    client.force_login(alice)
    page = client.get(PAGE, {"agency": "abc"})
    assert page.status_code == 400
    assert 'id="id_agency_error"' in page.content.decode()
    assert '<select name="agency"' not in page.content.decode()


def test_an_officer_reads_their_agencys_figures_through_the_api_only(client, bob, surveyed, last_month):
    assert _api(bob).get(API, {"period": last_month.code}).json()["skm"] == 85.42
    client.force_login(bob)
    assert client.get(PAGE).status_code == 403


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"period": "kemarin"}, "period", "Periode tidak dikenal"),
        ({"period": "2026-13"}, "period", "Bulan harus 01 sampai 12"),
        ({"period": "99999"}, "period", "Periode tidak dikenal"),
        ({"period": "1850"}, "period", "Tahun harus antara 2000 dan 2100"),
        ({"period": "x" * 5000}, "period", "Periode tidak dikenal"),
        ({"date_from": "2026-05-01", "date_to": "2026-04-01"}, "date_to", "Tanggal akhir sebelum tanggal awal"),
        ({"date_from": "1999-12-31"}, "date_from", "Tahun harus antara 2000 dan 2100"),
        ({"date_from": "0001-01-01", "date_to": "9999-12-31"}, "date_to", "Tahun harus antara"),
        ({"date_from": "2026-02-30", "date_to": "2026-12-31"}, "date_from", "tanggal"),
        ({"date_from": "besok", "date_to": "lusa"}, "date_from", "tanggal"),
        ({"agency": "abc"}, "agency", "Instansi tidak dikenal"),
        ({"agency": "9" * 40}, "agency", "Instansi tidak dikenal"),
        ({"agency": "-1"}, "agency", "Instansi tidak dikenal"),
        ({"service": "123456789012"}, "service", "Layanan tidak dikenal"),
        ({"service": "1 OR 1=1"}, "service", "Layanan tidak dikenal"),
        ({"service": "\x00"}, "service", "null"),
        ({"period": "2026\x00"}, "period", "null"),
        ({"date_from": "2026-01-01\x00"}, "date_from", "tanggal"),
    ],
)
def test_hostile_filters_are_answered_at_their_field(client, admin_user, surveyed, query, field, message):
    client.force_login(admin_user)
    page = client.get(PAGE, query)
    html = page.content.decode()
    assert page.status_code == 400
    assert f'id="id_{field}_error"' in html
    assert message.lower() in html.lower()
    assert "x" * 100 not in html.split("<main", 1)[1]  # a huge value is not echoed back whole
    answer = _api(admin_user).get(API, query | {"format": "csv"})
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/json"
    assert message.lower() in " ".join(answer.json()[field]).lower()


def test_a_service_of_another_agency_than_the_one_chosen_is_refused(client, admin_user, kk, samsat):
    client.force_login(admin_user)
    page = client.get(PAGE, {"agency": samsat.pk, "service": kk.pk})
    assert page.status_code == 400
    assert "bukan layanan instansi yang dipilih" in page.content.decode()


def test_dates_and_periods_choose_the_same_days(admin_user, surveyed, last_month):
    api = _api(admin_user)
    by_code = api.get(API, {"period": last_month.code}).json()
    by_dates = api.get(API, {"date_from": last_month.first, "date_to": last_month.last}).json()
    assert by_dates["skm"] == by_code["skm"] == 85.42
    assert by_dates["period"]["kind"] == "dates"
    one_day = api.get(API, {"date_from": last_month.first, "date_to": last_month.first}).json()
    assert one_day["respondents"] == 3
    since = api.get(API, {"date_from": last_month.last}).json()
    assert since["respondents"] == 1
    assert since["period"]["label"].startswith("Sejak ")
    assert since["period"]["date_to"] == "2100-12-31"
    everything = api.get(API).json()
    assert (everything["respondents"], everything["period"]) == (4, None)
    nothing = api.get(API, {"period": str(timezone.localdate().year + 1)}).json()
    assert (nothing["respondents"], nothing["skm"], nothing["grade"]) == (0, None, None)
    assert nothing["nrr"] == [None] * 9


def test_the_page_lists_agencies_and_services_for_all_agencies(client, admin_user, surveyed, ktp, samsat, last_month):
    from tests.factories import ServiceFactory

    add_surveys(ktp, [[3] * 9], day=last_month.first)
    stnk = ServiceFactory(agency=samsat, code="stnk", name="STNK")
    add_surveys(stnk, [[2] * 9], day=last_month.first)
    add_visits_without_survey(stnk, 5, day=last_month.first)  # 1 of 6: few
    client.force_login(admin_user)
    html = client.get(PAGE).content.decode()
    assert "IKM per instansi" in html and "IKM per layanan" in html
    assert f"agency={samsat.pk}" in html
    assert html.count('class="ikm-flag"') == 2  # STNK, and Samsat


def test_the_print_stylesheet_is_for_print_only(client, admin_user, surveyed):
    client.force_login(admin_user)
    html = client.get(PAGE).content.decode()
    assert 'ikm-print.css" media="print"' in html
    assert "Dicetak dari Portal MPP" in html


def test_any_period_of_the_list_can_be_read(client, admin_user, surveyed):
    client.force_login(admin_user)
    today = timezone.localdate()
    for code in (str(today.year), f"{today.year}-S1", f"{today.year}-Q1", f"{today.year}-01"):
        assert client.get(PAGE, {"period": code}).status_code == 200
    assert client.get(PAGE, {"date_from": today - dt.timedelta(days=400), "date_to": today}).status_code == 200


@pytest.mark.parametrize("file_format", ["pdf", "îú\x19", "x" * 300])
def test_an_unknown_file_format_is_a_400_at_its_field(admin_user, surveyed, file_format):
    answer = _api(admin_user).get(API, {"format": file_format})
    assert answer.status_code == 400
    assert answer.json() == {"format": ["Pilih json, csv atau xlsx."]}
