"""The office's report figures kept per closed day, so a year's report reads a few
thousand rows instead of every ticket's history (docs/decisions/0018-report-summaries.md).

Every row is derived from the tickets' history (``Ticket``, ``ServiceRequest``,
``TicketEvent``) by ``queueing.office.reports.summaries`` and can be written again from
it at any time: these tables hold no fact of their own. Their references are therefore
plain columns without database constraints or indexes of their own (the history keeps
the real ones), and a day's rows are replaced, never edited.

The unit counted is a queue entry: a service request of a visit (``ServiceRequest``),
which waits in one service's queue, is called, served, marked no-show, transferred on
or left to expire. A visit is counted on the day its ticket was issued (``Ticket.date``,
Asia/Jakarta), even when its history runs past midnight."""

from django.conf import settings
from django.db import models

from agencies.models import Agency, Counter
from services.models import Service


def _reference(model, **options):
    return models.ForeignKey(
        model, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+", **options
    )


class ReportClosedDay(models.Model):
    """A day whose figures are kept in the report tables: written in the transaction
    that writes them, so a report reads a day either from its rows or, while it has
    none, from the history itself (today, or a day not yet summarised)."""

    date = models.DateField(primary_key=True)
    summarized_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.date}"


class ReportDay(models.Model):
    """One day's counts and time sums for one service, counter and officer (the counter
    and officer that last handled an entry; none for an entry never called)."""

    date = models.DateField()
    agency = _reference(Agency)
    service = _reference(Service)
    counter = _reference(Counter, null=True)
    officer = _reference(settings.AUTH_USER_MODEL, null=True)
    entries = models.PositiveIntegerField(default=0)
    issued = models.PositiveIntegerField(default=0)
    issued_booked = models.PositiveIntegerField(default=0)
    transferred_in = models.PositiveIntegerField(default=0)
    served = models.PositiveIntegerField(default=0)
    no_shows = models.PositiveIntegerField(default=0)
    transferred_out = models.PositiveIntegerField(default=0)
    expired = models.PositiveIntegerField(default=0)
    # Entries called at least once: their waiting time (entry → first call) is known.
    called = models.PositiveIntegerField(default=0)
    wait_seconds = models.BigIntegerField(default=0)
    # Of those, the ones called within their service's waiting-time target as it stood
    # when the day was summarised.
    within_target = models.PositiveIntegerField(default=0)
    # Served entries with a start and a completion: their service time is known.
    timed = models.PositiveIntegerField(default=0)
    service_seconds = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["date", "agency"], name="report_day_idx")]

    def __str__(self) -> str:
        return f"{self.date} {self.service_id}"


class ReportHour(models.Model):
    """One day's entries and waits for one service by the hour (Asia/Jakarta) they
    entered its queue."""

    date = models.DateField()
    agency = _reference(Agency)
    service = _reference(Service)
    hour = models.PositiveSmallIntegerField()
    entries = models.PositiveIntegerField(default=0)
    issued = models.PositiveIntegerField(default=0)
    called = models.PositiveIntegerField(default=0)
    wait_seconds = models.BigIntegerField(default=0)
    within_target = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["date", "agency"], name="report_hour_idx")]

    def __str__(self) -> str:
        return f"{self.date} {self.hour:02d} {self.service_id}"


class ReportSpan(models.TextChoices):
    DAY = "d", "day"
    MONTH = "m", "month"


class ReportMeasure(models.TextChoices):
    WAIT = "w", "waiting time"
    SERVICE = "s", "service time"


class ReportMinutes(models.Model):
    """How many entries waited (or were served for) so many minutes, a minute begun
    counting as a whole one: the histogram the medians and 90th percentiles are read
    from. Kept per day, and per month (``start`` is the month's first day: the sum of
    that month's summarised days, written again with each), so a year reads twelve
    months of rows."""

    span = models.CharField(max_length=1, choices=ReportSpan.choices)
    start = models.DateField()
    agency = _reference(Agency)
    service = _reference(Service)
    counter = _reference(Counter, null=True)
    officer = _reference(settings.AUTH_USER_MODEL, null=True)
    measure = models.CharField(max_length=1, choices=ReportMeasure.choices)
    minutes = models.PositiveIntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["span", "start", "agency"], name="report_minutes_idx")]

    def __str__(self) -> str:
        return f"{self.span}{self.start} {self.measure}{self.minutes}×{self.count}"
