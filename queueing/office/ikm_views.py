"""The office's IKM page (``/kantor/ikm/``): the publication of an agency, a service or
the whole mall for a period, with a print layout for the mall's notice board and the
figures as CSV or XLSX (the API's files). Administrators choose any agency; a
supervisor sees their own, and asking for another agency's is refused (403)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from agencies.models import Agency
from mpp_common.params import parse_id
from queueing.office.access import agency_scope, office_staff
from queueing.office.ikm import publication_for
from queueing.surveys import charts, periods
from queueing.surveys.filters import IkmFilterForm, period_choices, with_default_period
from services.models import Service


def _service_choices(agency_id: int | None):
    services = Service.objects.select_related("agency").order_by("agency__name", "name")
    if agency_id:
        return [("", _("Semua layanan")), *[(s.pk, s.localized.name) for s in services.filter(agency_id=agency_id)]]
    groups: dict[str, list] = {}
    for service in services:
        groups.setdefault(service.agency.localized.name, []).append((service.pk, service.localized.name))
    return [("", _("Semua layanan")), *groups.items()]


def _title(form: IkmFilterForm, scope_agency: Agency | None) -> str:
    service, agency = form.cleaned_data.get("service"), form.cleaned_data.get("agency") or scope_agency
    if service:
        return f"{service.localized.name} · {service.agency.localized.name}"
    if agency:
        return agency.localized.name
    return _("Seluruh instansi di MPP Kota Tangerang Selatan")


@require_safe
@office_staff
def ikm_page(request):
    today = timezone.localdate()
    default = periods.last_complete_month(today)
    form = IkmFilterForm(with_default_period(request.GET, default), default=default, today=today)
    scope = agency_scope(request.user)
    scope_agency = Agency.objects.filter(pk=scope).first() if scope else None
    if scope is None:
        agencies = Agency.objects.order_by("name")
        form.fields["agency"].widget.choices = [("", _("Semua instansi"))] + [
            (a.pk, a.localized.name) for a in agencies
        ]
    chosen_agency = scope or _id(form.data.get("agency"))
    form.fields["service"].widget.choices = _service_choices(chosen_agency)
    form.fields["period"].widget.choices = period_choices(today)
    context = {"nav": "ikm", "form": form, "scope_agency": scope_agency, "today": today}
    status = 200
    if not form.is_valid():
        status = 400
    else:
        try:
            publication = publication_for(request.user, form)
        except PermissionDenied as refusal:
            context["refusal"] = str(refusal)
            status = 403
        else:
            context |= _result_context(form, publication, scope_agency)
            context |= {"csv_query": form.query(format="csv"), "xlsx_query": form.query(format="xlsx")}
    return render(request, "office/ikm/page.html", context, status=status)


def _id(raw) -> int | None:
    try:
        return parse_id(raw)
    except ValueError:
        return None


def _result_context(form: IkmFilterForm, publication, scope_agency) -> dict:
    query = form.query()
    for row in publication.agencies:
        row.link = reverse("office-ikm") + "?" + _replace(query, agency=row.agency.pk)
    for row in publication.services:
        row.link = reverse("office-ikm") + "?" + _replace(query, agency=row.agency.pk, service=row.service.pk)
    return {
        "publication": publication,
        "title": _title(form, scope_agency),
        "period": form.chosen,
        "rows": charts.element_rows(publication.total),
        "bands": charts.bands(),
        "ticks": charts.TICKS,
        "agency_rows": publication.agencies,
        "service_rows": publication.services,
        "many_agencies": len(publication.agencies) > 1,
    }


def _replace(query: str, **values) -> str:
    from urllib.parse import parse_qsl, urlencode

    params = dict(parse_qsl(query)) | {name: str(value) for name, value in values.items()}
    return urlencode(params)
