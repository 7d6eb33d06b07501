"""The queue floor's pages, per audience, its live event stream, and its API."""

from django.contrib.auth.views import LogoutView
from django.urls import path

from queueing.floor import api
from queueing.floor.views import citizen, display, kiosk, live, officer

pages = [
    # The kiosk at the mall entrance.
    path("kiosk/", kiosk.kiosk_home, name="kiosk-home"),
    path("kiosk/masuk/", kiosk.KioskLoginView.as_view(), name="kiosk-login"),
    path("kiosk/check-in/", kiosk.kiosk_check_in, name="kiosk-check-in"),
    path("kiosk/lupa-kode/", kiosk.kiosk_code_recovery, name="kiosk-code-recovery"),
    path("kiosk/lupa-kode/terkirim/", kiosk.kiosk_code_recovery_sent, name="kiosk-code-recovery-sent"),
    path("kiosk/tiket/<path:code>/", kiosk.kiosk_ticket, name="kiosk-ticket"),
    path("kiosk/instansi/<slug:agency_code>/", kiosk.kiosk_agency, name="kiosk-agency"),
    path("kiosk/instansi/<slug:agency_code>/<slug:service_code>/", kiosk.kiosk_service, name="kiosk-service"),
    # The citizen's ticket page, which the receipt's QR code opens.
    path("antrean/<path:code>/", citizen.citizen_ticket, name="citizen-ticket"),
    # The officer: login, counters, console.
    path("petugas/masuk/", officer.OfficerLoginView.as_view(), name="officer-login"),
    path("petugas/keluar/", LogoutView.as_view(next_page="officer-login"), name="officer-logout"),
    path("petugas/", officer.counter_list, name="officer-home"),
    path("petugas/loket/<int:pk>/", officer.console, name="officer-console"),
    path("petugas/loket/<int:pk>/state.json", officer.console_state, name="officer-console-state"),
    # The display board, and the stream the board and the console listen to.
    path("papan/", display.board, name="display-board"),
    path("live/events/", live.events, name="live-events"),
]

api_paths = [
    path("api/v1/bookings/<str:code>/check-in/", api.BookingCheckInView.as_view(), name="api-booking-check-in"),
    path("api/v1/tickets/", api.TicketCreateView.as_view(), name="api-ticket-create"),
    path("api/v1/tickets/<str:code>/", api.TicketDetailView.as_view(), name="api-ticket"),
    path("api/v1/tickets/<str:code>/<str:action>/", api.TicketActionView.as_view(), name="api-ticket-action"),
    path("api/v1/counters/<int:pk>/call-next/", api.CallNextView.as_view(), name="api-counter-call-next"),
    path("api/v1/counters/<int:pk>/pause/", api.CounterPauseView.as_view(), name="api-counter-pause"),
    path("api/v1/display/", api.DisplayView.as_view(), name="api-display"),
]

urlpatterns = api_paths + pages
