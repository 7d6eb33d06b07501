"""The administration for DPMPTSP staff and agency supervisors.

Access follows the user's role, never Django's per-model permission rows:

- a DPMPTSP administrator (role ``admin``, or a superuser) manages everything;
- an agency supervisor manages their own agency's counters, services, opening hours,
  closure days and officers, may view (not edit) their agency and its MoUs, may view
  the mall-wide hours and closure days, and sees nothing of other agencies;
- an officer has no access;
- a kiosk's API token is issued, and a kiosk revoked (its token and its sessions), by
  an administrator for any kiosk, and by a supervisor for their agency's own kiosks; a
  kiosk of the whole mall (no agency) is the administrator's alone;
- a login locked out after failed attempts (django-axes) is unlocked by an
  administrator for anyone, and by a supervisor for their agency's officers and kiosks.

``RoleScopedMixin`` holds these rules for every model admin and inline. The audit log
(``AuditEntryAdmin``) is the administrators' alone, and read-only for them too; every
model admin writes it (``agencies.audit``, mixed in by ``MallAdminSite.register``).
"""

import json

from axes.utils import reset as axes_reset
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Model, OuterRef, Q, QuerySet, Subquery
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agencies.models import (
    Agency,
    Agreement,
    AuditEntry,
    Counter,
    LoginLockout,
    MouStatus,
    Role,
    User,
    mou_status,
    mou_status_q,
)
from agencies.services import kiosk_revoke, kiosk_token_issue, staff_check_role, staff_set_role


def is_mall_admin(user) -> bool:
    return user.is_active and user.is_mall_admin


def supervised_agency_id(user) -> int | None:
    """The agency an active supervisor looks after; ``None`` for everyone else."""
    if user.is_active and not user.is_mall_admin and user.role == Role.SUPERVISOR:
        return user.agency_id
    return None


