"""Forms of the complaints: the citizen's (the complaint, what it is about, an optional
contact with consent), a code to follow, and the office's answer, routing and filter.
Django's fields word the messages and refuse a null character; an oversized value is
not echoed back whole (``shortened``)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from mpp_common.params import parse_id
from queueing.bookings.forms import TelInput, code_field, shortened
from queueing.bookings.validators import clean_mobile, clean_person_name
from queueing.models import (
    CODE_LENGTH,
    COMPLAINT_ANSWER_MAX,
    COMPLAINT_TEXT_MAX,
    ComplaintStatus,
    normalize_code,
)
from queueing.office.complaints.services import ANSWER_STATUSES
from services.models import Service

TEXT_MIN = 10
CHOOSE_AGENCY = _("Pilih instansi dari daftar.")
CHOOSE_SERVICE = _("Pilih layanan dari daftar.")


def agency_choices(empty_label) -> list[tuple[str, str]]:
    return [("", empty_label)] + [
        (str(agency.pk), agency.localized.name) for agency in Agency.objects.active().order_by("name")
    ]


def service_choices(empty_label) -> list:
    """The published services grouped by agency (an ``<optgroup>`` each)."""
    groups: dict[int, tuple[str, list]] = {}
    services = Service.objects.published().select_related("agency").order_by("agency__name", "order", "name")
    for service in services:
        label = service.agency.localized.name
        groups.setdefault(service.agency_id, (label, []))[1].append((str(service.pk), service.localized.name))
    return [("", empty_label), *groups.values()]


def _agency(raw: str) -> Agency | None:
    if not raw:
        return None
    try:
        pk = parse_id(raw)
    except ValueError:
        raise ValidationError(CHOOSE_AGENCY, code="invalid_choice") from None
    agency = Agency.objects.active().filter(pk=pk).first()
    if agency is None:
        raise ValidationError(CHOOSE_AGENCY, code="invalid_choice")
    return agency


def _service(raw: str) -> Service | None:
    if not raw:
        return None
    try:
        pk = parse_id(raw)
    except ValueError:
        raise ValidationError(CHOOSE_SERVICE, code="invalid_choice") from None
    service = Service.objects.published().select_related("agency").filter(pk=pk).first()
    if service is None:
        raise ValidationError(CHOOSE_SERVICE, code="invalid_choice")
    return service


class ComplaintForm(forms.Form):
    """The citizen's complaint or suggestion; anonymous unless they leave a contact."""

    text = forms.CharField(
        label=_("Pengaduan, saran atau masukan"),
        min_length=TEXT_MIN,
        max_length=COMPLAINT_TEXT_MAX,
        error_messages={
            "required": _("Tulis pengaduan atau saran Anda."),
            "min_length": _("Tulis paling sedikit %(limit_value)d karakter agar petugas dapat menindaklanjuti."),
            "max_length": _("Paling banyak %(limit_value)d karakter (sekarang %(show_value)d)."),
        },
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    agency = forms.CharField(
        label=_("Instansi"),
        required=False,
        help_text=_("Kosongkan bila tidak tahu: DPMPTSP meneruskannya ke instansi yang tepat."),
        widget=forms.Select,
    )
    service = forms.CharField(label=_("Layanan yang dimaksud"), required=False, widget=forms.Select)
    ticket = forms.CharField(
        label=_("Kode tiket antrean"),
        required=False,
        max_length=64,
        help_text=_("Bila pengaduan tentang kunjungan Anda: kode di bawah kode QR struk antrean."),
        error_messages={"max_length": _("Kode tiket terdiri dari 12 huruf dan angka.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters", "class": "code-input"}
        ),
    )
    name = forms.CharField(
        label=_("Nama"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Nama paling banyak %(limit_value)d karakter.")},
        widget=forms.TextInput(attrs={"autocomplete": "name", "autocapitalize": "words", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Nomor ponsel"),
        required=False,
        max_length=32,
        help_text=_("Contoh: 0812 3456 7890. Tanggapan dikirim lewat SMS ke nomor ini."),
        error_messages={"max_length": _("Nomor ponsel terlalu panjang.")},
        widget=TelInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        max_length=254,
        help_text=_("Tanggapan juga dikirim ke alamat ini."),
        error_messages={
            "invalid": _("Alamat email tidak sah: tulis seperti nama@contoh.id."),
            "max_length": _("Alamat email terlalu panjang."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false", "autocapitalize": "off"}),
    )
    consent = forms.BooleanField(
        label=_("Saya setuju nama dan kontak saya diproses untuk menanggapi pengaduan ini."),
        required=False,
        help_text=_(
            "Wajib bila Anda mengisi nama, nomor ponsel atau email (UU 27/2022 tentang Pelindungan Data Pribadi)."
        ),
    )

    LIMITS = {"text": COMPLAINT_TEXT_MAX, "ticket": 64, "name": 100, "phone": 32, "email": 254, "agency": 20}

    def __init__(self, data=None, *args, **kwargs) -> None:
        super().__init__(shortened(data, {**self.LIMITS, "service": 20}), *args, **kwargs)
        self.fields["text"].help_text = gettext(
            "Ceritakan apa yang terjadi, kapan dan di loket mana. Paling banyak %(limit)s karakter."
        ) % {"limit": COMPLAINT_TEXT_MAX}
        self.fields["agency"].widget.choices = agency_choices(_("Belum tahu / tentang MPP secara umum"))
        self.fields["service"].widget.choices = service_choices(_("Belum tahu / tidak tentang satu layanan"))

    def clean_agency(self) -> Agency | None:
        return _agency(self.cleaned_data["agency"])

    def clean_service(self) -> Service | None:
        return _service(self.cleaned_data["service"])

    def clean_ticket(self) -> str:
        raw = self.cleaned_data["ticket"].strip()
        if raw and len(normalize_code(raw)) != CODE_LENGTH:
            raise ValidationError(_("Kode tiket terdiri dari 12 huruf dan angka, mis. ABCD-EFGH-JKMN."))
        return raw

    def clean_name(self) -> str:
        raw = self.cleaned_data["name"]
        return clean_person_name(raw) if raw.strip() else ""

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"]
        return clean_mobile(raw) if raw.strip() else ""

    def clean(self):
        cleaned = super().clean()
        contact = any(cleaned.get(name) for name in ("name", "phone", "email"))
        if contact and not cleaned.get("consent"):
            self.add_error(
                "consent",
                _("Centang persetujuan bila Anda mengisi nama, nomor ponsel atau email, atau kosongkan isian itu."),
            )
        return cleaned

    def complaint_fields(self) -> dict:
        """The keyword arguments of ``complaint_file``."""
        data = self.cleaned_data
        return {
            "text": data["text"],
            "agency": data["agency"],
            "service": data["service"],
            "ticket_code": data["ticket"],
            "name": data["name"],
            "phone": data["phone"],
            "email": data["email"],
            "consent": data["consent"],
        }


class ComplaintLookupForm(forms.Form):
    kode = code_field(
        _("Kode pengaduan"), _("Isi kode pengaduan Anda."), _("Kode pengaduan terdiri dari 12 huruf dan angka.")
    )

    def __init__(self, data=None, *args, **kwargs) -> None:
        super().__init__(shortened(data, {"kode": 64}), *args, **kwargs)

    def clean_kode(self) -> str:
        code = normalize_code(self.cleaned_data["kode"])
        if len(code) != CODE_LENGTH:
            raise ValidationError(_("Kode pengaduan terdiri dari 12 huruf dan angka, mis. ABCD-EFGH-JKMN."))
        return code


# The office


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Tanggapan untuk warga"),
        max_length=COMPLAINT_ANSWER_MAX,
        help_text=_("Warga membacanya di halaman pengaduan dan, bila meninggalkan kontak, lewat SMS atau email."),
        error_messages={
            "required": _("Tulis tanggapan untuk warga."),
            "max_length": _("Paling banyak %(limit_value)d karakter (sekarang %(show_value)d)."),
        },
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    status = forms.ChoiceField(
        label=_("Status setelah tanggapan ini"),
        choices=[(status.value, status.label) for status in ANSWER_STATUSES],
        initial=ComplaintStatus.ANSWERED,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih status."), "invalid_choice": _("Pilih status dari daftar.")},
    )

    def __init__(self, data=None, *args, **kwargs) -> None:
        super().__init__(shortened(data, {"answer": COMPLAINT_ANSWER_MAX}), *args, **kwargs)


class RouteForm(forms.Form):
    """DPMPTSP hands a complaint to an agency."""

    route_agency = forms.CharField(label=_("Teruskan ke instansi"), widget=forms.Select)
    route_service = forms.CharField(label=_("Layanan yang dimaksud"), required=False, widget=forms.Select)

    def __init__(self, data=None, *args, **kwargs) -> None:
        super().__init__(shortened(data, {"route_agency": 20, "route_service": 20}), *args, **kwargs)
        self.fields["route_agency"].widget.choices = agency_choices(_("Pilih instansi"))
        self.fields["route_service"].widget.choices = service_choices(_("Tidak tentang satu layanan"))
        self.fields["route_agency"].error_messages["required"] = CHOOSE_AGENCY

    def clean_route_agency(self) -> Agency:
        agency = _agency(self.cleaned_data["route_agency"])
        if agency is None:
            raise ValidationError(CHOOSE_AGENCY, code="required")
        return agency

    def clean_route_service(self) -> Service | None:
        return _service(self.cleaned_data["route_service"])
