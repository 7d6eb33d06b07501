"""``GET /api/v1/reports/summary/``: the queue report as JSON, or with ``format=csv``
(one table, ``table=`` names it, the summary by default) or ``format=xlsx`` (every
table, or the one named) as a file. For DPMPTSP's administrators (every agency) and
the agencies' supervisors (their own: asking for another agency is a 403)."""

import datetime as dt

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from queueing.office.access import can_use_office
from queueing.office.reports.exports import XLSX, report_file
from queueing.office.reports.figures import Figures, Report, report_figures
from queueing.office.reports.filters import FORBIDDEN, FORMATS, TABLES, ReportForbidden, ReportForm


class IsOfficeStaff(permissions.IsAuthenticated):
    """DPMPTSP's administrators and the agencies' supervisors (the office area's people)."""

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and can_use_office(request.user)


class JSONAlways(DefaultContentNegotiation):
    """``format`` is the report's own parameter (csv, xlsx), not DRF's renderer switch:
    the answer's errors are JSON whatever it asks for."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class MinutesOutput(serializers.Serializer):
    """Null while no entry has the time measured."""

    mean = serializers.FloatField(allow_null=True)
    p50 = serializers.FloatField(allow_null=True)
    p90 = serializers.FloatField(allow_null=True)


class TargetOutput(serializers.Serializer):
    called = serializers.IntegerField(help_text="Entries called at least once")
    within = serializers.IntegerField(help_text="Of those, called within their service's waiting-time target")
    share = serializers.FloatField(allow_null=True)


class CountsOutput(serializers.Serializer):
    tickets = serializers.IntegerField(help_text="Tickets issued (queue entries that began a visit)")
    bookings = serializers.IntegerField()
    walk_ins = serializers.IntegerField()
    transferred_in = serializers.IntegerField()
    entries = serializers.IntegerField(help_text="Queue entries: tickets issued plus entries by transfer")
    served = serializers.IntegerField()
    no_shows = serializers.IntegerField()
    transfers = serializers.IntegerField(help_text="Entries transferred on to another service")
    expired = serializers.IntegerField()
    waiting_minutes = MinutesOutput()
    within_target = TargetOutput()
    service_minutes = MinutesOutput()


class NamedOutput(CountsOutput):
    id = serializers.IntegerField(allow_null=True, help_text="Null for entries never called (no counter, no officer)")
    name = serializers.CharField()


class DayOutput(CountsOutput):
    date = serializers.DateField()


class WeekdayOutput(CountsOutput):
    weekday = serializers.IntegerField(help_text="1 Monday … 7 Sunday")
    days = serializers.IntegerField(help_text="Days of this weekday with tickets")


class HourOutput(serializers.Serializer):
    hour = serializers.IntegerField()
    entries = serializers.IntegerField()
    tickets = serializers.IntegerField()
    waiting_minutes_mean = serializers.FloatField(allow_null=True)
    within_target = TargetOutput()


class ReportPeriodOutput(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()


class SummaryOutput(CountsOutput):
    period = ReportPeriodOutput()
    agency = serializers.IntegerField(allow_null=True)
    service = serializers.IntegerField(allow_null=True)
    live_days = serializers.IntegerField(help_text="Days read from the history (not kept yet): today, usually")
    by_hour = HourOutput(many=True)
    by_day = DayOutput(many=True)
    by_weekday = WeekdayOutput(many=True)
    by_agency = NamedOutput(many=True)
    by_service = NamedOutput(many=True)
    by_counter = NamedOutput(many=True)
    by_officer = NamedOutput(many=True)


def _counts(f: Figures) -> dict:
    return {
        "tickets": f.issued,
        "bookings": f.issued_booked,
        "walk_ins": f.walk_ins,
        "transferred_in": f.transferred_in,
        "entries": f.entries,
        "served": f.served,
        "no_shows": f.no_shows,
        "transfers": f.transferred_out,
        "expired": f.expired,
        "waiting_minutes": {"mean": f.wait_mean, "p50": f.wait_p50, "p90": f.wait_p90},
        "within_target": {"called": f.called, "within": f.within_target, "share": f.within_target_share},
        "service_minutes": {"mean": f.service_mean, "p50": f.service_p50, "p90": f.service_p90},
    }


def _named(rows: list[Figures]) -> list[dict]:
    return [{"id": row.key, "name": row.name} | _counts(row) for row in rows]


def summary_json(report: Report) -> dict:
    scope = report.scope
    return _counts(report.total) | {
        "period": {"date_from": scope.date_from, "date_to": scope.date_to},
        "agency": scope.agency_id,
        "service": scope.service_id,
        "live_days": report.live_days,
        "by_hour": [
            {
                "hour": row.key,
                "entries": row.entries,
                "tickets": row.issued,
                "waiting_minutes_mean": row.wait_mean,
                "within_target": {"called": row.called, "within": row.within_target, "share": row.within_target_share},
            }
            for row in report.by_hour
        ],
        "by_day": [{"date": row.key} | _counts(row) for row in report.by_day],
        "by_weekday": [{"weekday": row.key, "days": row.days} | _counts(row) for row in report.by_weekday],
        "by_agency": _named(report.by_agency),
        "by_service": _named(report.by_service),
        "by_counter": _named(report.by_counter),
        "by_officer": _named(report.by_officer),
    }


PARAMETERS = [
    OpenApiParameter("agency", int, description="Agency id; a supervisor may ask only for their own"),
    OpenApiParameter("service", int),
    OpenApiParameter("date_from", dt.date, description="Default: the first day of date_to's month"),
    OpenApiParameter("date_to", dt.date, description="Default: today; at most 366 days after date_from"),
    OpenApiParameter("format", str, enum=FORMATS, description="json (default), csv or xlsx"),
    OpenApiParameter("table", str, enum=TABLES, description="The table of a csv (default summary) or xlsx file"),
]


class SummaryReportView(APIView):
    """Tickets (bookings and walk-ins), served, no-shows, transfers, waiting time (entering
    the queue → first call) and service time (start → completion) as mean, median and
    90th percentile, the share called within the service's waiting-time target, per
    hour, day, weekday, agency, service, counter and officer."""

    permission_classes = [IsOfficeStaff]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONAlways

    @extend_schema(
        parameters=PARAMETERS,
        responses={
            (200, "application/json"): SummaryOutput,
            (200, "text/csv"): OpenApiTypes.STR,
            (200, XLSX): OpenApiTypes.BINARY,
        },
    )
    def get(self, request):
        form = ReportForm(request.query_params, user=request.user, today=timezone.localdate())
        try:
            form.check_access()
        except ReportForbidden:
            raise PermissionDenied(FORBIDDEN) from None
        if not form.is_valid():
            raise ValidationError(form.error_lists())
        report = report_figures(form.scope(), today=form.today)
        file_format = form.cleaned_data.get("format") or "json"
        if file_format != "json":
            return report_file(report, file_format=file_format, table=form.cleaned_data.get("table") or None)
        return Response(summary_json(report))
