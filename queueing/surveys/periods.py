"""The periods the IKM is published for: a month, a quarter (triwulan), a semester, a
year, or any range of dates, each a span of days in the portal's zone. A period is
named in URLs by a short code: ``2026-03`` (March), ``2026-Q2`` (second quarter),
``2026-S1`` (first semester), ``2026`` (the year)."""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

# Dates outside these years are refused: nothing was surveyed before the mall opened
# (2021), and the bounds keep a day after the last one representable.
FIRST_YEAR = 2000
LAST_YEAR = 2100
FIRST_DAY = dt.date(FIRST_YEAR, 1, 1)
LAST_DAY = dt.date(LAST_YEAR, 12, 31)
ROMAN = ("I", "II", "III", "IV")
CODE = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])|S(?P<semester>[12])))?$")


class PeriodError(ValueError):
    """A period that cannot be read; its message says why, for the field."""


@dataclass(frozen=True)
class Period:
    """The days ``first`` to ``last`` (both included); ``kind`` is ``month``,
    ``quarter``, ``semester``, ``year`` or ``dates``; ``code`` names the first four."""

    kind: str
    first: dt.date
    last: dt.date
    code: str = ""
    number: int = 0

    @property
    def label(self) -> str:
        year = self.first.year
        if self.kind == "month":
            return date_format(self.first, "F Y")
        if self.kind == "quarter":
            return _("Triwulan %(roman)s %(year)s") % {"roman": ROMAN[self.number - 1], "year": year}
        if self.kind == "semester":
            return _("Semester %(roman)s %(year)s") % {"roman": ROMAN[self.number - 1], "year": year}
        if self.kind == "year":
            return _("Tahun %(year)s") % {"year": year}
        if self.last == LAST_DAY:
            return _("Sejak %(day)s") % {"day": date_format(self.first, "j M Y")}
        if self.first == FIRST_DAY:
            return _("Sampai %(day)s") % {"day": date_format(self.last, "j M Y")}
        return f"{date_format(self.first, 'j M Y')} – {date_format(self.last, 'j M Y')}"

    def is_complete(self, today: dt.date) -> bool:
        """Whether the period has ended: only then is it published to the public."""
        return self.last < today


def _months(year: int, first_month: int, months: int) -> tuple[dt.date, dt.date]:
    last_month = first_month + months - 1
    return dt.date(year, first_month, 1), dt.date(year, last_month, calendar.monthrange(year, last_month)[1])


def month(year: int, number: int) -> Period:
    return Period("month", *_months(year, number, 1), code=f"{year}-{number:02d}", number=number)


def quarter(year: int, number: int) -> Period:
    return Period("quarter", *_months(year, 3 * number - 2, 3), code=f"{year}-Q{number}", number=number)


def semester(year: int, number: int) -> Period:
    return Period("semester", *_months(year, 6 * number - 5, 6), code=f"{year}-S{number}", number=number)


def year(number: int) -> Period:
    return Period("year", dt.date(number, 1, 1), dt.date(number, 12, 31), code=str(number), number=number)


def _check_year(value: int) -> None:
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise PeriodError(_("Tahun harus antara %(first)s dan %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR})


def parse(code: str) -> Period:
    """The period a code names; ``PeriodError`` for anything else."""
    match = CODE.match(code.strip()) if code and len(code) <= 16 else None
    if match is None:
        raise PeriodError(_("Periode tidak dikenal. Contoh: 2026-03, 2026-Q2, 2026-S1 atau 2026."))
    number = int(match["year"])
    _check_year(number)
    if match["month"]:
        if not 1 <= int(match["month"]) <= 12:
            raise PeriodError(_("Bulan harus 01 sampai 12."))
        return month(number, int(match["month"]))
    if match["quarter"]:
        return quarter(number, int(match["quarter"]))
    if match["semester"]:
        return semester(number, int(match["semester"]))
    return year(number)


def dates(first: dt.date | None, last: dt.date | None) -> Period:
    """Any range of days, open on a side given as None; ``PeriodError`` when reversed
    or out of bounds."""
    first, last = first or FIRST_DAY, last or LAST_DAY
    _check_year(first.year)
    _check_year(last.year)
    if last < first:
        raise PeriodError(_("Tanggal akhir sebelum tanggal awal."))
    return Period("dates", first, last)


def last_complete_month(today: dt.date) -> Period:
    previous = today.replace(day=1) - dt.timedelta(days=1)
    return month(previous.year, previous.month)


def last_complete_semester(today: dt.date) -> Period:
    if today.month > 6:
        return semester(today.year, 1)
    return semester(today.year - 1, 2)


def choices(first_year: int, today: dt.date, *, complete_only: bool = False) -> list[tuple[str, list[tuple[str, str]]]]:
    """The periods to pick from, grouped by year, newest first: each year's months,
    quarters, semesters and the year itself, those begun by ``today`` (ended by it,
    with ``complete_only``)."""
    groups = []
    for number in range(today.year, min(first_year, today.year) - 1, -1):
        periods = [year(number)]
        periods += [semester(number, n) for n in (2, 1)]
        periods += [quarter(number, n) for n in (4, 3, 2, 1)]
        periods += [month(number, n) for n in range(12, 0, -1)]
        shown = [p for p in periods if (p.is_complete(today) if complete_only else p.first <= today)]
        if shown:
            groups.append((str(number), [(p.code, p.label) for p in shown]))
    return groups
