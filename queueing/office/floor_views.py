"""The floor now: the office's page (``/kantor/lantai/``) and its API
(``GET /api/v1/reports/floor/``). DPMPTSP's administrators see every agency, or one
with ``?agency=``; a supervisor sees their own agency, and another one's is a 403.

The page renders the figures, then its script (static/js/office-floor.js) reads the
API again whenever a live event of the floor arrives (``/live/events/``), and every
30 seconds with the ETag of its last answer, so the waits keep counting."""

import hashlib
import json

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.models import Agency
from mpp_common.params import parse_id
from mpp_common.schema import IF_NONE_MATCH, UNCHANGED
from queueing.office.access import agency_scope, can_use_office, office_staff
from queueing.office.floor import floor_overview


class OutsideScope(Exception):
    """A supervisor asked for another agency than their own."""


def _scoped_agency(user, raw: str | None) -> int | None:
    """The agency the user asked for (``None``: every agency), held to their scope.
    ``ValueError`` for an id that is not an active agency's, ``OutsideScope`` for a
    supervisor asking for another agency than their own."""
    asked = parse_id(raw)
    scope = agency_scope(user)
    if scope is not None:
        if asked not in (None, scope):
            raise OutsideScope
        return scope
    if asked is not None and not Agency.objects.active().filter(pk=asked).exists():
        raise ValueError(raw)
    return asked


# The API ---------------------------------------------------------------------------------


class IsOfficeStaff(permissions.IsAuthenticated):
    """DPMPTSP's administrators and the agencies' supervisors (``can_use_office``)."""

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and can_use_office(request.user)


class CountersOutput(serializers.Serializer):
    open = serializers.IntegerField(help_text="open for calls, not on a break")
    on_break = serializers.IntegerField()
    serving = serializers.IntegerField(help_text="with a ticket called or in service")


class FloorAgencyOutput(serializers.Serializer):
    agency = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    waiting = serializers.IntegerField()
    longest_wait_minutes = serializers.IntegerField(allow_null=True, help_text="null while nobody waits")
    waiting_since = serializers.DateTimeField(allow_null=True, help_text="when the longest wait began")
    counters = CountersOutput()
    served_today = serializers.IntegerField()
    no_shows_today = serializers.IntegerField()


class FloorTotalOutput(serializers.Serializer):
    waiting = serializers.IntegerField()
    longest_wait_minutes = serializers.IntegerField(allow_null=True)
    counters = CountersOutput()
    served_today = serializers.IntegerField()
    no_shows_today = serializers.IntegerField()


class BusiestOutput(serializers.Serializer):
    agency = serializers.IntegerField()
    name = serializers.CharField()
    waiting = serializers.IntegerField()


class FloorOutput(serializers.Serializer):
    date = serializers.DateField()
    agencies = FloorAgencyOutput(many=True)
    total = FloorTotalOutput()
    busiest = BusiestOutput(allow_null=True, help_text="the agency with the most waiting; null while nobody waits")


def _etag_response(request, data: dict) -> Response:
    """The answer with its ETag; 304 without a body when the client has it already."""
    tag = '"' + hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == tag:
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
    return Response(data, headers={"ETag": tag, "Cache-Control": "private, no-cache"})


class FloorOverviewView(APIView):
    """The floor now, per agency and in total (see ``queueing.office.floor``)."""

    permission_classes = [IsOfficeStaff]

    @extend_schema(
        parameters=[OpenApiParameter("agency", int, description="one agency (a supervisor: only their own)"),
                    IF_NONE_MATCH],
        responses={200: FloorOutput, 304: UNCHANGED},
    )  # fmt: skip
    def get(self, request):
        try:
            agency_id = _scoped_agency(request.user, request.query_params.get("agency"))
        except OutsideScope:
            raise PermissionDenied(_("Anda hanya dapat melihat instansi Anda sendiri.")) from None
        except ValueError:
            raise ValidationError({"agency": [_("Bukan instansi aktif yang dikenal.")]}) from None
        return _etag_response(request, FloorOutput(floor_overview(agency_id=agency_id)).data)


# The page --------------------------------------------------------------------------------

# What the page's script writes, in the page's language.
FLOOR_TEXT = {
    "minutes": gettext_lazy("{minutes} mnt"),
    "none": "—",
    "live_on": gettext_lazy("Langsung: diperbarui saat ada panggilan"),
    "live_off": gettext_lazy("Koneksi langsung terputus — menyambung ulang; angka diperbarui tiap 30 detik"),
    "updated": gettext_lazy("Diperbarui {time}"),
    "busiest": gettext_lazy("{name} ({waiting} menunggu)"),
    "nobody": gettext_lazy("Tidak ada yang menunggu"),
}


@require_safe
@office_staff
def floor_page(request):
    try:
        agency_id = _scoped_agency(request.user, request.GET.get("agency"))
    except OutsideScope:
        return render(request, "office/area/forbidden.html", status=403)
    except ValueError:
        agency_id, error = None, _("Pilih instansi dari daftar.")
    else:
        error = ""
    overview = floor_overview(agency_id=agency_id)
    scope = agency_scope(request.user)
    query = f"?agency={agency_id}" if agency_id else ""
    return render(
        request,
        "office/area/floor.html",
        {
            "nav": "floor",
            "overview": overview,
            "one_agency": agency_id is not None,
            # Only administrators choose; a supervisor's page is their agency's.
            "choices": None if scope else Agency.objects.active().order_by("name").values_list("pk", "name"),
            "chosen": agency_id,
            "typed": request.GET.get("agency", "") if error else "",
            "error": error,
            "query": query,
            "updated": f"{timezone.localtime():%H.%M.%S}",
            "config": {"text": FLOOR_TEXT, "scoped": agency_id is not None},
        },
        status=400 if error else 200,
    )
