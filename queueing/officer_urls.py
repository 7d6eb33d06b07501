"""The officer's pages (login, counters, console) and the display board."""

from django.contrib.auth.views import LogoutView
from django.urls import path

from queueing import officer_views

urlpatterns = [
    path("petugas/masuk/", officer_views.OfficerLoginView.as_view(), name="officer-login"),
    path("petugas/keluar/", LogoutView.as_view(next_page="officer-login"), name="officer-logout"),
    path("petugas/", officer_views.counter_list, name="officer-home"),
    path("petugas/loket/<int:pk>/", officer_views.console, name="officer-console"),
    path("petugas/loket/<int:pk>/state.json", officer_views.console_state, name="officer-console-state"),
    path("papan/", officer_views.board, name="display-board"),
]
