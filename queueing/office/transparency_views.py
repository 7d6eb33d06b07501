"""The public transparency page (``/transparansi/``) and its API
(``GET /api/v1/transparency/``): no login, figures per agency only
(``queueing.office.transparency``)."""

from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from queueing.office.transparency import last_month, transparency

# Browsers may keep an answer this long; the server's own cache decides how fresh it is.
BROWSER_SECONDS = 60


class IkmSummaryOutput(serializers.Serializer):
    """Null while the agency had no survey last month."""

    respondents = serializers.IntegerField()
    ikm = serializers.FloatField(allow_null=True, help_text="1–4")
    skm = serializers.FloatField(allow_null=True, help_text="25–100")
    grade = serializers.CharField(allow_null=True)
    performance = serializers.CharField(allow_null=True)


class WithinTargetOutput(serializers.Serializer):
    tickets = serializers.IntegerField(help_text="tickets the agency issued last month")
    share = serializers.FloatField(allow_null=True, help_text="0–1; null without tickets")


class TransparencyAgencyOutput(serializers.Serializer):
    agency = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    waiting = serializers.IntegerField(help_text="waiting now")
    typical_wait_minutes = serializers.IntegerField(
        allow_null=True, help_text="median minutes from issue to first call today; null before the first call"
    )
    ikm = IkmSummaryOutput(help_text="last month's")
    within_target = WithinTargetOutput(help_text="last month's tickets first called within the service's target")


class TransparencyOutput(serializers.Serializer):
    date = serializers.DateField()
    month = serializers.CharField(help_text="YYYY-MM: the month the IKM and the share are of")
    agencies = TransparencyAgencyOutput(many=True)


class TransparencyView(APIView):
    """Per agency: waiting now, typical wait today, last month's IKM and grade, and the
    share of last month's tickets called within the target. No personal data."""

    authentication_classes: list = []

    @extend_schema(responses=TransparencyOutput)
    def get(self, request):
        response = Response(TransparencyOutput(transparency()).data)
        patch_cache_control(response, max_age=BROWSER_SECONDS)
        return response


@require_safe
def transparency_page(request):
    figures = transparency()
    for row in figures["agencies"]:
        share = row["within_target"]["share"]
        row["within_target"] = {**row["within_target"], "percent": None if share is None else round(share * 100)}
    month_first, _end = last_month(figures["date"])
    response = render(request, "citizen/transparency.html", {"figures": figures, "month_first": month_first})
    patch_cache_control(response, max_age=BROWSER_SECONDS)
    return response
