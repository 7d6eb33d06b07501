"""The office area's home (``/kantor/``): where DPMPTSP's administrators and the agencies'
supervisors find the floor overview, the reports and the office's registers."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from agencies.models import Agency
from queueing.office.access import agency_scope, office_staff


@require_safe
@office_staff
def office_home(request):
    scope = agency_scope(request.user)
    agency = Agency.objects.filter(pk=scope).first() if scope else None
    return render(request, "office/area/home.html", {"nav": "home", "scope_agency": agency})
