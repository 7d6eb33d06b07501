"""The public IKM pages (no login): ``/ikm/`` lists every agency's figures for the last
complete month and the last complete semester; ``/ikm/<agency code>/`` shows an
agency's figures per element and per service for any period that has ended.

What is published: the respondents, NRR per element, the IKM and its 25–100 figure
and grade, a figure from too few respondents marked as such. What is not: anything of
a visit or a person, and the suggestions' text, which citizens write freely and may
name themselves or an officer in; only their number is shown (the agency reads them
in the office's IKM page)."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from agencies.models import Agency
from queueing.surveys import charts, periods
from queueing.surveys.filters import IkmFilterForm, period_choices, with_default_period
from queueing.surveys.publication import ikm_publication
from services.models import Service


@require_safe
def ikm_index(request):
    today = timezone.localdate()
    month, semester = periods.last_complete_month(today), periods.last_complete_semester(today)
    figures = {}
    for period in (month, semester):
        publication = ikm_publication(first=period.first, last=period.last, comments=0)
        figures[period.code] = (publication.total, {row.agency.pk: row.ikm for row in publication.agencies})
    rows = [
        {
            "agency": agency,
            "month": figures[month.code][1].get(agency.pk),
            "semester": figures[semester.code][1].get(agency.pk),
        }
        for agency in Agency.objects.active().order_by("name")
    ]
    context = {
        "month": month,
        "semester": semester,
        "month_total": figures[month.code][0],
        "semester_total": figures[semester.code][0],
        "rows": rows,
    }
    return render(request, "citizen/ikm/index.html", context)


@require_safe
def ikm_agency(request, code: str):
    agency = Agency.objects.active().filter(code=code[:64]).first()
    if agency is None:
        return render(request, "citizen/not_found.html", status=404)
    today = timezone.localdate()
    default = periods.last_complete_month(today)
    # Only a service and a period are asked here; the agency is the page's.
    data = {name: request.GET[name] for name in ("service", "period") if name in request.GET}
    data["agency"] = str(agency.pk)
    form = IkmFilterForm(with_default_period(data, default), default=default, published_only=True, today=today)
    services = Service.objects.filter(agency=agency, active=True).order_by("name")
    form.fields["service"].widget.choices = [("", _("Semua layanan")), *[(s.pk, s.localized.name) for s in services]]
    form.fields["period"].widget.choices = period_choices(today, published_only=True)
    context = {
        "agency": agency,
        "form": form,
        "month": default,
        "semester": periods.last_complete_semester(today),
    }
    if not form.is_valid():
        return render(request, "citizen/ikm/agency.html", context, status=400)
    service = form.cleaned_data.get("service")
    chosen = form.chosen
    publication = ikm_publication(
        agency_id=agency.pk,
        service_id=service.pk if service else None,
        first=chosen.first,
        last=chosen.last,
        comments=0,
    )
    here = reverse("ikm-public-agency", args=[agency.code])
    for row in publication.services:
        row.link = f"{here}?service={row.service.pk}&period={chosen.code}"
    context |= {
        "publication": publication,
        "service": service,
        "period": chosen,
        "title": f"{service.localized.name} · {agency.localized.name}" if service else agency.localized.name,
        "rows": charts.element_rows(publication.total),
        "bands": charts.bands(),
        "ticks": charts.TICKS,
    }
    return render(request, "citizen/ikm/agency.html", context)
