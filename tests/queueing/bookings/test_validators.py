"""What citizens type: NIK and mobile number, with the message code each refusal has."""

import random

import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import nik as stdnum_nik

from queueing.bookings.validators import clean_mobile, clean_nik


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("36740112039900AB", "nik_format"),
        ("3674 0112 0399 00²1", "nik_format"),  # a superscript is no digit of a NIK
        ("٣٦٧٤٠١١٢٠٣٩٩٠٠٠١", "nik_format"),  # Arabic-Indic digits
        ("367401120399000", "nik_length"),
        ("36740112039900011", "nik_length"),
        ("3674013002901234", "nik_invalid"),  # 30 February
        ("3674017203990001", "nik_invalid"),  # day 72 - 40 = 32 March
        ("9974011708900001", "nik_invalid"),  # no province 99
        ("0074011203990001", "nik_invalid"),  # no province 00
    ],
)
def test_a_wrong_nik_is_refused_with_its_reason(raw, code):
    with pytest.raises(ValidationError) as refused:
        clean_nik(raw)
    assert refused.value.code == code


def test_separators_are_dropped_and_a_woman_s_day_plus_forty_is_a_date():
    assert clean_nik(" 3674-0152.0399 0001 ") == "3674015203990001"


def test_clean_nik_accepts_exactly_what_python_stdnum_accepts():
    numbers = ["3674011203990001", "3171014102990001", "1101010101010001"]
    generator = random.Random(2026)
    numbers += ["".join(generator.choice("0123456789") for _ in range(16)) for _ in range(5000)]
    # Valid ones too: a known region, a possible date, any serial.
    numbers += [f"3674{generator.randrange(100):02d}{generator.randrange(1, 72):02d}0799{n:04d}" for n in range(2000)]
    for number in numbers:
        try:
            expected = stdnum_nik.validate(number)
        except StdnumError:
            expected = None
        try:
            got = clean_nik(number)
        except ValidationError:
            got = None
        assert got == expected, number


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0812 3456 7890", "+6281234567890"),
        ("+62 812-3456-7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("08123456789", "+628123456789"),
    ],
)
def test_a_mobile_number_is_stored_in_e164(raw, e164):
    assert clean_mobile(raw) == e164


@pytest.mark.parametrize("raw", ["021 5551234", "0812", "+1 650 253 0000", "<b>0812</b>", "", "0812" * 10])
def test_a_wrong_mobile_number_is_refused(raw):
    with pytest.raises(ValidationError) as refused:
        clean_mobile(raw)
    assert refused.value.code == "phone_invalid"


def test_a_number_written_nationally_is_the_number_its_international_form_names():
    # clean_mobile hands "0…" to phonenumbers as "+62…": the same number, wherever
    # the answer could be a mobile number at all.
    generator = random.Random(62)
    heads = ["08", "0812", "0 8", "0-8", "01", "021", "09", "0857 ", "081."]
    written = [
        head + "".join(generator.choice("0123456789 -.") for _ in range(generator.randint(1, 14)))
        for head in heads
        for _ in range(600)
    ]
    for raw in written:
        digits = "".join(ch for ch in raw if ch.isdigit())

        def parsed(value):
            try:
                number = phonenumbers.parse(value, "ID")
            except phonenumbers.NumberParseException:
                return None
            return number.country_code, number.national_number

        national = parsed(raw)
        # Where the length rule (9 to 12 digits after +62) would not refuse it anyway.
        if national is not None and national[0] == 62 and 9 <= len(str(national[1])) <= 12:
            assert parsed("+62" + digits[1:]) == national, raw
