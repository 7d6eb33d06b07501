"""The outbox in the administration (every message, its attempts, a resend for failed
ones) and the wording of the messages."""

from django import forms
from django.contrib import admin
from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agencies.admin import ReadOnlyScopedAdmin, RoleScopedAdmin
from queueing.models import (
    MESSAGE_TEMPLATES_CACHE_KEY,
    MessageTemplate,
    Notification,
    NotificationAttempt,
    NotificationStatus,
)
from queueing.notifications.delivery import notification_resend, notification_text
from queueing.notifications.wording import DEFAULTS, template_fault


class AttemptInline(admin.TabularInline):
    model = NotificationAttempt
    extra = 0
    can_delete = False
    fields = ["number", "at", "outcome", "status_code", "detail", "duration_ms"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyScopedAdmin):
    """The outbox: every message, its attempts, and a resend for failed ones."""

    supervisor_may_edit = False
    list_display = ["created_at", "event", "channel", "status", "attempts", "due_at", "sent_at", "agency"]
    list_filter = ["status", "channel", "event", "agency"]
    list_select_related = ["agency"]
    date_hierarchy = "created_at"
    fields = [
        "event",
        "channel",
        "status",
        "attempts",
        "language",
        "text",
        "agency",
        "created_at",
        "due_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields
    inlines = [AttemptInline]

    @admin.display(description=_("pesan"))
    def text(self, obj: Notification) -> str:
        # A booking's confirmation is composed when sent: until then, as it would be now.
        subject, message = notification_text(obj)
        return f"{subject} — {message}" if subject else message

    actions = ["resend"]

    @admin.action(description=_("Kirim ulang yang gagal"))
    def resend(self, request, queryset):
        failed = list(queryset.filter(status=NotificationStatus.FAILED))
        for notification in failed:
            notification_resend(notification=notification)
        count = len(failed)
        self.message_user(
            request,
            ngettext("%(n)d pemberitahuan dijadwalkan ulang.", "%(n)d pemberitahuan dijadwalkan ulang.", count)
            % {"n": count},
        )

    def get_actions(self, request):
        # Reading the outbox is enough for supervisors; resending is for every staff role
        # that may see the row (the action acts only on the rows in their scope).
        actions = super().get_actions(request)
        if not self.has_view_permission(request):
            actions.pop("resend", None)
        return actions


class MessageTemplateForm(forms.ModelForm):
    """A template is saved only when every placeholder in it is one its event fills
    (``wording.template_fault``); the error stands at the field, what was typed stays."""

    class Meta:
        model = MessageTemplate
        fields = ["event", "language", "subject", "text"]

    def clean(self):
        cleaned = super().clean()
        event = cleaned.get("event")
        if event:
            for field in ("subject", "text"):
                fault = template_fault(event, cleaned.get(field) or "")
                if fault:
                    self.add_error(field, fault)
        return cleaned


@admin.register(MessageTemplate)
class MessageTemplateAdmin(RoleScopedAdmin):
    """The wording of notifications: DPMPTSP administrators edit it, supervisors read it."""

    agency_field = None
    supervisor_may_edit = False
    supervisor_sees_mall_wide = True
    form = MessageTemplateForm
    list_display = ["event", "language", "subject"]
    list_filter = ["event", "language"]
    fields = ["event", "language", "subject", "text", "default_text"]
    readonly_fields = ["default_text"]

    def object_agency_id(self, obj) -> None:
        return None

    def scope_q(self, agency_id: int) -> Q:
        return Q()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        cache.delete(MESSAGE_TEMPLATES_CACHE_KEY)

    @admin.display(description=_("teks bawaan"))
    def default_text(self, obj: MessageTemplate) -> str:
        default = DEFAULTS.get((obj.event, obj.language)) if obj.event else None
        return default[1] if default else "—"
