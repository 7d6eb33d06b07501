"""The complaints' API: file one (``POST /api/v1/complaints/``) and follow it by its
code (``GET /api/v1/complaints/<code>/``). Public: the code is the key, and the answer
carries no personal data (no contact, masked or not)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.models import Agency
from mpp_common.schema import NOT_FOUND
from mpp_common.throttling import SwitchableScopedRateThrottle
from queueing.bookings.validators import clean_mobile, clean_person_name
from queueing.errors import QueueError, error_response
from queueing.models import (
    CODE_LENGTH,
    COMPLAINT_TEXT_MAX,
    Complaint,
    ComplaintActKind,
    ComplaintStatus,
    Language,
    normalize_code,
)
from queueing.office.complaints.services import complaint_file
from services.models import Service


def _django_rule(rule, value: str) -> str:
    try:
        return rule(value)
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.messages) from None


class ComplaintInput(serializers.Serializer):
    text = serializers.CharField(min_length=10, max_length=COMPLAINT_TEXT_MAX)
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.active(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("Instansi tidak ditemukan."), "incorrect_type": _("Harus berupa angka.")},
    )
    service = serializers.PrimaryKeyRelatedField(
        queryset=Service.objects.published().select_related("agency"),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("Layanan tidak ditemukan."), "incorrect_type": _("Harus berupa angka.")},
    )
    ticket = serializers.CharField(required=False, allow_blank=True, max_length=64, help_text="A ticket's code")
    name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=32, help_text="e.g. 081234567890")
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    consent = serializers.BooleanField(
        required=False,
        default=True,
        help_text="The citizen agreed to the processing of the name and contact given (UU 27/2022), "
        "as the client showed them; false with a contact is a 400 at consent.",
    )

    def validate_name(self, value: str) -> str:
        return _django_rule(clean_person_name, value) if value.strip() else ""

    def validate_phone(self, value: str) -> str:
        return _django_rule(clean_mobile, value) if value.strip() else ""

    def validate_ticket(self, value: str) -> str:
        if value.strip() and len(normalize_code(value)) != CODE_LENGTH:
            raise serializers.ValidationError(_("Kode tiket terdiri dari 12 huruf dan angka."))
        return value


class ComplaintCreated(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.ChoiceField(choices=ComplaintStatus.choices)
    respond_by = serializers.DateField(help_text="The day the first answer is due (working days)")


class ComplaintAnswerOutput(serializers.Serializer):
    status = serializers.ChoiceField(choices=ComplaintStatus.choices)
    at = serializers.DateTimeField()
    answer = serializers.CharField()


class ComplaintOutput(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.ChoiceField(choices=ComplaintStatus.choices)
    status_label = serializers.CharField()
    agency = serializers.CharField(allow_null=True)
    service = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    respond_by = serializers.DateField()
    responded_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField(help_text="No answer yet and past respond_by")
    answer = serializers.CharField(allow_null=True, help_text="The agency's latest answer")
    answered_at = serializers.DateTimeField(allow_null=True)
    answers = ComplaintAnswerOutput(many=True)

    @staticmethod
    def of(complaint: Complaint) -> dict:
        answers = [
            {"status": act.to_status, "at": act.at, "answer": act.answer}
            for act in complaint.acts.filter(kind=ComplaintActKind.ANSWERED).order_by("at", "pk")
        ]
        latest = answers[-1] if answers else None
        return ComplaintOutput(
            {
                "code": complaint.display_code,
                "status": complaint.status,
                "status_label": complaint.get_status_display(),
                "agency": complaint.agency.localized.name if complaint.agency else None,
                "service": complaint.service.localized.name if complaint.service else None,
                "created_at": complaint.created_at,
                "respond_by": complaint.respond_by,
                "responded_at": complaint.responded_at,
                "overdue": complaint.responded_at is None and complaint.respond_by < timezone.localdate(),
                "answer": latest["answer"] if latest else None,
                "answered_at": latest["at"] if latest else None,
                "answers": answers,
            }
        ).data


class ComplaintCreateView(APIView):
    """File a complaint or suggestion, anonymous or with a contact; the first answer is
    due by ``respond_by``."""

    # Public: no session or token is looked at (and no CSRF check is asked for).
    authentication_classes = ()
    throttle_classes = [SwitchableScopedRateThrottle]
    throttle_scope = "complaint"

    @extend_schema(request=ComplaintInput, responses={201: ComplaintCreated})
    def post(self, request):
        data = ComplaintInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        language = get_language() if get_language() in Language.values else Language.ID
        try:
            complaint = complaint_file(
                text=values["text"],
                agency=values.get("agency"),
                service=values.get("service"),
                ticket_code=values.get("ticket", ""),
                name=values.get("name", ""),
                phone=values.get("phone", ""),
                email=values.get("email", ""),
                consent=values["consent"],
                language=language,
            )
        except QueueError as error:
            return error_response(error)
        body = ComplaintCreated(
            {"code": complaint.display_code, "status": complaint.status, "respond_by": complaint.respond_by}
        ).data
        return Response(body, status=status.HTTP_201_CREATED)


class ComplaintDetailView(APIView):
    """A complaint by its code: status, the agency's answers, the deadline. An unknown
    code, whatever its shape, is a 404."""

    authentication_classes = ()
    throttle_classes = [SwitchableScopedRateThrottle]
    throttle_scope = "booking_lookup"

    @extend_schema(responses={200: ComplaintOutput, 404: NOT_FOUND})
    def get(self, request, code: str):
        complaint = get_object_or_404(
            Complaint.objects.select_related("agency", "service"), code=normalize_code(code[:64])
        )
        return Response(ComplaintOutput.of(complaint))
