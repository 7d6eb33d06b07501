"""The survey's pages and its API."""

from django.urls import path

from queueing.surveys import api, public, views

urlpatterns = [
    path("api/v1/surveys/", api.SurveyCreateView.as_view(), name="api-survey-create"),
    path("survei/<str:code>/", views.survey, name="survey"),
    # The tablet an officer hands over at the counter, and the neutral screen after it.
    path("petugas/survei/terima-kasih/", views.survey_handover_done, name="officer-survey-done"),
    path("petugas/survei/<str:code>/", views.survey_handover, name="officer-survey"),
    # The citizens' suggestions, for the agency's staff and DPMPTSP.
    path("petugas/saran/", views.suggestions, name="officer-suggestions"),
    # The published IKM, for everyone.
    path("ikm/", public.ikm_index, name="ikm-public"),
    path("ikm/<slug:code>/", public.ikm_agency, name="ikm-public-agency"),
]
