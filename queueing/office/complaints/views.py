"""The citizen's complaint pages: the form (``/pengaduan/``, linked from every service
page and ticket page, which fill in what it is about), the page that finds a complaint
by its code, and the complaint's page (``/pengaduan/<code>/``: holding the code is the
access). Anonymous complaints are welcome; a contact is kept only with consent and is
shown masked. Works without JavaScript; the personal data travels only in POST bodies."""

from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from mpp_common.params import parse_id
from mpp_common.throttling import SwitchableScopedRateThrottle
from queueing.bookings.validators import mask_email, mask_name, mask_phone
from queueing.errors import QueueError
from queueing.models import Complaint, ComplaintActKind, Language, Ticket, format_code, normalize_code
from queueing.office.complaints.forms import ComplaintForm, ComplaintLookupForm
from queueing.office.complaints.services import complaint_file
from services.models import Service

COMPLAINT_SCOPE = SimpleNamespace(throttle_scope="complaint")
PERSONAL_FIELDS = ("name", "phone", "email", "text")
LAPOR_URL = "https://www.lapor.go.id/"
NOT_FOUND = gettext_lazy("Tidak ada pengaduan dengan kode ini. Periksa lagi kode yang Anda simpan.")


def _anchor(form, name: str) -> str:
    return form[name].auto_id


def _error_summary(form) -> list[tuple[str, str]]:
    """The errors listed at the top of the page, each a link to its field."""
    return [
        (_anchor(form, name), message)
        for name, errors in form.errors.items()
        if name in form.fields
        for message in errors
    ] + [("main", message) for message in form.non_field_errors()]


def _prefill(request) -> dict:
    """What the service page (``?layanan=<id>``) or the ticket page (``?tiket=<code>``)
    fills in; anything that names nothing is left out."""
    initial = {}
    try:
        service_id = parse_id(request.GET.get("layanan"))
    except ValueError:
        service_id = None
    service = Service.objects.published().filter(pk=service_id).first() if service_id else None
    raw_ticket = request.GET.get("tiket", "")[:64]
    ticket = (
        Ticket.objects.select_related("service").filter(code=normalize_code(raw_ticket)).first() if raw_ticket else None
    )
    if ticket is not None:
        initial["ticket"] = ticket.code
        service = service or ticket.service
    if service is not None:
        initial["service"] = str(service.pk)
        initial["agency"] = str(service.agency_id)
    return initial


@never_cache
@sensitive_post_parameters(*PERSONAL_FIELDS)
@require_http_methods(["GET", "POST"])
def complaint_form(request):
    status = 200
    context = {"lapor_url": LAPOR_URL}
    if request.method == "POST":
        form = ComplaintForm(request.POST)
        if not form.is_valid():
            status = 400
        elif not SwitchableScopedRateThrottle().allow_request(request, COMPLAINT_SCOPE):
            context["busy"], status = _("Terlalu banyak pengaduan dari perangkat ini. Coba lagi nanti."), 429
        else:
            language = get_language() if get_language() in Language.values else Language.ID
            try:
                complaint = complaint_file(**form.complaint_fields(), language=language)
            except QueueError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error.message))
                status = 400
            else:
                messages.success(request, _("Pengaduan Anda diterima. Simpan kode pengaduan untuk mengikutinya."))
                return redirect("complaint-detail", complaint.display_code)
        context["error_summary"] = _error_summary(form)
    else:
        form = ComplaintForm(initial=_prefill(request))
    context |= {"form": form, "response_days": settings.COMPLAINT_RESPONSE_DAYS}
    return render(request, "citizen/complaint/form.html", context, status=status)


@never_cache
@require_safe
def complaint_lookup(request):
    form = ComplaintLookupForm(request.GET if "kode" in request.GET else None)
    context, status = {"form": form, "lapor_url": LAPOR_URL}, 200
    if form.is_bound:
        if form.is_valid():
            code = form.cleaned_data["kode"]
            if Complaint.objects.filter(code=code).exists():
                return redirect("complaint-detail", format_code(code))
            form.add_error("kode", NOT_FOUND)
            status = 404
        else:
            status = 400
        context["error_summary"] = _error_summary(form)
    return render(request, "citizen/complaint/lookup.html", context, status=status)


def _unknown(request, code: str):
    """A code that names no complaint, whatever its shape: the lookup page with the
    reason, a 404."""
    form = ComplaintLookupForm({"kode": code})
    form.is_valid()
    form.errors.clear()
    form.add_error("kode", NOT_FOUND)
    context = {"form": form, "lapor_url": LAPOR_URL, "error_summary": _error_summary(form)}
    return render(request, "citizen/complaint/lookup.html", context, status=404)


@never_cache
@require_safe
def complaint_detail(request, code: str):
    complaint = (
        Complaint.objects.select_related("agency", "service").filter(code=normalize_code(code)).first()
        if len(code) <= 64
        else None
    )
    if complaint is None:
        return _unknown(request, code[:64])
    if code != complaint.display_code:
        return redirect("complaint-detail", complaint.display_code)
    today = timezone.localdate()
    context = {
        "complaint": complaint,
        "answers": complaint.acts.filter(kind=ComplaintActKind.ANSWERED).order_by("at", "pk"),
        "overdue": complaint.responded_at is None and complaint.respond_by < today,
        "masked_name": mask_name(complaint.name),
        "masked_phone": mask_phone(complaint.phone),
        "masked_email": mask_email(complaint.email) if complaint.email else "",
        "lapor_url": LAPOR_URL,
    }
    return render(request, "citizen/complaint/detail.html", context)
