"""What a login answers once django-axes has locked an account out (see settings:
failures counted per username and client address).

The HTML logins re-render their page with the message in place of "wrong password"
(``LockoutAwareLoginForm``), answered as 429 by ``lockout_response``; the API's token
view answers 429 JSON itself (``locked_out_answer``)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext_lazy

LOCKED_OUT = gettext_lazy(
    "Terlalu banyak percobaan masuk yang gagal: akun ini dikunci dari alamat ini selama %(minutes)d menit. "
    "Coba lagi nanti, atau minta supervisor instansi Anda atau administrator membuka kuncinya."
)
LOCKED_OUT_CODE = "locked_out"


def lockout_message() -> str:
    return LOCKED_OUT % {"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}


def is_locked_out(request) -> bool:
    """Whether the login just attempted on ``request`` was refused, or counted as the
    last failure, because of a lockout."""
    return bool(getattr(request, "axes_locked_out", False))


class LockoutAwareLoginForm:
    """For an ``AuthenticationForm``: a locked-out login says so, instead of calling
    the password wrong (which would be misleading when the password was right)."""

    def get_invalid_login_error(self):
        if is_locked_out(self.request):
            return ValidationError(lockout_message(), code=LOCKED_OUT_CODE)
        return super().get_invalid_login_error()


# Longer than any username may be (Django's is 150); axes keeps 255 characters.
_LONGEST_USERNAME = 150


def login_username(request, credentials: dict | None = None) -> str | None:
    """``AXES_USERNAME_CALLABLE``: the username tried, cut to a length that names an
    account at most, so a hostile megabyte of username is counted, not a crash."""
    source = credentials or getattr(request, "data", request.POST)
    username = source.get("username")
    return username[:_LONGEST_USERNAME] if isinstance(username, str) else None


def locked_out_answer() -> dict:
    return {"detail": lockout_message(), "code": LOCKED_OUT_CODE}


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the login page as its view rendered it (with the
    message and the username typed), as a 429."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    if original_response is None:
        return HttpResponse(lockout_message(), status=status, content_type="text/plain; charset=utf-8")
    original_response.status_code = status
    return original_response
