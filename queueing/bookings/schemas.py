"""What ``POST /api/v1/bookings/`` takes and what the booking endpoints answer, as
pydantic models.

A booking is the request a rush is made of, and DRF's serializers, which deep-copy
their declared fields on every instance, cost it more than the rest of the request
outside the database (docs/decisions/0004-pydantic-booking-path.md). Pydantic validates
the same fields in its compiled core, calls the same
validators (``queueing.bookings.validators``) for NIK, name and phone, and drf-spectacular
documents both models in the OpenAPI schema.

Errors keep the API's shape: ``{field: [message, …]}``, Bahasa Indonesia first.
"""

import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, WithJsonSchema
from pydantic_core import PydanticCustomError

from mpp_common.clock import in_reach, local
from queueing.bookings.validators import clean_mobile, clean_nik, clean_person_name, mask_email, mask_name, mask_phone
from queueing.estimates import estimated_wait_minutes, people_ahead
from queueing.models import Booking, BookingStatus, Channel, Language, PriorityGroup, Ticket


def _django(check):
    """A validator of ``queueing.bookings.validators`` as pydantic runs it: its message is the
    message at the field."""

    def run(value):
        try:
            return check(value)
        except DjangoValidationError as error:
            raise PydanticCustomError("invalid", "{message}", {"message": str(error.messages[0])}) from None

    return run


def _email(value: str) -> str:
    try:
        if value:
            validate_email(value)
    except DjangoValidationError:
        raise PydanticCustomError(
            "invalid", "{message}", {"message": gettext("Alamat email tidak sah: tulis seperti nama@contoh.id.")}
        ) from None
    return value


def _not_bool(value):
    # JSON's true is not service 1.
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "not a number")
    return value


def _text(value):
    # A time is written out; a bare number is not read as seconds since 1970.
    if not isinstance(value, str):
        raise PydanticCustomError("datetime_type", "not a text")
    return value


def _aware(value: dt.datetime) -> dt.datetime:
    # A time without an offset is read in the portal's zone, as the pages read it.
    value = timezone.make_aware(value) if timezone.is_naive(value) else value
    if not in_reach(value):
        raise ValueError("out of reach")
    return value


# A slot's start as a client writes it: text with an offset, or the portal's zone.
Start = Annotated[dt.datetime, BeforeValidator(_text), AfterValidator(_aware)]


class BookingIn(BaseModel):
    """A citizen's booking. Unknown keys are ignored."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, use_enum_values=True)

    service: Annotated[int, Field(ge=1, le=2**31 - 1), BeforeValidator(_not_bool)]
    start: Start
    nik: Annotated[str, Field(max_length=32), AfterValidator(_django(clean_nik))]
    name: Annotated[str, Field(max_length=100), AfterValidator(_django(clean_person_name))]
    phone: Annotated[str, Field(max_length=32), AfterValidator(_django(clean_mobile))]
    email: Annotated[str, Field(max_length=254), AfterValidator(_email)] = ""
    language: Language = Language.ID.value
    priority_group: PriorityGroup = PriorityGroup.NONE.value
    # Left out: SMS, and email when an address is given. (Not "| None": JSON null is
    # no list of channels, and OpenAPI 3.0 has no null type.)
    channels: Annotated[list[Literal["sms", "whatsapp", "email"]], Field(min_length=1, max_length=3)] = None

    def cleaned(self) -> dict:
        """The values as ``booking_create`` takes them: channels in their fixed order,
        each once; an email channel needs an address (``FieldErrors`` at ``email``)."""
        values = self.model_dump()
        if self.channels:
            if "email" in self.channels and not self.email:
                raise FieldErrors({"email": [gettext("Email wajib diisi untuk pemberitahuan email.")]})
            values["channels"] = sorted(set(self.channels), key=Channel.values.index)
        return values


class RescheduleIn(BaseModel):
    """A booking's new slot."""

    model_config = ConfigDict(extra="ignore")

    start: Start


class BookingTicketOut(BaseModel):
    """A checked-in booking's ticket: where it stands, by the ticket's own rule."""

    code: str
    number: str
    status: str
    people_ahead: int
    estimated_wait_minutes: int

    @classmethod
    def of(cls, booking: Booking) -> dict | None:
        """Only a checked-in booking has a ticket: other bookings cost no query."""
        if booking.status != BookingStatus.CHECKED_IN:
            return None
        ticket = Ticket.objects.select_related("service__agency").filter(booking=booking).first()
        if ticket is None:
            return None
        ahead = people_ahead(ticket)
        return {
            "code": ticket.code,
            "number": ticket.display_number,
            "status": str(ticket.status),
            "people_ahead": ahead,
            "estimated_wait_minutes": estimated_wait_minutes(ticket, ahead),
        }


