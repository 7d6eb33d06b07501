"""What the IKM pages show of each element: its code (U1–U9) and name, NRR, weighted
NRR and grade, and the geometry of its chart, a bar on the 1–4 scale over the four
grade bands (drawn as inline SVG by ``templates/ikm/_element_chart.html``). SVG
coordinates are written here as plain numbers with a dot, whatever the page's
language writes decimals with."""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from queueing.models import SURVEY_ELEMENTS
from queueing.surveys.ikm import ELEMENT_CODES, GRADES, SCALE, Ikm, rounded

# The chart's drawing area, in SVG units: the scale runs from LEFT (1) to RIGHT (4).
WIDTH, LEFT, RIGHT = 320, 12, 308
# Each grade band starts where the 25–100 figure reaches the grade's lowest value.
BAND_STARTS = [(grade, Fraction(str(lowest)) / SCALE) for lowest, grade, _ in GRADES]


def _x(value: Fraction) -> str:
    """The horizontal position of a value of the 1–4 scale."""
    position = LEFT + (RIGHT - LEFT) * (min(max(value, 1), 4) - 1) / 3
    return f"{float(position):.1f}"


@dataclass(frozen=True)
class Band:
    grade: str
    x: str
    width: str
    label_x: str


def bands() -> list[Band]:
    """D from 1, C from 2.60, B from 3.0644, A from 3.5324, each to the next."""
    starts = sorted((max(start, Fraction(1)), grade) for grade, start in BAND_STARTS)
    shown = []
    for (start, grade), end in zip(starts, [s for s, _ in starts[1:]] + [Fraction(4)], strict=True):
        x, x_end = float(_x(start)), float(_x(end))
        shown.append(Band(grade, f"{x:.1f}", f"{x_end - x:.1f}", f"{(x + x_end) / 2:.1f}"))
    return shown


@dataclass(frozen=True)
class ElementRow:
    code: str
    name: str
    nrr: Decimal | None
    weighted: Decimal | None
    skm: Decimal | None
    grade: str | None
    bar_width: str


def element_rows(ikm: Ikm) -> list[ElementRow]:
    rows = []
    for index, code in enumerate(ELEMENT_CODES):
        nrr, weighted = ikm.nrr[index], ikm.weighted[index]
        end = float(_x(nrr)) if nrr is not None else float(LEFT)
        rows.append(
            ElementRow(
                code=code,
                name=str(SURVEY_ELEMENTS[index]),
                nrr=None if nrr is None else rounded(nrr, 4),
                weighted=None if weighted is None else rounded(weighted, 4),
                skm=ikm.element_skm(index),
                grade=ikm.element_grade(index),
                bar_width=f"{end - LEFT:.1f}",
            )
        )
    return rows


TICKS = [(str(n), _x(Fraction(n))) for n in range(1, 5)]
