"""Public pages for citizens: the service catalogue, an agency, one service's standard."""

from urllib.parse import quote

from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from agencies.models import Agency, AgencyKind
from services.models import SEARCH_MAX_CHARS, Service, clean_search_text
from services.schedule import week_hours
from services.search import search_services

SEARCH_MAX_RESULTS = 50


def _agencies_by_kind() -> list[tuple[str, list[Agency]]]:
    agencies = Agency.objects.active().annotate(
        service_count=Count("services", filter=Q(services__active=True)),
    )
    groups: dict[AgencyKind, list[Agency]] = {kind: [] for kind in AgencyKind}
    for agency in agencies:
        if agency.kind in groups:
            groups[agency.kind].append(agency)
    return [(kind.label, members) for kind, members in groups.items() if members]


def _not_found(request):
    return render(request, "citizen/not_found.html", status=404)


def home(request):
    searched = "q" in request.GET
    query = clean_search_text(request.GET.get("q", ""))
    results = []
    if query:
        results = list(
            search_services(Service.objects.published(), query).select_related("agency")[:SEARCH_MAX_RESULTS]
        )
    return render(
        request,
        "citizen/home.html",
        {
            "searched": searched,
            "query": query,
            "results": results,
            "max_results": SEARCH_MAX_RESULTS,
            "max_chars": SEARCH_MAX_CHARS,
            "groups": _agencies_by_kind(),
            # The language switch comes back to this search (cleaned, never the raw query).
            "language_next": f"{request.path}?q={quote(query)}" if query else request.path,
        },
    )


def agency_detail(request, code: str):
    agency = Agency.objects.active().filter(code=code).first()
    if agency is None:
        return _not_found(request)
    services = Service.objects.published().filter(agency=agency).order_by("order", "name")
    return render(request, "citizen/agency.html", {"agency": agency, "services": services})


def service_detail(request, code: str, service_code: str):
    service = Service.objects.published().select_related("agency").filter(agency__code=code, code=service_code).first()
    if service is None:
        return _not_found(request)
    today = timezone.localdate()
    return render(
        request,
        "citizen/service.html",
        {"service": service, "agency": service.agency, "today": today, "week": week_hours(service, today)},
    )
