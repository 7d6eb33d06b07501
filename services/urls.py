from django.urls import path

from services import views

urlpatterns = [
    path("", views.home, name="home"),
    path("instansi/<slug:code>/", views.agency_detail, name="agency"),
    path("instansi/<slug:code>/layanan/<slug:service_code>/", views.service_detail, name="service"),
]
