"""The survey page a citizen reaches from the link sent after service."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from queueing.errors import QueueError
from queueing.models import SURVEY_ELEMENTS, Ticket, normalize_code
from queueing.surveys.services import served_request, survey_submit

SCALE = [(1, _("Tidak sesuai")), (2, _("Kurang sesuai")), (3, _("Sesuai")), (4, _("Sangat sesuai"))]
FEE_SCALE = [(1, _("Sangat mahal")), (2, _("Cukup mahal")), (3, _("Murah")), (4, _("Gratis"))]
FEE_ELEMENT = 3  # the fourth element, biaya/tarif


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request, code: str):
    ticket = Ticket.objects.select_related("service__agency").filter(code=normalize_code(code)).first()
    if ticket is None:
        return render(request, "citizen/not_found.html", status=404)
    answers, errors, comment = {}, {}, ""
    if request.method == "POST":
        comment = request.POST.get("comment", "")[:1000]
        for index in range(len(SURVEY_ELEMENTS)):
            raw = request.POST.get(f"q{index + 1}", "")
            if raw in ("1", "2", "3", "4"):
                answers[index] = int(raw)
            else:
                errors[index] = _("Pilih salah satu jawaban.")
        if not errors:
            try:
                survey_submit(ticket=ticket, answers=[answers[i] for i in range(len(SURVEY_ELEMENTS))], comment=comment)
            except QueueError as error:
                return render(request, "citizen/survey.html", {"ticket": ticket, "message": error.message}, status=409)
            return render(request, "citizen/survey.html", {"ticket": ticket, "thanks": True})
    questions = [
        {
            "number": index + 1,
            "label": label,
            "choices": FEE_SCALE if index == FEE_ELEMENT else SCALE,
            "answer": answers.get(index),
            "error": errors.get(index),
        }
        for index, label in enumerate(SURVEY_ELEMENTS)
    ]
    context = {
        "ticket": ticket,
        "served": served_request(ticket),
        "answered": hasattr(ticket, "survey"),
        "questions": questions,
        "comment": comment,
        "error_count": len(errors),
    }
    return render(request, "citizen/survey.html", context, status=400 if errors else 200)
