"""Bookings in the administration, and what schedule changes do to them.

The services app's admin pages for services, opening hours and closure days are
extended here (queueing sits above services): after a save or a delete, the future
bookings in the changed scope are rechecked and staff are told how many no longer fit.
"""

import datetime as dt
import hashlib
import json

from django import forms
from django.contrib import admin, messages
from django.db import IntegrityError
from django.db.models import Model, Q
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agencies.admin import ReadOnlyScopedAdmin, RoleScopedMixin, supervised_agency_id
from agencies.audit import audit_nik_viewed
from queueing.bookings.schedule_changes import bookings_flag_schedule_conflicts, schedule_change_preview
from queueing.models import Booking, BookingAct, mask_nik
from services.admin import ClosureDayAdmin, OpeningHoursAdmin, OpeningHoursInline, ServiceAdmin
from services.models import ClosureDay, OpeningHours, Service
from services.schedule import current_stamp


class ScheduleConflictFilter(admin.SimpleListFilter):
    title = _("perubahan jadwal")
    parameter_name = "schedule_conflict"

    def lookups(self, request, model_admin):
        return [("1", _("Terdampak perubahan jadwal"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(schedule_conflict_at__isnull=False)
        return queryset


class BookingActInline(RoleScopedMixin, admin.TabularInline):
    """What DPMPTSP's help desk did to the booking, and who; a record, never edited."""

    model = BookingAct
    extra = 0
    fields = ["at", "kind", "staff_name", "from_start", "to_start"]
    readonly_fields = fields
    supervisor_may_edit = False
    can_delete = False

    def object_agency_id(self, obj: Booking) -> int:
        return obj.service.agency_id

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Booking)
class BookingAdmin(ReadOnlyScopedAdmin):
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
    inlines = [BookingActInline]

    def object_agency_id(self, obj: Booking) -> int:
        return obj.service.agency_id

    def scope_q(self, agency_id: int) -> Q:
        return Q(service__agency_id=agency_id)

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

    def _shows_full_nik(self, request) -> bool:
        # The agency's own staff see the NIK; DPMPTSP administrators see it masked.
        return supervised_agency_id(request.user) is not None

    def _nik_for(self, request, names):
        if self._shows_full_nik(request):
            return list(names)
        return ["nik_masked" if name == "nik" else name for name in names]

    # Whoever is shown a full NIK is recorded in the audit log, booking by booking:
    # the list's rows on the page, and the booking opened.

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", None) and response.context_data.get("cl")
        if changelist is not None and self._shows_full_nik(request):
            audit_nik_viewed(request=request, objects=changelist.result_list)
        return response

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self._shows_full_nik(request):
            audit_nik_viewed(request=request, objects=[obj])
        return super().render_change_form(request, context, add, change, form_url, obj)

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
        for scope in _distinct(scopes):
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
        self._recheck(request, [*getattr(form, "scopes_before", []), self.recheck_scope(form.instance)])

    def delete_model(self, request, obj):
        scope = self.recheck_scope(obj)
        super().delete_model(request, obj)
        self._recheck(request, [scope])

    def delete_queryset(self, request, queryset):
        scopes = [self.recheck_scope(obj) for obj in queryset]
        super().delete_queryset(request, queryset)
        self._recheck(request, scopes)


def _distinct(scopes: list[dict]) -> list[dict]:
    return [dict(t) for t in dict.fromkeys(tuple(sorted(s.items())) for s in scopes)]


CONFIRM_FIRST = _("Perubahan belum disimpan. Periksa pratinjau jadwal di bawah, lalu tekan “Konfirmasi dan simpan”.")


CONFLICTS = _("Perubahan ini bertentangan dengan data lain yang baru saja disimpan. Muat ulang halaman lalu coba lagi.")


class PreviewedScheduleForm(forms.ModelForm):
    """A change to the schedule is saved only after staff saw its preview and
    confirmed it. The first sending shows the preview; the confirmation it carries
    names the change and the schedule's version it was previewed at, so a form changed
    since, or a schedule another change moved meanwhile, is previewed again."""

    confirmation = forms.CharField(required=False, widget=forms.HiddenInput)

    scopes_before: list[dict] = []
    preview = None
    preview_confirmation = None

    def make_preview(self):  # set by the admin
        raise NotImplementedError

    def _digest(self) -> str:
        return _digest(self.instance.pk, [self.cleaned_data])

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        digest = self._digest()
        if self.cleaned_data.get("confirmation") == digest:
            return
        try:
            self.preview = self.make_preview()
        except IntegrityError:
            self.add_error(None, CONFLICTS)
            return
        self.preview_confirmation = {"name": self.add_prefix("confirmation"), "value": digest}
        self.add_error(None, CONFIRM_FIRST)


def _digest(pk: int | None, changes: list[dict]) -> str:
    """Names a change as previewed: the row, its new values and the schedule's version."""
    values = [pk, current_stamp()] + [
        [[name, str(getattr(value, "pk", value))] for name, value in sorted(change.items()) if name != "confirmation"]
        for change in changes
    ]
    return hashlib.sha256(json.dumps(values).encode()).hexdigest()[:32]


class PreviewedHoursFormSet(BaseInlineFormSet):
    """A service's own hours edited on its page: as ``PreviewedScheduleForm``, saved
    only once the preview of the change was confirmed. A new service has no bookings
    and no preview."""

    preview = None
    preview_confirmation = None

    def clean(self):
        super().clean()
        if self.instance.pk is None or not self.has_changed() or any(self.errors):
            return
        name = f"{self.prefix}-confirmation"
        changes = [form.cleaned_data for form in self.forms if form.has_changed()]
        digest = _digest(self.instance.pk, changes)
        if self.data.get(name) == digest:
            return
        try:
            self.preview = schedule_change_preview(
                change=self._write,
                scopes=[{"service_id": self.instance.pk}],
                agency_id=self.instance.agency_id,
                first_day=timezone.localdate(),
            )
        except IntegrityError as error:
            raise forms.ValidationError(CONFLICTS) from error
        self.preview_confirmation = {"name": name, "value": digest}
        raise forms.ValidationError(CONFIRM_FIRST)

    def _write(self) -> None:
        for form in self.forms:
            if not form.has_changed():
                continue
            if self._should_delete_form(form):
                if form.instance.pk:
                    _copy(form.instance).delete()
            else:
                _copy(form.instance).save()


def _copy(obj: Model) -> Model:
    """A copy of ``obj`` to write inside a preview, so ``obj`` itself stays as it is."""
    clone = type(obj)(**{field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields})
    clone._state.adding = obj._state.adding
    return clone


class ShowsSchedulePreviewMixin:
    """Puts the preview of the form or of an inline formset, and its confirmation, in
    the change page's context."""

    change_form_template = "office/schedule_change_form.html"

    def render_change_form(self, request, context, *args, **kwargs):
        adminform = context.get("adminform")
        candidates = [adminform.form] if adminform else []
        candidates += [inline.formset for inline in context.get("inline_admin_formsets", [])]
        previewed = next((c for c in candidates if getattr(c, "preview", None) is not None), None)
        context["schedule_preview"] = previewed.preview if previewed else None
        context["schedule_confirmation"] = previewed.preview_confirmation if previewed else None
        if previewed and _only_waiting_for_confirmation(candidates):
            # Holding the save back is not the staff member's mistake: the page shows the
            # preview's own note, not the admin's "please correct the errors" banner.
            context["errors"] = []
            context["schedule_note"] = CONFIRM_FIRST
        return super().render_change_form(request, context, *args, **kwargs)


def _only_waiting_for_confirmation(forms_and_formsets) -> bool:
    errors = []
    for each in forms_and_formsets:
        if hasattr(each, "forms"):
            errors += list(each.non_form_errors()) + [e for form in each.forms for e in form.errors.values()]
        else:
            errors += list(each.errors.values())
    flat = [str(message) for error in errors for message in error]
    return flat == [str(CONFIRM_FIRST)]


class PreviewsScheduleChangesMixin(ShowsSchedulePreviewMixin, RechecksBookingsMixin):
    """The add, change and delete pages show what a change does to the week and to
    bookings before it is saved; the bulk delete, which has no such page, is not offered."""

    delete_confirmation_template = "office/schedule_delete_confirmation.html"

    def preview_agency_id(self, obj) -> int | None:
        raise NotImplementedError

    def preview_first_day(self, obj) -> dt.date:
        raise NotImplementedError

    def _preview(self, *, change, before, after):
        shown = after or before
        return schedule_change_preview(
            change=change,
            scopes=_distinct([self.recheck_scope(obj) for obj in (before, after) if obj is not None]),
            agency_id=self.preview_agency_id(shown),
            first_day=max(timezone.localdate(), self.preview_first_day(shown)),
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = PreviewedScheduleForm
        form_class = super().get_form(request, obj, change, **kwargs)
        admin_site_model = self
        before = _copy(obj) if obj is not None else None

        class Form(form_class):
            scopes_before = [self.recheck_scope(before)] if before is not None else []

            def make_preview(form):
                after = _copy(form.instance)
                return admin_site_model._preview(change=after.save, before=before, after=after)

        return Form

    def render_delete_form(self, request, context):
        obj = context["object"]
        context["schedule_preview"] = self._preview(change=_copy(obj).delete, before=obj, after=None)
        return super().render_delete_form(request, context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class PreviewedOpeningHoursInline(OpeningHoursInline):
    formset = PreviewedHoursFormSet


class ServiceRecheckAdmin(ShowsSchedulePreviewMixin, RechecksBookingsMixin, ServiceAdmin):
    inlines = [PreviewedOpeningHoursInline]

    def recheck_scope(self, obj: Service) -> dict:
        return {"service_id": obj.pk}


class OpeningHoursRecheckAdmin(PreviewsScheduleChangesMixin, OpeningHoursAdmin):
    def recheck_scope(self, obj: OpeningHours) -> dict:
        if obj.service_id:
            return {"service_id": obj.service_id}
        return {"agency_id": obj.agency_id}

    def preview_agency_id(self, obj: OpeningHours) -> int | None:
        return obj.service.agency_id if obj.service_id else obj.agency_id

    def preview_first_day(self, obj: OpeningHours) -> dt.date:
        return obj.valid_from or timezone.localdate()


class ClosureDayRecheckAdmin(PreviewsScheduleChangesMixin, ClosureDayAdmin):
    def recheck_scope(self, obj: ClosureDay) -> dict:
        return {"agency_id": obj.agency_id}

    def preview_agency_id(self, obj: ClosureDay) -> int | None:
        return obj.agency_id

    def preview_first_day(self, obj: ClosureDay) -> dt.date:
        return obj.date - dt.timedelta(days=obj.date.weekday())


for model, model_admin in [
    (Service, ServiceRecheckAdmin),
    (OpeningHours, OpeningHoursRecheckAdmin),
    (ClosureDay, ClosureDayRecheckAdmin),
]:
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
