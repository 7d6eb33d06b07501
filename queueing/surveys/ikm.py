"""The IKM (Indeks Kepuasan Masyarakat) of a set of surveys, per PermenPAN-RB 14/2017:
NRR_i is the sum of the scores of element i divided by the respondents who answered
it; IKM = Σ NRR_i × 1/9 (exactly 1/9, not the rounded 0.11); the 25–100 figure is
IKM × 25, rounded to two decimals, then graded."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

ELEMENTS = 9


GRADES = (
    (Decimal("88.31"), "A", _("Sangat baik")),
    (Decimal("76.61"), "B", _("Baik")),
    (Decimal("65.00"), "C", _("Kurang baik")),
    (Decimal("25.00"), "D", _("Tidak baik")),
)


def grade_for(skm: Decimal) -> tuple[str, str]:
    for lowest, grade, label in GRADES:
        if skm >= lowest:
            return grade, str(label)
    return "D", str(GRADES[-1][2])


def figures(*, respondents: int, totals: list[int], counts: list[int]) -> dict:
    """The IKM figures of ``respondents`` surveys whose element i was answered by
    ``counts[i]`` of them, with scores summing to ``totals[i]``."""
    if not respondents:
        return {
            "respondents": 0,
            "nrr": [None] * ELEMENTS,
            "ikm": None,
            "skm": None,
            "grade": None,
            "performance": None,
        }
    nrr = [Decimal(total) / count if count else Decimal(0) for total, count in zip(totals, counts, strict=True)]
    index = sum(nrr) / ELEMENTS
    skm = (index * 25).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    grade, performance = grade_for(skm)
    return {
        "respondents": respondents,
        "nrr": [float(round(value, 4)) for value in nrr],
        "ikm": float(round(index, 4)),
        "skm": float(skm),
        "grade": grade,
        "performance": performance,
    }


def ikm(surveys) -> dict:
    """The IKM figures of a queryset of surveys."""
    totals, counts, respondents = [0] * ELEMENTS, [0] * ELEMENTS, 0
    for answers in surveys.values_list("answers", flat=True).iterator():
        respondents += 1
        for index, score in enumerate(answers[:ELEMENTS]):
            if score:
                totals[index] += score
                counts[index] += 1
    return figures(respondents=respondents, totals=totals, counts=counts)
