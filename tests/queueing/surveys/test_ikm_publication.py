"""The IKM publication from the database: the daily tallies the trigger keeps, the
figures per service, agency and the whole mall over a period, the respondents held
against the visits served, and the suggestions without personal data."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from queueing.models import Survey, SurveyTally
from queueing.surveys.publication import ikm_publication, masked
from tests.factories import ServiceFactory

from .ikm_data import add_surveys, add_visits_without_survey

pytestmark = pytest.mark.django_db

SKIPPED = [
    [4, 4, 3, 4, 3, 3, 4, 3, 4],
    [3, None, 3, 4, 3, 4, 4, 3, 3],
    [4, 3, None, None, 4, 3, 3, 4, 4],
    [2, 3, 3, 4, 3, 3, 4, 3, None],
]


def test_elements_some_respondents_skipped_are_divided_by_those_who_answered(kk):
    """The four respondents of test_ikm's hand-worked example, as survey rows: NRR
    U1 13/4, U2 10/3, U3 9/3, U4 12/3, U5 13/4, U6 13/4, U7 15/4, U8 13/4, U9 11/3;
    Σ 30.75 × 1/9 = 3.4167 × 25 = 85.42 → B."""
    add_surveys(kk, SKIPPED)
    publication = ikm_publication(service_id=kk.pk)
    [row] = publication.services
    assert row.ikm.counts == (4, 3, 3, 3, 4, 4, 4, 4, 3)
    assert row.ikm.totals == (13, 10, 9, 12, 13, 13, 15, 13, 11)
    assert (str(row.ikm.skm), row.ikm.grade) == ("85.42", "B")
    assert publication.total.as_dict() == row.ikm.as_dict()


def test_the_rounded_weight_would_grade_these_surveys_lower(kk):
    """Five respondents, the scores summing to 138 (R1 4 4 3 3 3 3 3 3 4, R2–R5 all 3):
    Σ NRR = 16/5 + 16/5 + 7 × 15/5 … = 27.6; × 1/9 × 25 = 76.67 → B; with 0.11:
    27.6 × 0.11 × 25 = 75.90 → C."""
    add_surveys(kk, [[4, 4, 3, 3, 3, 3, 3, 3, 4]] + [[3] * 9] * 4)
    total = ikm_publication().total
    assert (str(total.skm), total.grade) == ("76.67", "B")


def test_an_agency_pools_the_respondents_of_its_services(kk, ktp):
    """KK: one respondent, all 4 → NRR 4 → 100.00 (A). KTP: three respondents, all 2
    → NRR 2 → 50.00 (D). The agency: per element (4 + 2 + 2 + 2)/4 = 2.5 → 62.50 (D);
    the mean of the two services' figures (75.00, C) is not the agency's IKM."""
    add_surveys(kk, [[4] * 9])
    add_surveys(ktp, [[2] * 9] * 3)
    publication = ikm_publication(agency_id=kk.agency_id)
    by_service = {row.service.pk: str(row.ikm.skm) for row in publication.services}
    assert by_service == {kk.pk: "100.00", ktp.pk: "50.00"}
    [agency] = publication.agencies
    assert (str(agency.ikm.skm), agency.ikm.grade) == ("62.50", "D")
    assert publication.total.skm == agency.ikm.skm


def test_the_period_reads_days_in_the_portals_zone(kk):
    """A survey at 23.30 WIB on 30 Nov (16.30 UTC) is November's; one at 00.30 WIB on
    1 Dec (17.30 UTC on 30 Nov) is December's."""
    late, early = add_surveys(kk, [[4] * 9, [2] * 9])
    zone = timezone.get_current_timezone()
    Survey.objects.filter(pk=late.pk).update(created_at=dt.datetime(2025, 11, 30, 23, 30, tzinfo=zone))
    Survey.objects.filter(pk=early.pk).update(created_at=dt.datetime(2025, 12, 1, 0, 30, tzinfo=zone))
    november = ikm_publication(first=dt.date(2025, 11, 1), last=dt.date(2025, 11, 30)).total
    december = ikm_publication(first=dt.date(2025, 12, 1), last=dt.date(2025, 12, 31)).total
    assert (november.respondents, str(november.skm)) == (1, "100.00")
    assert (december.respondents, str(december.skm)) == (1, "50.00")