class RoleScopedMixin:
    """Permissions and form choices of a model admin or inline, from the user's role.

    For a model admin ``obj`` is the object itself; for an inline it is the parent
    object. ``object_agency_id`` names the agency ``obj`` belongs to (``None``: the
    whole mall).
    """

    supervisor_may_edit = True
    supervisor_sees_mall_wide = False
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    out_of_scope_messages = {
        Agency: _("Instansi harus instansi Anda sendiri."),
        Counter: _("Loket harus milik instansi Anda."),
    }
    out_of_scope_default_message = _("Pilihan harus milik instansi Anda.")

    def object_agency_id(self, obj: Model) -> int | None:
        return obj.agency_id

    def supervisor_may_view(self, obj: Model, agency_id: int) -> bool:
        owner = self.object_agency_id(obj)
        return owner == agency_id or (owner is None and self.supervisor_sees_mall_wide)

    def supervisor_may_manage(self, obj: Model, agency_id: int) -> bool:
        return self.object_agency_id(obj) == agency_id

    def has_module_permission(self, request) -> bool:
        return is_mall_admin(request.user) or supervised_agency_id(request.user) is not None

    def has_view_permission(self, request, obj=None) -> bool:
        if is_mall_admin(request.user):
            return True
        agency_id = supervised_agency_id(request.user)
        if agency_id is None:
            return False
        return obj is None or self.supervisor_may_view(obj, agency_id)

    def has_add_permission(self, request, obj=None) -> bool:
        return self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._may_edit(request, obj)

    def _may_edit(self, request, obj) -> bool:
        if is_mall_admin(request.user):
            return True
        agency_id = supervised_agency_id(request.user)
        if agency_id is None or not self.supervisor_may_edit:
            return False
        return obj is None or self.supervisor_may_manage(obj, agency_id)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if is_mall_admin(request.user) or "queryset" in kwargs:
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        agency_id = supervised_agency_id(request.user)
        choices = _choices_of_agency(db_field.related_model, agency_id)
        if choices is None:
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        kwargs["queryset"] = choices
        if db_field.related_model is Agency:
            # Nothing of a supervisor's belongs to the whole mall: the agency is theirs.
            kwargs.update(required=True, initial=agency_id)
        return self._with_out_of_scope_message(
            super().formfield_for_foreignkey(db_field, request, **kwargs), db_field.related_model
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if is_mall_admin(request.user) or "queryset" in kwargs:
            return super().formfield_for_manytomany(db_field, request, **kwargs)
        choices = _choices_of_agency(db_field.related_model, supervised_agency_id(request.user))
        if choices is None:
            return super().formfield_for_manytomany(db_field, request, **kwargs)
        kwargs["queryset"] = choices
        return self._with_out_of_scope_message(
            super().formfield_for_manytomany(db_field, request, **kwargs), db_field.related_model
        )

    def _with_out_of_scope_message(self, formfield, model):
        if formfield is not None:
            message = self.out_of_scope_messages.get(model, self.out_of_scope_default_message)
            formfield.error_messages = {**formfield.error_messages, "invalid_choice": message}
        return formfield


def _choices_of_agency(model: type[Model], agency_id: int | None) -> QuerySet | None:
    """The rows of ``model`` that belong to the agency, or ``None`` when ``model`` has no agency."""
    if model is Agency:
        return Agency.objects.filter(pk=agency_id)
    try:
        field = model._meta.get_field("agency")
    except FieldDoesNotExist:
        return None
    if not (field.is_relation and field.related_model is Agency):
        return None
    return model._default_manager.filter(agency_id=agency_id)


class RoleScopedAdmin(RoleScopedMixin, admin.ModelAdmin):
    """A model admin whose rows belong to an agency through ``agency_field``
    (``None`` when the model is the agency itself)."""

    agency_field: str | None = "agency"

    def object_agency_id(self, obj: Model) -> int | None:
        if self.agency_field is None:
            return obj.pk
        return getattr(obj, f"{self.agency_field}_id")

    def scope_q(self, agency_id: int) -> Q:
        """The rows a supervisor of ``agency_id`` may see."""
        q = Q(**{self.agency_field or "pk": agency_id})
        if self.supervisor_sees_mall_wide:
            q |= Q(**{f"{self.agency_field}__isnull": True})
        return q

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if is_mall_admin(request.user):
            return qs
        agency_id = supervised_agency_id(request.user)
        if agency_id is None:
            return qs.none()
        return qs.filter(self.scope_q(agency_id))

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if is_mall_admin(request.user):
            return filters
        # A supervisor sees one agency only: a filter by agency would list the others.
        return [f for f in filters if not _filters_by_agency(f)]

    def get_changelist_formset(self, request, **kwargs):
        """The list's editable columns (``list_editable``), row by row as the change
        page: a row the user may not change (the mall's for a supervisor who sees it,
        another agency's) has its inputs disabled, so a forged post leaves it as it was
        and the save that follows cannot re-own it."""
        formset = super().get_changelist_formset(request, **kwargs)
        may_change = self.has_change_permission

        class PerRowFormSet(formset):
            def _construct_form(self, i, **kwargs):
                form = super()._construct_form(i, **kwargs)
                if form.instance.pk is not None and not may_change(request, form.instance):
                    for name, field in form.fields.items():
                        if name != form.instance._meta.pk.name:
                            field.disabled = True
                return form

        return PerRowFormSet

    def save_model(self, request, obj, form, change):
        agency_id = supervised_agency_id(request.user)
        if agency_id is not None and self.agency_field is not None:
            setattr(obj, f"{self.agency_field}_id", agency_id)
        super().save_model(request, obj, form, change)


class ReadOnlyScopedAdmin(RoleScopedAdmin):
    """A record the system writes and staff only read: nobody adds, changes or deletes
    it here (actions such as a resend may still act on it)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _filters_by_agency(list_filter) -> bool:
    name = list_filter[0] if isinstance(list_filter, tuple | list) else list_filter
    return isinstance(name, str) and name.split("__")[0] == "agency"


# Agencies and their MoUs --------------------------------------------------------------


class AgreementInline(RoleScopedMixin, admin.StackedInline):
    model = Agreement
    extra = 0
    supervisor_may_edit = False
    fields = ["number", "signed_on", "valid_from", "valid_until", "scope", "document"]

    def object_agency_id(self, obj: Agency) -> int:
        return obj.pk


AGENCY_MOU_STATUSES = (MouStatus.EXPIRED, MouStatus.EXPIRING, MouStatus.NONE, MouStatus.IN_FORCE)


class AgencyMouFilter(admin.SimpleListFilter):
    title = _("status MoU")
    parameter_name = "mou"

    def lookups(self, request, model_admin):
        return [(status.value, status.label) for status in AGENCY_MOU_STATUSES]

    def queryset(self, request, queryset):
        # The list's rows carry the annotations of ``Agency.objects.with_mou`` (AgencyAdmin.get_queryset).
        if self.value() in AGENCY_MOU_STATUSES:
            return queryset.filter(mou_status_q(self.value(), on=timezone.localdate()))
        return queryset


class AgreementStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            (MouStatus.EXPIRED.value, MouStatus.EXPIRED.label),
            (MouStatus.EXPIRING.value, MouStatus.EXPIRING.label),
        ]

    def queryset(self, request, queryset):
        if self.value() == MouStatus.EXPIRED:
            return queryset.expired()
        if self.value() == MouStatus.EXPIRING:
            return queryset.expiring()
        return queryset


def mou_flag(status: str, until, days_left: int | None):
    """The MoU's status as the lists show it: ended or ending flagged, with the day."""
    label = MouStatus(status).label
    if status == MouStatus.EXPIRED:
        ago = ngettext("%(days)d hari lalu", "%(days)d hari lalu", -days_left) % {"days": -days_left}
        return format_html("<strong>⚠ {}</strong> ({}, {})", label, formats.date_format(until, "j M Y"), ago)
    if status == MouStatus.EXPIRING:
        left = ngettext("%(days)d hari lagi", "%(days)d hari lagi", days_left) % {"days": days_left}
        return format_html("<strong>⚠ {}</strong> ({}, {})", label, formats.date_format(until, "j M Y"), left)
    if status == MouStatus.NONE:
        return format_html("<strong>{}</strong>", label)
    return label


@admin.register(Agency)
class AgencyAdmin(RoleScopedAdmin):
    agency_field = None
    supervisor_may_edit = False
    list_display = ["name", "code", "kind", "ticket_prefix", "active", "mou_state"]
    list_filter = ["kind", "active", AgencyMouFilter]
    search_fields = ["name", "code"]
    fieldsets = [
        (None, {"fields": ["code", ("name", "name_en"), "kind", "ticket_prefix", "active"]}),
        (
            _("Kontak dan lokasi"),
            {"fields": [("description", "description_en"), "location", "phone", "email", "website"]},
        ),
    ]
    inlines = [AgreementInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_mou()

    @admin.display(description=_("MoU"), ordering="mou_until")
    def mou_state(self, obj: Agency):
        today = timezone.localdate()
        status = mou_status(until=obj.mou_until, open_ended=obj.mou_open_ended, count=obj.mou_count, on=today)
        days_left = (obj.mou_until - today).days if obj.mou_until else None
        return mou_flag(status, obj.mou_until, days_left)


@admin.register(Agreement)
class AgreementAdmin(RoleScopedAdmin):
    supervisor_may_edit = False
    list_display = ["number", "agency", "signed_on", "valid_from", "valid_until", "state", "has_document"]
    list_filter = [AgreementStatusFilter, "agency"]
    list_select_related = ["agency"]
    search_fields = ["number", "agency__name", "agency__code"]
    date_hierarchy = "signed_on"
    fields = ["agency", "number", "signed_on", "valid_from", "valid_until", "scope", "document"]

    @admin.display(description=_("status"), ordering="valid_until")
    def state(self, obj: Agreement):
        today = timezone.localdate()
        return mou_flag(obj.status(today), obj.valid_until, obj.days_left(today))

    @admin.display(description=_("dokumen"), boolean=True)
    def has_document(self, obj: Agreement) -> bool:
        return bool(obj.document)


# Counters -----------------------------------------------------------------------------


@admin.register(Counter)
class CounterAdmin(RoleScopedAdmin):
    list_display = ["number", "agency", "name", "is_open"]
    list_filter = ["is_open", "agency"]
    list_select_related = ["agency"]
    search_fields = ["name", "location", "agency__name", "agency__code"]
    fields = ["agency", "number", "name", "location", "is_open", "served_services"]
    readonly_fields = ["served_services"]

    @admin.display(description=_("layanan yang dilayani"))
    def served_services(self, obj: Counter) -> str:
        # Services choose their counters on the service's own page.
        if obj.pk is None:
            return "-"
        return ", ".join(service.name for service in obj.services.order_by("name")) or "-"


# Staff --------------------------------------------------------------------------------

COUNTERS_OF_ANOTHER_AGENCY = _("Loket harus milik instansi petugas.")
NOT_A_KIOSK_ACCOUNT = _("%(username)s bukan akun kiosk.")
NOT_YOUR_KIOSK = _("Kiosk %(username)s bukan milik instansi Anda; hanya administrator yang mengelolanya.")
# The accounts a supervisor looks after in their agency: its officers and its own kiosks.
SUPERVISED_ROLES = (Role.OFFICER, Role.KIOSK)


def supervised_staff_q(agency_id: int, prefix: str = "") -> Q:
    """The staff a supervisor of ``agency_id`` manages (``prefix`` reaches the user from another model)."""
    return Q(**{f"{prefix}agency_id": agency_id, f"{prefix}role__in": SUPERVISED_ROLES, f"{prefix}is_superuser": False})


class StaffFormMixin:
    """Checks shared by the forms that add and change a staff member."""

    def clean(self):
        cleaned = super().clean()
        if "agency" in self.fields and "agency" not in cleaned:
            return cleaned  # the agency itself is invalid; that error says enough
        role = cleaned.get("role", self.instance.role)
        agency = cleaned.get("agency", self.instance.agency)
        is_superuser = cleaned.get("is_superuser", self.instance.is_superuser)
        try:
            staff_check_role(role=role, agency=agency, is_superuser=is_superuser)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        counters = cleaned.get("counters")
        if agency is not None and counters and any(counter.agency_id != agency.pk for counter in counters):
            self.add_error("counters", COUNTERS_OF_ANOTHER_AGENCY)
        return cleaned


class StaffCreationForm(StaffFormMixin, AdminUserCreationForm):
    pass


class StaffChangeForm(StaffFormMixin, UserChangeForm):
    pass


@admin.register(User)
class StaffAdmin(RoleScopedAdmin, UserAdmin):
    """Staff accounts. Whether someone may sign in here (``is_staff``) follows from the
    role and is set by ``staff_set_role``; it is never edited by hand."""

    form = StaffChangeForm
    add_form = StaffCreationForm
    list_display = ["username", "first_name", "last_name", "role", "agency", "is_active", "is_staff"]
    list_filter = ["role", "agency", "is_active"]
    list_select_related = ["agency"]
    search_fields = ["username", "first_name", "last_name", "email"]
    filter_horizontal = ["counters", "groups", "user_permissions"]
    readonly_fields = ["is_staff", "last_login", "date_joined"]
    actions = ["issue_kiosk_token", "revoke_kiosk"]

    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Data pribadi"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Peran dan instansi"), {"fields": ["role", "agency", "counters", "is_staff"]}),
        (_("Hak akses"), {"fields": ["is_active", "is_superuser", "groups", "user_permissions"]}),
        (_("Tanggal penting"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "usable_password", "password1", "password2"]}),
        (_("Peran dan instansi"), {"fields": ["role", "agency", "counters"]}),
    ]
    supervisor_fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Data pribadi"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Peran dan instansi"), {"fields": ["role", "agency", "counters"]}),
        (_("Hak akses"), {"fields": ["is_active"]}),
        (_("Tanggal penting"), {"fields": ["last_login", "date_joined"]}),
    ]

    def supervisor_may_view(self, obj: User, agency_id: int) -> bool:
        return self.supervisor_may_manage(obj, agency_id)

    def has_kiosk_permission(self, request) -> bool:
        return is_mall_admin(request.user) or supervised_agency_id(request.user) is not None

    def _for_each_kiosk(self, request, queryset, act) -> None:
        """``act(user)`` for each selected kiosk account, its answer shown as a message;
        any other account selected is named as no kiosk and left alone."""
        for user in queryset.order_by("username"):
            if user.role != Role.KIOSK:
                self.message_user(request, NOT_A_KIOSK_ACCOUNT % {"username": user.username}, messages.ERROR)
            elif not request.user.can_manage_kiosk(user):
                self.message_user(request, NOT_YOUR_KIOSK % {"username": user.username}, messages.ERROR)
            else:
                self.message_user(request, *act(user))

    @admin.action(description=_("Terbitkan token API kiosk (token lama tidak berlaku)"), permissions=["kiosk"])
    def issue_kiosk_token(self, request, queryset) -> None:
        def issue(user):
            key = kiosk_token_issue(user=user)
            message = _("Token kiosk %(username)s: %(key)s — salin sekarang, token ini tidak ditampilkan lagi.")
            return message % {"username": user.username, "key": key}, messages.WARNING

        self._for_each_kiosk(request, queryset, issue)

    @admin.action(description=_("Cabut kiosk: hapus tokennya dan akhiri sesinya"), permissions=["kiosk"])
    def revoke_kiosk(self, request, queryset) -> None:
        def revoke(user):
            ended = kiosk_revoke(user=user)
            message = _("Kiosk %(username)s dicabut: token dihapus, %(sessions)d sesi diakhiri.")
            return message % {"username": user.username, "sessions": ended}, messages.SUCCESS

        self._for_each_kiosk(request, queryset, revoke)

    def supervisor_may_manage(self, obj: User, agency_id: int) -> bool:
        return obj.agency_id == agency_id and obj.role in SUPERVISED_ROLES and not obj.is_superuser

    def scope_q(self, agency_id: int) -> Q:
        return supervised_staff_q(agency_id)

    def get_fieldsets(self, request, obj=None):
        if obj is None or is_mall_admin(request.user):
            return super().get_fieldsets(request, obj)
        return self.supervisor_fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not is_mall_admin(request.user):
            readonly.append("role")  # a supervisor manages officers only
        return readonly

    def save_model(self, request, obj, form, change):
        if is_mall_admin(request.user):
            role, agency = obj.role, obj.agency
        else:
            # The role is read-only here: an agency kiosk stays one, anyone new is an officer.
            role = Role.KIOSK if obj.role == Role.KIOSK else Role.OFFICER
            agency = request.user.agency
        staff_set_role(user=obj, role=role, agency=agency)


