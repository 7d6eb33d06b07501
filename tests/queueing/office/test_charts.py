"""The bar charts' geometry (``queueing.office.charts``): bars in proportion to their
figures on an axis of round steps, labels thinned out, a text for screen readers."""

import pytest

from queueing.office.charts import COLUMN_HEIGHT, MOST_LABELS, column_chart, nice_scale, row_chart


@pytest.mark.parametrize(
    ("maximum", "scale"),
    [(0, (1, 1)), (0.4, (1, 1)), (3, (3, 1)), (7, (8, 2)), (13, (15, 5)), (400, (400, 100)), (6801, (8000, 2000))],
)
def test_the_axis_has_round_steps(maximum, scale):
    assert nice_scale(maximum) == scale


def test_columns_in_proportion():
    chart = column_chart("c", "Antrean per jam", [("08.00", 10), ("09.00", 20), ("10.00", 0)], table_id="t", unit="x")
    heights = [bar.height for bar in chart.bars]
    assert heights[1] == pytest.approx(2 * heights[0])
    assert heights[2] == 0
    # Every bar stands on the axis.
    assert {round(bar.y + bar.height, 2) for bar in chart.bars} == {chart.ticks[0].y1}
    assert chart.ticks[0].y1 < COLUMN_HEIGHT
    assert [tick.text for tick in chart.ticks] == ["0", "5", "10", "15", "20"]
    assert chart.description == "3 batang. Tertinggi: 09.00, 20 x."


def test_a_year_of_days_keeps_a_dozen_labels():
    chart = column_chart("c", "Tiket per hari", [(f"{n}", n) for n in range(250)], table_id="t", unit="x")
    assert len(chart.bars) == 250
    assert sum(bar.show_label for bar in chart.bars) <= MOST_LABELS + 1
    assert all(bar.width > 0 for bar in chart.bars)


def test_rows_largest_first():
    chart = row_chart("r", "Tiket per instansi", [("A", 5), ("B", 50), ("C", 20)], table_id="t", unit="tiket")
    assert [bar.label for bar in chart.bars] == ["B", "C", "A"]
    assert chart.bars[0].width == pytest.approx(2.5 * chart.bars[1].width, abs=0.05)
    assert chart.height > len(chart.bars) * 20


def test_no_figures_no_bars():
    chart = column_chart("c", "Kosong", [], table_id="t", unit="x")
    assert chart.empty
    assert chart.description == "Belum ada data pada periode ini."
