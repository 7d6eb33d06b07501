"""The IKM publication as a file: CSV (the figures' table) and XLSX (the same table, the
nine elements of the selection, and the suggestions), rendered from the API's own
answer so each holds the figures the API and the page give. Text that a spreadsheet
would take for a formula is written as text."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from rest_framework.renderers import BaseRenderer

from queueing.models import SURVEY_ELEMENTS

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _yes_no(value: bool) -> str:
    return _("ya") if value else _("tidak")


def table(data: dict) -> list[list]:
    """The figures' table: a header, the whole selection, each agency, each service."""
    codes = data["elements"]
    period = data["period"] or {}
    header = [
        _("Tingkat"),
        _("Kode instansi"),
        _("Instansi"),
        _("Layanan"),
        _("Periode"),
        _("Dari tanggal"),
        _("Sampai tanggal"),
        _("Responden"),
        _("Responden terlalu sedikit"),
        *[f"NRR {code}" for code in codes],
        _("IKM (1–4)"),
        _("Nilai (25–100)"),
        _("Mutu"),
        _("Kinerja"),
    ]
    names = {row["agency"]: row["agency_name"] for row in data["agencies"]}
    when = [period.get("label", _("Semua tanggal")), period.get("date_from"), period.get("date_to")]

    def figures(row: dict) -> list:
        return [
            row["respondents"],
            _yes_no(row["few_respondents"]),
            *row["nrr"],
            row["ikm"],
            row["skm"],
            row["grade"],
            row["performance"],
        ]

    rows = [header, [_("Seluruh pilihan"), "", "", "", *when, *figures(data)]]
    rows += [[_("Instansi"), a["agency_code"], a["agency_name"], "", *when, *figures(a)] for a in data["agencies"]]
    rows += [
        [_("Layanan"), s["agency_code"], names.get(s["agency"], ""), s["service_name"], *when, *figures(s)]
        for s in data["services"]
    ]
    return [[_text(value) for value in row] for row in rows]


def elements(data: dict) -> list[list]:
    """The nine elements of the whole selection: code, name, NRR, weighted NRR."""
    weight = None if not data["elements_answered"] else 1 / data["elements_answered"]
    rows = [[_("Kode"), _("Unsur pelayanan"), "NRR", _("NRR tertimbang")]]
    for code, name, nrr in zip(data["elements"], SURVEY_ELEMENTS, data["nrr"], strict=True):
        weighted = None if nrr is None or weight is None else round(nrr * weight, 4)
        rows.append([code, str(name), nrr, weighted])
    rows.append(["", _("IKM (jumlah NRR tertimbang)"), "", data["ikm"]])
    return rows


def comments(data: dict) -> list[list]:
    services = {s["service"]: s["service_name"] for s in data["services"]}
    rows = [[_("Tanggal"), _("Layanan"), _("Saran dan masukan")]]
    rows += [[c["date"], services.get(c["service"], c["service_name"]), _text(c["comment"])] for c in data["comments"]]
    return rows


def is_report(data) -> bool:
    return isinstance(data, dict) and "elements" in data and "services" in data


class IkmCsvRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        out = io.StringIO()
        # A byte-order mark, so a spreadsheet opening the file reads it as UTF-8.
        out.write("\ufeff")
        csv.writer(out).writerows(table(data))
        return out.getvalue().encode("utf-8")


class IkmXlsxRenderer(BaseRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        book = Workbook()
        sheets = [("IKM", table(data)), (_("Unsur"), elements(data)), (_("Saran"), comments(data))]
        for index, (title, rows) in enumerate(sheets):
            sheet = book.active if index == 0 else book.create_sheet()
            sheet.title = title
            for row in rows:
                sheet.append(row)
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            sheet.freeze_panes = "A2"
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