# Login lockouts -----------------------------------------------------------------------


@admin.register(LoginLockout)
class LoginLockoutAdmin(ReadOnlyScopedAdmin):
    """Failed logins per username and address, as django-axes counts them. Nobody edits
    them; "Buka kunci" clears them through axes. A supervisor sees only those of their
    agency's officers and kiosks (never unknown usernames, the mall's or other agencies')."""

    list_display = ["username", "agency_name", "ip_address", "failures_since_start", "attempt_time", "is_locked"]
    list_display_links = None
    search_fields = ["username", "ip_address"]
    actions = ["unlock"]

    def get_queryset(self, request):
        agency = User.objects.filter(username=OuterRef("username")).values("agency__name")[:1]
        return super().get_queryset(request).annotate(agency_name=Subquery(agency))

    def scope_q(self, agency_id: int) -> Q:
        return Q(username__in=User.objects.filter(supervised_staff_q(agency_id)).values("username"))

    def object_agency_id(self, obj: LoginLockout) -> int | None:
        return User.objects.filter(username=obj.username).values_list("agency_id", flat=True).first()

    def supervisor_may_view(self, obj: LoginLockout, agency_id: int) -> bool:
        return User.objects.filter(supervised_staff_q(agency_id), username=obj.username).exists()

    def has_unlock_permission(self, request) -> bool:
        return self.has_module_permission(request)

    @admin.display(description=_("instansi"), ordering="agency_name")
    def agency_name(self, obj: LoginLockout) -> str:
        return obj.agency_name or "-"

    @admin.display(description=_("terkunci"), boolean=True)
    def is_locked(self, obj: LoginLockout) -> bool:
        recent = obj.attempt_time >= timezone.now() - settings.AXES_COOLOFF_TIME
        return recent and obj.failures_since_start >= settings.AXES_FAILURE_LIMIT

    @admin.action(description=_("Buka kunci"), permissions=["unlock"])
    def unlock(self, request, queryset) -> None:
        # The queryset is already the user's scope: a forged id of another agency is not in it.
        for lockout in queryset.order_by("username"):
            axes_reset(ip=lockout.ip_address, username=lockout.username)
            message = _("Kunci login %(username)s dari alamat %(address)s dibuka.")
            self.message_user(request, message % {"username": lockout.username, "address": lockout.ip_address})


