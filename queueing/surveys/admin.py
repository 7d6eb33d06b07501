"""The satisfaction surveys in the administration, to read: an agency's supervisor sees
the agency's own, DPMPTSP every agency's. Nobody adds or changes an answer here."""

from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from agencies.admin import RoleScopedAdmin
from queueing.models import Survey


@admin.register(Survey)
class SurveyAdmin(RoleScopedAdmin):
    list_display = ["created_at", "agency", "service", "skm", "short_comment"]
    list_filter = ["agency", "created_at"]
    list_select_related = ["agency", "service"]
    search_fields = ["comment"]
    date_hierarchy = "created_at"
    # The ticket is left out: the date, the service and the answers are what is read.
    fields = ["created_at", "agency", "service", "answers", "comment"]
    readonly_fields = fields

    @admin.display(description=_("nilai (25–100)"))
    def skm(self, survey: Survey) -> str:
        scores = [score for score in survey.answers if isinstance(score, int)]
        return f"{sum(scores) / len(scores) * 25:.2f}" if scores else "–"

    @admin.display(description=_("saran dan masukan"))
    def short_comment(self, survey: Survey) -> str:
        return Truncator(survey.comment).chars(120)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