class BookingOut(BaseModel):
    """A booking as its holder sees it: name, NIK, phone and email masked (whoever holds
    the code sees them, and a code travels in messages and on paper); once checked in, its
    ticket with the people ahead and the estimated wait."""

    code: str
    service: int
    service_name: str
    agency: int
    agency_name: str
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    status: str
    name: Annotated[str, Field(description="Masked: each word's first letter (`S••• R••••••••`).")]
    nik: Annotated[str, Field(description="Masked: first and last four digits (`3674••••••••0001`).")]
    phone: Annotated[str, Field(description="Masked: `+62812•••••890`.")]
    email: Annotated[str, Field(description="Masked (`s••••@e••••••.org`), or empty.")]
    language: str
    priority_group: str
    channels: list[str]
    reschedule_count: int
    created_at: dt.datetime
    # null until check-in; described as OpenAPI 3.0 says "nullable" (it has no null type).
    ticket: Annotated[
        BookingTicketOut | None,
        WithJsonSchema({**BookingTicketOut.model_json_schema(mode="serialization"), "nullable": True}),
    ]

    @classmethod
    def of(cls, booking: Booking) -> dict:
        """The booking as JSON-ready data, as this model writes it (``model_dump(mode="json")``;
        a test holds the two equal), times in the portal's zone. Written out: it answers
        every booking, and the model's own dump costs more than the rest of the answer."""
        service = booking.service
        return {
            "code": booking.display_code,
            "service": booking.service_id,
            "service_name": service.localized.name,
            "agency": service.agency_id,
            "agency_name": service.agency.localized.name,
            "date": booking.date.isoformat(),
            "start": local(booking.start).isoformat(),
            "end": local(booking.end).isoformat(),
            "status": str(booking.status),
            "name": mask_name(booking.name),
            "nik": booking.masked_nik,
            "phone": mask_phone(booking.phone),
            "email": mask_email(booking.email) if booking.email else "",
            "language": str(booking.language),
            "priority_group": str(booking.priority_group),
            "channels": [str(channel) for channel in booking.channels],
            "reschedule_count": booking.reschedule_count,
            "created_at": local(booking.created_at).isoformat(),
            "ticket": BookingTicketOut.of(booking),
        }


class FieldErrors(Exception):
    """Bad input, as the API answers it: ``{field: [message, …]}``."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


_TOO_LONG = _("Terlalu panjang: paling banyak {max_length} karakter.")
_MESSAGES = {
    "missing": _("Wajib diisi."),
    "string_type": _("Harus berupa teks."),
    "string_too_long": _TOO_LONG,
    "int_type": _("Harus berupa bilangan bulat."),
    "int_parsing": _("Harus berupa bilangan bulat."),
    "int_from_float": _("Harus berupa bilangan bulat."),
    "greater_than_equal": _("Nilai terlalu kecil."),
    "less_than_equal": _("Nilai terlalu besar."),
    "enum": _("Pilihan tidak sah."),
    "literal_error": _("Pilihan tidak sah."),
    "list_type": _("Harus berupa daftar."),
    "too_short": _("Pilih paling sedikit satu."),
    "too_long": _("Terlalu banyak pilihan."),
}
_TIME = _("Waktu tidak sah: tulis seperti 2026-11-27T09:00:00+07:00.")
_NOT_AN_OBJECT = _("Data tidak sah: kirim sebuah objek JSON.")
_FIELD_MESSAGES = {"service": _("Layanan tidak sah."), "start": _TIME}


def _message(error: dict) -> str:
    if error["type"] == "invalid":
        return error["msg"]
    field = error["loc"][0] if error["loc"] else None
    if field in _FIELD_MESSAGES and error["type"] != "missing":
        return str(_FIELD_MESSAGES[field])
    template = str(_MESSAGES.get(error["type"], _("Nilai tidak sah.")))
    return template.format(**error.get("ctx", {})) if "{" in template else template


def _parsed(model: type[BaseModel], data) -> BaseModel:
    """``data`` (parsed JSON) read into ``model``; ``FieldErrors`` when any field is
    wrong, every wrong field with its message."""
    if not isinstance(data, dict):
        raise FieldErrors({"non_field_errors": [str(_NOT_AN_OBJECT)]})
    try:
        return model.model_validate(data)
    except ValidationError as error:
        errors: dict[str, list[str]] = {}
        for item in error.errors(include_url=False, include_input=False):
            field = str(item["loc"][0]) if item["loc"] else "non_field_errors"
            errors.setdefault(field, []).append(_message(item))
        raise FieldErrors(errors) from None


def parse_booking(data) -> dict:
    """The booking in ``data``, cleaned; ``FieldErrors`` as ``_parsed`` gives them."""
    return _parsed(BookingIn, data).cleaned()


def parse_reschedule(data) -> dt.datetime:
    """The new start in ``data``; ``FieldErrors`` as ``_parsed`` gives them."""
    return _parsed(RescheduleIn, data).start
