"""Bar charts drawn by the portal itself as inline SVG (``templates/office/_chart_bars.html``):
no script, no style attribute, no outside service. Every chart carries a title and a
description for screen readers and names the table that holds its figures, its text
alternative. The geometry is worked out here; the template only writes it out."""

import math
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

WIDTH = 640
COLUMN_HEIGHT = 260
ROW_HEIGHT = 22
# Room for the value axis (left), the labels (below) and a margin at the top.
LEFT, BOTTOM, TOP, RIGHT = 48, 42, 12, 12
LABEL_WIDTH = 230
# At most this many labels along the bottom; the others are left to the table.
MOST_LABELS = 12


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    show_label: bool
    value_x: float = 0
    value_y: float = 0


@dataclass(frozen=True)
class Tick:
    text: str
    x1: float
    y1: float
    x2: float
    y2: float
    text_x: float
    text_y: float


@dataclass
class BarChart:
    id: str
    title: str
    description: str
    table_id: str
    horizontal: bool
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.bars


def nice_scale(maximum: float) -> tuple[float, float]:
    """The axis's top and step: a step of 1, 2 or 5 × 10ⁿ (never below 1: the figures
    are counts or minutes), at most four steps up to the top."""
    if maximum <= 0:
        return 1, 1
    rough = maximum / 4
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    step = max(step, 1)
    return math.ceil(maximum / step) * step, step


def _ticks(top: float, step: float) -> list[float]:
    return [step * n for n in range(round(top / step) + 1)]


def _text(value: float) -> str:
    return number_format(value, decimal_pos=0 if float(value).is_integer() else 1)


def _describe(points: list[tuple[str, float]], unit: str) -> str:
    if not points:
        return _("Belum ada data pada periode ini.")
    label, value = max(points, key=lambda point: point[1])
    return _("%(count)s batang. Tertinggi: %(label)s, %(value)s %(unit)s.") % {
        "count": len(points),
        "label": label,
        "value": _text(value),
        "unit": unit,
    }


def column_chart(chart_id: str, title: str, points: list[tuple[str, float]], *, table_id: str, unit: str) -> BarChart:
    """Vertical bars, one per point, in the points' order (hours, days)."""
    chart = BarChart(chart_id, title, _describe(points, unit), table_id, False, WIDTH, COLUMN_HEIGHT)
    if not points:
        return chart
    top, step = nice_scale(max(value for _label, value in points))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, COLUMN_HEIGHT - TOP - BOTTOM
    band = plot_width / len(points)
    every = max(1, math.ceil(len(points) / MOST_LABELS))
    for index, (label, value) in enumerate(points):
        height = plot_height * value / top
        x = LEFT + index * band
        chart.bars.append(
            Bar(
                label=label,
                value=value,
                text=_text(value),
                x=round(x + band * 0.1, 2),
                y=round(TOP + plot_height - height, 2),
                width=round(max(band * 0.8, 0.5), 2),
                height=round(height, 2),
                label_x=round(x + band / 2, 2),
                label_y=COLUMN_HEIGHT - BOTTOM + 16,
                show_label=index % every == 0,
            )
        )
    for value in _ticks(top, step):
        y = round(TOP + plot_height - plot_height * value / top, 2)
        chart.ticks.append(Tick(_text(value), LEFT, y, WIDTH - RIGHT, y, LEFT - 6, y + 4))
    return chart


def row_chart(chart_id: str, title: str, points: list[tuple[str, float]], *, table_id: str, unit: str) -> BarChart:
    """Horizontal bars, one per point, largest first (agencies)."""
    points = sorted(points, key=lambda point: -point[1])
    height = TOP + BOTTOM + ROW_HEIGHT * max(len(points), 1)
    chart = BarChart(chart_id, title, _describe(points, unit), table_id, True, WIDTH, height)
    if not points:
        return chart
    top, step = nice_scale(max(value for _label, value in points))
    plot_width = WIDTH - LABEL_WIDTH - RIGHT - 48
    for index, (label, value) in enumerate(points):
        width = plot_width * value / top
        y = TOP + index * ROW_HEIGHT
        chart.bars.append(
            Bar(
                label=label,
                value=value,
                text=_text(value),
                x=LABEL_WIDTH,
                y=y + 3,
                width=round(width, 2),
                height=ROW_HEIGHT - 6,
                label_x=LABEL_WIDTH - 6,
                label_y=y + ROW_HEIGHT / 2 + 4,
                show_label=True,
                value_x=round(LABEL_WIDTH + width + 4, 2),
                value_y=y + ROW_HEIGHT / 2 + 4,
            )
        )
    bottom = TOP + ROW_HEIGHT * len(points)
    for value in _ticks(top, step):
        x = round(LABEL_WIDTH + plot_width * value / top, 2)
        chart.ticks.append(Tick(_text(value), x, TOP, x, bottom, x, bottom + 16))
    return chart
