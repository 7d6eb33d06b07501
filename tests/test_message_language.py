"""Each page and API answer speaks one language: messages are Indonesian texts
translated through the catalogue, never "Indonesian. / English." pairs, and counts
take the plural of the language."""

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation

from queueing.bookings.services import reschedule_refusal
from queueing.models import BookingStatus
from services.models import BookingPolicy, OpeningHours, Service

ROOT = Path(__file__).resolve().parent.parent
APPS = ("agencies", "services", "queueing", "mpp_common", "mpp_portal")
# "Indonesian. / English": a sentence, a slash, a capital letter.
PAIR = re.compile(r"[a-z0-9.!?)”] / [A-Z%]")


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def test_no_message_in_the_code_carries_its_own_english_half():
    pairs = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text())
            docstrings = _docstrings(tree)
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and id(node) not in docstrings
                    and PAIR.search(node.value)
                ):
                    pairs.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:60]}")
    assert pairs == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("id", "Jumlah cadangan melebihi kuota harian."),
        ("en", "The reserves exceed the daily quota."),
    ],
)
def test_a_validation_message_is_in_the_active_language_only(disdukcapil, language, expected):
    service = Service(agency=disdukcapil, daily_quota=10, walk_in_reserve=8, priority_reserve=5)

    with translation.override(language), pytest.raises(ValidationError) as refused:
        service.clean()

    with translation.override(language):
        assert refused.value.message_dict["walk_in_reserve"] == [expected]


@pytest.mark.parametrize("language", ["id", "en"])
def test_opening_hours_messages_have_no_second_language(language):
    hours = OpeningHours(weekday=0, opens=dt.time(15), closes=dt.time(8))

    with translation.override(language), pytest.raises(ValidationError) as refused:
        hours.clean()
    with translation.override(language):
        message = refused.value.message_dict["closes"][0]

    assert " / " not in message
    assert message == {"id": "Jam tutup harus setelah jam buka.", "en": "Closing must be after opening."}[language]


class _Booking:
    status = BookingStatus.BOOKED
    reschedule_count = 5
    date = dt.date(2027, 3, 10)
    schedule_conflict_at = None


@pytest.mark.parametrize(
    ("times", "english", "indonesian"),
    [
        (1, "A booking can be rescheduled only 1 time.", "Pemesanan hanya dapat dijadwalkan ulang 1 kali."),
        (2, "A booking can be rescheduled only 2 times.", "Pemesanan hanya dapat dijadwalkan ulang 2 kali."),
    ],
)
def test_the_reschedule_limit_takes_the_plural_of_each_language(times, english, indonesian):
    policy = BookingPolicy(max_reschedules=times)
    now = dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)

    with translation.override("en"):
        assert str(reschedule_refusal(_Booking(), policy, now).message) == english
    with translation.override("id"):
        assert str(reschedule_refusal(_Booking(), policy, now).message) == indonesian


@pytest.mark.parametrize(
    ("days", "english"),
    [(1, "Reschedule at least 1 day before the booking."), (3, "Reschedule at least 3 days before the booking.")],
)
def test_the_reschedule_deadline_takes_the_plural_of_english(days, english):
    booking = _Booking()
    booking.reschedule_count = 0
    policy = BookingPolicy(max_reschedules=1, reschedule_deadline_days=days)
    now = dt.datetime(2027, 3, 9, 20, tzinfo=dt.UTC)  # 10 March in Jakarta

    with translation.override("en"):
        assert str(reschedule_refusal(booking, policy, now).message) == english


@pytest.mark.parametrize(
    ("times", "days", "english"),
    [
        (1, 1, "You can reschedule 1 time. Reschedule at the latest 1 day before the booking."),
        (2, 3, "You can reschedule 2 times. Reschedule at the latest 3 days before the booking."),
    ],
)
def test_the_reschedule_rule_on_the_booking_pages_says_times_and_days_in_english(times, days, english):
    policy = BookingPolicy(max_reschedules=times, reschedule_deadline_days=days)

    with translation.override("en"):
        text = render_to_string("citizen/booking/_reschedule_rule.html", {"policy": policy})

    assert " ".join(text.split()) == english
    assert "(s)" not in text