def test_the_tally_follows_every_insert_change_and_delete(kk, ktp):
    first, second = add_surveys(kk, [[4] * 9, [3, None, 3, 3, 3, 3, 3, 3, 3]], comment="Ramah")
    tally = SurveyTally.objects.get(service=kk)
    assert (tally.respondents, tally.comments, tally.score_1, tally.answered_2) == (2, 2, 7, 1)
    Survey.objects.filter(pk=second.pk).update(answers=[1] * 9, comment="")
    tally.refresh_from_db()
    assert (tally.respondents, tally.comments, tally.score_1, tally.answered_2) == (2, 1, 5, 2)
    Survey.objects.filter(pk=second.pk).update(service=ktp)
    assert SurveyTally.objects.get(service=ktp).respondents == 1
    first.ticket.delete()  # the survey goes with its ticket
    tally.refresh_from_db()
    assert (tally.respondents, tally.score_1) == (0, 0)
    assert ikm_publication(service_id=kk.pk).services == []


def test_values_that_are_no_score_count_as_skipped(kk):
    """Anything but an integer 1–4 (a text, 0, 5, 2.5, a missing tenth… ) is not an
    answer to that element."""
    add_surveys(kk, [["4", 0, 5, 2.5, None, 4, 4, 4, 4], [4, 4, 4, 4, 4, 4, 4, 4]])
    tally = SurveyTally.objects.get(service=kk)
    answered = [getattr(tally, f"answered_{n}") for n in range(1, 10)]
    assert answered == [1, 1, 1, 1, 1, 2, 2, 2, 1]


def test_fewer_respondents_than_the_visits_served_ask_for_are_marked(kk, ktp):
    """KK: 10 visits served, 8 surveyed; Krejcie–Morgan asks 10 of 10 → few. KTP: 2
    served, both surveyed → enough (2 of 2). The agency: 12 served ask for 12 (N = 12:
    0.96025 × 12 ÷ (0.0025 × 11 + 0.96025) = 11.66 → 12); 10 answered → few."""
    add_surveys(kk, [[4] * 9] * 8)
    add_visits_without_survey(kk, 2)
    add_surveys(ktp, [[3] * 9] * 2)
    publication = ikm_publication(agency_id=kk.agency_id)
    by_service = {row.service.pk: (row.ikm.few_respondents, row.ikm.served) for row in publication.services}
    assert by_service == {kk.pk: (True, 10), ktp.pk: (False, 2)}
    [agency] = publication.agencies
    assert (agency.ikm.served, agency.ikm.minimum_respondents, agency.ikm.few_respondents) == (12, 12, True)
    assert publication.total.few_respondents


def test_the_period_limits_the_visits_served_too(kk):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    add_visits_without_survey(kk, 50, day=yesterday)
    add_surveys(kk, [[4] * 9] * 3)
    today = ikm_publication(first=timezone.localdate(), last=timezone.localdate())
    assert (today.total.served, today.total.few_respondents) == (3, False)


def test_suggestions_come_newest_first_with_numbers_and_emails_masked(kk, ktp):
    add_surveys(kk, [[4] * 9], day=timezone.localdate() - dt.timedelta(days=2), comment="Antrean rapi.")
    add_surveys(ktp, [[4] * 9], comment="Hubungi 0812-3456-7890 atau budi.s@example.co.id, NIK 3674011708900001")
    add_surveys(ktp, [[4] * 9])
    publication = ikm_publication()
    assert publication.comment_count == 2
    assert [c.text for c in publication.comments] == ["Hubungi ••• atau •••, NIK •••", "Antrean rapi."]
    assert publication.comments[0].service == ktp
    assert ikm_publication(service_id=kk.pk).comment_count == 1


def test_masking_keeps_short_numbers():
    assert masked("Loket 3 buka 08.00, antre 45 menit") == "Loket 3 buka 08.00, antre 45 menit"
    assert masked("WA +62 812 3456 7890") == "WA •••"


def test_a_year_is_one_aggregate_query_whatever_the_services(kk, ktp, samsat, django_assert_num_queries):
    for service in (kk, ktp, ServiceFactory(code="stnk", name="STNK", agency=samsat)):
        add_surveys(service, [[4] * 9] * 2)
    today = timezone.localdate()
    # The tallies' sums; the services in scope; the visits served (few respondents);
    # the agencies and the services by id; the suggestions.
    with django_assert_num_queries(6):
        publication = ikm_publication(first=today - dt.timedelta(days=365), last=today)
    assert publication.total.respondents == 6
    assert len(publication.services) == 3
    assert len(publication.agencies) == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_the_tallies_are_read_by_their_index(kk):
    add_surveys(kk, [[4] * 9])
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT sum(respondents) FROM queueing_surveytally WHERE day BETWEEN %s AND %s",
            [dt.date(2026, 1, 1), dt.date(2026, 12, 31)],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "survey_tally_unique_day" in plan
