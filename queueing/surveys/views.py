"""The survey's pages: the citizen's (``/survei/<code>/``, the link sent after service
and offered on the ticket page), the tablet an officer hands over at the counter, and
the citizens' suggestions for the agency's staff and DPMPTSP."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from agencies.models import Agency
from agencies.permissions import staff_person_required
from mpp_common.params import parse_id
from queueing.errors import QueueError
from queueing.models import Survey, Ticket, normalize_code
from queueing.surveys.forms import SurveyForm
from queueing.surveys.services import handover_refusal, may_hand_over, served_request, survey_submit

LOGIN_URL = "officer-login"
SUGGESTIONS_PER_PAGE = 50
UNKNOWN_TICKET = _("Tiket tidak ditemukan.")
NOT_YOUR_AGENCY = _("Hanya petugas instansi yang melayani kunjungan ini yang dapat membuka surveinya.")


def _ticket(code: str) -> Ticket | None:
    return Ticket.objects.select_related("service__agency").filter(code=normalize_code(code)).first()


def _form_context(form: SurveyForm) -> dict:
    return {
        "form": form,
        "questions": form.questions(),
        "comment": form.comment_shown(),
        "error_count": form.missing_count(),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request, code: str):
    ticket = _ticket(code)
    if ticket is None:
        return render(request, "citizen/not_found.html", status=404)
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            survey_submit(ticket=ticket, answers=form.answers(), comment=form.cleaned_data["comment"])
        except QueueError as error:
            return render(request, "citizen/survey.html", {"ticket": ticket, "message": error.message}, status=409)
        return render(request, "citizen/survey.html", {"ticket": ticket, "thanks": True})
    context = {
        "ticket": ticket,
        "served": served_request(ticket),
        "answered": Survey.objects.filter(ticket=ticket).exists(),
    } | _form_context(form)
    return render(request, "citizen/survey.html", context, status=400 if form.errors else 200)


# The tablet at the counter


def _refused(request, message, status: int):
    """The tablet's refusal: it names no ticket, so a tablet left in a citizen's hands
    shows nothing of the visit."""
    return render(request, "officer/survey_refused.html", {"message": message}, status=status)


@never_cache
@login_required(login_url=LOGIN_URL)
@require_http_methods(["GET", "POST"])
def survey_handover(request, code: str):
    """The survey of the visit the officer has just completed, on a tablet handed to
    the citizen. Sent, it leads to a neutral screen; the visit cannot be surveyed twice."""
    ticket = _ticket(code)
    if ticket is None:
        return _refused(request, UNKNOWN_TICKET, 404)
    if not may_hand_over(request.user, ticket):
        return _refused(request, NOT_YOUR_AGENCY, 403)
    refusal = handover_refusal(ticket)
    if refusal:
        return _refused(request, refusal, 409)
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            survey_submit(
                ticket=ticket,
                answers=form.answers(),
                comment=form.cleaned_data["comment"],
                handed_over_by=request.user,
            )
        except QueueError as error:
            return _refused(request, error.message, 409)
        return redirect("officer-survey-done")
    context = {"ticket": ticket, "service": ticket.service} | _form_context(form)
    return render(request, "officer/survey_tablet.html", context, status=400 if form.errors else 200)


@never_cache
@staff_person_required(LOGIN_URL)
@require_GET
def survey_handover_done(request):
    """The neutral screen the tablet shows once a survey is sent."""
    return render(request, "officer/survey_thanks.html")


# The citizens' suggestions


@never_cache
@staff_person_required(LOGIN_URL)
@require_GET
def suggestions(request):
    """The suggestions (saran dan masukan) of the surveys: the agency's own for its
    staff, every agency's for DPMPTSP, with the service and the date only."""
    surveys = Survey.objects.visible_to(request.user).with_comment().select_related("service", "agency")
    agencies, chosen = None, None
    if request.user.is_mall_admin:
        agencies = Agency.objects.order_by("name")
        try:
            chosen = parse_id(request.GET.get("agency"))
        except ValueError:
            chosen = None
        if chosen:
            surveys = surveys.filter(agency_id=chosen)
    page = Paginator(surveys, SUGGESTIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "agencies": agencies, "chosen": chosen}
    return render(request, "officer/suggestions.html", context)
