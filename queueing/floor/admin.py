"""The display board's running text in the administration."""

from django.contrib import admin

from agencies.admin import RoleScopedAdmin
from queueing.models import Announcement


@admin.register(Announcement)
class AnnouncementAdmin(RoleScopedAdmin):
    """The display board's running text: mall-wide lines for administrators, an
    agency's own lines for its supervisor."""

    supervisor_sees_mall_wide = True
    list_display = ["text", "agency", "active", "order"]
    list_filter = ["active", "agency"]
    list_editable = ["active", "order"]
    fields = ["text", "agency", "active", "order"]
