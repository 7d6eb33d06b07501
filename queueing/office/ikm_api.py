"""``GET /api/v1/reports/ikm/``: the IKM publication (PermenPAN-RB 14/2017) of the
filtered surveys as JSON, or with ``format=csv`` / ``format=xlsx`` as a file holding
the same figures."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied as Forbidden
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.permissions import IsStaffPerson
from mpp_common.schema import FORBIDDEN, INVALID
from queueing.office.ikm import publication_for, report_data
from queueing.office.ikm_files import IkmCsvRenderer, IkmXlsxRenderer
from queueing.surveys.filters import IkmFilterForm


class FiguresOutput(serializers.Serializer):
    """The figures are null while no survey matches; ``nrr`` has one value per element
    (U1–U9), null for an element nobody answered."""

    respondents = serializers.IntegerField()
    nrr = serializers.ListField(child=serializers.FloatField(allow_null=True))
    ikm = serializers.FloatField(allow_null=True, help_text="1–4, Σ NRR × 1/9")
    skm = serializers.FloatField(allow_null=True, help_text="25–100, rounded to two decimals")
    grade = serializers.CharField(allow_null=True)
    performance = serializers.CharField(allow_null=True)
    elements_answered = serializers.IntegerField()
    few_respondents = serializers.BooleanField(help_text="fewer respondents than Krejcie–Morgan asks of the visits")
    minimum_respondents = serializers.IntegerField(allow_null=True, help_text="null when the visits were not counted")


class IkmPeriodOutput(serializers.Serializer):
    kind = serializers.ChoiceField(["month", "quarter", "semester", "year", "dates"])
    code = serializers.CharField()
    label = serializers.CharField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()


class AgencyFiguresOutput(FiguresOutput):
    agency = serializers.IntegerField()
    agency_code = serializers.CharField()
    agency_name = serializers.CharField()


class ServiceFiguresOutput(FiguresOutput):
    agency = serializers.IntegerField()
    agency_code = serializers.CharField()
    service = serializers.IntegerField()
    service_name = serializers.CharField()


class CommentOutput(serializers.Serializer):
    date = serializers.DateField()
    agency = serializers.IntegerField()
    service = serializers.IntegerField()
    service_name = serializers.CharField()
    comment = serializers.CharField()


class IkmOutput(FiguresOutput):
    """The whole selection's figures, then per agency and per service; the newest
    hundred suggestions (numbers and email addresses in them masked) and their count."""

    elements = serializers.ListField(child=serializers.CharField())
    period = IkmPeriodOutput(allow_null=True)
    agencies = AgencyFiguresOutput(many=True)
    services = ServiceFiguresOutput(many=True)
    comment_count = serializers.IntegerField()
    comments = CommentOutput(many=True)


IKM_PARAMETERS = [
    OpenApiParameter("agency", int, description="an agency's id; an agency's staff only their own"),
    OpenApiParameter("service", int),
    OpenApiParameter("period", str, description="2026-03 (month), 2026-Q2, 2026-S1 or 2026"),
    OpenApiParameter("date_from", dt.date, description="with date_to, instead of a period"),
    OpenApiParameter("date_to", dt.date),
    OpenApiParameter("format", str, enum=["json", "csv", "xlsx"], description="the same figures as a file"),
]


class FormatNegotiation(DefaultContentNegotiation):
    """An unknown ``format`` is bad input at that field (400), not a missing page."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Http404:
            raise ValidationError({"format": [gettext("Pilih json, csv atau xlsx.")]}) from None


class IkmReportView(APIView):
    """IKM / SKM per PermenPAN-RB 14/2017 over the filtered surveys (every day when no
    period is given)."""

    permission_classes = [IsStaffPerson]
    renderer_classes = [JSONRenderer, IkmCsvRenderer, IkmXlsxRenderer]
    content_negotiation_class = FormatNegotiation

    @extend_schema(
        parameters=IKM_PARAMETERS,
        responses={
            (200, "application/json"): IkmOutput,
            (200, IkmCsvRenderer.media_type): OpenApiResponse(OpenApiTypes.STR, description="the figures' table"),
            (200, IkmXlsxRenderer.media_type): OpenApiResponse(
                OpenApiTypes.BINARY, description="figures, elements, suggestions"
            ),
            400: INVALID,
            403: FORBIDDEN,
        },
    )
    def get(self, request):
        form = IkmFilterForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        try:
            publication = publication_for(request.user, form)
        except PermissionDenied as refusal:
            raise Forbidden(str(refusal)) from None
        response = Response(report_data(form, publication))
        file_format = request.accepted_renderer.format
        if file_format in ("csv", "xlsx"):
            stamp = timezone.localdate().isoformat()
            chosen = (form.chosen.code or "rentang") if form.chosen else "semua"
            name = f"ikm-{chosen}-{stamp}.{file_format}"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def handle_exception(self, exc):
        # A refusal is answered in JSON, whatever file was asked for.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)
