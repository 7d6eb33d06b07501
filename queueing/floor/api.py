"""The queue floor's API: kiosk tickets, check-in, the officer's actions, the display."""

import collections
import hashlib
import json

from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.models import Agency, Counter
from agencies.permissions import IsStaffPerson
from mpp_common.params import int_query_param
from mpp_common.schema import BUSY, CONFLICT, IF_NONE_MATCH, UNCHANGED
from mpp_common.throttling import SwitchableScopedRateThrottle
from queueing.errors import QueueError, error_response
from queueing.estimates import estimated_wait_minutes, people_ahead
from queueing.floor.tickets import (
    ACTIONS,
    booking_check_in,
    counter_set_paused,
    kiosk_check_agency,
    ticket_act_by_code,
    ticket_by_code,
    ticket_call_next,
    ticket_issue_walk_in,
)
from queueing.models import (
    Announcement,
    Booking,
    PriorityGroup,
    Ticket,
    TicketAction,
    TicketEvent,
    TicketStatus,
    normalize_code,
)
from services.models import Service

LATEST_CALLS = 12
# The board keeps this many of each agency's latest calls, whichever counter made them.
CALLS_PER_AGENCY = 4
# Formats like the declared DateTimeFields (ISO 8601 in the current time zone).
_DATETIME = serializers.DateTimeField()


class TicketOutput(serializers.Serializer):
    code = serializers.CharField()
    number = serializers.CharField(source="display_number")
    spoken = serializers.CharField(source="spoken_number")
    status = serializers.ChoiceField(choices=TicketStatus.choices)
    service = serializers.IntegerField(source="service_id")
    service_name = serializers.CharField(source="service.localized.name")
    agency = serializers.IntegerField(source="service.agency_id")
    agency_name = serializers.CharField(source="service.agency.localized.name")
    priority_group = serializers.CharField()
    counter = serializers.SerializerMethodField()
    issued_at = serializers.DateTimeField()
    called_at = serializers.DateTimeField(allow_null=True, help_text="null until the ticket is called")
    people_ahead = serializers.SerializerMethodField()
    estimated_wait_minutes = serializers.SerializerMethodField()

    def get_counter(self, ticket) -> int | None:
        if ticket.status in (TicketStatus.CALLED, TicketStatus.SERVING) and ticket.counter_id:
            return ticket.counter.number
        return None

    def get_people_ahead(self, ticket) -> int:
        return people_ahead(ticket)

    def get_estimated_wait_minutes(self, ticket) -> int:
        return estimated_wait_minutes(ticket, self.get_people_ahead(ticket))

    def to_representation(self, ticket) -> dict:
        # The fields above, built directly: every officer action answers with a
        # ticket, and DRF's per-field machinery (copying and binding fourteen fields
        # for each response) costs more than the action's own statements. The fields
        # still describe the schema; a test holds the two representations equal.
        ahead = people_ahead(ticket)
        return {
            "code": ticket.code,
            "number": ticket.display_number,
            "spoken": ticket.spoken_number,
            "status": str(ticket.status),
            "service": ticket.service_id,
            "service_name": ticket.service.localized.name,
            "agency": ticket.service.agency_id,
            "agency_name": ticket.service.agency.localized.name,
            "priority_group": ticket.priority_group,
            "counter": self.get_counter(ticket),
            "issued_at": _DATETIME.to_representation(ticket.issued_at),
            "called_at": _DATETIME.to_representation(ticket.called_at),
            "people_ahead": ahead,
            "estimated_wait_minutes": estimated_wait_minutes(ticket, ahead),
        }


def _ticket_by_code(code: str) -> Ticket:
    ticket = ticket_by_code(code)
    if ticket is None:
        raise Http404
    return ticket


def _etag_response(request, data, **kwargs) -> Response:
    """Answers 304 when the client already has this exact body (cheap polling)."""
    tag = '"' + hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == tag:
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
    response = Response(data, **kwargs)
    response["ETag"] = tag
    response["Cache-Control"] = "no-cache"
    return response


class IsKiosk(permissions.BasePermission):
    """A registered kiosk: a kiosk account's token, or its kiosk page's session."""

    message = gettext_lazy("Hanya kiosk terdaftar yang dapat mengambil nomor antrean.")

    def has_permission(self, request, view) -> bool:
        return bool(getattr(request.user, "can_issue_walk_ins", False))


