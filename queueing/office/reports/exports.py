"""The report's tables as files: one table as CSV, or the tables as an Excel workbook
(one sheet each, and a sheet saying what the report covers). The cells are the page's
(``queueing.office.reports.tables``): numbers as numbers, days as dates. A name that
begins like a formula (``=``, ``+``, ``-``, ``@``) stays text in both."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from agencies.models import Agency
from queueing.office.reports.figures import Report
from queueing.office.reports.tables import TEXT, Table, report_tables
from services.models import Service

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value.isoformat() if hasattr(value, "isoformat") else value


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def csv_response(table: Table, *, name: str) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.label for column in table.columns])
    for row in table.rows:
        writer.writerow([_csv_value(cell.value) for cell in row])
    return _attachment(HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8"), f"{name}.csv")


def _sheet_title(title: str, taken: set[str]) -> str:
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in title)[:31]
    while clean in taken:
        clean = clean[:28] + f" {len(taken)}"
    taken.add(clean)
    return clean


def _text_cell(sheet, value: str, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=str(value))
    # Text stays text: a name starting with "=" is not a formula.
    cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _value(sheet, value):
    """A cell's value as the sheet takes it: numbers and dates as they are (a plain
    value costs openpyxl far less than a cell object), text that begins like a formula
    as a text cell."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return _text_cell(sheet, value)
    return value


def xlsx_response(tables: list[Table], *, name: str, about: list[tuple[str, str]]) -> HttpResponse:
    """``tables`` as sheets, then a sheet with ``about`` (label, value) lines."""
    book = Workbook(write_only=True)
    taken: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(_sheet_title(table.title, taken))
        sheet.append([_text_cell(sheet, column.label, bold=True) for column in table.columns])
        for row in table.rows:
            sheet.append([_value(sheet, cell.value) for cell in row])
        sheet.column_dimensions["A"].width = 40 if table.columns[0].kind == TEXT else 14
        if table.note:
            sheet.append([])
            sheet.append([_text_cell(sheet, table.note)])
    sheet = book.create_sheet(_sheet_title(_("Keterangan"), taken))
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 60
    for label, value in [*about, (_("Dibuat"), timezone.localtime().strftime("%Y-%m-%d %H.%M WIB"))]:
        sheet.append([_text_cell(sheet, label, bold=True), _text_cell(sheet, value)])
    out = io.BytesIO()
    book.save(out)
    return _attachment(HttpResponse(out.getvalue(), content_type=XLSX), f"{name}.xlsx")


def about(report: Report) -> list[tuple[str, str]]:
    """What the report covers, in words: the period, the agency, the service."""
    scope = report.scope
    agency = Agency.objects.filter(pk=scope.agency_id).first() if scope.agency_id else None
    service = Service.objects.filter(pk=scope.service_id).first() if scope.service_id else None
    return [
        (_("Laporan"), _("Antrean MPP Kota Tangerang Selatan")),
        (_("Periode"), f"{scope.date_from.isoformat()} – {scope.date_to.isoformat()}"),
        (_("Instansi"), agency.name if agency else _("Semua instansi")),
        (pgettext("report", "Layanan"), service.name if service else _("Semua layanan")),
        (_("Zona waktu"), _("WIB (Asia/Jakarta); kunjungan dihitung pada hari tiketnya diterbitkan")),
    ]


def file_name(report: Report, table: str | None) -> str:
    scope = report.scope
    parts = ["laporan-antrean", scope.date_from.isoformat(), scope.date_to.isoformat()]
    if scope.agency_id:
        parts.append(Agency.objects.filter(pk=scope.agency_id).values_list("code", flat=True).first() or "")
    if table:
        parts.append(table)
    return "_".join(part for part in parts if part)


def report_file(report: Report, *, file_format: str, table: str | None) -> HttpResponse:
    """The report as a CSV file of one table (the summary unless ``table`` names
    another) or an Excel workbook of every table (or only ``table``)."""
    # The page of one agency has no table per agency; asked for, it is that one row.
    tables = report_tables(report, with_agencies=report.scope.agency_id is None or table == "by_agency")
    chosen = [each for each in tables if each.key == table] if table else tables
    if file_format == "csv":
        return csv_response(chosen[0], name=file_name(report, chosen[0].key))
    return xlsx_response(chosen, name=file_name(report, table), about=about(report))
