"""Forms of the citizen's booking pages: the person who books, a booking code, and the
NIK and phone that bring a lost code back."""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from queueing.bookings.validators import clean_mobile, clean_nik, clean_person_name
from queueing.models import CODE_LENGTH, Booking, Channel, Language, PriorityGroup, normalize_code

CHANNEL_ORDER = [channel.value for channel in Channel]


class TelInput(forms.TextInput):
    input_type = "tel"


def shortened(data, limits: dict[str, int]):
    """The submitted data with each text input cut to twice its limit: a mistyped
    value is shown again to be corrected, an oversized one is not echoed back whole
    (its length error is still reported)."""
    if data is None or not any(len(data.get(name, "")) > limit * 2 for name, limit in limits.items()):
        return data
    data = data.copy()
    for name, limit in limits.items():
        if name in data:
            data[name] = data[name][: limit * 2]
    return data


class BookingForm(forms.Form):
    nik = forms.CharField(
        label=_("NIK"),
        max_length=32,
        help_text=_("16 angka Nomor Induk Kependudukan, tertulis di KTP-el atau Kartu Keluarga."),
        error_messages={
            "required": _("Isi NIK Anda."),
            "max_length": _("NIK terlalu panjang: NIK terdiri dari 16 angka."),
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}
        ),
    )
    name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=100,
        help_text=_("Sesuai KTP-el."),
        error_messages={
            "required": _("Isi nama lengkap Anda."),
            "max_length": _("Nama paling banyak %(limit_value)d karakter."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name", "autocapitalize": "words", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Nomor ponsel"),
        max_length=32,
        help_text=_("Contoh: 0812 3456 7890. Kode pemesanan dan pemberitahuan dikirim ke nomor ini."),
        error_messages={
            "required": _("Isi nomor ponsel Anda."),
            "max_length": _("Nomor ponsel terlalu panjang."),
        },
        widget=TelInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        max_length=254,
        help_text=_("Hanya bila Anda ingin pemberitahuan lewat email."),
        error_messages={
            "invalid": _("Alamat email tidak sah: tulis seperti nama@contoh.id."),
            "max_length": _("Alamat email terlalu panjang."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false", "autocapitalize": "off"}),
    )
    language = forms.ChoiceField(
        label=_("Bahasa pemberitahuan"),
        choices=Language.choices,
        initial=Language.ID,
        error_messages={"required": _("Pilih bahasa."), "invalid_choice": _("Pilih bahasa dari daftar.")},
    )
    priority_group = forms.ChoiceField(
        label=_("Kelompok prioritas"),
        choices=PriorityGroup.choices,
        required=False,
        initial=PriorityGroup.NONE,
        help_text=_(
            "Lansia, penyandang disabilitas, ibu hamil dan pengunjung yang membawa balita didahulukan di loket."
        ),
        error_messages={"invalid_choice": _("Pilih kelompok prioritas dari daftar.")},
    )
    channels = forms.MultipleChoiceField(
        label=_("Kirim pemberitahuan lewat"),
        choices=Channel.choices,
        initial=[Channel.SMS],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Email hanya bila Anda mengisi alamat email."),
        error_messages={
            "required": _("Pilih minimal satu saluran pemberitahuan."),
            "invalid_choice": _("Pilih saluran dari daftar."),
        },
    )
    consent = forms.BooleanField(
        label=_("Saya setuju data pribadi saya diproses untuk pemesanan ini."),
        help_text=_(
            "Sesuai UU 27/2022 tentang Pelindungan Data Pribadi. Tanpa persetujuan, pemesanan tidak dapat dibuat."
        ),
        error_messages={"required": _("Centang persetujuan pemrosesan data pribadi untuk memesan.")},
    )

    def __init__(self, data=None, *args, **kwargs) -> None:
        limits = {"nik": 32, "name": 100, "phone": 32, "email": 254}
        super().__init__(shortened(data, limits), *args, **kwargs)

    def clean_nik(self) -> str:
        return clean_nik(self.cleaned_data["nik"])

    def clean_name(self) -> str:
        return clean_person_name(self.cleaned_data["name"])

    def clean_phone(self) -> str:
        return clean_mobile(self.cleaned_data["phone"])

    def clean_channels(self) -> list[str]:
        return sorted(set(self.cleaned_data["channels"]), key=CHANNEL_ORDER.index)

    def clean(self):
        cleaned = super().clean()
        if Channel.EMAIL in cleaned.get("channels", []) and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("Isi alamat email untuk menerima pemberitahuan lewat email."))
        return cleaned

    def booking_fields(self) -> dict:
        """The keyword arguments of ``booking_create`` for the person who books."""
        fields = ("nik", "name", "phone", "email", "language", "priority_group", "channels")
        return {name: self.cleaned_data[name] for name in fields}


def code_field(label, required: str, too_long: str) -> forms.CharField:
    """A code (a booking's, a complaint's) as people type it: 12 letters and digits in
    any case, with or without dashes; ``normalize_code`` reads it."""
    return forms.CharField(
        label=label,
        max_length=64,
        help_text=_("12 huruf dan angka, mis. ABCD-EFGH-JKMN. Huruf besar atau kecil sama saja."),
        error_messages={"required": required, "max_length": too_long},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters", "class": "code-input"}
        ),
    )


class LookupForm(forms.Form):
    """A booking code as people type it: lower case, without dashes, O for 0."""

    kode = code_field(
        _("Kode pemesanan"), _("Isi kode pemesanan Anda."), _("Kode pemesanan terdiri dari 12 huruf dan angka.")
    )

    def __init__(self, data=None, *args, **kwargs) -> None:
        super().__init__(shortened(data, {"kode": 64}), *args, **kwargs)
        self.booking: Booking | None = None

    def clean_kode(self) -> str:
        code = normalize_code(self.cleaned_data["kode"])
        if len(code) != CODE_LENGTH:
            raise ValidationError(_("Kode pemesanan terdiri dari 12 huruf dan angka, mis. ABCD-EFGH-JKMN."))
        self.booking = Booking.objects.select_related("service__agency").filter(code=code).first()
        if self.booking is None:
            raise ValidationError(
                _("Tidak ada pemesanan dengan kode ini. Periksa lagi kode pada SMS atau pesan yang Anda terima.")
            )
        return code


class CodeRecoveryForm(forms.Form):
    """NIK and mobile number, as the booking form takes them, to send a lost code to
    the phone on record."""

    nik = copy.deepcopy(BookingForm.base_fields["nik"])
    phone = copy.deepcopy(BookingForm.base_fields["phone"])
    phone.help_text = _("Nomor yang Anda isi saat memesan. Kode dikirim ke nomor ini, tidak ditampilkan di layar.")

    def __init__(self, data=None, *args, **kwargs) -> None:
        super().__init__(shortened(data, {"nik": 32, "phone": 32}), *args, **kwargs)

    def clean_nik(self) -> str:
        return clean_nik(self.cleaned_data["nik"])

    def clean_phone(self) -> str:
        return clean_mobile(self.cleaned_data["phone"])
