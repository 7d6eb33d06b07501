"""The survey's API: the nine answers of a served visit."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from mpp_common.schema import CONFLICT, NOT_FOUND
from mpp_common.throttling import SwitchableScopedRateThrottle
from queueing.errors import QueueError, error_response
from queueing.models import Ticket, normalize_code
from queueing.surveys.services import survey_submit


class SurveyInput(serializers.Serializer):
    ticket = serializers.CharField(max_length=40)
    answers = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=4), min_length=9, max_length=9
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class SurveyCreateView(APIView):
    """The nine-question satisfaction survey of a served visit; one per ticket."""

    throttle_classes = [SwitchableScopedRateThrottle]
    throttle_scope = "booking_lookup"

    @extend_schema(
        request=SurveyInput,
        responses={
            201: inline_serializer(
                "SurveyRecorded", {"ticket": serializers.CharField(), "status": serializers.CharField()}
            ),
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def post(self, request):
        data = SurveyInput(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = get_object_or_404(Ticket, code=normalize_code(data.validated_data["ticket"]))
        try:
            survey_submit(
                ticket=ticket, answers=data.validated_data["answers"], comment=data.validated_data.get("comment", "")
            )
        except QueueError as error:
            return error_response(error)
        return Response({"ticket": ticket.code, "status": "recorded"}, status=status.HTTP_201_CREATED)
