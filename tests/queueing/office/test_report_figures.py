"""The report's figures against a day written by hand (``conftest.history``): read from
the history while the day is not kept, from the kept rows once it is, from the month
rows for a whole month; the percentiles as ``percentile_cont`` gives them."""

import datetime as dt
import random

import pytest
from django.db import connection

from queueing.models import ReportClosedDay, ReportDay, ReportMinutes
from queueing.office.reports.figures import ReportScope, report_figures
from queueing.office.reports.summaries import pending_days, report_days_summarize, report_days_write

from .conftest import DAY, at

pytestmark = pytest.mark.django_db

TODAY = DAY + dt.timedelta(days=40)


def day_report(history, **scope):
    return report_figures(ReportScope(date_from=DAY, date_to=DAY, **scope), today=TODAY)


def kept(history):
    assert report_days_summarize(today=DAY + dt.timedelta(days=2)) == 2  # 2 March and the empty 3rd
    assert ReportClosedDay.objects.filter(date=DAY).exists()


def check_the_day(report, history, disdukcapil, samsat, bob, dave):
    total = report.total
    # A, B, C, D, E, F, G at KK and E again at STNK.
    assert (total.entries, total.issued, total.issued_booked, total.walk_ins) == (8, 7, 1, 6)
    assert (total.transferred_in, total.transferred_out) == (1, 1)
    assert (total.served, total.no_shows, total.expired) == (5, 1, 1)
    # Waits 5, 8, 9, 10, 10, 10, 40 minutes; B's 40 is over the 30-minute target.
    assert total.called == 7
    assert total.wait_mean == round(92 / 7, 2)
    assert (total.wait_p50, total.wait_p90) == (10, 22)  # rank 5.4: 10 + 0.4 × (40 − 10)
    assert total.within_target == 6
    assert total.within_target_share == round(6 / 7, 4)
    # Service 4, 8, 9, 15, 15 minutes (G's ran past midnight).
    assert total.timed == 5
    assert total.service_mean == 10.2
    assert (total.service_p50, total.service_p90) == (9, 15)

    agencies = {row.key: row for row in report.by_agency}
    dukcapil, samsat_row = agencies[disdukcapil.pk], agencies[samsat.pk]
    assert (dukcapil.entries, dukcapil.issued, dukcapil.served, dukcapil.transferred_out) == (7, 7, 4, 1)
    assert (dukcapil.wait_p50, dukcapil.wait_p90) == (9.5, 25)  # 5, 8, 9, 10, 10, 40
    assert (dukcapil.service_p50, dukcapil.service_p90) == (11.5, 15)  # 4, 8, 15, 15
    assert dukcapil.wait_mean == round(82 / 6, 2)
    assert (samsat_row.entries, samsat_row.issued, samsat_row.transferred_in, samsat_row.served) == (1, 0, 1, 1)
    assert (samsat_row.wait_p50, samsat_row.service_p50) == (10, 9)

    counters = {row.key: row for row in report.by_counter}
    assert (counters[history.counter.pk].entries, counters[history.counter.pk].served) == (6, 4)
    assert counters[history.samsat_counter.pk].served == 1
    assert counters[None].expired == 1  # F was never called
    officers = {row.key: row for row in report.by_officer}
    assert officers[bob.pk].no_shows == 1
    assert officers[bob.pk].service_p50 == 11.5
    assert officers[dave.pk].service_mean == 9
    assert officers[bob.pk].name == bob.get_full_name() or bob.username

    assert [(row.key, row.issued, row.entries) for row in report.by_day] == [(DAY, 7, 8)]
    assert [(row.key, row.days, row.issued) for row in report.by_weekday] == [(1, 1, 7)]  # a Monday
    # The hour each entry entered its queue; G at 23.
    assert [(row.key, row.entries) for row in report.by_hour] == [(8, 3), (9, 3), (10, 1), (23, 1)]
    assert (report.by_hour[0].key, report.by_hour[0].wait_mean) == (8, 20.0)  # A 10, B 40, C 10


def test_figures_from_the_history_of_a_day_not_kept(history, disdukcapil, samsat, bob, dave):
    report = day_report(history)
    assert report.live_days == 1
    check_the_day(report, history, disdukcapil, samsat, bob, dave)


def test_figures_of_a_kept_day_are_the_same(history, disdukcapil, samsat, bob, dave):
    kept(history)
    report = day_report(history)
    assert report.live_days == 0
    check_the_day(report, history, disdukcapil, samsat, bob, dave)


def test_a_whole_month_reads_the_month_rows(history, disdukcapil, samsat, bob, dave):
    kept(history)
    assert ReportMinutes.objects.filter(span="m", start=DAY.replace(day=1)).exists()
    # With the day rows gone, only the month rows can answer the percentiles.
    ReportMinutes.objects.filter(span="d").delete()
    march = report_figures(ReportScope(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31)), today=TODAY)
    assert (march.total.wait_p50, march.total.wait_p90, march.total.service_p90) == (10, 22, 15)
    assert march.total.entries == 8
    assert len(march.by_day) == 1


