"""A booking as an iCalendar file (RFC 5545): one VEVENT, times in UTC."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from queueing.models import Booking, BookingStatus
from services.models import BookingPolicy

CRLF = "\r\n"
LOCATION = "MPP Kota Tangerang Selatan, Jl. Raya Serpong KM 16"
LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line of at most 75 octets per physical line (RFC 5545 3.1); the
    continuation lines begin with a space. A UTF-8 character is never split."""
    pieces, piece, size = [], "", 0
    for char in line:
        octets = len(char.encode())
        if size + octets > LINE_OCTETS:
            pieces.append(piece)
            piece, size = "", 1  # the leading space of the continuation line
        piece += char
        size += octets
    pieces.append(piece)
    return (CRLF + " ").join(pieces)


def utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def booking_calendar(booking: Booking, *, url: str, now: dt.datetime | None = None) -> str:
    """The calendar file of ``booking``; ``url`` is its "my booking" page."""
    now = now or timezone.now()
    service = booking.service
    arrive = BookingPolicy.current().arrive_early_minutes
    description = "\n".join(
        [
            _("Kode pemesanan: %(code)s") % {"code": booking.display_code},
            _("Datang %(minutes)d menit lebih awal dan bawa persyaratannya.") % {"minutes": arrive},
            url,
        ]
    )
    cancelled = booking.status == BookingStatus.CANCELLED
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//MPP Kota Tangerang Selatan//Portal//ID",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{booking.code}@mpp",
        f"DTSTAMP:{utc(now)}",
        f"DTSTART:{utc(booking.start)}",
        f"DTEND:{utc(booking.end)}",
        # A reschedule or a cancellation makes a newer version of the same event.
        f"SEQUENCE:{booking.reschedule_count + int(cancelled)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        f"SUMMARY:{escape_text(f'{service.name} ({service.agency.name})')}",
        f"LOCATION:{escape_text(LOCATION)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + CRLF for line in lines)
