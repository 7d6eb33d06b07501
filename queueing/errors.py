"""Errors of the queueing services, each with a code clients can act on, and how the
API answers them."""

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from rest_framework.response import Response


def _fill(message, values: dict) -> str:
    return str(message) % values


# A translatable message with its values, still translated only when shown: the kiosk
# shows a refusal in both languages, whatever language raised it.
filled = lazy(_fill, str)


class QueueError(Exception):
    """A request that cannot be granted. ``field`` names the input at fault (a 400 at
    that field); ``forbidden`` means the user may not act on it (a 403); otherwise the
    request conflicts with the current state (a 409). ``conflict`` with a ``field``: a
    409 shown at that field (a limit the input has reached, not a wrong input)."""

    def __init__(
        self, code: str, message, *, field: str | None = None, forbidden: bool = False, conflict: bool = False
    ) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field
        self.forbidden = forbidden
        self.conflict = conflict


class Busy(QueueError):
    """A lock could not be had in time: the client should try again."""

    def __init__(self) -> None:
        super().__init__(
            "busy",
            _("Sistem sedang sibuk, silakan coba lagi sebentar."),
        )


def refusal(error: QueueError) -> tuple[dict, int, dict]:
    """A refused request as the API answers it (body, status, headers): 400 at the
    field, 403, 409 or 503."""
    if isinstance(error, Busy):
        return {"detail": str(error.message), "code": error.code}, 503, {"Retry-After": "1"}
    if error.forbidden:
        return {"detail": str(error.message), "code": error.code}, 403, {}
    if error.field and error.conflict:
        message = str(error.message)
        return {error.field: [message], "detail": message, "code": error.code}, 409, {}
    if error.field:
        return {error.field: [str(error.message)], "code": error.code}, 400, {}
    return {"detail": str(error.message), "code": error.code}, 409, {}


def error_response(error: QueueError) -> Response:
    body, code, headers = refusal(error)
    return Response(body, status=code, headers=headers)
