"""The kiosk at the mall entrance, and the ticket page its receipt's QR code opens.

The kiosk works without JavaScript: links choose the agency, the service and the
priority group, and one POST issues the ticket (or checks a booking in). The POST is
answered with a redirect to the ticket screen, so a reload shows the same ticket and
issues nothing; a form sent twice (a double tap) is recognised by its one-time token
and leads to the ticket the first sending issued.

A kiosk is set up by its start URL, and every link carries the setup along:
``?agency=<code>`` keeps it to one agency (an agency's own kiosk account is always kept
to its agency), ``paper=58`` or ``80`` (the default) picks
the receipt width, ``autoprint=1`` prints each ticket as it is shown.

Only a registered kiosk shows these pages: a kiosk account logs in once at
``/kiosk/masuk/`` for a long session (``KIOSK_SESSION_SECONDS``), until an
administrator (or, for an agency's own kiosk, that agency's supervisor) revokes it;
anyone else is sent to that login. An agency's own kiosk serves that agency only.

Refusals are shown in Bahasa Indonesia and in English whatever the screen language:
each message is a translatable text, rendered once in each language.
"""

import datetime as dt
import re
import secrets
import time
from dataclasses import dataclass
from functools import wraps
from types import SimpleNamespace
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from agencies.models import Agency
from mpp_common.lockout import LockoutAwareLoginForm
from mpp_common.qr import qr_svg
from mpp_common.throttling import SwitchableScopedRateThrottle
from queueing.bookings.forms import CodeRecoveryForm
from queueing.bookings.services import booking_codes_send
from queueing.errors import QueueError
from queueing.estimates import people_ahead
from queueing.floor.tickets import (
    booking_check_in,
    kiosk_check_agency,
    ticket_by_code,
    ticket_issue_walk_in,
    walk_in_capacities,
    walk_in_capacity,
)
from queueing.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Booking,
    Language,
    PriorityGroup,
    Ticket,
    TicketStatus,
    normalize_code,
)
from services.models import Service
from services.schedule import intervals_on, open_intervals, opening_after, schedule_for

PAPER_WIDTHS = ("80", "58")
RETURN_SECONDS = 20  # the ticket screen goes back to the start after this
IDLE_SECONDS = 90  # a half-finished choice goes back to the start after this
SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
FORM_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,32}")
FORM_TOKEN_SECONDS = 600
FORM_WAIT_SECONDS = 5.0
PENDING = "-"
SCAN_MAX_CHARS = 500
# The kiosk's POSTs share the API's "kiosk" rate (per kiosk account).
KIOSK_SCOPE = SimpleNamespace(throttle_scope="kiosk")

CLOSED = gettext_lazy("Layanan sedang tutup.")
QUOTA_REACHED = gettext_lazy("Kuota antrean hari ini sudah habis.")
NOT_AT_KIOSK = gettext_lazy("Layanan ini tidak menerima antrean langsung di kiosk.")
UNKNOWN_TICKET = gettext_lazy("Tiket tidak ditemukan.")
UNKNOWN_BOOKING = gettext_lazy("Kode pemesanan tidak ditemukan. Periksa kodenya lalu coba lagi.")
NO_CODE = gettext_lazy("Pindai atau ketik kode pemesanan Anda.")
IN_PROGRESS = gettext_lazy("Permintaan Anda sedang diproses. Tunggu sebentar lalu coba lagi.")
TOO_MANY = gettext_lazy("Terlalu banyak permintaan dari kiosk ini. Coba lagi sebentar lagi.")
NOT_A_KIOSK = gettext_lazy("Akun ini bukan akun kiosk.")


# Only a registered kiosk


