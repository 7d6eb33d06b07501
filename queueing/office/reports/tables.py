"""The report as tables: what the page shows and the CSV and Excel files hold, cell for
cell. Numbers are rounded here, once (minutes to one decimal, shares as percentages
to one decimal), so a file says exactly what the page says."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from queueing.office.reports.figures import Figures, Report

WEEKDAYS = {
    1: _("Senin"),
    2: _("Selasa"),
    3: _("Rabu"),
    4: _("Kamis"),
    5: _("Jumat"),
    6: _("Sabtu"),
    7: _("Minggu"),
}

# Kinds of cell: how the page writes them (the files hold the value as it is).
TEXT, COUNT, MINUTES, PERCENT, DAY, PER_DAY = "text", "count", "minutes", "percent", "day", "per_day"


NUMERIC = (COUNT, MINUTES, PERCENT, PER_DAY)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC


@dataclass(frozen=True)
class Cell:
    value: object
    kind: str

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC

    @property
    def text(self) -> str:
        """The cell as the page writes it (the portal's language and number format)."""
        if self.value is None:
            return "–"
        if self.kind == DAY and isinstance(self.value, dt.date):
            return date_format(self.value, "j M Y")
        if self.kind in (MINUTES, PERCENT, PER_DAY):
            return number_format(self.value, decimal_pos=1)
        return str(self.value)


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list[Cell]]
    note: str = ""
    # Where the page links its files.
    csv_url: str = ""
    xlsx_url: str = ""

    def body_html(self) -> SafeString:
        """The rows as the page's ``<tbody>`` holds them: the first cell of each heads
        its row. Written here, not in the template: a year has thousands of cells, and
        the template language spends ten times as long on each."""
        rows = []
        for head, *cells in self.rows:
            tds = "".join(
                format_html('<td class="num">{}</td>', cell.text)
                if cell.numeric
                else format_html("<td>{}</td>", cell.text)
                for cell in cells
            )
            rows.append(format_html('<tr><th scope="row">{}</th>{}</tr>', head.text, mark_safe(tds)))  # noqa: S308
        # Every part was escaped by format_html.
        return mark_safe("\n".join(rows))  # noqa: S308


