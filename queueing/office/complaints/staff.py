"""The office's complaint pages (``/kantor/pengaduan/``): the list, overdue first and
flagged; a complaint with its history, the answer form and, for DPMPTSP's
administrators, routing to an agency. Administrators see every complaint (those with no
agency too); a supervisor their agency's, and 403 for another's. The citizen's contact
is shown masked: the answers reach them through the outbox."""

import functools

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from agencies.models import Agency
from mpp_common.params import parse_id
from queueing.bookings.validators import mask_email, mask_name, mask_phone
from queueing.errors import QueueError
from queueing.models import Complaint, ComplaintStatus, normalize_code
from queueing.office.access import office_staff
from queueing.office.complaints.forms import AnswerForm, RouteForm
from queueing.office.complaints.services import can_handle, complaint_answer, complaint_route

PER_PAGE = 50
UNROUTED = "none"


def _filters(request, user) -> dict:
    """The list's filters from the query string; a value that names nothing is
    dropped, never an error."""
    status = request.GET.get("status", "")
    code = normalize_code(request.GET.get("kode", "")[:64])
    chosen = request.GET.get("agency", "")
    if chosen != UNROUTED:
        try:
            chosen = parse_id(chosen)
        except ValueError:
            chosen = None
    return {
        "status": status if status in ComplaintStatus.values else "",
        "overdue": request.GET.get("overdue") == "1",
        "agency": chosen if user.is_mall_admin else None,
        "kode": code,
    }


@never_cache
@require_safe
@office_staff
def complaint_list(request):
    today = timezone.localdate()
    chosen = _filters(request, request.user)
    complaints = Complaint.objects.visible_to(request.user).select_related("agency", "service")
    if chosen["status"]:
        complaints = complaints.filter(status=chosen["status"])
    if chosen["overdue"]:
        complaints = complaints.overdue(today)
    if chosen["agency"] == UNROUTED:
        complaints = complaints.filter(agency__isnull=True)
    elif chosen["agency"]:
        complaints = complaints.filter(agency_id=chosen["agency"])
    if chosen["kode"]:
        complaints = complaints.filter(code=chosen["kode"])
    page = Paginator(complaints.in_office_order(today), PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "nav": "complaints",
        "page": page,
        "chosen": chosen,
        "statuses": ComplaintStatus.choices,
        "agencies": Agency.objects.order_by("name") if request.user.is_mall_admin else None,
        "overdue_count": Complaint.objects.visible_to(request.user).overdue(today).count(),
        "query": query.urlencode(),
        "unrouted": UNROUTED,
    }
    return render(request, "office/complaints/list.html", context)


def with_complaint(view):
    """The complaint of the URL's number for ``view``: 404 without one, 403 when it is
    another agency's."""

    @functools.wraps(view)
    def found(request, pk: int):
        complaint = (
            Complaint.objects.select_related("agency", "service", "ticket__service__agency").filter(pk=pk).first()
        )
        if complaint is None:
            return render(request, "office/complaints/unknown.html", {"nav": "complaints"}, status=404)
        if not can_handle(request.user, complaint):
            return render(request, "office/complaints/forbidden.html", {"nav": "complaints"}, status=403)
        return view(request, complaint)

    return found


def _page(request, complaint: Complaint, *, answer_form=None, route_form=None, refusal: str = "", status: int = 200):
    context = {
        "nav": "complaints",
        "complaint": complaint,
        "overdue": complaint.responded_at is None and complaint.respond_by < timezone.localdate(),
        "acts": complaint.acts.select_related("from_agency", "to_agency").order_by("at", "pk"),
        "masked_name": mask_name(complaint.name),
        "masked_phone": mask_phone(complaint.phone),
        "masked_email": mask_email(complaint.email) if complaint.email else "",
        "answer_form": answer_form or AnswerForm(),
        "route_form": (route_form or RouteForm()) if request.user.is_mall_admin else None,
        "refusal": refusal,
    }
    return render(request, "office/complaints/detail.html", context, status=status)


@never_cache
@require_safe
@office_staff
@with_complaint
def complaint_page(request, complaint: Complaint):
    return _page(request, complaint)


@never_cache
@sensitive_post_parameters("answer")
@require_POST
@office_staff
@with_complaint
def complaint_answer_page(request, complaint: Complaint):
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _page(request, complaint, answer_form=form, status=400)
    try:
        complaint_answer(
            staff=request.user,
            complaint=complaint,
            answer=form.cleaned_data["answer"],
            status=form.cleaned_data["status"],
        )
    except QueueError as error:
        if error.field in form.fields:
            form.add_error(error.field, str(error.message))
            return _page(request, complaint, answer_form=form, status=400)
        return _page(
            request, complaint, answer_form=form, refusal=str(error.message), status=403 if error.forbidden else 409
        )
    messages.success(request, _("Tanggapan tersimpan dan dikirim ke warga yang meninggalkan kontak."))
    return redirect("office-complaint", complaint.pk)


@never_cache
@require_POST
@office_staff
@with_complaint
def complaint_route_page(request, complaint: Complaint):
    if not request.user.is_mall_admin:
        return render(request, "office/complaints/forbidden.html", {"nav": "complaints"}, status=403)
    form = RouteForm(request.POST)
    if not form.is_valid():
        return _page(request, complaint, route_form=form, status=400)
    try:
        complaint_route(
            staff=request.user,
            complaint=complaint,
            agency=form.cleaned_data["route_agency"],
            service=form.cleaned_data["route_service"],
        )
    except QueueError as error:
        field = {"service": "route_service"}.get(error.field or "")
        if field:
            form.add_error(field, str(error.message))
            return _page(request, complaint, route_form=form, status=400)
        return _page(
            request, complaint, route_form=form, refusal=str(error.message), status=403 if error.forbidden else 409
        )
    messages.success(request, _("Pengaduan diteruskan ke instansi."))
    return redirect("office-complaint", complaint.pk)