def kiosk_required(view):
    """The page for a kiosk's session; anyone else (anonymous, an officer) is sent to
    the kiosk's login."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not getattr(request.user, "can_issue_walk_ins", False):
            return redirect_to_login(request.get_full_path(), reverse("kiosk-login"))
        return view(request, *args, **kwargs)

    return wrapper


def keep_kiosk_logged_in(request) -> None:
    """A kiosk's session lasts long (``KIOSK_SESSION_SECONDS``): nobody stands by to log
    it in every morning. A revocation ends it sooner."""
    if getattr(request.user, "can_issue_walk_ins", False):
        request.session.set_expiry(settings.KIOSK_SESSION_SECONDS)


class KioskLoginForm(LockoutAwareLoginForm, AuthenticationForm):
    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not user.can_issue_walk_ins:
            raise ValidationError(NOT_A_KIOSK, code="not_a_kiosk")


class KioskLoginView(LoginView):
    """The kiosk account logs in once; its session lasts ``KIOSK_SESSION_SECONDS``.
    Failed logins lock the username out at that address (django-axes, see settings)."""

    form_class = KioskLoginForm
    template_name = "kiosk/login.html"
    next_page = "kiosk-home"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"setup": KioskSetup.from_request(self.request)}

    def form_valid(self, form):
        response = super().form_valid(form)
        keep_kiosk_logged_in(self.request)
        return response


# The kiosk's setup, from its start URL


@dataclass(frozen=True)
class KioskSetup:
    agency: Agency | None = None
    paper: str = "80"
    autoprint: bool = False
    idle_seconds: int = IDLE_SECONDS

    @classmethod
    def from_request(cls, request) -> "KioskSetup":
        own = getattr(request.user, "agency_id", None) if getattr(request.user, "is_kiosk", False) else None
        code = request.GET.get("agency", "")
        if own is not None:
            # An agency's own kiosk is kept to its agency, whatever its URL says.
            agency = Agency.objects.active().filter(pk=own).first()
        else:
            agency = Agency.objects.active().filter(code=code).first() if SLUG.fullmatch(code) else None
        paper = request.GET.get("paper", "")
        return cls(
            agency=agency,
            paper=paper if paper in PAPER_WIDTHS else PAPER_WIDTHS[0],
            autoprint=request.GET.get("autoprint") == "1",
        )

    @property
    def params(self) -> dict[str, str]:
        params = {}
        if self.agency:
            params["agency"] = self.agency.code
        if self.paper != PAPER_WIDTHS[0]:
            params["paper"] = self.paper
        if self.autoprint:
            params["autoprint"] = "1"
        return params

    def url(self, name: str, *args, **extra: str) -> str:
        """A kiosk URL that keeps this setup."""
        query = urlencode(self.params | extra)
        return reverse(name, args=args) + (f"?{query}" if query else "")

    @property
    def start_url(self) -> str:
        return self.url("kiosk-home")

    @property
    def restart_url(self) -> str:
        """The start for the next person: the language goes back to the default."""
        return self.url("kiosk-home", ulang="1")


# Reading the request


def _service(agency_code: str, service_code: str) -> Service | None:
    return (
        Service.objects.published()
        .select_related("agency")
        .filter(agency__code=agency_code, code=service_code, walk_in=True)
        .first()
    )


def _scanned_code(raw: str) -> str | None:
    """A booking code as typed or as a scanner types it: the code alone, or the URL of
    the booking page its QR code holds (the code is the URL's last part)."""
    raw = raw.strip()[:SCAN_MAX_CHARS]
    if "/" in raw:
        parts = [part for part in raw.split("?")[0].split("/") if part]
        raw = parts[-1] if parts else ""
    code = normalize_code(raw)
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def _language() -> str:
    language = get_language()
    return language if language in Language.values else Language.ID


def _rate_limited(request) -> bool:
    return not SwitchableScopedRateThrottle().allow_request(request, KIOSK_SCOPE)


# One ticket per form, however often it is sent


def _claim(token: str) -> str | None:
    """None when this sending of the form goes ahead. When the same form was sent
    before: the code of the ticket it produced, or "" if that sending is still at work
    after a few seconds. A form without a valid token always goes ahead."""
    if not FORM_TOKEN.fullmatch(token):
        return None
    key = f"kiosk:form:{token}"
    deadline = time.monotonic() + FORM_WAIT_SECONDS
    while not cache.add(key, PENDING, FORM_TOKEN_SECONDS):
        earlier = cache.get(key)
        if earlier and earlier != PENDING:
            return earlier
        if time.monotonic() > deadline:
            return ""
        time.sleep(0.1)
    return None


def _settle(token: str, ticket: Ticket | None) -> None:
    """Remember the ticket a form produced; after a refusal, let it be sent again."""
    if not FORM_TOKEN.fullmatch(token):
        return
    key = f"kiosk:form:{token}"
    if ticket is None:
        cache.delete(key)
    else:
        cache.set(key, ticket.code, FORM_TOKEN_SECONDS)


# Shared pieces of the pages


def _bilingual(message) -> tuple[str, str]:
    """A message in Indonesian and in English ("" when it reads the same, as a text
    already filled in does)."""
    with translation.override("id"):
        indonesian = str(message)
    with translation.override("en"):
        english = str(message)
    return indonesian, "" if english == indonesian else english


def _problem(request, setup: KioskSetup, message, *, status: int, back_url: str, hours: str | None = None):
    """A full-screen refusal in both languages; ``hours`` (today's opening hours, ""
    when closed all day) is shown for a closed service."""
    indonesian, english = _bilingual(message)
    context = {
        "setup": setup,
        "indonesian": indonesian,
        "english": english,
        "back_url": back_url,
        "hours": hours,
    }
    return render(request, "kiosk/problem.html", context, status=status)


def _open_now(intervals, now: dt.datetime) -> bool:
    return any(opens <= now < closes for opens, closes in intervals)


def _hours_text(intervals) -> str:
    return ", ".join(
        f"{timezone.localtime(opens):%H.%M}–{timezone.localtime(closes):%H.%M}" for opens, closes in intervals
    )


def _waiting_counts(field: str, **filters) -> dict[int, int]:
    waiting = Ticket.objects.filter(date=timezone.localdate(), status=TicketStatus.WAITING, **filters)
    return dict(waiting.values_list(field).annotate(n=Count("id")).values_list(field, "n"))


def _opening_day(opens_at: dt.datetime | None, now: dt.datetime) -> str:
    """How the kiosk names the day of the next opening: "today", "tomorrow" or "later"."""
    if opens_at is None:
        return ""
    days = (timezone.localtime(opens_at).date() - timezone.localtime(now).date()).days
    return {0: "today", 1: "tomorrow"}.get(days, "later")


def _agency_items(setup: KioskSetup, now: dt.datetime) -> list[dict]:
    """The agencies that take walk-ins: open now (one of their walk-in services is) or
    closed, and then when they next open."""
    walk_in = list(Service.objects.published().filter(walk_in=True).values_list("agency_id", "pk"))
    agencies = Agency.objects.active().filter(pk__in={agency_id for agency_id, _pk in walk_in}).order_by("name")
    waiting = _waiting_counts("service__agency")
    today = timezone.localtime(now).date()
    services_of: dict[int, list[int]] = {}
    for agency_id, service_id in walk_in:
        services_of.setdefault(agency_id, []).append(service_id)
    items = []
    for agency in agencies:
        schedules = [schedule_for(service_id) for service_id in services_of[agency.pk]]
        is_open = any(_open_now(intervals_on(schedule, today), now) for schedule in schedules)
        openings = [] if is_open else [opening_after(schedule, now) for schedule in schedules]
        opens_at = min((moment for moment in openings if moment), default=None)
        items.append(
            {
                "agency": agency,
                "open": is_open,
                "opens_at": opens_at,
                "opens_day": _opening_day(opens_at, now),
                "waiting": waiting.get(agency.pk, 0),
                "url": setup.url("kiosk-agency", agency.code),
            }
        )
    return items


def _service_items(setup: KioskSetup, agency: Agency, now: dt.datetime) -> list[dict]:
    """The agency's walk-in services: open now or not, full or not, and who waits."""
    today = timezone.localtime(now).date()
    services = list(Service.objects.published().filter(agency=agency, walk_in=True).order_by("order", "name"))
    waiting = _waiting_counts("service", service__in=services)
    left = walk_in_capacities(services, today, priority=True)
    items = []
    for service in services:
        schedule = schedule_for(service.pk)
        is_open = _open_now(intervals_on(schedule, today), now)
        opens_at = None if is_open else opening_after(schedule, now)
        items.append(
            {
                "service": service,
                "open": is_open,
                "opens_at": opens_at,
                "opens_day": _opening_day(opens_at, now),
                "full": is_open and left[service.pk] <= 0,
                "waiting": waiting.get(service.pk, 0),
                "url": setup.url("kiosk-service", agency.code, service.code),
            }
        )
    return items


def _services_page(request, setup: KioskSetup, agency: Agency):
    context = {
        "setup": setup,
        "agency": agency,
        "items": _service_items(setup, agency, timezone.now()),
        "back_url": None if setup.agency else setup.start_url,
        "check_in_url": setup.url("kiosk-check-in"),
    }
    return render(request, "kiosk/services.html", context)


# Step 1: the agency (skipped on a kiosk of one agency)


@never_cache
@require_GET
@kiosk_required
def kiosk_home(request):
    setup = KioskSetup.from_request(request)
    if request.GET.get("ulang") == "1":
        response = redirect(setup.start_url)
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
        return response
    if setup.agency:
        return _services_page(request, setup, setup.agency)
    context = {
        "setup": setup,
        "items": _agency_items(setup, timezone.now()),
        "check_in_url": setup.url("kiosk-check-in"),
    }
    return render(request, "kiosk/agencies.html", context)


# Step 2: the service


@never_cache
@require_GET
@kiosk_required
def kiosk_agency(request, agency_code: str):
    setup = KioskSetup.from_request(request)
    agency = Agency.objects.active().filter(code=agency_code).first()
    if agency is None:
        return _problem(request, setup, NOT_AT_KIOSK, status=404, back_url=setup.start_url)
    refused = _another_agencys(request, setup, agency.pk, back_url=setup.start_url)
    return refused or _services_page(request, setup, agency)


def _another_agencys(request, setup: KioskSetup, agency_id: int, *, back_url: str):
    """The 403 page when this is another agency's own kiosk; ``None`` when it may serve."""
    try:
        kiosk_check_agency(kiosk=request.user, agency_id=agency_id)
    except QueueError as error:
        return _problem(request, setup, error.message, status=403, back_url=back_url)
    return None


# Step 3: the priority group, and the POST that issues the ticket


@never_cache
@require_http_methods(["GET", "POST"])
@kiosk_required
def kiosk_service(request, agency_code: str, service_code: str):
    setup = KioskSetup.from_request(request)
    service = _service(agency_code, service_code)
    services_url = setup.start_url if setup.agency else setup.url("kiosk-agency", agency_code)
    if service is None:
        return _problem(request, setup, NOT_AT_KIOSK, status=404, back_url=services_url)
    refused = _another_agencys(request, setup, service.agency_id, back_url=setup.start_url)
    if refused:
        return refused
    context = {"setup": setup, "service": service, "agency": service.agency, "back_url": services_url}

    if request.method == "POST":
        if _rate_limited(request):
            return _problem(request, setup, TOO_MANY, status=429, back_url=services_url)
        priority = request.POST.get("priority", "")
        if priority in PriorityGroup.values:
            language = _language()
            return _issue_once(
                request,
                setup,
                lambda: ticket_issue_walk_in(service=service, priority_group=priority, language=language),
                back_url=services_url,
                service=service,
            )
        return render(request, "kiosk/priority.html", context | _priority_choices(service), status=400)

    # Closed or full: say so at once, before anyone chooses a group.
    now = timezone.now()
    intervals = open_intervals(service, timezone.localtime(now).date())
    if not _open_now(intervals, now):
        return _problem(request, setup, CLOSED, status=409, back_url=services_url, hours=_hours_text(intervals))
    if walk_in_capacity(service, timezone.localtime(now).date(), priority=True) <= 0:
        return _problem(request, setup, QUOTA_REACHED, status=409, back_url=services_url)
    return render(request, "kiosk/priority.html", context | _priority_choices(service))


def _priority_choices(service: Service) -> dict:
    """The groups to choose from, and a fresh one-time token for the form. When only
    the priority reserve is left, the general queue is not offered."""
    return {
        "groups": [(value, label) for value, label in PriorityGroup.choices if value],
        "general_left": walk_in_capacity(service, timezone.localdate(), priority=False) > 0,
        "token": secrets.token_urlsafe(16),
    }


def _issue_once(request, setup: KioskSetup, issue, *, back_url: str, service: Service | None = None):
    """Call ``issue`` (a queue function that returns a ticket) once per form and
    redirect to the ticket; the same form sent again is redirected to the same
    ticket. A refusal is shown in both languages, with today's hours when closed."""
    token = request.POST.get("token", "")
    earlier = _claim(token)
    if earlier == "":
        return _problem(request, setup, IN_PROGRESS, status=409, back_url=back_url)
    if earlier:
        return redirect(setup.url("kiosk-ticket", earlier))
    try:
        ticket = issue()
    except QueueError as error:
        _settle(token, None)
        hours = None
        if error.code == "closed" and service is not None:
            hours = _hours_text(open_intervals(service, timezone.localdate()))
        status = 403 if error.forbidden else 409
        return _problem(request, setup, error.message, status=status, back_url=back_url, hours=hours)
    _settle(token, ticket)
    return redirect(setup.url("kiosk-ticket", ticket.code))


# Check-in of a booking


@never_cache
@require_http_methods(["GET", "POST"])
@kiosk_required
def kiosk_check_in(request):
    setup = KioskSetup.from_request(request)
    context = {
        "setup": setup,
        "back_url": setup.start_url,
        "token": secrets.token_urlsafe(16),
        "value": "",
        "code_recovery_url": setup.url("kiosk-code-recovery"),
    }
    if request.method == "GET":
        return render(request, "kiosk/check_in.html", context)
    if _rate_limited(request):
        return _problem(request, setup, TOO_MANY, status=429, back_url=setup.url("kiosk-check-in"))
    raw = request.POST.get("kode", "").strip()
    code = _scanned_code(raw)
    booking = Booking.objects.select_related("service").filter(code=code).first() if code else None
    if booking is None:
        indonesian, english = _bilingual(UNKNOWN_BOOKING if raw else NO_CODE)
        context |= {"error": indonesian, "error_en": english, "value": raw[:40]}
        return render(request, "kiosk/check_in.html", context, status=404 if raw else 400)

    def check_in():
        kiosk_check_agency(kiosk=request.user, agency_id=booking.service.agency_id)
        return booking_check_in(booking=booking)

    return _issue_once(request, setup, check_in, back_url=setup.url("kiosk-check-in"))


# A lost booking code, sent to the phone on record


@never_cache
@sensitive_post_parameters("nik", "phone")
@require_http_methods(["GET", "POST"])
@kiosk_required
def kiosk_code_recovery(request):
    """NIK and phone; the codes go to the phone, never onto the screen, and the
    answer is the same whether or not a booking matched."""
    setup = KioskSetup.from_request(request)
    back_url = setup.url("kiosk-check-in")
    form = CodeRecoveryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if _rate_limited(request):
            return _problem(request, setup, TOO_MANY, status=429, back_url=back_url)
        if form.is_valid():
            booking_codes_send(nik=form.cleaned_data["nik"], phone=form.cleaned_data["phone"])
            return redirect(setup.url("kiosk-code-recovery-sent"))
    context = {"setup": setup, "form": form, "back_url": back_url}
    return render(request, "kiosk/code_recovery.html", context, status=400 if form.errors else 200)


@never_cache
@require_GET
@kiosk_required
def kiosk_code_recovery_sent(request):
    setup = KioskSetup.from_request(request)
    context = {"setup": setup, "check_in_url": setup.url("kiosk-check-in"), "return_seconds": RETURN_SECONDS}
    return render(request, "kiosk/code_recovery_sent.html", context)


# The ticket screen, with its receipt


@never_cache
@require_GET
@kiosk_required
def kiosk_ticket(request, code: str):
    setup = KioskSetup.from_request(request)
    ticket = ticket_by_code(code)
    if ticket is None:
        return _problem(request, setup, UNKNOWN_TICKET, status=404, back_url=setup.start_url)
    page_url = request.build_absolute_uri(reverse("citizen-ticket", args=[ticket.code]))
    context = {
        "setup": setup,
        "ticket": ticket,
        "service": ticket.service,
        "agency": ticket.service.agency,
        "ahead": people_ahead(ticket),
        "qr": qr_svg(page_url, title=_("Kode QR halaman antrean %(number)s") % {"number": ticket.display_number}),
        "return_seconds": RETURN_SECONDS,
    }
    return render(request, "kiosk/ticket.html", context)


# The citizen's ticket page (the QR code's target)
