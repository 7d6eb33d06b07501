"""The citizen's booking pages: choose a day, a slot, fill in the form; then the
booking reached by its code (holding the code is the access), with its calendar file,
cancel and reschedule. Every step works without JavaScript; personal data travels
only in POST bodies, never in a URL, and none of it is logged."""

import datetime as dt
from types import SimpleNamespace

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from mpp_common.clock import in_reach
from mpp_common.qr import qr_svg
from mpp_common.throttling import SwitchableScopedRateThrottle
from queueing.bookings.forms import BookingForm, CodeRecoveryForm, LookupForm
from queueing.bookings.ics import booking_calendar
from queueing.bookings.services import (
    BookingBusy,
    BookingError,
    booking_cancel,
    booking_codes_send,
    booking_create,
    booking_reschedule,
    reschedule_refusal,
)
from queueing.bookings.slots import calendar_days, slot_times, slots_for
from queueing.bookings.validators import mask_phone
from queueing.models import Booking, BookingStatus, Language, normalize_code
from services.models import BookingPolicy, Service

PERSONAL_FIELDS = ("nik", "name", "phone", "email")
# Bookings and reschedules from one address share the API's "booking" rate.
BOOKING_SCOPE = SimpleNamespace(throttle_scope="booking")
# Asking for lost codes has a rate of its own, per address (``code_recovery``).
CODE_RECOVERY_SCOPE = SimpleNamespace(throttle_scope="code_recovery")


# Parsing the URL


def _service(code: str, service_code: str) -> Service | None:
    return Service.objects.published().select_related("agency").filter(agency__code=code, code=service_code).first()


def _takes_bookings(service: Service) -> bool:
    return service.online_booking and not service.external_booking_url


def _day(raw: str) -> dt.date | None:
    """The day in a page's address; None for an impossible one and for one at the ends
    of the calendar, where a zone change or a slot's length would overflow."""
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return None
    return day if in_reach(day) else None


def _start(day: dt.date | None, raw: str) -> dt.datetime | None:
    """The slot start in the portal's zone from a date and HHMM."""
    try:
        moment = dt.time(int(raw[:2]), int(raw[2:]))
    except ValueError:
        return None
    if day is None:
        return None
    return dt.datetime.combine(day, moment, tzinfo=timezone.get_current_timezone())


