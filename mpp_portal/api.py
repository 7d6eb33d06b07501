"""Small helpers shared by the API views of every app."""

from rest_framework.exceptions import ValidationError


def int_query_param(request, name: str) -> int | None:
    """A positive whole number from the query string, or None; anything else is a 400."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise ValidationError({name: ["Harus berupa angka. / Must be a number."]})
    return int(raw)
