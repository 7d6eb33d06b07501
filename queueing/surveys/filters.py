"""What an IKM publication is asked for: an agency, a service and a period (a month,
quarter, semester or year by its code, or two dates). One form for the office's page,
its API and files, and the public page, so each answers bad input with the same
message at the same field; a value that is no id, no date or no period is an error
there, never a server error, and a long one is not echoed back whole."""

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from mpp_common.params import parse_id
from queueing.models import SurveyTally
from queueing.surveys import periods
from queueing.surveys.periods import Period, PeriodError
from services.models import Service

LONGEST = 32  # no id, date or period code is longer
UNKNOWN_AGENCY = _("Instansi tidak dikenal.")
UNKNOWN_SERVICE = _("Layanan tidak dikenal.")
NOT_THE_AGENCYS = _("Layanan ini bukan layanan instansi yang dipilih.")
NOT_PUBLISHED = _("Hasil periode ini belum terbit: periode belum berakhir.")


def _short(data):
    if data is None or not any(len(str(data.get(name, ""))) > LONGEST for name in data):
        return data
    data = data.copy()
    for name in list(data):
        value = data.get(name, "")
        if isinstance(value, str) and len(value) > LONGEST:
            data[name] = value[:LONGEST]
    return data


class IkmFilterForm(forms.Form):
    """``agency`` and ``service`` by id, ``period`` by code, or ``date_from`` and/or
    ``date_to`` (one alone leaves the range open on the other side); dates win over
    the period. Without either, the period is
    ``default`` (``None``: every day). With ``published_only``, only a period that has
    ended is accepted (the public page)."""

    agency = forms.CharField(label=_("Instansi"), required=False, widget=forms.Select)
    service = forms.CharField(label=_("Layanan"), required=False, widget=forms.Select)
    period = forms.CharField(label=_("Periode"), required=False, widget=forms.Select)
    date_from = forms.DateField(label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(
        self,
        data=None,
        *,
        default: Period | None = None,
        published_only: bool = False,
        today: dt.date | None = None,
        **kwargs,
    ):
        super().__init__(_short(data), **kwargs)
        self.default = default
        self.published_only = published_only
        self.today = today or timezone.localdate()

    def _by_id(self, name: str, model, unknown):
        try:
            pk = parse_id(self.cleaned_data.get(name))
        except ValueError:
            raise forms.ValidationError(unknown) from None
        if pk is None:
            return None
        found = model.objects.filter(pk=pk).first()
        if found is None:
            raise forms.ValidationError(unknown)
        return found

    def clean_agency(self) -> Agency | None:
        return self._by_id("agency", Agency, UNKNOWN_AGENCY)

    def clean_service(self) -> Service | None:
        return self._by_id("service", Service, UNKNOWN_SERVICE)

    def clean_period(self) -> Period | None:
        code = self.cleaned_data.get("period")
        if not code:
            return None
        try:
            return periods.parse(code)
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        cleaned = super().clean()
        agency, service = cleaned.get("agency"), cleaned.get("service")
        if agency and service and service.agency_id != agency.pk:
            self.add_error("service", NOT_THE_AGENCYS)
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if "date_from" in self.errors or "date_to" in self.errors:
            return cleaned
        if first or last:
            try:
                cleaned["chosen"] = periods.dates(first, last)
            except PeriodError as error:
                self.add_error("date_to" if last else "date_from", str(error))
        elif "period" not in self.errors:
            cleaned["chosen"] = cleaned.get("period") or self.default
        chosen = cleaned.get("chosen")
        if chosen and self.published_only and not chosen.is_complete(self.today):
            self.add_error("date_to" if chosen.kind == "dates" else "period", NOT_PUBLISHED)
        return cleaned

    @property
    def chosen(self) -> Period | None:
        """The period asked for (valid forms only)."""
        return self.cleaned_data.get("chosen")

    def query(self, **extra) -> str:
        """The filters as read (a valid form's), as a query string: the download links
        ask for the very figures the page shows, the default period included."""
        values = {}
        if self.cleaned_data.get("agency"):
            values["agency"] = self.cleaned_data["agency"].pk
        if self.cleaned_data.get("service"):
            values["service"] = self.cleaned_data["service"].pk
        chosen = self.chosen
        if chosen and chosen.kind == "dates":
            values |= {"date_from": chosen.first.isoformat(), "date_to": chosen.last.isoformat()}
        elif chosen:
            values["period"] = chosen.code
        return urlencode(values | extra)


def period_choices(today: dt.date, *, published_only: bool = False) -> list:
    """The periods to pick from: those of the years with surveys (this year at least),
    newest first; with ``published_only``, those that have ended."""
    first = SurveyTally.objects.aggregate(first=Min("day"))["first"]
    groups = periods.choices(first.year if first else today.year, today, complete_only=published_only)
    return [("", _("Pilih periode")), *groups]


def with_default_period(data, default: Period):
    """The query with the default period filled in when neither a period nor dates
    were asked for, so the form shows what the page shows."""
    if data.get("period") or data.get("date_from") or data.get("date_to"):
        return data
    data = data.copy()
    data["period"] = default.code
    return data
