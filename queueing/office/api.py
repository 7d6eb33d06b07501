"""The DPMPTSP office's reports: tickets, served, no-shows, waiting and service times
from the tickets' history (the IKM is ``queueing.office.ikm_api``)."""

import datetime as dt
import statistics

from django.db.models import Count, Q
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.permissions import IsStaffPerson
from queueing.models import RequestStatus, Ticket, TicketAction, TicketEvent


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
    """The query's filters, the agency forced to the user's own unless an administrator."""
    query = ReportQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    filters = dict(query.validated_data)
    if not request.user.is_mall_admin:
        filters["agency"] = request.user.agency_id
    return filters


class MinutesOutput(serializers.Serializer):
    """Null while no ticket has the time measured."""

    mean = serializers.FloatField(allow_null=True)
    p50 = serializers.FloatField(allow_null=True)
    p90 = serializers.FloatField(allow_null=True)


class SummaryOutput(serializers.Serializer):
    tickets = serializers.IntegerField()
    no_shows = serializers.IntegerField()
    served = serializers.IntegerField()
    waiting_minutes = MinutesOutput()
    service_minutes = MinutesOutput()


def _minutes(values: list[float]) -> dict:
    if not values:
        return {"mean": None, "p50": None, "p90": None}
    p90 = statistics.quantiles(values, n=10, method="inclusive")[-1] if len(values) > 1 else values[0]
    return {
        "mean": round(statistics.fmean(values), 2),
        "p50": round(statistics.median(values), 2),
        "p90": round(p90, 2),
    }


class SummaryReportView(APIView):
    """Tickets, served, no-shows, and waiting (issue → first call) and service
    (start → complete) times in minutes, from the tickets' history."""

    permission_classes = [IsStaffPerson]

    @extend_schema(parameters=REPORT_PARAMETERS, responses=SummaryOutput)
    def get(self, request):
        filters = _filters(request)
        tickets = Ticket.objects.all()
        if filters.get("agency"):
            tickets = tickets.filter(
                Q(issued_for__agency_id=filters["agency"]) | Q(requests__service__agency_id=filters["agency"])
            )
        if filters.get("service"):
            tickets = tickets.filter(requests__service_id=filters["service"])
        if filters.get("date_from"):
            tickets = tickets.filter(date__gte=filters["date_from"])
        if filters.get("date_to"):
            tickets = tickets.filter(date__lte=filters["date_to"])
        # A subquery, not a list of ids: a year of history holds a million tickets.
        ids = tickets.distinct().values("pk")
        counts = Ticket.objects.filter(pk__in=ids).aggregate(
            tickets=Count("pk"),
            no_shows=Count("pk", filter=Q(status="no_show")),
        )
        served = (
            Ticket.objects.filter(pk__in=ids, requests__status__in=[RequestStatus.SERVED, RequestStatus.PROCESSING,
                                                                    RequestStatus.READY, RequestStatus.PICKED_UP])
            .distinct()
            .count()
        )  # fmt: skip
        events = TicketEvent.objects.filter(ticket_id__in=ids).values_list("ticket_id", "action", "at").order_by("at")
        issued, first_call, started, waits, services = {}, {}, {}, [], []
        for ticket_id, action, at in events:
            if action == TicketAction.ISSUED:
                issued[ticket_id] = at
            elif action == TicketAction.CALLED and ticket_id not in first_call:
                first_call[ticket_id] = at
                if ticket_id in issued:
                    waits.append((at - issued[ticket_id]).total_seconds() / 60)
            elif action == TicketAction.STARTED:
                started[ticket_id] = at
            elif action == TicketAction.COMPLETED and ticket_id in started:
                services.append((at - started.pop(ticket_id)).total_seconds() / 60)
        return Response(
            {**counts, "served": served, "waiting_minutes": _minutes(waits), "service_minutes": _minutes(services)}
        )
