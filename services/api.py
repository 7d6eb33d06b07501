from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from agencies.api import AGENCY_FILTER
from mpp_common.params import int_query_param
from services.models import Service
from services.search import search_services


class StandardOutput(serializers.Serializer):
    """The published service standard (PermenPAN-RB 15/2014), in the request's language
    (Accept-Language; Indonesian by default and where no English was entered)."""

    requirements = serializers.ListField(child=serializers.CharField(), source="requirement_list")
    procedure = serializers.ListField(child=serializers.CharField(), source="procedure_steps")
    completion_time = serializers.CharField(source="localized.completion_time")
    completion_days = serializers.IntegerField()
    fee = serializers.CharField(source="localized.fee")
    product = serializers.CharField(source="localized.product")
    complaints = serializers.CharField(source="localized.complaints")
    legal_basis = serializers.ListField(child=serializers.CharField(), source="legal_basis_list")


class ServiceOutput(serializers.ModelSerializer):
    name = serializers.CharField(source="localized.name", read_only=True)
    description = serializers.CharField(source="localized.description", read_only=True)
    agency_code = serializers.CharField(source="agency.code", read_only=True)
    agency_name = serializers.CharField(source="agency.localized.name", read_only=True)
    standard = StandardOutput(source="*", read_only=True)

    class Meta:
        model = Service
        fields = [
            "id",
            "agency",
            "agency_code",
            "agency_name",
            "code",
            "name",
            "description",
            "online_booking",
            "walk_in",
            "external_booking_url",
            "slot_minutes",
            "slot_capacity",
            "daily_quota",
            "standard",
        ]


@extend_schema_view(
    list=extend_schema(parameters=[AGENCY_FILTER, OpenApiParameter("q", str, description="Search words")])
)
class ServiceViewSet(viewsets.ReadOnlyModelViewSet):
    """The service catalogue with each service's published standard."""

    serializer_class = ServiceOutput

    def get_queryset(self):
        qs = Service.objects.published().select_related("agency")
        agency = int_query_param(self.request, "agency")
        if agency is not None:
            qs = qs.filter(agency_id=agency)
        text = self.request.query_params.get("q", "")
        if text.strip():
            qs = search_services(qs, text)
        return qs
