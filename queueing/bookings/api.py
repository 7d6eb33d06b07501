import datetime as dt
import json
import math

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from mpp_common.parsers import JSONParser, loads
from mpp_common.schema import BUSY, CONFLICT
from mpp_common.throttling import SwitchableScopedRateThrottle
from queueing.bookings.schemas import BookingIn, BookingOut, FieldErrors, RescheduleIn, parse_booking, parse_reschedule
from queueing.bookings.services import bookable_service, booking_cancel, booking_create, booking_reschedule
from queueing.bookings.slots import slots_for
from queueing.errors import QueueError, error_response, refusal
from queueing.models import Booking, normalize_code
from services.models import Service


class SlotOutput(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    capacity = serializers.IntegerField()
    available = serializers.IntegerField()


class SlotQuery(serializers.Serializer):
    date = serializers.DateField(error_messages={"invalid": gettext_lazy("Tanggal tidak sah, gunakan YYYY-MM-DD.")})


class SlotListView(APIView):
    """Slots of a service on a day with the seats still free; [] on a closed day."""

    @extend_schema(parameters=[OpenApiParameter("date", dt.date, required=True)], responses=SlotOutput(many=True))
    def get(self, request, pk: int):
        service = get_object_or_404(Service.objects.published().select_related("agency"), pk=pk)
        query = SlotQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        slots = slots_for(service, query.validated_data["date"])
        return Response(SlotOutput(slots, many=True).data)


# As DRF's JSONRenderer writes it: UTF-8, no spaces. Made once: ``json.dumps`` with
# options makes a new encoder on every call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _json(body, status_code: int, headers: dict | None = None) -> HttpResponse:
    content = _ENCODER.encode(body).encode()
    return HttpResponse(content, status=status_code, headers=headers, content_type="application/json")


def _booking_by_code(code: str) -> Booking:
    return get_object_or_404(Booking.objects.select_related("service__agency"), code=normalize_code(code))


class BookingCreateView(APIView):
    """Book a seat in a slot. 409 when the slot is full, the quota used up or the
    person already holds a booking for the service that day."""

    # Public: nobody logs in to book, so no session or token is looked at.
    authentication_classes = ()
    parser_classes = (JSONParser,)
    renderer_classes = (JSONRenderer,)
    throttle_classes = [SwitchableScopedRateThrottle]
    throttle_scope = "booking"

    def dispatch(self, request, *args, **kwargs):
        """A booking is the request a rush is made of, so its POST is served by plain
        Django: DRF's request wrapper, content negotiation and renderer cost more than
        reading the booking (docs/decisions/0004-pydantic-booking-path.md). The answers are DRF's: the
        same throttle, 415 for a body that is not JSON, 400 for one that does not
        parse, and the same JSON out. Other methods (OPTIONS, 405) go through DRF."""
        if request.method != "POST":
            return super().dispatch(request, *args, **kwargs)
        throttle = SwitchableScopedRateThrottle()
        if not throttle.allow_request(request, self):
            wait = throttle.wait()
            return _json(
                {"detail": gettext("Terlalu banyak permintaan, coba lagi nanti.")},
                status.HTTP_429_TOO_MANY_REQUESTS,
                {"Retry-After": str(math.ceil(wait))} if wait is not None else None,
            )
        if request.content_type != "application/json":
            return _json(
                {"detail": f'Unsupported media type "{request.content_type}" in request.'},
                status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            )
        try:
            data = loads(request.body)
        except ValueError:
            return _json({"detail": gettext("Data bukan JSON yang sah.")}, status.HTTP_400_BAD_REQUEST)
        return self.post(data)

    @extend_schema(
        request=BookingIn,
        responses={201: BookingOut, 409: CONFLICT, 503: BUSY},
    )
    def post(self, data):
        try:
            values = parse_booking(data)
        except FieldErrors as error:
            return _json(error.errors, status.HTTP_400_BAD_REQUEST)
        try:
            booking = booking_create(**values | {"service": bookable_service(values["service"])})
        except QueueError as error:
            return _json(*refusal(error))
        return _json(BookingOut.of(booking), status.HTTP_201_CREATED)


class BookingDetailView(APIView):
    """A booking, by its code: only who holds the code sees it."""

    throttle_classes = [SwitchableScopedRateThrottle]
    throttle_scope = "booking_lookup"

    @extend_schema(responses=BookingOut)
    def get(self, request, code: str):
        return Response(BookingOut.of(_booking_by_code(code)))


class BookingCancelView(APIView):
    throttle_classes = [SwitchableScopedRateThrottle]
    throttle_scope = "booking_lookup"

    @extend_schema(request=None, responses={200: BookingOut, 409: CONFLICT, 503: BUSY})
    def post(self, request, code: str):
        try:
            booking = booking_cancel(booking=_booking_by_code(code))
        except QueueError as error:
            return error_response(error)
        return Response(BookingOut.of(booking))


class BookingRescheduleView(APIView):
    throttle_classes = [SwitchableScopedRateThrottle]
    throttle_scope = "booking"

    @extend_schema(request=RescheduleIn, responses={200: BookingOut, 409: CONFLICT, 503: BUSY})
    def post(self, request, code: str):
        booking = _booking_by_code(code)
        try:
            start = parse_reschedule(request.data)
        except FieldErrors as error:
            return Response(error.errors, status=status.HTTP_400_BAD_REQUEST)
        try:
            booking = booking_reschedule(booking=booking, start=start)
        except QueueError as error:
            return error_response(error)
        return Response(BookingOut.of(booking))
