"""Keeping the closed days' figures: beat's hourly task, and ``manage.py
report_summaries`` for a range written again."""

import datetime as dt
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from queueing.models import ReportClosedDay, ReportDay, ReportMinutes
from queueing.office.reports.summaries import report_days_write
from queueing.office.reports.tasks import summarize_report_days

from .conftest import DAY

pytestmark = pytest.mark.django_db


def test_the_hourly_task_closes_every_day_up_to_yesterday(history):
    days = (timezone.localdate() - DAY).days
    assert summarize_report_days() == days
    assert ReportClosedDay.objects.count() == days
    assert not ReportClosedDay.objects.filter(date=timezone.localdate()).exists()
    assert ReportDay.objects.filter(date=DAY).exists()
    assert summarize_report_days() == 0  # nothing left to close


def test_nothing_to_close_without_tickets(db):
    assert summarize_report_days() == 0


def test_the_command_writes_a_range_again(history):
    call_command("report_summaries", stdout=StringIO())
    ReportDay.objects.filter(date=DAY).delete()
    out = StringIO()
    call_command("report_summaries", "--from", DAY.isoformat(), "--to", DAY.isoformat(), stdout=out)
    assert "1 hari ditulis ulang." in out.getvalue()
    assert ReportDay.objects.filter(date=DAY).exists()


def test_the_command_refuses_bad_dates(db):
    with pytest.raises(CommandError, match="Tanggal tidak sah"):
        call_command("report_summaries", "--from", "kemarin")
    with pytest.raises(CommandError, match="Rentang kosong"):
        call_command("report_summaries", "--from", (timezone.localdate() + dt.timedelta(days=3)).isoformat())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two writers at once need PostgreSQL")
def test_two_runs_at_once_write_each_row_once(history, transactional_db):
    """Beat's run and the command (or two beats) on the same days: one waits for the
    other, neither fails, and no row is written twice."""
    report_days_write(days=[DAY])
    alone = (ReportDay.objects.count(), ReportMinutes.objects.filter(span="m").count())
    start, errors = threading.Barrier(2), []

    def write():
        try:
            start.wait(5)
            report_days_write(days=[DAY])
        except Exception as error:  # noqa: BLE001 - any failure fails the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert (ReportDay.objects.count(), ReportMinutes.objects.filter(span="m").count()) == alone
    assert ReportClosedDay.objects.filter(date=DAY).count() == 1
