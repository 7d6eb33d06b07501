"""The answers when no view answers: under ``/api/`` JSON as the contract promises
(``{"detail": …}``), elsewhere the portal's pages."""

from django.http import JsonResponse
from django.utils.translation import gettext
from django.views import defaults


def _api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception):
    if _api(request):
        return JsonResponse({"detail": gettext("Tidak ditemukan.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _api(request):
        return JsonResponse({"detail": gettext("Terjadi kesalahan di server.")}, status=500)
    return defaults.server_error(request)
