"""The IKM's arithmetic (PermenPAN-RB 14/2017, /work DOMAIN.md): worked by hand in each
docstring, then asked of ``queueing.surveys.ikm.figures``, which takes per element the
sum of the scores and how many respondents answered it."""

import pytest

from queueing.surveys.ikm import figures


def _same(total: int, respondents: int) -> dict:
    """Every respondent answered every element, the scores of each element summing to
    total/9 (the test only needs Σ NRR = total / respondents)."""
    base, extra = divmod(total, 9)
    totals = [base + (1 if i < extra else 0) for i in range(9)]
    return figures(respondents=respondents, totals=totals, counts=[respondents] * 9)


def test_each_element_is_divided_by_those_who_answered_it():
    """Four respondents; R2 skipped U2, R3 skipped U3 and U4, R4 skipped U9:

    R1 4 4 3 4 3 3 4 3 4 / R2 3 – 3 4 3 4 4 3 3 / R3 4 3 – – 4 3 3 4 4 / R4 2 3 3 4 3 3 4 3 –

    NRR: U1 13/4 = 3.25, U2 10/3 = 3.3333, U3 9/3 = 3.00, U4 12/3 = 4.00, U5 13/4 = 3.25,
    U6 13/4 = 3.25, U7 15/4 = 3.75, U8 13/4 = 3.25, U9 11/3 = 3.6667; Σ = 30.75;
    IKM = 30.75 × 1/9 = 3.4167; × 25 = 85.4167 → 85.42 → B (Baik). Dividing every
    element by all four respondents would give U2 2.5, U3 2.25, U4 3.0, U9 2.75,
    Σ 27.25 → 75.69 → C."""
    result = figures(respondents=4, totals=[13, 10, 9, 12, 13, 13, 15, 13, 11], counts=[4, 3, 3, 3, 4, 4, 4, 4, 3])
    assert result["nrr"] == [3.25, 3.3333, 3.0, 4.0, 3.25, 3.25, 3.75, 3.25, 3.6667]
    assert result["ikm"] == 3.4167
    assert (result["skm"], result["grade"], result["performance"]) == (85.42, "B", "Baik")


def test_an_element_nobody_answered_is_left_out_not_scored_zero():
    """One respondent, U4 (biaya/tarif) skipped: 4 4 4 – 4 4 4 3 4. NRR of U4 has no
    value (0 of 0), so the IKM weighs the eight answered elements 1/8 each, as the
    regulation's weight is 1 ÷ the number of elements: Σ = 31, IKM = 31/8 = 3.875,
    × 25 = 96.875 → 96.88 → A. Scoring U4 as 0 would give 31/9 = 3.4444 → 86.11 → B."""
    result = figures(respondents=1, totals=[4, 4, 4, 0, 4, 4, 4, 3, 4], counts=[1, 1, 1, 0, 1, 1, 1, 1, 1])
    assert result["nrr"][3] is None
    assert result["elements_answered"] == 8
    assert (result["ikm"], result["skm"], result["grade"]) == (3.875, 96.88, "A")


@pytest.mark.parametrize(
    ("total", "respondents", "skm", "grade", "arithmetic"),
    [
        (889, 38, 64.99, "D", "889/38 = 23.39474; ÷ 9 = 2.59942; × 25 = 64.98538 → 64.99"),
        (117, 5, 65.00, "C", "117/5 = 23.4; ÷ 9 = 2.6; × 25 = 65.00"),
        (717, 26, 76.60, "C", "717/26 = 27.57692; ÷ 9 = 3.06410; × 25 = 76.60256 → 76.60"),
        (524, 19, 76.61, "B", "524/19 = 27.57895; ÷ 9 = 3.06433; × 25 = 76.60819 → 76.61"),
        (604, 19, 88.30, "B", "604/19 = 31.78947; ÷ 9 = 3.53216; × 25 = 88.30409 → 88.30"),
        (763, 24, 88.31, "A", "763/24 = 31.79167; ÷ 9 = 3.53241; × 25 = 88.31019 → 88.31"),
    ],
)
def test_each_grade_boundary_is_read_on_the_rounded_figure(total, respondents, skm, grade, arithmetic):
    """Every respondent answered every element; Σ NRR = (sum of all scores) ÷
    respondents, then the arithmetic of each case (its last column): the figure is
    rounded to two decimals first, and the grade read from the rounded figure."""
    result = _same(total, respondents)
    assert (result["skm"], result["grade"]) == (skm, grade), arithmetic