def _one_decimal(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


# The columns a table may have, each with how it reads its figures.
COLUMNS: dict[str, tuple[str, str, Callable[[Figures], object]]] = {
    "entries": (pgettext_lazy("report", "Antrean"), COUNT, lambda f: f.entries),
    "issued": (_("Tiket"), COUNT, lambda f: f.issued),
    "bookings": (_("Dari pemesanan"), COUNT, lambda f: f.issued_booked),
    "walk_ins": (_("Langsung"), COUNT, lambda f: f.walk_ins),
    "issued_per_day": (_("Tiket per hari"), PER_DAY, lambda f: f.issued_per_day),
    "transferred_in": (_("Masuk dialihkan"), COUNT, lambda f: f.transferred_in),
    "served": (_("Dilayani"), COUNT, lambda f: f.served),
    "no_shows": (_("Tidak hadir"), COUNT, lambda f: f.no_shows),
    "transfers": (_("Dialihkan"), COUNT, lambda f: f.transferred_out),
    "expired": (_("Tidak terlayani"), COUNT, lambda f: f.expired),
    "wait_mean": (_("Tunggu rata-rata (menit)"), MINUTES, lambda f: _one_decimal(f.wait_mean)),
    "wait_p50": (_("Tunggu median (menit)"), MINUTES, lambda f: _one_decimal(f.wait_p50)),
    "wait_p90": (_("Tunggu persentil 90 (menit)"), MINUTES, lambda f: _one_decimal(f.wait_p90)),
    "within_target": (_("Dipanggil dalam target (%)"), PERCENT, lambda f: _percent(f.within_target_share)),
    "service_mean": (_("Layanan rata-rata (menit)"), MINUTES, lambda f: _one_decimal(f.service_mean)),
    "service_p50": (_("Layanan median (menit)"), MINUTES, lambda f: _one_decimal(f.service_p50)),
    "service_p90": (_("Layanan persentil 90 (menit)"), MINUTES, lambda f: _one_decimal(f.service_p90)),
}

FULL = [
    "issued", "bookings", "walk_ins", "transferred_in", "served", "no_shows", "transfers", "expired",
    "wait_mean", "wait_p50", "wait_p90", "within_target", "service_mean", "service_p50", "service_p90",
]  # fmt: skip
AT_COUNTER = [
    "entries", "served", "no_shows", "transfers", "wait_mean", "wait_p50", "within_target",
    "service_mean", "service_p50", "service_p90",
]  # fmt: skip
DAILY = [
    "issued", "bookings", "walk_ins", "served", "no_shows", "transfers", "expired",
    "wait_mean", "within_target", "service_mean",
]  # fmt: skip
WEEKLY = ["issued", "issued_per_day", "served", "no_shows", "wait_mean", "within_target"]
HOURLY = ["entries", "issued", "wait_mean", "within_target"]


def _table(key: str, title, first: Column, names: list[str], rows: list[tuple[object, Figures]], note="") -> Table:
    columns = [first] + [Column(name, str(COLUMNS[name][0]), COLUMNS[name][1]) for name in names]
    return Table(
        key=key,
        title=str(title),
        columns=columns,
        rows=[
            [Cell(label, first.kind)] + [Cell(COLUMNS[name][2](figures), COLUMNS[name][1]) for name in names]
            for label, figures in rows
        ],
        note=str(note),
    )


def hour_label(hour: int) -> str:
    return f"{hour:02d}.00–{hour:02d}.59"


def summary_table(total: Figures) -> Table:
    rows = [
        (_("Tiket diterbitkan"), total.issued, COUNT),
        (_("… dari pemesanan daring"), total.issued_booked, COUNT),
        (_("… antrean langsung (walk-in)"), total.walk_ins, COUNT),
        (_("Masuk antrean karena dialihkan"), total.transferred_in, COUNT),
        (_("Dilayani"), total.served, COUNT),
        (_("Tidak hadir saat dipanggil"), total.no_shows, COUNT),
        (_("Dialihkan ke layanan lain"), total.transferred_out, COUNT),
        (_("Tidak terlayani (kedaluwarsa)"), total.expired, COUNT),
        (_("Waktu tunggu rata-rata (menit)"), _one_decimal(total.wait_mean), MINUTES),
        (_("Waktu tunggu median (menit)"), _one_decimal(total.wait_p50), MINUTES),
        (_("Waktu tunggu persentil 90 (menit)"), _one_decimal(total.wait_p90), MINUTES),
        (_("Dipanggil dalam target waktu tunggu (%)"), _percent(total.within_target_share), PERCENT),
        (_("Waktu layanan rata-rata (menit)"), _one_decimal(total.service_mean), MINUTES),
        (_("Waktu layanan median (menit)"), _one_decimal(total.service_p50), MINUTES),
        (_("Waktu layanan persentil 90 (menit)"), _one_decimal(total.service_p90), MINUTES),
    ]
    return Table(
        key="summary",
        title=str(_("Ringkasan")),
        columns=[Column("measure", str(_("Ukuran")), TEXT), Column("value", str(_("Nilai")), TEXT)],
        rows=[[Cell(str(label), TEXT), Cell(value, kind)] for label, value, kind in rows],
    )


def report_tables(report: Report, *, with_agencies: bool) -> list[Table]:
    """Every table of ``report``, in the page's order; the table per agency only when
    the report covers more than one."""
    name = Column("name", str(_("Nama")), TEXT)
    tables = [
        summary_table(report.total),
        _table(
            "by_hour",
            _("Per jam"),
            Column("hour", pgettext("report", "Jam"), TEXT),
            HOURLY,
            [(hour_label(row.key), row) for row in report.by_hour],
            _("Menurut jam masuk antrean."),
        ),
        _table(
            "by_day",
            _("Per hari"),
            Column("date", str(_("Tanggal")), DAY),
            DAILY,
            [(row.key, row) for row in report.by_day],
        ),
        _table(
            "by_weekday",
            _("Per hari dalam pekan"),
            Column("weekday", str(_("Hari")), TEXT),
            WEEKLY,
            [(str(WEEKDAYS[row.key]), row) for row in report.by_weekday],
            _("Tiket per hari: rata-rata hari yang ada tiketnya."),
        ),
    ]
    if with_agencies:
        tables.append(_table("by_agency", _("Per instansi"), name, FULL, [(row.name, row) for row in report.by_agency]))
    tables += [
        _table("by_service", _("Per layanan"), name, FULL, [(row.name, row) for row in report.by_service]),
        _table(
            "by_counter",
            _("Per loket"),
            Column("counter", pgettext("report", "Loket"), TEXT),
            AT_COUNTER,
            [(row.name or pgettext("counter", "(belum dipanggil)"), row) for row in report.by_counter],
            _("Loket yang terakhir menangani antrean: menyelesaikan, menandai tidak hadir atau mengalihkan."),
        ),
        _table(
            "by_officer",
            _("Per petugas"),
            Column("officer", pgettext("report", "Petugas"), TEXT),
            AT_COUNTER,
            [(row.name or pgettext("officer", "(belum dipanggil)"), row) for row in report.by_officer],
        ),
    ]
    return tables
