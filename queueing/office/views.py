"""DPMPTSP's help desk pages (``/kantor/meja-bantuan/``): find a citizen's booking by its
code or by NIK and phone, book, move or cancel it on their behalf, send the
confirmation again, print it; each act recorded with the staff member's name
(``queueing.office.help_desk``). For DPMPTSP's help-desk staff and administrators only;
anyone else signed in gets 403. The NIK travels only in POST bodies and is shown
masked."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mpp_common.qr import qr_svg
from queueing.bookings.services import BookingBusy, BookingError
from queueing.bookings.slots import slots_for
from queueing.bookings.validators import mask_phone
from queueing.models import Booking, BookingStatus, normalize_code
from queueing.office.forms import DayForm, DeskBookingForm, SearchForm, ServiceDayForm, SlotForm, slot_start
from queueing.office.help_desk import (
    help_desk_book,
    help_desk_cancel,
    help_desk_move,
    help_desk_print,
    help_desk_resend,
    help_desk_search,
)

LOGIN_URL = "officer-login"


def help_desk_staff(view):
    """Signed-in DPMPTSP help-desk staff or administrators; others get 403."""

    @functools.wraps(view)
    @login_required(login_url=LOGIN_URL)
    def checked(request, *args, **kwargs):
        if not request.user.can_use_help_desk:
            return render(request, "office/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return checked


def with_booking(view):
    """The booking of the URL's code for ``view``; the desk's not-found page without one."""

    @functools.wraps(view)
    def found(request, booking_code: str):
        code = normalize_code(booking_code)
        booking = Booking.objects.select_related("service__agency").filter(code=code).first()
        if booking is None:
            return render(request, "office/help_desk/unknown.html", status=404)
        return view(request, booking)

    return found


def _refusal(request, booking: Booking, error: BookingError, *, status: int | None = None):
    """A refusal of the booking functions, on the booking's page."""
    if isinstance(error, BookingBusy):
        status = 503
    return _booking_page(request, booking, refusal=error.message, status=status or 409)


def _booking_page(request, booking: Booking, *, refusal: str = "", status: int = 200, extra: dict | None = None):
    now = timezone.now()
    context = {
        "booking": booking,
        "service": booking.service,
        "agency": booking.service.agency,
        "masked_phone": mask_phone(booking.phone),
        "can_change": booking.status == BookingStatus.BOOKED and booking.start > now,
        "acts": booking.acts.all(),
        "refusal": refusal,
    } | (extra or {})
    return render(request, "office/help_desk/booking.html", context, status=status)


def _act(request, booking: Booking, act, *, done: str):
    """``act`` (a help-desk function) on ``booking``, then back to its page saying
    ``done``; a refusal is shown on the page."""
    try:
        act(staff=request.user, booking=booking)
    except BookingError as error:
        return _refusal(request, booking, error)
    messages.success(request, done)
    return redirect("help-desk-booking", booking.display_code)


# Finding a booking


@never_cache
@sensitive_post_parameters("nik", "phone")
@require_http_methods(["GET", "POST"])
@help_desk_staff
def help_desk_home(request):
    form = SearchForm(request.POST if request.method == "POST" else None)
    context, status = {"form": form}, 200
    if form.is_bound:
        if form.is_valid():
            found = form.cleaned_data
            context["results"] = help_desk_search(
                staff=request.user, code=found["kode"], nik=found["nik"], phone=found["phone"]
            )
            # The results show the NIK masked; the form does not show it whole again.
            context["form"] = SearchForm()
        else:
            status = 400
    return render(request, "office/help_desk/search.html", context, status=status)


@never_cache
@require_safe
@help_desk_staff
@with_booking
def help_desk_booking(request, booking: Booking):
    return _booking_page(request, booking)


# Acting on the citizen's behalf


@never_cache
@require_http_methods(["GET", "POST"])
@help_desk_staff
@with_booking
def help_desk_move_page(request, booking: Booking):
    data = request.POST if request.method == "POST" else (request.GET if "tanggal" in request.GET else None)
    day_form = DayForm(data)
    slots, status = [], 200
    if day_form.is_bound and day_form.is_valid():
        day = day_form.cleaned_data["tanggal"]
        slots = [
            slot
            for slot in slots_for(booking.service, day, priority=bool(booking.priority_group))
            if slot.start != booking.start
        ]
    elif day_form.is_bound:
        status = 400
    form = SlotForm(request.POST if request.method == "POST" else None, slots=slots)
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            try:
                help_desk_move(staff=request.user, booking=booking, start=form.start())
            except BookingError as error:
                return _refusal(request, booking, error)
            messages.success(request, _("Jadwal pemesanan sudah dipindahkan."))
            return redirect("help-desk-booking", booking.display_code)
    context = {
        "booking": booking,
        "service": booking.service,
        "day_form": day_form,
        "form": form,
        "slots_shown": day_form.is_bound and day_form.is_valid(),
    }
    return render(request, "office/help_desk/move.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@help_desk_staff
@with_booking
def help_desk_cancel_page(request, booking: Booking):
    """A confirmation step, then the cancellation."""
    if request.method == "GET":
        return _booking_page(request, booking, extra={"confirm_cancel": True})
    return _act(request, booking, help_desk_cancel, done=_("Pemesanan dibatalkan."))


@never_cache
@require_POST
@help_desk_staff
@with_booking
def help_desk_resend_page(request, booking: Booking):
    return _act(request, booking, help_desk_resend, done=_("Konfirmasi dikirim ulang ke saluran yang dipilih warga."))


@never_cache
@require_safe
@help_desk_staff
@with_booking
def help_desk_print_page(request, booking: Booking):
    help_desk_print(staff=request.user, booking=booking)
    url = request.build_absolute_uri(reverse("booking-detail", args=[booking.display_code]))
    context = {
        "booking": booking,
        "service": booking.service,
        "agency": booking.service.agency,
        "qr": qr_svg(url, title=_("Kode QR pemesanan %(code)s") % {"code": booking.display_code}),
    }
    return render(request, "office/help_desk/print.html", context)


@never_cache
@sensitive_post_parameters("nik", "name", "phone", "email")
@require_http_methods(["GET", "POST"])
@help_desk_staff
def help_desk_book_page(request):
    """Service and day (a query), then the slot and the citizen's data (a POST)."""
    data = request.POST if request.method == "POST" else (request.GET if request.GET else None)
    choice = ServiceDayForm(data)
    slots, status = [], 200
    if choice.is_bound and choice.is_valid():
        slots = slots_for(choice.cleaned_data["layanan"], choice.cleaned_data["tanggal"])
    elif choice.is_bound:
        status = 400
    form = DeskBookingForm(request.POST if request.method == "POST" else None, slots=slots)
    context = {"choice": choice, "form": form, "slots_shown": bool(choice.is_bound and choice.is_valid())}
    if request.method == "POST" and status == 200:
        if not form.is_valid():
            status = 400
        else:
            try:
                booking = help_desk_book(
                    staff=request.user,
                    service=choice.cleaned_data["layanan"],
                    start=slot_start(choice.cleaned_data["tanggal"], form.cleaned_data["jam"]),
                    **form.booking_fields(),
                )
            except BookingError as error:
                status = 503 if isinstance(error, BookingBusy) else 409
                context["refusal"] = error.message
            else:
                messages.success(request, _("Pemesanan dibuat. Kode dikirim ke ponsel warga."))
                return redirect("help-desk-booking", booking.display_code)
    return render(request, "office/help_desk/book.html", context, status=status)
