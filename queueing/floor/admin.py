"""The display board's running text, and the floor's history of ticket actions, in the
administration."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from agencies.admin import AdministratorsReadOnlyAdmin, RoleScopedAdmin
from queueing.models import Announcement, TicketEvent


@admin.register(Announcement)
class AnnouncementAdmin(RoleScopedAdmin):
    """The display board's running text: mall-wide lines for administrators, an
    agency's own lines for its supervisor."""

    supervisor_sees_mall_wide = True
    list_display = ["text", "agency", "active", "order"]
    list_filter = ["active", "agency"]
    list_editable = ["active", "order"]
    fields = ["text", "agency", "active", "order"]


@admin.register(TicketEvent)
class TicketEventAdmin(AdministratorsReadOnlyAdmin):
    """Who acted on which ticket: every call, recall, start, completion, no-show, hold,
    resume and transfer with its officer and counter, as the floor wrote it in the
    ticket's history (``queueing.floor.tickets``). For DPMPTSP's administrators only; a
    record, never changed (the database refuses it too)."""

    list_display = ["at", "ticket_number", "agency", "action", "from_status", "to_status", "counter", "officer"]
    list_display_links = None
    list_filter = ["action", ("ticket__agency", admin.RelatedOnlyFieldListFilter), "at"]
    date_hierarchy = "at"
    # By officer: the username as typed, or a link from elsewhere with ?officer__id__exact=.
    search_fields = ["officer__username", "officer__first_name", "officer__last_name"]
    list_select_related = ["ticket__agency", "ticket__service__agency", "counter", "officer"]
    show_full_result_count = False
    list_per_page = 50

    @admin.display(description=_("nomor antrean"))
    def ticket_number(self, event: TicketEvent) -> str:
        return f"{event.ticket.display_number} ({event.ticket.date:%d-%m-%Y})"

    @admin.display(description=_("instansi"), ordering="ticket__agency__name")
    def agency(self, event: TicketEvent) -> str:
        return event.ticket.agency.name