# The audit log --------------------------------------------------------------------------


class AuditModelFilter(admin.SimpleListFilter):
    title = _("jenis data")
    parameter_name = "model"

    def lookups(self, request, model_admin):
        labels = AuditEntry.objects.order_by("model").values_list("model", flat=True).distinct()
        return [(label, _model_name(label)) for label in labels]

    def queryset(self, request, queryset):
        return queryset.filter(model=self.value()) if self.value() else queryset


def _model_name(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name_plural)
    except (LookupError, ValueError):
        return label


def _field_name(label: str, name: str) -> str:
    try:
        return str(apps.get_model(label)._meta.get_field(name).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return name


class AdministratorsReadOnlyAdmin(admin.ModelAdmin):
    """A record kept as written: DPMPTSP's administrators read it; nobody adds, changes
    or deletes a row through the administration (the database refuses it too)."""

    class Media:
        css = {"all": ["css/admin-touch.css"]}

    def has_module_permission(self, request) -> bool:
        return is_mall_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_mall_admin(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(AdministratorsReadOnlyAdmin):
    """The audit log, for DPMPTSP's administrators only; nobody adds, changes or deletes
    an entry (the database refuses it too)."""

    list_display = ["at", "actor_name", "action", "model_name", "object_id", "object_repr", "address"]
    list_display_links = ["at"]
    list_filter = [("actor", admin.RelatedOnlyFieldListFilter), "action", AuditModelFilter, "at"]
    date_hierarchy = "at"
    search_fields = ["actor_name", "object_repr", "object_id"]
    fields = [
        "at",
        "actor_name",
        "actor",
        "address",
        "action",
        "model_name",
        "object_id",
        "object_repr",
        "changes_table",
    ]
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("jenis data"), ordering="model")
    def model_name(self, entry: AuditEntry) -> str:
        return _model_name(entry.model)

    @admin.display(description=_("perubahan"))
    def changes_table(self, entry: AuditEntry):
        if not entry.changes:
            return "-"
        rows = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>",
            (
                (_field_name(entry.model, name), _shown_value(values, "before"), _shown_value(values, "after"))
                for name, values in entry.changes.items()
            ),
        )
        return format_html(
            "<table><thead><tr><th scope='col'>{}</th><th scope='col'>{}</th><th scope='col'>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            _("kolom"),
            _("sebelum"),
            _("sesudah"),
            rows,
        )


def _shown_value(values: dict, side: str) -> str:
    if not isinstance(values, dict):
        return str(values)
    if side == "after" and "shown" in values:
        return str(values["shown"])
    if side not in values:
        return "—"
    value = values[side]
    if value in ("", None):
        return str(_("(kosong)"))
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
