"""The IKM (Indeks Kepuasan Masyarakat) per PermenPAN-RB 14/2017, from per element the
sum of the scores and how many respondents answered it:

- NRR_i = the sum of the scores of element i ÷ the respondents who answered element i;
- IKM = Σ NRR_i × 1/9, the weight exactly 1/9 (the regulation prints it rounded as
  0.11, which understates the score); the weight is 1 ÷ the number of elements, so an
  element that nobody answered is left out and the others weigh 1/8 each;
- the 25–100 figure (SKM) = IKM × 25, rounded half up to two decimals, then graded.

The arithmetic is exact (fractions): a figure of exactly 64.995 rounds to 65.00 (C),
where division at a fixed precision can leave 64.99499… (D). The number of respondents
is held against the sample that Krejcie and Morgan's formula asks of the visits
served, and a figure from fewer is marked as such."""

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from django.utils.translation import gettext_lazy as _

ELEMENTS = 9
ELEMENT_CODES = tuple(f"U{n}" for n in range(1, ELEMENTS + 1))
SCALE = 25

GRADES = (
    (Decimal("88.31"), "A", _("Sangat baik")),
    (Decimal("76.61"), "B", _("Baik")),
    (Decimal("65.00"), "C", _("Kurang baik")),
    (Decimal("25.00"), "D", _("Tidak baik")),
)

# Krejcie & Morgan (1970): χ² for one degree of freedom at 95 %, P = 0.5, d = 0.05.
CHI_SQUARE = Fraction(3841, 1000)
PROPORTION = Fraction(1, 2)
MARGIN = Fraction(5, 100)
# The sample their formula asks of an endless population: this many respondents are
# enough whatever the number of visits served, which then need not be counted.
ENOUGH_FOR_ANY_POPULATION = math.ceil(CHI_SQUARE * PROPORTION * (1 - PROPORTION) / MARGIN**2)


def grade_for(skm: Decimal) -> tuple[str, str]:
    for lowest, grade, label in GRADES:
        if skm >= lowest:
            return grade, str(label)
    return "D", str(GRADES[-1][2])


