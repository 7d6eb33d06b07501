from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.settings import api_settings

from agencies.models import Agency, Counter
from agencies.permissions import IsStaffPerson
from mpp_common.params import int_query_param
from mpp_common.throttling import SwitchableScopedRateThrottle

AGENCY_FILTER = OpenApiParameter("agency", int, description="Agency id")


class AgencyOutput(serializers.ModelSerializer):
    """An agency, its name and description in the request's language."""

    name = serializers.CharField(source="localized.name", read_only=True)
    description = serializers.CharField(source="localized.description", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Agency
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "kind_display",
            "ticket_prefix",
            "description",
            "location",
            "phone",
            "email",
            "website",
        ]


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """The partner agencies serving at the mall."""

    serializer_class = AgencyOutput
    queryset = Agency.objects.active().order_by("name")
    pagination_class = None


class CounterOutput(serializers.ModelSerializer):
    agency_code = serializers.CharField(source="agency.code", read_only=True)
    services = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Counter
        fields = ["id", "number", "name", "location", "is_open", "agency", "agency_code", "services"]


@extend_schema_view(list=extend_schema(parameters=[AGENCY_FILTER]))
class CounterViewSet(viewsets.ReadOnlyModelViewSet):
    """Counters the signed-in staff member may see: all for DPMPTSP administrators,
    their own agency's for supervisors and officers."""

    serializer_class = CounterOutput
    permission_classes = [IsStaffPerson]
    pagination_class = None
    queryset = Counter.objects.select_related("agency").prefetch_related("services")

    def get_queryset(self):
        qs = super().get_queryset().visible_to(self.request.user)
        agency = int_query_param(self.request, "agency")
        if agency is not None:
            qs = qs.filter(agency_id=agency)
        return qs


class StaffTokenInput(AuthTokenSerializer):
    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs["user"].is_kiosk:
            # A kiosk's token is issued by an administrator, who can revoke it.
            raise serializers.ValidationError(
                gettext_lazy("Token kiosk diterbitkan oleh administrator, bukan dengan kata sandi."),
                code="authorization",
            )
        return attrs


class TokenView(ObtainAuthToken):
    """Exchange a staff username and password for an API token (not a kiosk's)."""

    serializer_class = StaffTokenInput
    # ObtainAuthToken names DRF's own parsers; the portal's read too-deep JSON as a 400.
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES
    throttle_classes = [SwitchableScopedRateThrottle]
    throttle_scope = "login"
