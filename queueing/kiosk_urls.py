"""The kiosk at the mall entrance, and the citizen's ticket page its QR code opens."""

from django.urls import path

from queueing import kiosk_views

urlpatterns = [
    path("kiosk/", kiosk_views.kiosk_home, name="kiosk-home"),
    path("kiosk/check-in/", kiosk_views.kiosk_check_in, name="kiosk-check-in"),
    path("kiosk/tiket/<path:code>/", kiosk_views.kiosk_ticket, name="kiosk-ticket"),
    path("kiosk/instansi/<slug:agency_code>/", kiosk_views.kiosk_agency, name="kiosk-agency"),
    path("kiosk/instansi/<slug:agency_code>/<slug:service_code>/", kiosk_views.kiosk_service, name="kiosk-service"),
    path("antrean/<path:code>/", kiosk_views.citizen_ticket, name="citizen-ticket"),
]
