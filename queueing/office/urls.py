"""The DPMPTSP office's reports."""

from django.urls import path

from queueing.office import api

urlpatterns = [
    path("api/v1/reports/ikm/", api.IkmReportView.as_view(), name="api-report-ikm"),
    path("api/v1/reports/summary/", api.SummaryReportView.as_view(), name="api-report-summary"),
]