def _hhmm(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%H%M")


def _booking(code: str) -> Booking | None:
    return Booking.objects.select_related("service__agency").filter(code=normalize_code(code)).first()


# Shared pieces of the pages


def _not_found(request):
    return render(request, "citizen/not_found.html", status=404)


def _unknown_code(request, code: str):
    """A code that matches no booking: the lookup form with the reason, a way on."""
    form = LookupForm({"kode": code})
    form.is_valid()
    return render(request, "citizen/booking/lookup.html", _with_error_summary({"form": form}, form), status=404)


def _rate_limited(request) -> bool:
    return not SwitchableScopedRateThrottle().allow_request(request, BOOKING_SCOPE)


def _day_items(service: Service, url_for) -> list[dict]:
    """The booking window's days: a link where seats are free; otherwise why not."""
    items = []
    for day, free, bookable in calendar_days(service):
        if free:
            state = "open"
        elif bookable:
            state = "full"
        elif slot_times(service, day):
            state = "past"  # open, but its slots are too soon to book now
        else:
            state = "closed"
        items.append({"date": day, "free": free, "state": state, "url": url_for(day) if free else None})
    return items


def _slot_items(slots, url_for, *, current: dt.datetime | None = None) -> list[dict]:
    return [
        {
            "start": slot.start,
            "end": slot.end,
            "free": slot.available,
            "current": slot.start == current,
            "url": url_for(slot.start) if slot.available and slot.start != current else None,
        }
        for slot in slots
    ]


def _anchor(form, name: str) -> str:
    field = form[name]
    return f"{field.auto_id}_0" if field.use_fieldset else field.auto_id


def _with_error_summary(context: dict, form) -> dict:
    """The errors listed at the top of the page, each a link to its field."""
    summary = [
        (_anchor(form, name), message)
        for name, errors in form.errors.items()
        if name in form.fields
        for message in errors
    ]
    summary += [("main", message) for message in form.non_field_errors()]
    return context | {"error_summary": summary}


def _error_context(error: BookingError, *, at: str, form=None) -> tuple[dict, int]:
    """Where a refusal of the booking functions is shown, and the status code: at
    its form field; about the slot or the service at the chosen slot (the page
    element ``at``); a conflict with the state at the top; "busy" keeps the input."""
    if isinstance(error, BookingBusy):
        return {"busy": error.message}, 503
    if form is not None and error.field in form.fields:
        form.add_error(error.field, error.message)
        return _with_error_summary({}, form), 409 if error.conflict else 400
    if error.field and not error.conflict:
        return {"slot_error": error.message, "error_summary": [(at, error.message)]}, 400
    return {"conflict": error.message, "conflict_code": error.code}, 409


def _booking_context(booking: Booking) -> dict:
    service = booking.service
    policy = BookingPolicy.current()
    now = timezone.now()
    can_change = booking.status == BookingStatus.BOOKED and booking.start > now
    refusal = reschedule_refusal(booking, policy, now) if can_change else None
    return {
        "booking": booking,
        "service": service,
        "agency": service.agency,
        "policy": policy,
        "can_change": can_change,
        # Said before a new slot is chosen: past the deadline or the number of moves.
        "can_reschedule": can_change and refusal is None,
        "reschedule_refusal": refusal.message if refusal else "",
    }


# Step 1: the service's days


@never_cache
@require_safe
def booking_days(request, code: str, service_code: str):
    service = _service(code, service_code)
    if service is None:
        return _not_found(request)
    context = {"service": service, "agency": service.agency, "bookable": _takes_bookings(service)}
    if context["bookable"]:
        context["policy"] = BookingPolicy.current()
        context["days"] = _day_items(service, lambda day: reverse("booking-slots", args=[code, service_code, day]))
    return render(request, "citizen/booking/days.html", context)


# Step 2: the day's slots


@never_cache
@require_safe
def booking_slots(request, code: str, service_code: str, day: str):
    service, day = _service(code, service_code), _day(day)
    if service is None or day is None:
        return _not_found(request)
    if not _takes_bookings(service):
        return redirect("booking-days", code, service_code)
    slots = _slot_items(
        slots_for(service, day), lambda start: reverse("booking-form", args=[code, service_code, day, _hhmm(start)])
    )
    context = {
        "service": service,
        "agency": service.agency,
        "day": day,
        "slots": slots,
        "days_url": reverse("booking-days", args=[code, service_code]),
    }
    return render(request, "citizen/booking/slots.html", context)


# Step 3: the form


@never_cache
@sensitive_post_parameters(*PERSONAL_FIELDS)
@require_http_methods(["GET", "POST"])
def booking_form(request, code: str, service_code: str, day: str, time: str):
    service, start = _service(code, service_code), _start(_day(day), time)
    if service is None or start is None:
        return _not_found(request)
    if not _takes_bookings(service):
        return redirect("booking-days", code, service_code)
    slot = next((s for s in slots_for(service, start.date()) if s.start == start), None)
    context = {
        "service": service,
        "agency": service.agency,
        "start": start,
        "end": start + dt.timedelta(minutes=service.slot_minutes),
        "slot": slot,
        "slots_url": reverse("booking-slots", args=[code, service_code, start.date()]),
        "days_url": reverse("booking-days", args=[code, service_code]),
    }
    status = 200
    if request.method == "POST":
        form = BookingForm(request.POST)
        if not form.is_valid():
            context, status = _with_error_summary(context, form), 400
        elif _rate_limited(request):
            context["busy"], status = _("Terlalu banyak pemesanan dari perangkat ini. Coba lagi nanti."), 429
        else:
            try:
                booking = booking_create(service=service, start=start, **form.booking_fields())
            except BookingError as error:
                extra, status = _error_context(error, at="slot", form=form)
                context |= extra
            else:
                messages.success(request, _("Pemesanan berhasil. Simpan kode pemesanan Anda."))
                return redirect("booking-detail", booking.display_code)
    else:
        language = get_language() if get_language() in Language.values else Language.ID
        form = BookingForm(initial={"language": language})
        if slot is None:
            status = 404
        elif not slot.available:
            status = 409
    context |= {"form": form, "show_form": request.method == "POST" or bool(slot and slot.available)}
    response = render(request, "citizen/booking/form.html", context, status=status)
    if status == 503:
        response["Retry-After"] = "1"
    return response


# The booking, reached by its code


@never_cache
@require_safe
def booking_lookup(request):
    form = LookupForm(request.GET if "kode" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("booking-detail", form.booking.display_code)
    context = _with_error_summary({"form": form}, form) if form.is_bound else {"form": form}
    return render(request, "citizen/booking/lookup.html", context, status=400 if form.is_bound else 200)


@never_cache
@sensitive_post_parameters("nik", "phone")
@require_http_methods(["GET", "POST"])
def booking_code_recovery(request):
    """A lost code, sent again to the phone on record. The answer is the same page
    whether or not a booking matched; the codes are never shown."""
    form = CodeRecoveryForm(request.POST if request.method == "POST" else None)
    context, status = {"form": form}, 200
    if request.method == "POST":
        if not form.is_valid():
            context, status = _with_error_summary(context, form), 400
        elif not SwitchableScopedRateThrottle().allow_request(request, CODE_RECOVERY_SCOPE):
            context["busy"], status = _("Terlalu banyak permintaan dari perangkat ini. Coba lagi nanti."), 429
        else:
            booking_codes_send(nik=form.cleaned_data["nik"], phone=form.cleaned_data["phone"])
            return redirect("booking-code-recovery-sent")
    return render(request, "citizen/booking/code_recovery.html", context, status=status)


@never_cache
@require_safe
def booking_code_recovery_sent(request):
    return render(request, "citizen/booking/code_recovery_sent.html")


@never_cache
@require_safe
def booking_detail(request, booking_code: str):
    booking = _booking(booking_code)
    if booking is None:
        return _unknown_code(request, booking_code)
    if booking_code != booking.display_code:
        return redirect("booking-detail", booking.display_code)
    url = request.build_absolute_uri(reverse("booking-detail", args=[booking.display_code]))
    context = _booking_context(booking) | {
        "arrive_by": timezone.localtime(booking.start)
        - dt.timedelta(minutes=BookingPolicy.current().arrive_early_minutes),
        "masked_phone": mask_phone(booking.phone),
        "qr": None
        if booking.status == BookingStatus.CANCELLED
        else qr_svg(url, title=_("Kode QR pemesanan %(code)s") % {"code": booking.display_code}),
    }
    return render(request, "citizen/booking/detail.html", context)


@never_cache
@require_safe
def booking_ics(request, booking_code: str):
    booking = _booking(booking_code)
    if booking is None:
        return _unknown_code(request, booking_code)
    url = request.build_absolute_uri(reverse("booking-detail", args=[booking.display_code]))
    response = HttpResponse(booking_calendar(booking, url=url), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mpp-{booking.display_code}.ics"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def booking_cancel_page(request, booking_code: str):
    """A confirmation step, then the cancellation: a POST, no script needed."""
    booking = _booking(booking_code)
    if booking is None:
        return _unknown_code(request, booking_code)
    context, status = _booking_context(booking), 200
    if request.method == "POST":
        try:
            booking_cancel(booking=booking)
        except BookingError as error:
            extra, status = _error_context(error, at="main")
            context |= extra
        else:
            messages.success(request, _("Pemesanan dibatalkan. Kursi Anda kini tersedia untuk orang lain."))
            return redirect("booking-detail", booking.display_code)
    return render(request, "citizen/booking/cancel.html", context, status=status)


# Reschedule: another day and slot of the same service


@never_cache
@require_safe
def booking_reschedule_days(request, booking_code: str):
    booking = _booking(booking_code)
    if booking is None:
        return _unknown_code(request, booking_code)
    context = _booking_context(booking)
    if context["can_reschedule"]:
        context["days"] = _day_items(
            booking.service,
            lambda day: reverse("booking-reschedule-slots", args=[booking.display_code, day]),
        )
    return render(request, "citizen/booking/reschedule_days.html", context)


@never_cache
@require_safe
def booking_reschedule_slots(request, booking_code: str, day: str):
    booking, day = _booking(booking_code), _day(day)
    if booking is None:
        return _unknown_code(request, booking_code)
    if day is None:
        return _not_found(request)
    context = _booking_context(booking) | {"day": day}
    if context["can_reschedule"]:
        slots = slots_for(booking.service, day, priority=bool(booking.priority_group))
        context["slots"] = _slot_items(
            slots,
            lambda start: reverse("booking-reschedule-confirm", args=[booking.display_code, day, _hhmm(start)]),
            current=booking.start,
        )
    return render(request, "citizen/booking/reschedule_slots.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def booking_reschedule_confirm(request, booking_code: str, day: str, time: str):
    booking = _booking(booking_code)
    if booking is None:
        return _unknown_code(request, booking_code)
    start = _start(_day(day), time)
    if start is None:
        return _not_found(request)
    context = _booking_context(booking) | {
        "start": start,
        "end": start + dt.timedelta(minutes=booking.service.slot_minutes),
        "slots_url": reverse("booking-reschedule-slots", args=[booking.display_code, start.date()]),
        "days_url": reverse("booking-reschedule", args=[booking.display_code]),
        "show_form": True,
    }
    status = 200
    if request.method == "POST":
        if _rate_limited(request):
            context["busy"], status = _("Terlalu banyak permintaan dari perangkat ini. Coba lagi nanti."), 429
        else:
            try:
                booking = booking_reschedule(booking=booking, start=start)
            except BookingError as error:
                extra, status = _error_context(error, at="new-slot")
                # Only a busy system is worth the same request again.
                context |= extra | {"show_form": isinstance(error, BookingBusy)}
            else:
                messages.success(request, _("Jadwal pemesanan Anda sudah dipindahkan."))
                return redirect("booking-detail", booking.display_code)
    response = render(request, "citizen/booking/reschedule_confirm.html", context, status=status)
    if status == 503:
        response["Retry-After"] = "1"
    return response