def test_a_visit_past_midnight_stays_on_the_day_it_was_issued(history):
    kept(history)
    next_day = report_figures(ReportScope(date_from=DAY + dt.timedelta(days=1), date_to=DAY + dt.timedelta(days=1)),
                              today=TODAY)  # fmt: skip
    assert next_day.total.entries == 0
    assert next_day.total.wait_p50 is None
    assert day_report(history).by_hour[-1].key == 23


def test_scope_of_an_agency_and_of_a_service(history, samsat, disdukcapil):
    samsat_only = day_report(history, agency_id=samsat.pk)
    assert (samsat_only.total.entries, samsat_only.total.transferred_in) == (1, 1)
    assert [row.key for row in samsat_only.by_agency] == [samsat.pk]
    kk_only = day_report(history, agency_id=disdukcapil.pk, service_id=history.kk.pk)
    assert kk_only.total.entries == 7
    assert day_report(history, agency_id=disdukcapil.pk, service_id=history.stnk.pk).total.entries == 0


def test_a_day_with_a_ticket_still_open_is_not_kept(history, kk):
    from queueing.floor.tickets import ticket_issue_walk_in

    ticket_issue_walk_in(service=kk, now=at(10, 0, DAY + dt.timedelta(days=1)))
    assert pending_days(today=DAY + dt.timedelta(days=3)) == [DAY, DAY + dt.timedelta(days=2)]
    report_days_summarize(today=DAY + dt.timedelta(days=3))
    assert not ReportClosedDay.objects.filter(date=DAY + dt.timedelta(days=1)).exists()
    # Read from the history meanwhile, with the open ticket waiting.
    both = report_figures(ReportScope(date_from=DAY, date_to=DAY + dt.timedelta(days=1)), today=TODAY)
    assert (both.total.issued, both.live_days) == (8, 1)


def test_writing_a_day_again_replaces_its_rows(history):
    kept(history)
    rows = ReportDay.objects.count()
    assert report_days_write(days=[DAY]) == 1
    assert ReportDay.objects.count() == rows
    assert day_report(history).total.entries == 8


@pytest.mark.skipif(connection.vendor != "postgresql", reason="percentile_cont is PostgreSQL's")
def test_percentiles_from_the_histograms_are_percentile_cont(disdukcapil, kk):
    """Random histograms for a few counters over a month: the figures read from them
    match ``percentile_cont`` over every value they count."""
    rng = random.Random(2026)
    counters = [None, 11, 12]
    rows = []
    for day in range(1, 29):
        for counter in counters:
            for measure in ("w", "s"):
                for minutes in rng.sample(range(0, 120), rng.randint(1, 12)):
                    rows.append(ReportMinutes(span="d", start=dt.date(2026, 2, day), agency=disdukcapil, service=kk,
                                              counter_id=counter, measure=measure, minutes=minutes,
                                              count=rng.randint(1, 4)))  # fmt: skip
    ReportMinutes.objects.bulk_create(rows)
    # The rows of counts the percentiles belong to.
    ReportDay.objects.bulk_create(
        ReportDay(date=dt.date(2026, 2, 3), agency=disdukcapil, service=kk, counter_id=counter, entries=1)
        for counter in counters
    )
    ReportClosedDay.objects.bulk_create(
        ReportClosedDay(date=dt.date(2026, 2, day), summarized_at=at(0, 0)) for day in range(1, 29)
    )
    report = report_figures(ReportScope(date_from=dt.date(2026, 2, 3), date_to=dt.date(2026, 2, 25)), today=TODAY)
    expanded = (
        "FROM queueing_reportminutes, generate_series(1, count) "
        "WHERE span = 'd' AND start BETWEEN '2026-02-03' AND '2026-02-25'"
    )
    cents = "percentile_cont(0.5) WITHIN GROUP (ORDER BY minutes), percentile_cont(0.9) WITHIN GROUP (ORDER BY minutes)"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT counter_id, measure, {cents} {expanded} GROUP BY counter_id, measure")
        per_counter = cursor.fetchall()
        cursor.execute(f"SELECT measure, {cents} {expanded} GROUP BY measure")
        in_all = cursor.fetchall()
    counters = {row.key: row for row in report.by_counter}
    checked = [(counters[counter], measure, p50, p90) for counter, measure, p50, p90 in per_counter]
    checked += [(report.total, measure, p50, p90) for measure, p50, p90 in in_all]
    assert len(checked) == 8
    for figures, measure, p50, p90 in checked:
        name = "wait" if measure == "w" else "service"
        assert getattr(figures, f"{name}_p50") == pytest.approx(p50, abs=0.005)
        assert getattr(figures, f"{name}_p90") == pytest.approx(p90, abs=0.005)
