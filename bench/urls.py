from django.urls import path

from bench.floor import floor_lock_insert
from mpp_portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("bench/floor/<int:row>/", floor_lock_insert),
    *portal_urlpatterns,
]
