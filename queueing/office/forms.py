"""Forms of the help desk: the search (a booking code, or NIK and phone), a day and a
slot to move a booking to, and the service, day and slot of a booking made at the desk.
Bad input is answered at its field, never with a server error."""

import copy
import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from queueing.bookings.forms import BookingForm, CodeRecoveryForm, LookupForm, shortened
from queueing.models import CODE_LENGTH, normalize_code
from services.models import Service

NEED_SOMETHING = _("Isi kode pemesanan, atau NIK dan nomor ponsel.")


class SearchForm(CodeRecoveryForm):
    """A booking code, or NIK and phone together."""

    kode = copy.deepcopy(LookupForm.base_fields["kode"])
    field_order = ["kode", "nik", "phone"]

    def __init__(self, data=None, *args, **kwargs) -> None:
        super().__init__(shortened(data, {"kode": 64}), *args, **kwargs)
        for name in ("kode", "nik", "phone"):
            self.fields[name].required = False
        self.fields["phone"].help_text = _("Nomor yang dipakai warga saat memesan.")

    def clean_kode(self) -> str:
        raw = self.cleaned_data["kode"]
        if not raw:
            return ""
        code = normalize_code(raw)
        if len(code) != CODE_LENGTH:
            raise ValidationError(_("Kode pemesanan terdiri dari 12 huruf dan angka, mis. ABCD-EFGH-JKMN."))
        return code

    def clean_nik(self) -> str:
        return super().clean_nik() if self.cleaned_data["nik"] else ""

    def clean_phone(self) -> str:
        return super().clean_phone() if self.cleaned_data["phone"] else ""

    def clean(self):
        cleaned = super().clean()
        if self.errors or cleaned.get("kode"):
            return cleaned
        nik, phone = cleaned.get("nik"), cleaned.get("phone")
        if not nik and not phone:
            self.add_error("kode", NEED_SOMETHING)
        elif not nik:
            self.add_error("nik", _("Isi NIK warga bersama nomor ponselnya."))
        elif not phone:
            self.add_error("phone", _("Isi nomor ponsel warga bersama NIK-nya."))
        return cleaned


def slot_start(day: dt.date, hhmm: str) -> dt.datetime:
    """The start of a slot chosen as HHMM (one of ``_hhmm_choices``) on ``day``."""
    moment = dt.time(int(hhmm[:2]), int(hhmm[2:]))
    return dt.datetime.combine(day, moment, tzinfo=timezone.get_current_timezone())


def _hhmm_choices(slots) -> list[tuple[str, str]]:
    return [
        (f"{timezone.localtime(slot.start):%H%M}", f"{timezone.localtime(slot.start):%H.%M}")
        for slot in slots
        if slot.available
    ]


class DayForm(forms.Form):
    """The day whose slots are listed (a query of the page)."""

    tanggal = forms.DateField(
        label=_("Tanggal"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Pilih tanggal."), "invalid": _("Tanggal tidak sah: tulis TTTT-BB-HH.")},
    )

    def __init__(self, data=None, *args, **kwargs) -> None:
        super().__init__(shortened(data, {"tanggal": 10}), *args, **kwargs)


class SlotForm(DayForm):
    """A day and one of its free slots (HHMM), chosen from ``slots``."""

    jam = forms.ChoiceField(
        label=_("Jam"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih jam."), "invalid_choice": _("Pilih jam dari daftar yang tersedia.")},
    )

    def __init__(self, data=None, *args, slots=(), **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        self.fields["jam"].choices = _hhmm_choices(slots)

    def start(self) -> dt.datetime:
        return slot_start(self.cleaned_data["tanggal"], self.cleaned_data["jam"])


class ServiceDayForm(DayForm):
    """The service and day of a booking made at the desk."""

    layanan = forms.ModelChoiceField(
        label=_("Layanan"),
        queryset=Service.objects.none(),
        error_messages={"required": _("Pilih layanan."), "invalid_choice": _("Pilih layanan dari daftar.")},
    )
    field_order = ["layanan", "tanggal"]

    def __init__(self, data=None, *args, **kwargs) -> None:
        super().__init__(shortened(data, {"layanan": 12}), *args, **kwargs)
        self.fields["layanan"].queryset = (
            Service.objects.published()
            .filter(online_booking=True, external_booking_url="")
            .select_related("agency")
            .order_by("agency__name", "name")
        )
        self.fields["layanan"].label_from_instance = lambda service: f"{service.agency.name} · {service.name}"


class DeskBookingForm(BookingForm):
    """The citizen's booking form as staff fill it in at the desk, with the slot."""

    jam = copy.deepcopy(SlotForm.base_fields["jam"])

    def __init__(self, data=None, *args, slots=(), **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        self.fields["jam"].choices = _hhmm_choices(slots)
        self.fields["consent"].label = _("Warga menyetujui data pribadinya diproses untuk pemesanan ini.")
        self.order_fields(["jam"])
