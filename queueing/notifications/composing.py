"""What a message says and to whom: the values a wording is filled with (a booking's
code, service, day and time in the citizen's language, a ticket's number and counter,
links to the citizen's pages), and the address of each channel the citizen chose."""

import datetime as dt
import functools

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

from mpp_common.clock import local
from queueing.models import Booking, Channel, Ticket
from services.models import BookingPolicy

# Which column of a booking holds each channel's address: ``recipients`` reads it from
# a booking, and a booking's confirmation (``confirmation``) from the row its INSERT
# returns. One definition for both.
ADDRESS_FIELD = {Channel.SMS: "phone", Channel.WHATSAPP: "phone", Channel.EMAIL: "email"}


def link(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


@functools.lru_cache(maxsize=512)
def _day_text(day: dt.date, language: str) -> str:
    # Switching the language to format a date costs more than the rest of a message,
    # and the days messages speak of are few.
    with translation.override(language):
        return formats.date_format(day, "j M Y")


def _when(moment: dt.datetime, language: str) -> dict:
    here = local(moment)
    return {"date": _day_text(here.date(), language), "time": f"{here:%H.%M}"}


_CODE_MARK = "CODEMARK"


@functools.cache
def _page_link_template(url_name: str) -> str:
    # Reversed once per page: every booking's and every call's message links to one.
    return link(reverse(url_name, args=[_CODE_MARK]))


def page_link(url_name: str, code: str) -> str:
    """The full address of the citizen's page ``url_name`` for a booking or ticket code."""
    return _page_link_template(url_name).replace(_CODE_MARK, code)


COMPOSED_FROM = (
    "code",
    "start",
    "language",
    "service__name",
    "service__name_en",
    "service__agency__name",
    "service__agency__name_en",
)


def booking_values(booking: Booking) -> dict:
    code = booking.display_code
    service = booking.service
    return {
        "code": code,
        # Names in the citizen's language, the Indonesian where no English was entered.
        "service": service.in_language(booking.language).name,
        "agency": service.agency.in_language(booking.language).name,
        "early": BookingPolicy.current().arrive_early_minutes,
        "link": page_link("booking-detail", code),
        **_when(booking.start, booking.language),
    }


def codes_values(bookings: list[Booking], language: str) -> dict:
    """A list of booking codes, each with its service, day and time, in ``language``;
    and the link to the page that opens a booking by its code."""
    listed = []
    for booking in bookings:
        when = _when(booking.start, language)
        listed.append(f"{booking.display_code} ({booking.service.name}, {when['date']} {when['time']})")
    return {"codes": "; ".join(listed), "link": link(reverse("booking-lookup"))}


def ticket_values(ticket: Ticket) -> dict:
    return {
        "number": ticket.display_number,
        "service": ticket.service.in_language(ticket.language).name,
        "agency": ticket.service.agency.in_language(ticket.language).name,
        "counter": ticket.counter.number if ticket.counter_id else "",
        "link": page_link("citizen-ticket", ticket.code),
    }


def recipients(booking: Booking | None) -> list[tuple[str, str]]:
    """(channel, address) for each channel the citizen chose that has an address."""
    if booking is None:
        return []
    pairs = []
    for channel in booking.channels:
        address = getattr(booking, ADDRESS_FIELD[channel])
        if address:
            pairs.append((channel, address))
    return pairs
