"""What several tables share: the codes citizens hold, priority groups, languages."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

# Crockford's base32: no I, L, O or U, so a code read out over the phone is not misheard.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 60 random bits


def new_code() -> str:
    bits = secrets.randbits(5 * CODE_LENGTH)
    return "".join(CODE_ALPHABET[(bits >> (5 * n)) & 31] for n in range(CODE_LENGTH))


def normalize_code(raw: str) -> str:
    """What a person typed (lower case, dashes, O for 0) to the stored form."""
    cleaned = "".join(ch for ch in raw.upper() if ch.isalnum())
    return cleaned.translate(str.maketrans("OIL", "011"))[: CODE_LENGTH * 2]


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class PriorityGroup(models.TextChoices):
    NONE = "", _("Tidak ada")
    ELDERLY = "elderly", _("Lansia (60 tahun ke atas)")
    DISABILITY = "disability", _("Penyandang disabilitas")
    PREGNANT = "pregnant", _("Ibu hamil")
    SMALL_CHILD = "small_child", _("Membawa balita")


class Language(models.TextChoices):
    ID = "id", "Bahasa Indonesia"
    EN = "en", "English"
