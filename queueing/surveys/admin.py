"""The satisfaction surveys in the administration, to read: an agency's supervisor sees
the agency's own, DPMPTSP every agency's. Nobody adds or changes an answer here."""

from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from agencies.admin import ReadOnlyScopedAdmin
from queueing.models import Survey


class HandedOverFilter(admin.SimpleListFilter):
    title = _("cara mengisi")
    parameter_name = "handed_over"

    def lookups(self, request, model_admin):
        return [("1", _("Tablet di loket")), ("0", _("Tautan warga"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(handed_over_by__isnull=self.value() == "0")
        return queryset


@admin.register(Survey)
class SurveyAdmin(ReadOnlyScopedAdmin):
    list_display = ["created_at", "agency", "service", "skm", "at_counter", "short_comment"]
    list_filter = ["agency", HandedOverFilter, "created_at"]
    list_select_related = ["agency", "service"]
    search_fields = ["comment"]
    date_hierarchy = "created_at"
    # The ticket is left out: the date, the service and the answers are what is read.
    fields = ["created_at", "agency", "service", "answers", "comment", "handed_over_by"]
    readonly_fields = fields

    @admin.display(description=_("nilai (25–100)"))
    def skm(self, survey: Survey) -> str:
        scores = [score for score in survey.answers if isinstance(score, int)]
        return f"{sum(scores) / len(scores) * 25:.2f}" if scores else "–"

    @admin.display(description=_("tablet di loket"), boolean=True)
    def at_counter(self, survey: Survey) -> bool:
        return survey.handed_over_by_id is not None

    @admin.display(description=_("saran dan masukan"))
    def short_comment(self, survey: Survey) -> str:
        return Truncator(survey.comment).chars(120)
