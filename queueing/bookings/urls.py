"""The citizen's booking pages and the booking API. Days are YYYY-MM-DD and slot times
HHMM in the pages' URLs; the views parse them, so an impossible date gets the portal's
page, not a bare 404."""

import datetime as dt

from django.urls import path, register_converter

from queueing.bookings import api, views


class DayConverter:
    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: dt.date | str) -> str:
        return value.isoformat() if isinstance(value, dt.date) else value


class TimeConverter:
    regex = r"[0-9]{4}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DayConverter, "booking_day")
register_converter(TimeConverter, "booking_time")

SERVICE = "instansi/<slug:code>/layanan/<slug:service_code>/pesan/"
BOOKING = "pemesanan/<str:booking_code>/"

api_paths = [
    path("api/v1/services/<int:pk>/slots/", api.SlotListView.as_view(), name="api-slots"),
    path("api/v1/bookings/", api.BookingCreateView.as_view(), name="api-booking-create"),
    path("api/v1/bookings/<str:code>/", api.BookingDetailView.as_view(), name="api-booking"),
    path("api/v1/bookings/<str:code>/cancel/", api.BookingCancelView.as_view(), name="api-booking-cancel"),
    path("api/v1/bookings/<str:code>/reschedule/", api.BookingRescheduleView.as_view(), name="api-booking-reschedule"),
]

pages = [
    path(SERVICE, views.booking_days, name="booking-days"),
    path(f"{SERVICE}<booking_day:day>/", views.booking_slots, name="booking-slots"),
    path(f"{SERVICE}<booking_day:day>/<booking_time:time>/", views.booking_form, name="booking-form"),
    path("pemesanan/", views.booking_lookup, name="booking-lookup"),
    path("pemesanan/lupa-kode/", views.booking_code_recovery, name="booking-code-recovery"),
    path("pemesanan/lupa-kode/terkirim/", views.booking_code_recovery_sent, name="booking-code-recovery-sent"),
    path(BOOKING, views.booking_detail, name="booking-detail"),
    path(f"{BOOKING}kalender.ics", views.booking_ics, name="booking-ics"),
    path(f"{BOOKING}batal/", views.booking_cancel_page, name="booking-cancel"),
    path(f"{BOOKING}jadwal-ulang/", views.booking_reschedule_days, name="booking-reschedule"),
    path(f"{BOOKING}jadwal-ulang/<booking_day:day>/", views.booking_reschedule_slots, name="booking-reschedule-slots"),
    path(
        f"{BOOKING}jadwal-ulang/<booking_day:day>/<booking_time:time>/",
        views.booking_reschedule_confirm,
        name="booking-reschedule-confirm",
    ),
]

urlpatterns = api_paths + pages
