"""Personal data kept out of log lines.

Booking and ticket codes are keys: whoever holds one may look up, move or cancel the
booking, so they must not sit in access logs and error reports. They travel in URLs
(``/pemesanan/<code>/``, ``/api/v1/tickets/<code>/`` …) and in query strings
(``?kode=``), and NIK, phone numbers and email addresses can be typed into a form sent
by GET. ``redact`` blanks all of them in a line of text; ``RedactingFilter`` applies it
to every record a handler writes (Django's and Celery's handlers, gunicorn's error and
access logs). Names and survey comments have no shape to recognise: the code never
logs them, and tests/mpp_portal/test_log_privacy.py holds it to that.

This module imports nothing of Django: gunicorn's arbiter loads it (mpp_portal/web.py).
"""

import logging
import re
from urllib.parse import parse_qsl, urlencode

HIDDEN = "[redacted]"

# Path segments that hold a code: the segment after each of these prefixes, save the
# pages that share the prefix. The office's complaint pages (/kantor/pengaduan/<number>/)
# carry no code.
_CODE_IN_PATH = re.compile(
    r"(?P<prefix>(?<!/kantor)/(?:pemesanan|antrean|kiosk/tiket|survei|petugas/survei|kantor/meja-bantuan/pemesanan"
    r"|api/v1/bookings|api/v1/tickets|api/v1/requests|api/v1/complaints|pengaduan)/)"
    r"(?!lupa-kode(?:/|\b)|terima-kasih(?:/|\b)|lacak(?:/|\b))(?P<code>[^/?#\s\"'<>]+)"
)
# Query strings: only these parameters keep their values (filters, paging); anything
# else (?kode=, ?q=, a help desk search by NIK or phone) is blanked.
_PLAIN_PARAMETERS = frozenset(
    {
        "agency",
        "autoprint",
        "date",
        "date_from",
        "date_to",
        "format",
        "lang",
        "language",
        "layanan",
        "limit",
        "offset",
        "overdue",
        "page",
        "paper",
        "script",
        "service",
        "status",
        "tanggal",
        "ulang",
    }
)
_QUERY = re.compile(r"\?(?P<query>[^\s#\"'<>]+)")
_SHAPES = re.compile(
    "|".join(
        [
            # A code as printed (ABCD-EFGH-JKMN) or stored: Crockford's alphabet, upper case.
            r"(?<![0-9A-Za-z])[0-9A-HJKMNP-TV-Z]{4}-?[0-9A-HJKMNP-TV-Z]{4}-?[0-9A-HJKMNP-TV-Z]{4}(?![0-9A-Za-z])",
            # NIK: sixteen digits.
            r"(?<!\d)\d{16}(?!\d)",
            # Indonesian mobile numbers, with or without +62, spaces or dashes.
            r"(?<![\w+])(?:\+62|62|0)[\s-]?8\d(?:[\s-]?\d){6,11}(?!\d)",
            # Email addresses.
            r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
        ]
    )
)


def _query(match: re.Match) -> str:
    pairs = parse_qsl(match["query"], keep_blank_values=True)
    if not pairs:
        return "?" + HIDDEN
    kept = [(key, value if key in _PLAIN_PARAMETERS else HIDDEN) for key, value in pairs]
    return "?" + urlencode(kept, safe="[]")


def redact(text: str) -> str:
    """``text`` with codes in URLs, query values and anything shaped like a code, a NIK,
    a phone number or an email address replaced by ``[redacted]``."""
    text = _CODE_IN_PATH.sub(lambda match: match["prefix"] + HIDDEN, text)
    text = _QUERY.sub(_query, text)
    return _SHAPES.sub(HIDDEN, text)


class RedactingFilter(logging.Filter):
    """Rewrites a record's message, and the traceback it carries, through ``redact``."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def redact_handlers(logger: logging.Logger) -> None:
    """Put the filter on each of ``logger``'s handlers (those Celery and gunicorn make)."""
    for handler in logger.handlers:
        if not any(isinstance(existing, RedactingFilter) for existing in handler.filters):
            handler.addFilter(RedactingFilter())
