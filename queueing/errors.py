"""Errors of the queueing services, each with a code clients can act on."""

from django.utils.translation import gettext_lazy as _


class QueueError(Exception):
    """A request that cannot be granted. ``field`` names the input at fault (a 400 at
    that field); ``forbidden`` means the user may not act on it (a 403); otherwise the
    request conflicts with the current state (a 409)."""

    def __init__(self, code: str, message, *, field: str | None = None, forbidden: bool = False) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field
        self.forbidden = forbidden


class Busy(QueueError):
    """A lock could not be had in time: the client should try again."""

    def __init__(self) -> None:
        super().__init__(
            "busy",
            _("Sistem sedang sibuk, silakan coba lagi sebentar. / The system is busy, please try again shortly."),
        )