def rounded(value: Fraction, places: int = 2) -> Decimal:
    """``value`` rounded half up to ``places`` decimals, exactly: floor(value × 10^p + ½)
    in integers, (2 n 10^p + d) // 2d for value = n/d."""
    scale = 10**places
    return Decimal((2 * value.numerator * scale + value.denominator) // (2 * value.denominator)).scaleb(-places)


def minimum_respondents(served: int) -> int:
    """Krejcie and Morgan's sample for ``served`` visits:
    s = χ² N P(1−P) ÷ (d² (N−1) + χ² P(1−P)), rounded up."""
    if served <= 0:
        return 0
    spread = CHI_SQUARE * PROPORTION * (1 - PROPORTION)
    return math.ceil(spread * served / (MARGIN**2 * (served - 1) + spread))


@dataclass(frozen=True)
class Ikm:
    """The IKM of ``respondents`` surveys whose element i was answered by ``counts[i]``
    of them, with scores summing to ``totals[i]``; ``served`` is the number of visits
    served in the same period, when it was counted (the population of the sample)."""

    respondents: int
    totals: tuple[int, ...]
    counts: tuple[int, ...]
    served: int | None = None

    @cached_property
    def nrr(self) -> tuple[Fraction | None, ...]:
        return tuple(Fraction(t, c) if c else None for t, c in zip(self.totals, self.counts, strict=True))

    @property
    def elements_answered(self) -> int:
        return sum(1 for count in self.counts if count)

    @property
    def weight(self) -> Fraction | None:
        """1/9 while every element has an answer."""
        return Fraction(1, self.elements_answered) if self.respondents and self.elements_answered else None

    @cached_property
    def weighted(self) -> tuple[Fraction | None, ...]:
        weight = self.weight
        return tuple(None if value is None or weight is None else value * weight for value in self.nrr)

    @cached_property
    def index(self) -> Fraction | None:
        """The IKM on the 1–4 scale."""
        if self.weight is None:
            return None
        return sum((value for value in self.weighted if value is not None), Fraction(0))

    @cached_property
    def skm(self) -> Decimal | None:
        """The 25–100 figure, rounded to two decimals."""
        return None if self.index is None else rounded(self.index * SCALE)

    @property
    def grade(self) -> str | None:
        return None if self.skm is None else grade_for(self.skm)[0]

    @property
    def performance(self) -> str | None:
        return None if self.skm is None else grade_for(self.skm)[1]

    @property
    def minimum_respondents(self) -> int | None:
        """The sample the visits served ask for; None when they were not counted."""
        return None if self.served is None else minimum_respondents(self.served)

    @property
    def few_respondents(self) -> bool:
        """No respondent, or fewer than the visits served ask for."""
        if not self.respondents:
            return True
        if self.respondents >= ENOUGH_FOR_ANY_POPULATION:
            return False
        return self.served is not None and self.respondents < minimum_respondents(self.served)

    def element_skm(self, index: int) -> Decimal | None:
        """One element's NRR on the 25–100 scale, rounded, to read its grade by."""
        value = self.nrr[index]
        return None if value is None else rounded(value * SCALE)

    def element_grade(self, index: int) -> str | None:
        value = self.element_skm(index)
        return None if value is None else grade_for(value)[0]

    def __add__(self, other: "Ikm") -> "Ikm":
        """The respondents of both together (an agency's from its services')."""
        served = None if self.served is None or other.served is None else self.served + other.served
        return Ikm(
            respondents=self.respondents + other.respondents,
            totals=tuple(a + b for a, b in zip(self.totals, other.totals, strict=True)),
            counts=tuple(a + b for a, b in zip(self.counts, other.counts, strict=True)),
            served=served,
        )

    def as_dict(self) -> dict:
        """The figures as the API and the files give them: NRR and IKM to four
        decimals, the 25–100 figure to two."""
        return {
            "respondents": self.respondents,
            "nrr": [None if value is None else float(rounded(value, 4)) for value in self.nrr],
            "ikm": None if self.index is None else float(rounded(self.index, 4)),
            "skm": None if self.skm is None else float(self.skm),
            "grade": self.grade,
            "performance": self.performance,
            "elements_answered": self.elements_answered,
            "few_respondents": self.few_respondents,
            "minimum_respondents": self.minimum_respondents,
        }


EMPTY = Ikm(respondents=0, totals=(0,) * ELEMENTS, counts=(0,) * ELEMENTS)


def figures(*, respondents: int, totals: list[int], counts: list[int], served: int | None = None) -> dict:
    """The IKM figures (``Ikm.as_dict``) of sums and counts per element."""
    return Ikm(respondents=respondents, totals=tuple(totals), counts=tuple(counts), served=served).as_dict()


def of_surveys(surveys) -> Ikm:
    """The IKM of a queryset of surveys, summed by the database in one query (for a
    period's publication, ``queueing.surveys.publication`` reads the daily tallies)."""
    from django.db.models import Count, IntegerField, Sum
    from django.db.models.fields.json import KT
    from django.db.models.functions import Cast

    scores = [Cast(KT(f"answers__{i}"), IntegerField()) for i in range(ELEMENTS)]
    aggregates = {"respondents": Count("pk")}
    for i, score in enumerate(scores):
        aggregates |= {f"total_{i}": Sum(score), f"count_{i}": Count(score)}
    row = surveys.order_by().aggregate(**aggregates)
    return Ikm(
        respondents=row["respondents"],
        totals=tuple(row[f"total_{i}"] or 0 for i in range(ELEMENTS)),
        counts=tuple(row[f"count_{i}"] for i in range(ELEMENTS)),
    )


def ikm(surveys) -> dict:
    """The IKM figures of a queryset of surveys (``Ikm.as_dict``)."""
    return of_surveys(surveys).as_dict()
