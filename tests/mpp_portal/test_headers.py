"""The security headers every answer carries: the content security policy, enforced,
and the permissions policy; and templates that need no inline script or style."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
INLINE = [
    ("a style attribute", re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)),
    ("a style element", re.compile(r"<style[\s>]", re.IGNORECASE)),
    ("an inline script", re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)),
    ("an event handler attribute", re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)),
]


def directives(header: str) -> dict[str, str]:
    """A Content-Security-Policy header as {directive: its sources}."""
    return dict([*part.strip().split(" ", 1), ""][:2] for part in header.split(";") if part.strip())


def test_no_template_needs_an_inline_script_or_style():
    found = [
        f"{path.relative_to(ROOT)}: {what}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for what, pattern in INLINE
        if pattern.search(path.read_text())
    ]
    assert found == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/kiosk/", "/petugas/masuk/", "/admin/login/", "/api/docs/", "/livez"])
def test_every_answer_carries_the_enforced_policies(client, path):
    answer = client.get(path)
    assert "Content-Security-Policy-Report-Only" not in answer
    policy = directives(answer["Content-Security-Policy"])
    assert policy == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "connect-src": "'self'",
        "font-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    features = dict(item.split("=") for item in answer["Permissions-Policy"].split(", "))
    assert {features[name] for name in ("camera", "microphone", "geolocation", "payment", "usb", "autoplay")} == {"()"}


@pytest.mark.django_db
def test_only_the_board_may_play_sound_and_no_page_may_use_the_camera(client):
    features = dict(item.split("=") for item in client.get(reverse("display-board"))["Permissions-Policy"].split(", "))
    assert features["autoplay"] == "(self)"
    assert features["camera"] == features["microphone"] == "()"


def test_the_error_page_has_its_stylesheet():
    assert 'href="/static/css/error.css"' in (ROOT / "templates" / "500.html").read_text()
    assert (ROOT / "static" / "css" / "error.css").is_file()
