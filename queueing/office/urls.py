"""The DPMPTSP office's reports and its help desk."""

from django.urls import path

from queueing.office import area, floor_views, ikm_api, ikm_views, mou, transparency_views, views
from queueing.office.complaints import urls as complaints
from queueing.office.reports import api as report_api
from queueing.office.reports import views as report_views

HELP_DESK = "kantor/meja-bantuan/"
BOOKING = f"{HELP_DESK}pemesanan/<str:booking_code>/"

urlpatterns = [
    path("kantor/", area.office_home, name="office-home"),
    path("kantor/mou/", mou.office_mou, name="office-mou"),
    path("kantor/ikm/", ikm_views.ikm_page, name="office-ikm"),
    path("api/v1/reports/ikm/", ikm_api.IkmReportView.as_view(), name="api-report-ikm"),
    path("kantor/laporan/", report_views.report_page, name="office-report"),
    path("api/v1/reports/summary/", report_api.SummaryReportView.as_view(), name="api-report-summary"),
    path(HELP_DESK, views.help_desk_home, name="help-desk"),
    path(f"{HELP_DESK}pesan/", views.help_desk_book_page, name="help-desk-book"),
    path(BOOKING, views.help_desk_booking, name="help-desk-booking"),
    path(f"{BOOKING}pindah/", views.help_desk_move_page, name="help-desk-move"),
    path(f"{BOOKING}batal/", views.help_desk_cancel_page, name="help-desk-cancel"),
    path(f"{BOOKING}kirim-ulang/", views.help_desk_resend_page, name="help-desk-resend"),
    path(f"{BOOKING}cetak/", views.help_desk_print_page, name="help-desk-print"),
    path("kantor/lantai/", floor_views.floor_page, name="office-floor"),
    path("api/v1/reports/floor/", floor_views.FloorOverviewView.as_view(), name="api-report-floor"),
    path("transparansi/", transparency_views.transparency_page, name="transparency"),
    path("api/v1/transparency/", transparency_views.TransparencyView.as_view(), name="api-transparency"),
    *complaints.urlpatterns,
]
