from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from agencies.api import AgencyViewSet, CounterViewSet, TokenView
from mpp_portal.health import livez, readyz
from services.api import ServiceViewSet

router = DefaultRouter()
router.register("agencies", AgencyViewSet, basename="agency")
router.register("services", ServiceViewSet, basename="service")
router.register("counters", CounterViewSet, basename="counter")

urlpatterns = [
    path("healthz", readyz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("livez", livez, name="livez"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/auth/token/", TokenView.as_view(), name="api-token"),
    path("", include("queueing.urls")),
    path("", include("agencies.urls")),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script from a URL of its own, not
    # inline, so the content security policy needs no 'unsafe-inline'.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    # Redoc builds its styles in <style> elements at run time (styled-components), which
    # a nonce cannot reach from outside its bundle: the one page whose styles may be
    # inline. Its scripts stay as strict as everywhere else.
    path(
        "api/redoc/",
        csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularRedocView.as_view(url_name="schema")),
        name="api-redoc",
    ),
    path("", include("services.urls")),
]

# No URL serves MEDIA_ROOT, not even with DEBUG: the uploads are signed MoUs, which
# agencies.views serves to the staff who may read them.

handler400 = "mpp_portal.errors.bad_request"
handler403 = "mpp_portal.errors.permission_denied"
handler404 = "mpp_portal.errors.not_found"
handler500 = "mpp_portal.errors.server_error"
