import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from mpp_portal.throttling import SwitchableScopedRateThrottle
from queueing.bookings import booking_cancel, booking_create, booking_reschedule
from queueing.errors import Busy, QueueError
from queueing.models import Booking, BookingStatus, Language, PriorityGroup, normalize_code
from queueing.notifications import CHANNELS
from queueing.slots import slots_for
from queueing.validators import clean_mobile, clean_nik, clean_person_name, mask_phone
from services.models import Service
from services.schedule import schedule_for


def _django_validator(function):
    def run(value):
        try:
            return function(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    return run


class SlotOutput(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    capacity = serializers.IntegerField()
    available = serializers.IntegerField()


class SlotQuery(serializers.Serializer):
    date = serializers.DateField(
        error_messages={"invalid": "Tanggal tidak sah, gunakan YYYY-MM-DD. / Invalid date, use YYYY-MM-DD."}
    )


class SlotListView(APIView):
    """Slots of a service on a day with the seats still free; [] on a closed day."""

    @extend_schema(parameters=[OpenApiParameter("date", dt.date, required=True)], responses=SlotOutput(many=True))
    def get(self, request, pk: int):
        service = get_object_or_404(Service.objects.published().select_related("agency"), pk=pk)
        query = SlotQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        slots = slots_for(service, query.validated_data["date"])
        return Response(SlotOutput(slots, many=True).data)


class BookingInput(serializers.Serializer):
    service = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        error_messages={"invalid": "Layanan tidak sah. / Invalid service."},
    )
    start = serializers.DateTimeField()
    nik = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=100)
    phone = serializers.CharField(max_length=32)
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    language = serializers.ChoiceField(choices=Language.choices, default=Language.ID)
    priority_group = serializers.ChoiceField(choices=PriorityGroup.choices, required=False, allow_blank=True)
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=CHANNELS), required=False, allow_empty=False, max_length=3
    )

    def validate_service(self, value: int) -> Service:
        # From this process's copy of the schedule: no query on the booking path.
        copy = schedule_for(value)
        if copy is None or not (copy.service.active and copy.service.agency.active):
            raise ValidationError("Layanan tidak ditemukan. / No such service.")
        return copy.service

    def validate_nik(self, value):
        return _django_validator(clean_nik)(value)

    def validate_name(self, value):
        return _django_validator(clean_person_name)(value)

    def validate_phone(self, value):
        return _django_validator(clean_mobile)(value)

    def validate(self, attrs):
        channels = attrs.get("channels")
        if channels and "email" in channels and not attrs.get("email"):
            raise ValidationError(
                {"email": ["Email wajib diisi untuk pemberitahuan email. / An email address is needed for email."]}
            )
        if channels:
            attrs["channels"] = sorted(set(channels), key=CHANNELS.index)
        return attrs


class BookingOutput(serializers.Serializer):
    """A booking as its holder sees it: NIK and phone masked."""

    code = serializers.CharField(source="display_code")
    service = serializers.IntegerField(source="service_id")
    service_name = serializers.CharField(source="service.name")
    agency = serializers.IntegerField(source="service.agency_id")
    agency_name = serializers.CharField(source="service.agency.name")
    date = serializers.DateField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=BookingStatus.choices)
    name = serializers.CharField()
    nik = serializers.CharField(source="masked_nik")
    phone = serializers.SerializerMethodField()
    email = serializers.EmailField()
    language = serializers.CharField()
    priority_group = serializers.CharField()
    channels = serializers.ListField(child=serializers.CharField())
    reschedule_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()

    def get_phone(self, booking) -> str:
        return mask_phone(booking.phone)


class RescheduleInput(serializers.Serializer):
    start = serializers.DateTimeField()


def error_response(error: QueueError) -> Response:
    """A refused request as the API answers it: 400 at the field, 403, 409 or 503."""
    if isinstance(error, Busy):
        return Response(
            {"detail": str(error.message), "code": error.code},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "1"},
        )
    if error.forbidden:
        return Response({"detail": str(error.message), "code": error.code}, status=status.HTTP_403_FORBIDDEN)
    if error.field:
        return Response({error.field: [str(error.message)], "code": error.code}, status=status.HTTP_400_BAD_REQUEST)
    return Response({"detail": str(error.message), "code": error.code}, status=status.HTTP_409_CONFLICT)


def _booking_by_code(code: str) -> Booking:
    return get_object_or_404(Booking.objects.select_related("service__agency"), code=normalize_code(code))


class BookingCreateView(APIView):
    """Book a seat in a slot. 409 when the slot is full, the quota used up or the
    person already holds a booking for the service that day."""

    throttle_classes = [SwitchableScopedRateThrottle]
    throttle_scope = "booking"

    @extend_schema(
        request=BookingInput,
        responses={201: BookingOutput, 400: OpenApiResponse(), 409: OpenApiResponse(), 503: OpenApiResponse()},
    )
    def post(self, request):
        data = BookingInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            booking = booking_create(**data.validated_data)
        except QueueError as error:
            return error_response(error)
        return Response(BookingOutput(booking).data, status=status.HTTP_201_CREATED)


class BookingDetailView(APIView):
    """A booking, by its code: only who holds the code sees it."""

    throttle_classes = [SwitchableScopedRateThrottle]
    throttle_scope = "booking_lookup"

    @extend_schema(responses=BookingOutput)
    def get(self, request, code: str):
        return Response(BookingOutput(_booking_by_code(code)).data)


class BookingCancelView(APIView):
    throttle_classes = [SwitchableScopedRateThrottle]
    throttle_scope = "booking_lookup"

    @extend_schema(request=None, responses={200: BookingOutput, 409: OpenApiResponse()})
    def post(self, request, code: str):
        try:
            booking = booking_cancel(booking=_booking_by_code(code))
        except QueueError as error:
            return error_response(error)
        return Response(BookingOutput(booking).data)


class BookingRescheduleView(APIView):
    throttle_classes = [SwitchableScopedRateThrottle]
    throttle_scope = "booking"

    @extend_schema(request=RescheduleInput, responses={200: BookingOutput, 409: OpenApiResponse()})
    def post(self, request, code: str):
        booking = _booking_by_code(code)
        data = RescheduleInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            booking = booking_reschedule(booking=booking, start=data.validated_data["start"])
        except QueueError as error:
            return error_response(error)
        return Response(BookingOutput(booking).data)
