"""The queue report page of the office area (``/kantor/laporan/``): a filter form (the
period, the agency for administrators, the service), the figures as tables, charts by
hour, day and agency, each table's CSV and Excel file (``/api/v1/reports/summary/``
with ``format``), and a print layout. A supervisor asking for another agency gets 403;
bad filters are answered at their field (400), never with a server error."""

import datetime as dt

from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from agencies.models import Agency
from queueing.office import charts
from queueing.office.access import office_staff
from queueing.office.reports.figures import Report, ReportScope, report_figures
from queueing.office.reports.filters import FORBIDDEN, ReportForbidden, ReportForm
from queueing.office.reports.summaries import month_start
from queueing.office.reports.tables import WEEKDAYS, report_tables


def _query(scope, **extra) -> str:
    query = QueryDict(mutable=True)
    query["date_from"], query["date_to"] = scope.date_from.isoformat(), scope.date_to.isoformat()
    if scope.agency_id:
        query["agency"] = str(scope.agency_id)
    if scope.service_id:
        query["service"] = str(scope.service_id)
    query.update(extra)
    return query.urlencode()


def _charts(report: Report, *, with_agencies: bool) -> list[charts.BarChart]:
    found = [
        charts.column_chart(
            "chart-hour",
            _("Antrean masuk per jam"),
            [(f"{row.key:02d}.00", row.entries) for row in report.by_hour],
            table_id="table-by_hour",
            unit=_("antrean"),
        ),
        charts.column_chart(
            "chart-day",
            _("Tiket per hari"),
            [(row.key.strftime("%d/%m"), row.issued) for row in report.by_day],
            table_id="table-by_day",
            unit=_("tiket"),
        ),
        charts.column_chart(
            "chart-weekday",
            _("Rata-rata tiket per hari dalam pekan"),
            [(str(WEEKDAYS[row.key]), row.issued_per_day or 0) for row in report.by_weekday],
            table_id="table-by_weekday",
            unit=_("tiket per hari"),
        ),
    ]
    if with_agencies:
        found.append(
            charts.row_chart(
                "chart-agency",
                _("Tiket per instansi"),
                [(row.name, row.issued) for row in report.by_agency],
                table_id="table-by_agency",
                unit=_("tiket"),
            )
        )
    return found


def _periods(today: dt.date, scope: ReportScope | None) -> list[tuple[str, str]]:
    """Quick choices of period, keeping the agency and service shown: (name, query)."""
    this_month = month_start(today)
    last_month_end = this_month - dt.timedelta(days=1)
    choices = [
        (_("Bulan ini"), this_month, today),
        (_("Bulan lalu"), month_start(last_month_end), last_month_end),
        (_("30 hari terakhir"), today - dt.timedelta(days=29), today),
        (_("365 hari terakhir"), today - dt.timedelta(days=364), today),
    ]
    agency, service = (scope.agency_id, scope.service_id) if scope else (None, None)
    return [(name, _query(ReportScope(first, last, agency, service))) for name, first, last in choices]


@require_safe
@office_staff
def report_page(request):
    today = timezone.localdate()
    form = ReportForm(request.GET, user=request.user, today=today)
    try:
        form.check_access()
    except ReportForbidden:
        return render(request, "office/reports/forbidden.html", {"message": FORBIDDEN, "nav": "reports"}, status=403)
    context = {"nav": "reports", "form": form}
    if form.scope_agency is not None:
        context["scope_agency"] = Agency.objects.filter(pk=form.scope_agency).first()
    if not form.is_valid():
        context["periods"] = _periods(today, None)
        return render(request, "office/reports/report.html", context, status=400)
    scope = form.scope()
    context["periods"] = _periods(today, scope)
    report = report_figures(scope, today=today)
    with_agencies = scope.agency_id is None
    tables = report_tables(report, with_agencies=with_agencies)
    files = reverse("api-report-summary")
    for table in tables:
        table.csv_url = f"{files}?{_query(scope, format='csv', table=table.key)}"
        table.xlsx_url = f"{files}?{_query(scope, format='xlsx', table=table.key)}"
    context |= {
        "report": report,
        "scope": scope,
        "agency": Agency.objects.filter(pk=scope.agency_id).first() if scope.agency_id else None,
        "service": form.cleaned_data.get("service"),
        "tables": tables,
        "charts": _charts(report, with_agencies=with_agencies),
        "workbook_url": f"{files}?{_query(scope, format='xlsx')}",
    }
    return render(request, "office/reports/report.html", context)
