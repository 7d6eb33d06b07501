"""The survey page and its API."""

from django.urls import path

from queueing.surveys import api, views

urlpatterns = [
    path("api/v1/surveys/", api.SurveyCreateView.as_view(), name="api-survey-create"),
    path("survei/<str:code>/", views.survey, name="survey"),
]
