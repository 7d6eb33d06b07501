"""Validation of what citizens type: NIK, mobile number, name. Messages are in
Bahasa Indonesia, then English."""

import functools
import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import numdb
from stdnum.exceptions import InvalidComponent
from stdnum.id import nik as nik_number

_NIK_INVALID = _("NIK tidak sah: kode wilayah atau tanggal tidak dikenal.")


@functools.lru_cache(maxsize=1024)
def _known_region(code: str) -> bool:
    """Whether python-stdnum's register of Indonesian regions knows the region code
    (the NIK's first four digits), asked as ``stdnum.id.nik`` asks it. A walk through
    the register, so remembered: the people of a rush come from a few regions."""
    return bool(numdb.get("id/loc").info(code)[0][1])


def clean_nik(raw: str) -> str:
    """A valid NIK as 16 digits, by python-stdnum's rules (``stdnum.id.nik.validate``,
    step by step: the separators are gone already, and the region's answer is kept).
    The date part is checked only for being a possible date: it may legitimately
    differ from the person's birth date."""
    value = "".join(raw.split()).replace("-", "").replace(".", "")
    # ASCII digits only: str.isdigit() alone would take "²" or Arabic-Indic digits.
    if not (value.isascii() and value.isdigit()):
        raise ValidationError(_("NIK hanya berisi angka."), code="nik_format")
    if len(value) != 16:
        raise ValidationError(_("NIK harus 16 digit."), code="nik_length")
    try:
        nik_number.get_birth_date(value)
    except InvalidComponent:
        raise ValidationError(_NIK_INVALID, code="nik_invalid") from None
    if not _known_region(value[:4]):
        raise ValidationError(_NIK_INVALID, code="nik_invalid")
    return value


# A number as written at home: a trunk 0, then digits (spaces, dashes and dots between).
_NATIONAL = re.compile(r"0[1-9][0-9 .\-]*")


def clean_mobile(raw: str) -> str:
    """An Indonesian mobile number in E.164 (+628…), 9 to 12 digits after +62."""
    value = raw.strip()
    digits = "".join(ch for ch in value if ch.isdigit())
    if not value.startswith("+") and digits.startswith("62") and len(digits) >= 11:
        value = "+" + digits
    elif _NATIONAL.fullmatch(value):
        # Given to phonenumbers in the international form it names the same number
        # by: its parse of that form skips the search for a national prefix, about a
        # sixth of its work (a test holds the answers equal).
        value = "+62" + digits[1:]
    message = _("Nomor ponsel tidak sah: tulis seperti 0812 3456 7890 atau +62 812 3456 7890.")
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
        raise ValidationError(_("Nama wajib diisi."), code="name_required")
    if any(unicodedata.category(ch).startswith("C") for ch in value):
        raise ValidationError(_("Nama berisi karakter yang tidak sah."), code="name_invalid")
    return value


def mask_phone(phone: str) -> str:
    return f"{phone[:6]}{'•' * max(len(phone) - 9, 0)}{phone[-3:]}" if len(phone) > 9 else phone


def mask_name(name: str) -> str:
    """Each word's first letter: enough for the holder to know the booking is theirs."""
    return " ".join(word[0] + "•" * (len(word) - 1) for word in name.split())


def mask_email(email: str) -> str:
    """The first letter of the address and of its domain, and the top-level domain."""
    local, at, domain = email.rpartition("@")
    if not at:
        return "•" * len(email)
    host, dot, top = domain.rpartition(".")
    masked_domain = f"{host[:1]}{'•' * (len(host) - 1)}{dot}{top}" if dot else mask_name(domain)
    return f"{local[:1]}{'•' * (len(local) - 1)}@{masked_domain}"
