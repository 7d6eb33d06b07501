from django.urls import path

from mpp_portal.urls import urlpatterns as portal_urlpatterns
from tests.bench.floor import floor_lock_insert

urlpatterns = [
    path("bench/floor/<int:row>/", floor_lock_insert),
    *portal_urlpatterns,
]
