"""Every URL of the queueing app: each slice's pages and API."""

from django.urls import include, path

urlpatterns = [
    path("", include("queueing.bookings.urls")),
    path("", include("queueing.floor.urls")),
    path("", include("queueing.surveys.urls")),
    path("", include("queueing.office.urls")),
]
