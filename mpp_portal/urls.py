from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from agencies.api import AgencyViewSet, CounterViewSet, TokenView
from mpp_portal.health import healthz
from queueing.api import (
    BookingCancelView,
    BookingCreateView,
    BookingDetailView,
    BookingRescheduleView,
    SlotListView,
)
from queueing.report_api import IkmReportView, SummaryReportView, SurveyCreateView
from queueing.ticket_api import (
    BookingCheckInView,
    CallNextView,
    CounterPauseView,
    DisplayView,
    TicketActionView,
    TicketCreateView,
    TicketDetailView,
)
from services.api import ServiceViewSet

router = DefaultRouter()
router.register("agencies", AgencyViewSet, basename="agency")
router.register("services", ServiceViewSet, basename="service")
router.register("counters", CounterViewSet, basename="counter")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/auth/token/", TokenView.as_view(), name="api-token"),
    path("api/v1/services/<int:pk>/slots/", SlotListView.as_view(), name="api-slots"),
    path("api/v1/bookings/", BookingCreateView.as_view(), name="api-booking-create"),
    path("api/v1/bookings/<str:code>/", BookingDetailView.as_view(), name="api-booking"),
    path("api/v1/bookings/<str:code>/cancel/", BookingCancelView.as_view(), name="api-booking-cancel"),
    path("api/v1/bookings/<str:code>/reschedule/", BookingRescheduleView.as_view(), name="api-booking-reschedule"),
    path("api/v1/bookings/<str:code>/check-in/", BookingCheckInView.as_view(), name="api-booking-check-in"),
    path("api/v1/tickets/", TicketCreateView.as_view(), name="api-ticket-create"),
    path("api/v1/tickets/<str:code>/", TicketDetailView.as_view(), name="api-ticket"),
    path("api/v1/tickets/<str:code>/<str:action>/", TicketActionView.as_view(), name="api-ticket-action"),
    path("api/v1/counters/<int:pk>/call-next/", CallNextView.as_view(), name="api-counter-call-next"),
    path("api/v1/counters/<int:pk>/pause/", CounterPauseView.as_view(), name="api-counter-pause"),
    path("api/v1/display/", DisplayView.as_view(), name="api-display"),
    path("api/v1/surveys/", SurveyCreateView.as_view(), name="api-survey-create"),
    path("api/v1/reports/ikm/", IkmReportView.as_view(), name="api-report-ikm"),
    path("api/v1/reports/summary/", SummaryReportView.as_view(), name="api-report-summary"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("", include("queueing.floor_urls")),
    path("", include("queueing.urls")),
    path("", include("services.urls")),
]

# Uploaded MoU documents are staff-only files; only the admin links to them. In
# production a reverse proxy serves MEDIA_ROOT behind the same login.
if settings.DEBUG:
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))
