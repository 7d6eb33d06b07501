"""Small helpers shared by the views of every app."""

from django.utils.translation import gettext
from rest_framework.exceptions import ValidationError


def parse_id(raw: str | None) -> int | None:
    """A database id from a query string: None when absent, ValueError unless it is
    ASCII digits of a sane length (``"١٢"`` and ``"1e3"`` are not ids)."""
    if raw in (None, ""):
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise ValueError(raw)
    return int(raw)


def int_query_param(request, name: str) -> int | None:
    """``parse_id`` for the API: anything that is not an id is a 400 at that field."""
    try:
        return parse_id(request.query_params.get(name))
    except ValueError:
        raise ValidationError({name: [gettext("Harus berupa angka.")]}) from None