def test_an_exact_half_hundredth_rounds_up_to_the_next_grade():
    """625 respondents, most skipping most elements (counts and sums per element):

    U1 16/7, U2 49/13, U3 22/13, U4 32/12, U5 1077/625, U6 40/12, U7 25/8, U8 52/40,
    U9 1275/364; Σ NRR = 23.3982 exactly (the fractions' sum, worked with common
    denominators), IKM = 23.3982/9 = 2.5998, × 25 = 64.995 exactly → rounded half up
    64.995 → 65.00 → C. Decimal division at 28 digits leaves 64.99499… → 64.99 → D."""
    result = figures(
        respondents=625,
        totals=[16, 49, 22, 32, 1077, 40, 25, 52, 1275],
        counts=[7, 13, 13, 12, 625, 12, 8, 40, 364],
    )
    assert (result["skm"], result["grade"]) == (65.00, "C")


def test_the_weight_is_exactly_one_ninth_not_the_printed_0_11():
    """Five respondents whose scores sum to 138 over the nine elements: Σ NRR = 27.6.
    With 1/9: IKM = 3.0667, × 25 = 76.67 → B. With 0.11: 27.6 × 0.11 = 3.036, × 25 =
    75.90 → C. And one respondent scoring 4 4 4 4 3 3 3 3 4 (Σ 32): 1/9 gives 88.89 → A,
    0.11 gives 88.00 → B."""
    five = figures(respondents=5, totals=[16, 16, 15, 15, 15, 15, 15, 15, 16], counts=[5] * 9)
    assert (five["ikm"], five["skm"], five["grade"]) == (3.0667, 76.67, "B")
    one = figures(respondents=1, totals=[4, 4, 4, 4, 3, 3, 3, 3, 4], counts=[1] * 9)
    assert (one["skm"], one["grade"]) == (88.89, "A")


def test_no_respondent_gives_no_figure():
    result = figures(respondents=0, totals=[0] * 9, counts=[0] * 9)
    assert result["nrr"] == [None] * 9
    assert (result["ikm"], result["skm"], result["grade"], result["few_respondents"]) == (None, None, None, True)


@pytest.mark.parametrize(
    ("served", "minimum"),
    # Krejcie & Morgan (1970), χ² = 3.841, P = 0.5, d = 0.05: their table's 10 → 10,
    # 100 → 80, 1,000 → 278, 10,000 → 370, 1,000,000 → 384.
    [(10, 10), (100, 80), (1_000, 278), (10_000, 370), (1_000_000, 384)],
)
def test_the_minimum_sample_follows_krejcie_and_morgan(served, minimum):
    from queueing.surveys.ikm import minimum_respondents

    assert minimum_respondents(served) == minimum


def test_fewer_respondents_than_the_sample_needs_are_marked():
    """100 visits served, so Krejcie–Morgan asks for 80 respondents: 79 are few, 80
    are enough; the figures are the same either way."""
    few = figures(respondents=79, totals=[79 * 3] * 9, counts=[79] * 9, served=100)
    enough = figures(respondents=80, totals=[80 * 3] * 9, counts=[80] * 9, served=100)
    assert (few["few_respondents"], few["minimum_respondents"]) == (True, 80)
    assert (enough["few_respondents"], enough["minimum_respondents"]) == (False, 80)
    assert few["skm"] == enough["skm"] == 75.0
