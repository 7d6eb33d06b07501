"""JSON bodies as every endpoint reads them.

Python's decoder recurses once per ``[`` or ``{``: a body nested deeper than the
interpreter's recursion limit (about a thousand) raises ``RecursionError``, not the
``ValueError`` of other bad JSON, and would be a 500. Here it is bad JSON like any other.
"""

import json

from django.utils.translation import gettext
from rest_framework import parsers
from rest_framework.exceptions import ParseError


def loads(raw: bytes | str):
    """``json.loads``; ``ValueError`` for a body that does not parse, however it fails."""
    try:
        return json.loads(raw)
    except RecursionError:
        raise ValueError("JSON nested too deep") from None


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with too-deep nesting a 400, as any body that does not parse."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(gettext("Data bukan JSON yang sah.")) from None
