"""``GET /api/v1/reports/summary/``: the figures of the day written by hand as JSON, CSV
and Excel; who may ask for what (403 outside one's agency, in the JSON and the files);
bad filters answered at their field, never with a server error."""

import csv
import io

import openpyxl
import pytest
from rest_framework.test import APIClient

from .conftest import DAY

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/summary/"
MARCH = {"date_from": "2026-03-01", "date_to": "2026-03-31"}


@pytest.fixture
def api(admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_summary_as_json(history, api, disdukcapil, samsat):
    summary = api.get(URL, MARCH).json()
    # The fields the report always had, and the new ones beside them.
    assert (summary["tickets"], summary["served"], summary["no_shows"]) == (7, 5, 1)
    assert summary["waiting_minutes"] == {"mean": 13.14, "p50": 10.0, "p90": 22.0}
    assert summary["service_minutes"] == {"mean": 10.2, "p50": 9.0, "p90": 15.0}
    assert (summary["bookings"], summary["walk_ins"], summary["transfers"], summary["expired"]) == (1, 6, 1, 1)
    assert summary["within_target"] == {"called": 7, "within": 6, "share": round(6 / 7, 4)}
    assert summary["period"] == MARCH
    assert [row["date"] for row in summary["by_day"]] == [DAY.isoformat()]
    assert {row["id"]: row["tickets"] for row in summary["by_agency"]} == {disdukcapil.pk: 7, samsat.pk: 0}
    assert [row["hour"] for row in summary["by_hour"]] == [8, 9, 10, 23]
    assert summary["by_weekday"][0]["weekday"] == 1


def test_the_period_defaults_to_this_month_up_to_today(api, served):
    summary = api.get(URL).json()
    assert summary["tickets"] == 1
    assert summary["period"]["date_from"].endswith("-01")
    # Today is read from the history (the days before the first ticket hold nothing).
    assert summary["live_days"] == 1


def test_a_table_as_csv(history, api):
    answer = api.get(URL, MARCH | {"format": "csv", "table": "by_day"})
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="laporan-antrean_2026-03-01_2026-03-31_by_day.csv"' in answer["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    assert rows[0][:3] == ["Tanggal", "Tiket", "Dari pemesanan"]
    assert rows[1][:4] == ["2026-03-02", "7", "1", "6"]
    assert len(rows) == 2


def test_the_summary_csv_is_the_default_table(history, api):
    rows = list(csv.reader(io.StringIO(api.get(URL, MARCH | {"format": "csv"}).content.decode())))
    values = dict(rows[1:])
    assert values["Tiket diterbitkan"] == "7"
    assert values["Waktu tunggu median (menit)"] == "10.0"
    assert values["Dipanggil dalam target waktu tunggu (%)"] == "85.7"


def test_the_workbook_holds_every_table(history, api):
    answer = api.get(URL, MARCH | {"format": "xlsx"})
    assert answer["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == [
        "Ringkasan", "Per jam", "Per hari", "Per hari dalam pekan", "Per instansi", "Per layanan", "Per loket",
        "Per petugas", "Keterangan",
    ]  # fmt: skip
    by_day = list(book["Per hari"].iter_rows(values_only=True))
    assert by_day[1][0].date() == DAY
    assert by_day[1][1:4] == (7, 1, 6)
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    assert summary["Waktu tunggu persentil 90 (menit)"] == 22.0


def test_english_headers_in_english(history, api):
    rows = list(
        csv.reader(io.StringIO(api.get(URL, MARCH | {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()))
    )
    assert rows[0] == ["Measure", "Value"]


def test_names_that_look_like_formulas_stay_text(history, api, bob):
    bob.first_name, bob.last_name = '=HYPERLINK("http://x")', ""
    bob.save()
    rows = list(
        csv.reader(io.StringIO(api.get(URL, MARCH | {"format": "csv", "table": "by_officer"}).content.decode()))
    )
    assert '\'=HYPERLINK("http://x")' in [row[0] for row in rows]
    book = openpyxl.load_workbook(io.BytesIO(api.get(URL, MARCH | {"format": "xlsx", "table": "by_officer"}).content))
    cells = [cell for row in book["Per petugas"].iter_rows() for cell in row]
    formula = next(cell for cell in cells if str(cell.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s"


# Who may ask -----------------------------------------------------------------------


def test_a_supervisor_reads_their_own_agency(history, alice, disdukcapil):
    summary = as_user(alice).get(URL, MARCH).json()
    assert summary["agency"] == disdukcapil.pk
    assert summary["tickets"] == 7
    assert [row["id"] for row in summary["by_agency"]] == [disdukcapil.pk]


@pytest.mark.parametrize("file_format", ["json", "csv", "xlsx"])
def test_a_supervisor_asking_for_another_agency_is_refused(history, carol, disdukcapil, file_format):
    answer = as_user(carol).get(URL, MARCH | {"agency": disdukcapil.pk, "format": file_format})
    assert answer.status_code == 403
    assert answer["Content-Type"] == "application/json"
    assert "instansi Anda sendiri" in answer.json()["detail"]


def test_a_supervisor_asking_for_another_agencys_service_is_refused(history, carol):
    assert as_user(carol).get(URL, MARCH | {"service": history.kk.pk}).status_code == 403
    assert as_user(carol).get(URL, MARCH | {"service": history.stnk.pk}).status_code == 200


def test_officers_the_help_desk_and_anonymous_callers_read_no_report(history, bob, kiosk):
    assert as_user(bob).get(URL).status_code == 403
    assert as_user(kiosk).get(URL).status_code == 403
    assert APIClient().get(URL).status_code == 401
    assert APIClient().get(URL, {"format": "csv"}).status_code == 401


# Bad filters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"date_from": "kemarin"}, "date_from", "Tanggal tidak sah"),
        ({"date_to": "2026-02-30"}, "date_to", "Tanggal tidak sah"),
        ({"date_from": "0001-01-01", "date_to": "0001-01-02"}, "date_from", "di luar jangkauan"),
        ({"date_from": "2026-03-10", "date_to": "2026-03-01"}, "date_to", "sebelum tanggal awal"),
        ({"date_from": "2016-01-01", "date_to": "2026-01-01"}, "date_to", "paling lama 366 hari"),
        ({"agency": "99999999999999999999999"}, "agency", "Pilih instansi"),
        ({"agency": "999999"}, "agency", "Pilih instansi"),
        ({"agency": "-1"}, "agency", "Pilih instansi"),
        ({"agency": "١٢"}, "agency", "Pilih instansi"),
        ({"service": "1e3"}, "service", "Pilih layanan"),
        ({"format": "pdf"}, "format", "json, csv atau xlsx"),
        ({"format": "csv", "table": "../../etc/passwd"}, "table", "Tabel tidak dikenal"),
    ],
)
def test_bad_filters_are_answered_at_their_field(api, history, query, field, message):
    answer = api.get(URL, query)
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/json"
    assert message in " ".join(answer.json()[field])


def test_a_service_of_another_agency_than_the_one_chosen(api, history, disdukcapil):
    answer = api.get(URL, {"agency": disdukcapil.pk, "service": history.stnk.pk})
    assert answer.status_code == 400
    assert "bukan layanan instansi" in answer.json()["service"][0]


def test_a_year_is_the_longest_period(api, history):
    assert api.get(URL, {"date_from": "2025-03-02", "date_to": "2026-03-02"}).status_code == 200
    assert api.get(URL, {"date_from": "2025-03-01", "date_to": "2026-03-02"}).status_code == 400
