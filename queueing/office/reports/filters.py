"""What a report is asked for, read the same way by the page, the API and the files:
the period, the agency and the service (``agency``, ``service``, ``date_from``,
``date_to``), and for a file its ``format`` and ``table``. Bad input is answered at
its field; asking for another agency than one's own is refused (``ReportForbidden``),
in the pages, the API and the files alike."""

import datetime as dt

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agencies.models import Agency
from mpp_common.clock import in_reach
from queueing.office.access import agency_scope
from queueing.office.reports.figures import ReportScope
from queueing.office.reports.summaries import month_start
from services.models import Service

# A year, leap or not: a longer period is refused at its field.
LONGEST_PERIOD_DAYS = 366
FORMATS = ("json", "csv", "xlsx")
TABLES = ("summary", "by_hour", "by_day", "by_weekday", "by_agency", "by_service", "by_counter", "by_officer")


FORBIDDEN = _("Laporan instansi lain tidak dapat dibuka: Anda hanya melihat laporan instansi Anda sendiri.")


class ReportForbidden(PermissionDenied):
    """A supervisor asked for another agency's figures (or a service of one)."""


class IdChoiceField(forms.ModelChoiceField):
    """A choice by id that reads only ASCII digits of a sane length (``"١٢"``,
    ``"1e3"`` and a 40-digit number are not ids) before asking the database."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value)
        if not (text.isascii() and text.isdigit()) or len(text) > 18:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(text)


DATE_ERRORS = {"invalid": _("Tanggal tidak sah: tulis TTTT-BB-HH, mis. 2026-03-31.")}


class ReportForm(forms.Form):
    date_from = forms.DateField(
        label=_("Dari tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE_ERRORS,
    )
    date_to = forms.DateField(
        label=_("Sampai tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE_ERRORS,
        help_text=_("Kosong: hari ini. Paling lama 366 hari."),
    )
    agency = IdChoiceField(
        label=_("Instansi"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label=_("Semua instansi"),
        error_messages={"invalid_choice": _("Pilih instansi dari daftar.")},
    )
    service = IdChoiceField(
        label=pgettext_lazy("report", "Layanan"),
        queryset=Service.objects.select_related("agency").order_by("agency__name", "order", "name"),
        required=False,
        empty_label=_("Semua layanan"),
        error_messages={"invalid_choice": _("Pilih layanan dari daftar.")},
    )
    format = forms.ChoiceField(
        choices=[(name, name) for name in FORMATS],
        required=False,
        error_messages={"invalid_choice": _("Pilih format json, csv atau xlsx.")},
    )
    table = forms.ChoiceField(
        choices=[(name, name) for name in TABLES],
        required=False,
        error_messages={"invalid_choice": _("Tabel tidak dikenal.")},
    )

    def __init__(self, data=None, *, user, today: dt.date, **kwargs) -> None:
        # Only the filters' own fields are read: the rest of a query string is ignored.
        if data is not None:
            data = {name: data.get(name) for name in self.base_fields if data.get(name) is not None}
        super().__init__(data, **kwargs)
        self.user = user
        self.today = today
        self.scope_agency = agency_scope(user)
        if self.scope_agency is not None:
            # A supervisor's agency is theirs: the page does not offer a choice.
            self.fields["service"].queryset = self.fields["service"].queryset.filter(agency_id=self.scope_agency)
            self.fields["service"].label_from_instance = lambda service: service.name
        else:
            self.fields["service"].label_from_instance = lambda service: f"{service.agency.name} · {service.name}"

    def _in_reach(self, name: str) -> dt.date | None:
        day = self.cleaned_data.get(name)
        if day is not None and not in_reach(day):
            raise ValidationError(_("Tanggal di luar jangkauan."), code="out_of_reach")
        return day

    def clean_date_from(self):
        return self._in_reach("date_from")

    def clean_date_to(self):
        return self._in_reach("date_to")

    def clean(self):
        cleaned = super().clean()
        if "date_from" in self.errors or "date_to" in self.errors:
            return cleaned
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_to is None:
            date_to = max(self.today, date_from) if date_from else self.today
        if date_from is None:
            date_from = month_start(date_to)
        if date_to < date_from:
            self.add_error("date_to", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        elif (date_to - date_from).days + 1 > LONGEST_PERIOD_DAYS:
            self.add_error(
                "date_to",
                _("Periode laporan paling lama 366 hari: pilih periode yang lebih pendek."),
            )
        cleaned["date_from"], cleaned["date_to"] = date_from, date_to
        agency, service = cleaned.get("agency"), cleaned.get("service")
        if agency and service and service.agency_id != agency.pk and self.scope_agency is None:
            self.add_error("service", _("Layanan ini bukan layanan instansi yang dipilih."))
        return cleaned

    def check_access(self) -> None:
        """``ReportForbidden`` when a supervisor asked for another agency (or one of
        its services); call it before reading ``errors``: a refusal comes first."""
        if self.scope_agency is None or not self.is_bound:
            return
        raw_agency = self.data.get("agency") or ""
        raw_service = self.data.get("service") or ""
        agency = self.fields["agency"].queryset.filter(pk=raw_agency).first() if _an_id(raw_agency) else None
        if agency is not None and agency.pk != self.scope_agency:
            raise ReportForbidden
        if _an_id(raw_service):
            service = Service.objects.filter(pk=raw_service).only("agency_id").first()
            if service is not None and service.agency_id != self.scope_agency:
                raise ReportForbidden

    def scope(self) -> ReportScope:
        """The report's scope from a valid form: a supervisor's own agency always."""
        cleaned = self.cleaned_data
        agency = cleaned.get("agency")
        service = cleaned.get("service")
        return ReportScope(
            date_from=cleaned["date_from"],
            date_to=cleaned["date_to"],
            agency_id=self.scope_agency if self.scope_agency is not None else (agency.pk if agency else None),
            service_id=service.pk if service else None,
        )

    def error_lists(self) -> dict[str, list[str]]:
        """The errors as the API answers them: ``{field: [message, …]}``."""
        return {name: [str(message) for message in messages] for name, messages in self.errors.items()}


def _an_id(raw: str) -> bool:
    return raw.isascii() and raw.isdigit() and len(raw) <= 18
