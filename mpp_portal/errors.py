"""The answers when no view answers: under ``/api/`` JSON as the contract promises
(``{"detail": …}``), elsewhere the portal's pages. A database that cannot be reached
(restarting, failing over) is a 503 with ``Retry-After``, never a 500."""

import sys

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext, gettext_noop
from django.views import csrf, defaults

# Seconds a client waits before it tries again while the database is away: about as
# long as PostgreSQL takes to restart.
RETRY_AFTER_SECONDS = 5


def _api(request) -> bool:
    return request.path.startswith("/api/")


def _json(detail: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def _database_away(error: BaseException | None) -> bool:
    """Whether ``error`` (or what caused it) is the database refusing or dropping the
    connection, rather than a fault of the request."""
    while error is not None:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ or error.__context__
    return False


def unavailable(request) -> HttpResponse:
    """503 while the database is away: JSON for the API, a plain page (no database
    needed to draw it) for the rest; both say when to try again."""
    if _api(request):
        response = _json(gettext("Layanan sedang tidak tersedia sebentar. Silakan coba lagi."), 503)
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def bad_request(request, exception):
    if isinstance(exception, RequestDataTooBig):
        detail = gettext("Permintaan terlalu besar.")
        if _api(request):
            return _json(detail, 413)
        return HttpResponse(detail, status=413, content_type="text/plain; charset=utf-8")
    if _api(request):
        return _json(gettext("Permintaan tidak sah."), 400)
    return defaults.bad_request(request, exception)


def _json_or_page(message: str, status: int, page):
    """A handler that answers ``message`` as JSON under /api/ and ``page`` elsewhere."""

    def handler(request, exception):
        if _api(request):
            return _json(gettext(message), status)
        return page(request, exception)

    return handler


permission_denied = _json_or_page(
    gettext_noop("Anda tidak memiliki izin untuk tindakan ini."), 403, defaults.permission_denied
)
not_found = _json_or_page(gettext_noop("Tidak ditemukan."), 404, defaults.page_not_found)


def csrf_failure(request, reason=""):
    if _api(request):
        return _json(gettext("Pemeriksaan CSRF gagal: muat ulang halaman lalu coba lagi."), 403)
    return csrf.csrf_failure(request, reason)


def server_error(request):
    # Called while the exception is being handled, so it is still at hand.
    if _database_away(sys.exc_info()[1]):
        return unavailable(request)
    if _api(request):
        return _json(gettext("Terjadi kesalahan di server."), 500)
    return defaults.server_error(request)
