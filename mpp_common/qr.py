"""QR codes as inline SVG, drawn by segno: no image file, no request."""

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, title: str) -> SafeString:
    """An SVG of ``data`` that scales with its box (a viewBox, no fixed size).
    segno escapes the title; the rest of its output is path data."""
    svg = segno.make(data, error="m").svg_inline(scale=4, title=title, omitsize=True, svgclass="qr", lineclass=None)
    return mark_safe(svg.replace("<svg ", '<svg role="img" focusable="false" ', 1))  # noqa: S308
