"""The report page (``/kantor/laporan/``): the figures of the day written by hand in its
tables, the same cells in its CSV and Excel files, the charts with their text, the
print layout; who may open what; bad filters kept and answered at their field."""

import csv
import io
import re
from html.parser import HTMLParser

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from .conftest import DAY

pytestmark = pytest.mark.django_db

URL = reverse("office-report")
MARCH = {"date_from": "2026-03-01", "date_to": "2026-03-31"}


class Tables(HTMLParser):
    """Each ``<table data-table=…>`` of a page as rows of cell texts, and the page's
    links by their text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: dict[str, str] = {}
        self._table = self._row = self._cell = self._href = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-table" in attrs:
            self._table = self.tables.setdefault(attrs["data-table"], [])
        elif tag == "tr" and self._table is not None:
            self._row = []
            self._table.append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "a":
            self._href, self._text = attrs.get("href"), []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = self._row = None
        elif tag == "a" and self._href is not None:
            self.links.setdefault(" ".join("".join(self._text).split()), self._href)
            self._href = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._href is not None:
            self._text.append(data)


def page_of(client, query) -> tuple[object, Tables]:
    answer = client.get(URL, query)
    parsed = Tables()
    parsed.feed(answer.content.decode())
    return answer, parsed


def as_page_number(text: str):
    """A cell as the page writes it (Indonesian: decimal comma) back as a value."""
    if text == "–":
        return None
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+,\d", text):
        return float(text.replace(",", "."))
    return text


def as_file_value(value):
    if value in ("", None):
        return None
    if isinstance(value, str):
        for kind in (int, float):
            try:
                return kind(value)
            except ValueError:
                pass
    return value


TITLES = {
    "summary": "Ringkasan",
    "by_hour": "Per jam",
    "by_day": "Per hari",
    "by_weekday": "Per hari dalam pekan",
    "by_agency": "Per instansi",
    "by_service": "Per layanan",
    "by_counter": "Per loket",
    "by_officer": "Per petugas",
}


@pytest.fixture
def admin_client(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


def test_the_page_shows_the_figures(history, admin_client):
    answer, page = page_of(admin_client, MARCH)
    assert answer.status_code == 200
    summary = dict(page.tables["summary"][1:])
    assert summary["Tiket diterbitkan"] == "7"
    assert summary["… dari pemesanan daring"] == "1"
    assert summary["Waktu tunggu median (menit)"] == "10,0"
    assert summary["Waktu tunggu persentil 90 (menit)"] == "22,0"
    assert summary["Dipanggil dalam target waktu tunggu (%)"] == "85,7"
    assert page.tables["by_day"][1][:4] == ["2 Mar 2026", "7", "1", "6"]
    assert [row[0] for row in page.tables["by_hour"][1:]] == ["08.00–08.59", "09.00–09.59", "10.00–10.59",
                                                             "23.00–23.59"]  # fmt: skip
    assert "by_agency" in page.tables
    content = answer.content.decode()
    assert "office-reports-print.css" in content and 'media="print"' in content


def test_the_files_hold_the_cells_of_the_page(history, admin_client):
    _, page = page_of(admin_client, MARCH)
    book = openpyxl.load_workbook(io.BytesIO(admin_client.get(page.links["Unduh semua tabel (Excel)"]).content))
    assert set(page.tables) == set(TITLES)
    for key, rows in page.tables.items():
        csv_url = page.links[f"Unduh CSV · {TITLES[key]}"]
        csv_rows = list(csv.reader(io.StringIO(admin_client.get(csv_url).content.decode())))
        sheet_rows = [list(row) for row in book[TITLES[key]].iter_rows(values_only=True)][: len(rows)]
        assert csv_rows[0] == rows[0] == sheet_rows[0]
        for page_row, csv_row, sheet_row in zip(rows[1:], csv_rows[1:], sheet_rows[1:], strict=True):
            page_values = [as_page_number(text) for text in page_row]
            csv_values = [as_file_value(value) for value in csv_row]
            sheet_values = [value.date() if hasattr(value, "date") else value for value in sheet_row]
            if key == "by_day":  # the page writes the day in words, the files as a date
                page_values[0] = csv_values[0] = DAY
            assert page_values == csv_values == sheet_values, key


def test_the_charts_carry_their_text(history, admin_client):
    content = admin_client.get(URL, MARCH).content.decode()
    for chart, table in (("chart-hour", "table-by_hour"), ("chart-day", "table-by_day"),
                         ("chart-agency", "table-by_agency")):  # fmt: skip
        assert f'aria-labelledby="{chart}-title" aria-describedby="{chart}-desc"' in content
        assert f'<title id="{chart}-title">' in content
        assert f'href="#{table}"' in content and f'id="{table}"' in content
    assert "Tertinggi: 08.00, 3 antrean." in content
    # Coordinates are written for SVG, not in the page's number format.
    assert not re.search(r'(x|y|width|height)="\d+,\d+"', content)
    assert "style=" not in content and "<script>" not in content


def test_a_supervisor_sees_only_their_agency(history, alice, disdukcapil, samsat):
    client = Client()
    client.force_login(alice)
    answer, page = page_of(client, MARCH)
    assert answer.status_code == 200
    content = answer.content.decode()
    assert 'name="agency"' not in content
    assert disdukcapil.name in content
    assert "by_agency" not in page.tables
    assert dict(page.tables["summary"][1:])["Tiket diterbitkan"] == "7"
    assert "Perpanjangan STNK" not in content  # not among their services either
    for query in ({"agency": samsat.pk}, {"service": history.stnk.pk}):
        refused = client.get(URL, MARCH | query)
        assert refused.status_code == 403
        assert "instansi Anda sendiri" in refused.content.decode()


def test_officers_and_the_help_desk_are_turned_away(history, bob):
    client = Client()
    client.force_login(bob)
    assert client.get(URL).status_code == 403
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("officer-login"))


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"date_from": "kemarin<script>"}, "date_from", "Tanggal tidak sah"),
        ({"date_from": "2026-03-10", "date_to": "2026-03-01"}, "date_to", "sebelum tanggal awal"),
        ({"date_from": "2016-01-01", "date_to": "2026-01-01"}, "date_to", "paling lama 366 hari"),
        ({"agency": "9" * 40}, "agency", "Pilih instansi"),
        ({"service": "x" * 5000}, "service", "Pilih layanan"),
    ],
)
def test_bad_filters_are_kept_and_answered_at_their_field(history, admin_client, query, field, message):
    answer = admin_client.get(URL, query)
    assert answer.status_code == 400
    content = answer.content.decode()
    assert f'id="id_{field}_error"' in content
    assert message in content
    assert "<title>Kesalahan:" in content
    if field == "date_from":
        assert 'value="kemarin&lt;script&gt;"' in content
    assert 'data-table="summary"' not in content
