"""The DPMPTSP office's IKM report of the surveys (the queue report is
``queueing.office.reports``)."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.permissions import IsStaffPerson
from queueing.models import Survey
from queueing.office.reports.filters import FORBIDDEN
from queueing.surveys.ikm import ikm


class ReportQuery(serializers.Serializer):
    agency = serializers.IntegerField(required=False, min_value=1)
    service = serializers.IntegerField(required=False, min_value=1)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def validate(self, attrs):
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_to"] < attrs["date_from"]:
            raise serializers.ValidationError({"date_to": [gettext("Sebelum date_from.")]})
        return attrs


REPORT_PARAMETERS = [
    OpenApiParameter("agency", int),
    OpenApiParameter("service", int),
    OpenApiParameter("date_from", dt.date),
    OpenApiParameter("date_to", dt.date),
]


def _filters(request) -> dict:
    """The query's filters; the agency is the user's own unless an administrator, and
    asking for another one is refused (403), as in every report."""
    query = ReportQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    filters = dict(query.validated_data)
    if not request.user.is_mall_admin:
        if filters.get("agency") not in (None, request.user.staff_agency_id):
            raise PermissionDenied(FORBIDDEN)
        filters["agency"] = request.user.staff_agency_id
    return filters


COMMENTS_SHOWN = 100


class CommentOutput(serializers.Serializer):
    date = serializers.DateField()
    agency = serializers.IntegerField()
    service = serializers.IntegerField()
    service_name = serializers.CharField()
    comment = serializers.CharField()


class IkmOutput(serializers.Serializer):
    """The figures are null while no survey matches the filters."""

    respondents = serializers.IntegerField()
    nrr = serializers.ListField(child=serializers.FloatField(allow_null=True))
    ikm = serializers.FloatField(allow_null=True)
    skm = serializers.FloatField(allow_null=True)
    grade = serializers.CharField(allow_null=True)
    performance = serializers.CharField(allow_null=True)
    comment_count = serializers.IntegerField()
    comments = CommentOutput(many=True)


def _comments(surveys) -> dict:
    """The suggestions of the surveys, newest first: the date, the agency, the service
    and the text; nothing else of the visit."""
    with_comment = surveys.with_comment()
    rows = with_comment.select_related("service")[:COMMENTS_SHOWN]
    return {
        "comment_count": with_comment.count(),
        "comments": [
            {
                "date": timezone.localtime(survey.created_at).date().isoformat(),
                "agency": survey.agency_id,
                "service": survey.service_id,
                "service_name": survey.service.name,
                "comment": survey.comment,
            }
            for survey in rows
        ],
    }


class IkmReportView(APIView):
    """IKM / SKM per PermenPAN-RB 14/2017 over the filtered surveys, with the newest
    hundred suggestions (saran dan masukan) and their count."""

    permission_classes = [IsStaffPerson]

    @extend_schema(parameters=REPORT_PARAMETERS, responses=IkmOutput)
    def get(self, request):
        filters = _filters(request)
        surveys = Survey.objects.all()
        if filters.get("agency"):
            surveys = surveys.filter(agency_id=filters["agency"])
        if filters.get("service"):
            surveys = surveys.filter(service_id=filters["service"])
        if filters.get("date_from"):
            surveys = surveys.filter(created_at__date__gte=filters["date_from"])
        if filters.get("date_to"):
            surveys = surveys.filter(created_at__date__lte=filters["date_to"])
        return Response(ikm(surveys) | _comments(surveys))