class KioskOnly:
    """What the kiosk's endpoints share: only a kiosk, at the kiosk's rate (per kiosk
    account). The session comes first so that a missing credential is a 403, as the
    contract says, rather than a 401 asking for a token."""

    authentication_classes = [SessionAuthentication, TokenAuthentication]
    permission_classes = [IsKiosk]
    throttle_classes = [SwitchableScopedRateThrottle]
    throttle_scope = "kiosk"


class WalkInInput(serializers.Serializer):
    service = serializers.PrimaryKeyRelatedField(queryset=Service.objects.published().select_related("agency"))
    priority = serializers.ChoiceField(choices=PriorityGroup.choices, required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(choices=[("id", "id"), ("en", "en")], required=False, default="id")


class TicketCreateView(KioskOnly, APIView):
    """A walk-in ticket, as the kiosk takes it; only a registered kiosk, and an agency's
    own kiosk only for that agency's services (403 otherwise)."""

    @extend_schema(request=WalkInInput, responses={201: TicketOutput, 409: CONFLICT, 503: BUSY})
    def post(self, request):
        data = WalkInInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            kiosk_check_agency(kiosk=request.user, agency_id=data.validated_data["service"].agency_id)
            ticket = ticket_issue_walk_in(
                service=data.validated_data["service"],
                priority_group=data.validated_data["priority"],
                language=data.validated_data["language"],
            )
        except QueueError as error:
            return error_response(error)
        return Response(TicketOutput(ticket).data, status=status.HTTP_201_CREATED)


class TicketDetailView(APIView):
    """A ticket by its code: status, people ahead, estimated wait, counter when called.
    Supports ``If-None-Match`` so a phone can poll it cheaply. Not throttled per address:
    the phones on the mall's Wi-Fi share one, and a 60-bit code cannot be guessed."""

    throttle_classes: list = []

    @extend_schema(parameters=[IF_NONE_MATCH], responses={200: TicketOutput, 304: UNCHANGED})
    def get(self, request, code: str):
        return _etag_response(request, TicketOutput(_ticket_by_code(code)).data)


class BookingCheckInView(KioskOnly, APIView):
    """Check a booking in on its day, at a kiosk: it becomes a ticket in the live queue."""

    @extend_schema(request=None, responses={200: TicketOutput, 409: CONFLICT, 503: BUSY})
    def post(self, request, code: str):
        booking = get_object_or_404(Booking.objects.select_related("service"), code=normalize_code(code))
        try:
            kiosk_check_agency(kiosk=request.user, agency_id=booking.service.agency_id)
            ticket = booking_check_in(booking=booking)
        except QueueError as error:
            return error_response(error)
        return Response(TicketOutput(ticket).data)


def _counter_in_scope(request, pk: int) -> Counter:
    """A counter of the user's agency (any for administrators); others are not found."""
    return get_object_or_404(Counter.objects.visible_to(request.user), pk=pk)


class CallNextView(APIView):
    """Call the next ticket to this counter: 200 with it, 204 when nobody waits."""

    permission_classes = [IsStaffPerson]

    @extend_schema(request=None, responses={200: TicketOutput, 204: None, 409: CONFLICT, 503: BUSY})
    def post(self, request, pk: int):
        try:
            ticket = ticket_call_next(counter=_counter_in_scope(request, pk), officer=request.user)
        except QueueError as error:
            return error_response(error)
        if ticket is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(TicketOutput(ticket).data)


class PauseInput(serializers.Serializer):
    paused = serializers.BooleanField()


class PauseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    paused = serializers.BooleanField()


class CounterPauseView(APIView):
    """Pause a counter for a break, or end the break."""

    permission_classes = [IsStaffPerson]

    @extend_schema(request=PauseInput, responses=PauseOutput)
    def post(self, request, pk: int):
        data = PauseInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            counter = counter_set_paused(
                counter=_counter_in_scope(request, pk), officer=request.user, paused=data.validated_data["paused"]
            )
        except QueueError as error:
            return error_response(error)
        return Response({"id": counter.pk, "number": counter.number, "paused": counter.paused_since is not None})


class TransferInput(serializers.Serializer):
    service = serializers.PrimaryKeyRelatedField(
        queryset=Service.objects.published().select_related("agency"), required=False
    )
    counter = serializers.PrimaryKeyRelatedField(queryset=Counter.objects.all(), required=False)


class TicketActionView(APIView):
    """recall, start, complete, no-show, hold, resume, or transfer ({service} or {counter}).
    409 when the action does not fit the ticket's state; 403 outside the user's agency."""

    permission_classes = [IsStaffPerson]

    @extend_schema(
        operation_id="ticket_action",
        request=TransferInput,
        responses={200: TicketOutput, 409: CONFLICT, 503: BUSY},
    )
    def post(self, request, code: str, action: str):
        if action not in ACTIONS:
            return Response({"detail": gettext("Tindakan tidak dikenal.")}, status=status.HTTP_404_NOT_FOUND)
        target = {}
        if action == "transfer":
            data = TransferInput(data=request.data)
            data.is_valid(raise_exception=True)
            target = data.validated_data
        try:
            # Found by its code and locked in one statement.
            ticket = ticket_act_by_code(
                code=normalize_code(code), action=ACTIONS[action], officer=request.user, **target
            )
        except Ticket.DoesNotExist:
            raise Http404 from None
        except QueueError as error:
            return error_response(error)
        return Response(TicketOutput(ticket).data)


class DisplayCallOutput(serializers.Serializer):
    number = serializers.CharField()
    spoken = serializers.CharField()
    counter = serializers.IntegerField()
    agency = serializers.IntegerField()
    at = serializers.DateTimeField()


class DisplayWaitingOutput(serializers.Serializer):
    agency = serializers.IntegerField()
    agency_name = serializers.CharField()
    waiting = serializers.IntegerField()


class DisplayOutput(serializers.Serializer):
    calls = DisplayCallOutput(many=True)
    waiting = DisplayWaitingOutput(many=True)
    running_text = serializers.ListField(child=serializers.CharField())


def display_state(agency_id: int | None) -> dict:
    """What a display board shows: the latest calls, at most ``CALLS_PER_AGENCY`` of
    each agency (a recalled ticket once, at its newest call), waiting counts per agency,
    and the running text; for the whole mall or one agency."""
    today = timezone.localdate()
    events = (
        TicketEvent.objects.filter(
            at__date=today, action__in=(TicketAction.CALLED, TicketAction.RECALLED), counter__isnull=False
        )
        .select_related("ticket__service__agency", "counter")
        .order_by("-at", "-id")
    )
    if agency_id is not None:
        events = events.filter(counter__agency_id=agency_id)
    calls, shown, per_agency = [], set(), collections.Counter()
    for event in events[:200]:
        agency = event.counter.agency_id
        if event.ticket_id in shown or per_agency[agency] == CALLS_PER_AGENCY:
            continue
        shown.add(event.ticket_id)
        per_agency[agency] += 1
        calls.append(
            {
                "number": event.ticket.display_number,
                "spoken": event.ticket.spoken_number,
                "counter": event.counter.number,
                "agency": agency,
                "at": event.at,
            }
        )
        if len(calls) == LATEST_CALLS:
            break
    waiting_rows = Ticket.objects.filter(date=today, status=TicketStatus.WAITING)
    agencies = Agency.objects.active().order_by("name")
    if agency_id is not None:
        waiting_rows = waiting_rows.filter(service__agency_id=agency_id)
        agencies = agencies.filter(pk=agency_id)
    counts = dict(
        waiting_rows.values_list("service__agency").annotate(n=Count("id")).values_list("service__agency", "n")
    )
    texts = Announcement.objects.filter(active=True)
    texts = (
        texts.filter(agency__isnull=True) | texts.filter(agency_id=agency_id)
        if agency_id
        else texts.filter(agency__isnull=True)
    )
    return {
        "calls": calls,
        "waiting": [{"agency": a.pk, "agency_name": a.name, "waiting": counts.get(a.pk, 0)} for a in agencies],
        "running_text": list(texts.order_by("order", "pk").values_list("text", flat=True)),
    }


class DisplayView(APIView):
    """The display board's state; ``If-None-Match`` answers 304 when nothing changed."""

    throttle_classes: list = []

    @extend_schema(
        parameters=[OpenApiParameter("agency", int), IF_NONE_MATCH], responses={200: DisplayOutput, 304: UNCHANGED}
    )
    def get(self, request):
        agency_id = int_query_param(request, "agency")
        return _etag_response(request, DisplayOutput(display_state(agency_id)).data)
