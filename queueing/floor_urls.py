"""Pages of the queue floor: kiosk, officer console, display board, the ticket page,
and the live event stream they listen to."""

from django.urls import include, path

from queueing import live_views, survey_views

urlpatterns = [
    path("live/events/", live_views.events, name="live-events"),
    path("survei/<str:code>/", survey_views.survey, name="survey"),
    path("", include("queueing.kiosk_urls")),
    path("", include("queueing.officer_urls")),
]
