"""Bookings in the administration, and what schedule changes do to them.

The services app's admin pages for services, opening hours and closure days are
extended here (queueing sits above services): after a save or a delete, the future
bookings in the changed scope are rechecked and staff are told how many no longer fit.
"""

from django.contrib import admin, messages
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agencies.admin import RoleScopedAdmin, supervised_agency_id
from queueing.bookings.schedule_changes import bookings_flag_schedule_conflicts
from queueing.models import Booking, mask_nik
from services.admin import ClosureDayAdmin, OpeningHoursAdmin, ServiceAdmin
from services.models import ClosureDay, OpeningHours, Service


class ScheduleConflictFilter(admin.SimpleListFilter):
    title = _("perubahan jadwal")
    parameter_name = "schedule_conflict"

    def lookups(self, request, model_admin):
        return [("1", _("Terdampak perubahan jadwal"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(schedule_conflict_at__isnull=False)
        return queryset


@admin.register(Booking)
class BookingAdmin(RoleScopedAdmin):
    """Bookings are made by citizens; staff read them here. A supervisor sees the full
    NIK of their own agency's bookings only (they see no other agency's)."""

    supervisor_may_edit = False
    list_display = ["display_code", "service", "start", "status", "name", "nik", "schedule_conflict_at"]
    list_filter = ["status", ScheduleConflictFilter, "service__agency", "date"]
    list_select_related = ["service__agency"]
    search_fields = ["code", "name"]
    date_hierarchy = "date"
    readonly_fields = [
        "display_code",
        "service",
        "date",
        "start",
        "end",
        "status",
        "name",
        "nik",
        "phone",
        "email",
        "language",
        "priority_group",
        "channels",
        "reschedule_count",
        "created_at",
        "cancelled_at",
        "schedule_conflict_at",
    ]
    fields = readonly_fields

    def object_agency_id(self, obj: Booking) -> int:
        return obj.service.agency_id

    def scope_q(self, agency_id: int) -> Q:
        return Q(service__agency_id=agency_id)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_search_results(self, request, queryset, search_term):
        # Staff may look a booking up by the code as the citizen reads it out.
        queryset, duplicates = super().get_search_results(request, queryset, search_term.replace("-", ""))
        return queryset, duplicates

    @admin.display(description=_("kode"))
    def display_code(self, obj: Booking) -> str:
        return obj.display_code

    @admin.display(description="NIK")
    def nik_masked(self, obj: Booking) -> str:
        return mask_nik(obj.nik)

    def _nik_for(self, request, names):
        # The agency's own staff see the NIK; DPMPTSP administrators see it masked.
        if supervised_agency_id(request.user) is not None:
            return list(names)
        return ["nik_masked" if name == "nik" else name for name in names]

    def get_list_display(self, request):
        return self._nik_for(request, super().get_list_display(request))

    def get_fields(self, request, obj=None):
        return self._nik_for(request, super().get_fields(request, obj))

    def get_readonly_fields(self, request, obj=None):
        return self._nik_for(request, super().get_readonly_fields(request, obj))


class RechecksBookingsMixin:
    """After a change to the schedule, recheck the bookings it may touch and say how
    many no longer fit, with a link to them."""

    def recheck_scope(self, obj) -> dict:
        raise NotImplementedError

    def _recheck(self, request, scopes: list[dict]) -> None:
        affected = []
        for scope in scopes:
            affected += bookings_flag_schedule_conflicts(**scope)
        if affected:
            url = reverse("admin:queueing_booking_changelist") + "?schedule_conflict=1"
            count = len(affected)
            text = ngettext(
                "%(count)d pemesanan tidak lagi sesuai jadwal; warga diberi tahu.",
                "%(count)d pemesanan tidak lagi sesuai jadwal; warga diberi tahu.",
                count,
            ) % {"count": count}
            self.message_user(
                request, format_html('{} <a href="{}">{}</a>', text, url, _("Lihat daftar")), messages.WARNING
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self._recheck(request, [self.recheck_scope(form.instance)])

    def delete_model(self, request, obj):
        scope = self.recheck_scope(obj)
        super().delete_model(request, obj)
        self._recheck(request, [scope])

    def delete_queryset(self, request, queryset):
        scopes = [self.recheck_scope(obj) for obj in queryset]
        super().delete_queryset(request, queryset)
        self._recheck(request, [dict(t) for t in {tuple(sorted(s.items())) for s in scopes}])


class ServiceRecheckAdmin(RechecksBookingsMixin, ServiceAdmin):
    def recheck_scope(self, obj: Service) -> dict:
        return {"service_id": obj.pk}


class OpeningHoursRecheckAdmin(RechecksBookingsMixin, OpeningHoursAdmin):
    def recheck_scope(self, obj: OpeningHours) -> dict:
        if obj.service_id:
            return {"service_id": obj.service_id}
        return {"agency_id": obj.agency_id}


class ClosureDayRecheckAdmin(RechecksBookingsMixin, ClosureDayAdmin):
    def recheck_scope(self, obj: ClosureDay) -> dict:
        return {"agency_id": obj.agency_id}


for model, model_admin in [
    (Service, ServiceRecheckAdmin),
    (OpeningHours, OpeningHoursRecheckAdmin),
    (ClosureDay, ClosureDayRecheckAdmin),
]:
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
