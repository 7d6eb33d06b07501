"""The survey's form, shared by the citizen's page and the tablet at the counter: the
nine elements of PermenPAN-RB 14/2017, each on its 1–4 scale, and an optional
suggestion. Django's fields check the suggestion (at most 1000 characters, no null
character, which PostgreSQL cannot store) and word the messages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from queueing.models import SURVEY_ELEMENTS, Survey

SCALE = [(1, _("Tidak sesuai")), (2, _("Kurang sesuai")), (3, _("Sesuai")), (4, _("Sangat sesuai"))]
FEE_SCALE = [(1, _("Sangat mahal")), (2, _("Cukup mahal")), (3, _("Murah")), (4, _("Gratis"))]
FEE_ELEMENT = 3  # the fourth element, biaya/tarif
CHOOSE = _("Pilih salah satu jawaban.")
COMMENT_MAX = Survey._meta.get_field("comment").max_length


class SurveyForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index, label in enumerate(SURVEY_ELEMENTS):
            self.fields[f"q{index + 1}"] = forms.TypedChoiceField(
                label=label,
                choices=FEE_SCALE if index == FEE_ELEMENT else SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
            )
        self.fields["comment"] = forms.CharField(
            label=_("Saran dan masukan (boleh kosong)"), required=False, max_length=COMMENT_MAX
        )

    def answers(self) -> list[int]:
        return [self.cleaned_data[f"q{number}"] for number in range(1, len(SURVEY_ELEMENTS) + 1)]

    def questions(self) -> list[dict]:
        """What the page shows of each question: its choices, the answer given (kept
        when the form comes back) and its error."""
        shown = []
        for number in range(1, len(SURVEY_ELEMENTS) + 1):
            name = f"q{number}"
            raw = self.data.get(name, "") if self.is_bound else ""
            field = self.fields[name]
            shown.append(
                {
                    "number": number,
                    "name": name,
                    "label": field.label,
                    "choices": field.choices,
                    "answer": int(raw) if raw in ("1", "2", "3", "4") else None,
                    "error": self.errors[name][0] if self.is_bound and name in self.errors else None,
                }
            )
        return shown

    def missing_count(self) -> int:
        return sum(1 for name in self.errors if name != "comment") if self.is_bound else 0

    def comment_shown(self) -> str:
        """The suggestion as it was sent, for the form that comes back (a null
        character cannot be shown)."""
        return self.data.get("comment", "").replace("\x00", "") if self.is_bound else ""
