"""The administration of the service catalogue, opening hours and closure days.

Who may see and change what is decided by ``agencies.admin.RoleScopedMixin``.
"""

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.admin import RoleScopedAdmin, RoleScopedMixin
from services.models import BookingPolicy, ClosureDay, OpeningHours, Service

COUNTERS_OF_ANOTHER_AGENCY = _("Loket harus milik instansi layanan ini.")


class ServiceForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        agency, counters = cleaned.get("agency"), cleaned.get("counters")
        if agency is not None and counters and any(counter.agency_id != agency.pk for counter in counters):
            self.add_error("counters", COUNTERS_OF_ANOTHER_AGENCY)
        return cleaned


class OpeningHoursInline(RoleScopedMixin, admin.TabularInline):
    """Hours of this service only; they replace the agency's and the mall's hours."""

    model = OpeningHours
    fk_name = "service"
    extra = 0
    fields = ["weekday", "closed", "opens", "closes", "valid_from", "valid_until", "label"]
    verbose_name = _("jam layanan khusus layanan ini")
    verbose_name_plural = _("jam layanan khusus layanan ini")


@admin.register(Service)
class ServiceAdmin(RoleScopedAdmin):
    form = ServiceForm
    list_display = ["name", "agency", "code", "online_booking", "walk_in", "daily_quota", "active"]
    list_filter = ["agency", "active", "online_booking", "walk_in"]
    list_select_related = ["agency"]
    search_fields = ["name", "name_en", "code", "agency__name", "agency__code"]
    prepopulated_fields = {"code": ["name"]}
    filter_horizontal = ["counters"]
    inlines = [OpeningHoursInline]
    # Each content field with its English twin right after it, in one row (empty
    # English shows the Indonesian on English pages).
    fieldsets = [
        (
            _("Identitas"),
            {"fields": ["agency", "code", ("name", "name_en"), ("description", "description_en"), "order", "active"]},
        ),
        (
            _("Standar pelayanan"),
            {
                "description": _(
                    "Isi setiap bagian dalam bahasa Indonesia dan dalam bahasa Inggris; "
                    "bagian bahasa Inggris yang kosong menampilkan teks bahasa Indonesia."
                ),
                "fields": [
                    ("requirements", "requirements_en"),
                    ("procedure", "procedure_en"),
                    ("completion_time", "completion_time_en"),
                    "completion_days",
                    ("fee", "fee_en"),
                    ("product", "product_en"),
                    ("complaints", "complaints_en"),
                    ("legal_basis", "legal_basis_en"),
                ],
            },
        ),
        (_("Akses"), {"fields": ["online_booking", "walk_in", "external_booking_url"]}),
        (
            _("Kapasitas"),
            {
                "fields": [
                    "slot_minutes",
                    "slot_capacity",
                    "daily_quota",
                    "walk_in_reserve",
                    "priority_reserve",
                    "waiting_target_minutes",
                ]
            },
        ),
        (_("Loket"), {"fields": ["counters"]}),
    ]


@admin.register(OpeningHours)
class OpeningHoursAdmin(RoleScopedAdmin):
    """Hours of the whole mall (no agency, no service), of an agency, or of one service.
    A level decides only the weekdays it has rows for; a row marked closed closes its
    weekday at its level."""

    supervisor_sees_mall_wide = True
    out_of_scope_messages = {
        **RoleScopedAdmin.out_of_scope_messages,
        Service: _("Layanan harus milik instansi Anda."),
    }
    list_display = [
        "weekday",
        "closed",
        "opens",
        "closes",
        "level",
        "agency",
        "service",
        "valid_from",
        "valid_until",
        "label",
    ]
    list_filter = ["weekday", "agency"]
    list_select_related = ["agency", "service__agency"]
    search_fields = ["label", "agency__name", "service__name"]
    fields = ["agency", "service", "weekday", "closed", "opens", "closes", "valid_from", "valid_until", "label"]

    def object_agency_id(self, obj: OpeningHours) -> int | None:
        return obj.service.agency_id if obj.service_id else obj.agency_id

    def scope_q(self, agency_id: int) -> Q:
        return Q(agency_id=agency_id) | Q(service__agency_id=agency_id) | Q(agency__isnull=True, service__isnull=True)

    @admin.display(description=_("tingkat"))
    def level(self, obj: OpeningHours) -> str:
        if obj.service_id:
            return _("Layanan")
        return _("Instansi") if obj.agency_id else _("Seluruh mal")


@admin.register(ClosureDay)
class ClosureDayAdmin(RoleScopedAdmin):
    supervisor_sees_mall_wide = True
    list_display = ["date", "name", "agency_or_mall", "source"]
    list_filter = ["source", "agency"]
    list_select_related = ["agency"]
    search_fields = ["name"]
    date_hierarchy = "date"
    fields = ["date", "agency", "name", "source"]
    # Days from the holidays calendar keep their source; days added here are manual.
    readonly_fields = ["source"]

    @admin.display(description=_("instansi"), ordering="agency__name")
    def agency_or_mall(self, obj: ClosureDay) -> str:
        return obj.agency.name if obj.agency_id else _("Seluruh mal")


@admin.register(BookingPolicy)
class BookingPolicyAdmin(RoleScopedAdmin):
    """The mall's one set of booking rules: administrators edit it, supervisors read it."""

    agency_field = None
    supervisor_may_edit = False
    supervisor_sees_mall_wide = True
    list_display = ["__str__", "max_days_ahead", "registration_hours", "max_reschedules", "arrive_early_minutes"]

    def object_agency_id(self, obj: BookingPolicy) -> None:
        return None

    def scope_q(self, agency_id: int) -> Q:
        return Q()

    def has_add_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request, obj) and not BookingPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
