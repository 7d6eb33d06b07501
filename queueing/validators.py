"""Validation of what citizens type: NIK, mobile number, name. Messages are in
Bahasa Indonesia, then English."""

import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength
from stdnum.id import nik as nik_number


def clean_nik(raw: str) -> str:
    """A valid NIK as 16 digits. The date part is checked only for being a possible
    date: it may legitimately differ from the person's birth date."""
    value = "".join(raw.split()).replace("-", "").replace(".", "")
    if not value.isdigit():
        raise ValidationError(_("NIK hanya berisi angka. / The NIK has digits only."), code="nik_format")
    try:
        return nik_number.validate(value)
    except InvalidLength:
        raise ValidationError(_("NIK harus 16 digit. / The NIK must have 16 digits."), code="nik_length") from None
    except (InvalidComponent, InvalidFormat):
        raise ValidationError(
            _(
                "NIK tidak sah: kode wilayah atau tanggal tidak dikenal. "
                "/ Invalid NIK: unknown region code or impossible date."
            ),
            code="nik_invalid",
        ) from None


def clean_mobile(raw: str) -> str:
    """An Indonesian mobile number in E.164 (+628…), 9 to 12 digits after +62."""
    value = raw.strip()
    digits = "".join(ch for ch in value if ch.isdigit())
    if not value.startswith("+") and digits.startswith("62") and len(digits) >= 11:
        value = "+" + digits
    message = _(
        "Nomor ponsel tidak sah: tulis seperti 0812 3456 7890 atau +62 812 3456 7890. "
        "/ Invalid mobile number: write like 0812 3456 7890 or +62 812 3456 7890."
    )
    try:
        number = phonenumbers.parse(value, "ID")
    except phonenumbers.NumberParseException:
        raise ValidationError(message, code="phone_invalid") from None
    national = str(number.national_number)
    if number.country_code != 62 or not national.startswith("8") or not 9 <= len(national) <= 12:
        raise ValidationError(message, code="phone_invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_person_name(raw: str) -> str:
    """A name as people write it: letters, spaces and a few marks; no control characters."""
    value = " ".join(raw.split())
    if len(value) < 2:
        raise ValidationError(_("Nama wajib diisi. / The name is required."), code="name_required")
    if any(unicodedata.category(ch).startswith("C") for ch in value):
        raise ValidationError(
            _("Nama berisi karakter yang tidak sah. / The name contains invalid characters."), code="name_invalid"
        )
    return value


def mask_phone(phone: str) -> str:
    return f"{phone[:6]}{'•' * max(len(phone) - 9, 0)}{phone[-3:]}" if len(phone) > 9 else phone
