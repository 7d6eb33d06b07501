"""The citizen's booking pages without JavaScript: day, slot, form, the booking by its
code, its calendar file, cancel and reschedule; every bad input shown at its field."""

import datetime as dt
import logging
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mpp_common.throttling import SwitchableScopedRateThrottle
from queueing.bookings.ics import escape_text, fold
from queueing.bookings.services import BookingBusy, booking_create
from queueing.bookings.slots import slots_for
from queueing.models import Booking, BookingStatus
from services.models import BookingPolicy, ClosureDay
from tests.factories import ServiceFactory
from tests.queueing.conftest import VALID_NIK, at, nik

pytestmark = pytest.mark.django_db

GOOD = {
    "nik": VALID_NIK,
    "name": "Siti Rahmawati",
    "phone": "0812-3456-7890",
    "email": "",
    "language": "id",
    "priority_group": "",
    "channels": ["sms"],
    "consent": "on",
}


# Reading the pages


class Elements(HTMLParser):
    """Each element with an id: its tag, its attributes and its text."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "path"}

    def __init__(self, html: str) -> None:
        super().__init__()
        self.by_id: dict[str, dict] = {}
        self.open: list[dict] = []
        self.links: list[str] = []
        self.inputs: dict[str, dict] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        if "id" in element["attrs"]:
            self.by_id[element["attrs"]["id"]] = element
        if tag == "a" and "href" in element["attrs"]:
            self.links.append(element["attrs"]["href"])
        if tag == "input" and "name" in element["attrs"]:
            self.inputs.setdefault(element["attrs"]["name"], element["attrs"])
        if tag not in self.VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index]["tag"] == tag:
                del self.open[index:]
                break

    def handle_data(self, data):
        for element in self.open:
            element["text"] += data


def page(response) -> Elements:
    return Elements(response.content.decode())


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def days_url(service) -> str:
    return reverse("booking-days", args=[service.agency.code, service.code])


def slots_url(service, day) -> str:
    return reverse("booking-slots", args=[service.agency.code, service.code, day])


def form_url(service, day, hhmm="0900") -> str:
    return reverse("booking-form", args=[service.agency.code, service.code, day, hhmm])


def book(service, start, n=0, **extra) -> Booking:
    values = {"nik": nik(n), "name": f"Warga {n}", "phone": "+6281234567890"} | extra
    return booking_create(service=service, start=start, **values)


@pytest.fixture
def browser():
    """A client that checks CSRF tokens, as a browser's requests are checked."""
    return Client(enforce_csrf_checks=True)


def submit(client, url: str, data: dict | None = None):
    """Open the page, then send its form with the page's CSRF token, as a browser does."""
    token = page(client.get(url)).inputs["csrfmiddlewaretoken"]["value"]
    return client.post(url, (data or {}) | {"csrfmiddlewaretoken": token})


def assert_error_at(response, field: str, message: str) -> None:
    """The message is at its field, the field says so, and the summary links to it."""
    elements = page(response)
    error = elements.by_id[f"id_{field}_error"]
    assert message in error["text"], error["text"]
    anchor = f"id_{field}_0" if field == "channels" else f"id_{field}"
    if field != "channels":
        described = elements.by_id[anchor]["attrs"]
        assert described.get("aria-invalid") == "true"
        assert f"id_{field}_error" in described.get("aria-describedby", "")
    assert f"#{anchor}" in elements.links
    assert "error-summary-title" in elements.by_id


def value_of(response, field: str) -> str | None:
    return page(response).by_id[f"id_{field}"]["attrs"].get("value")


# The path, step by step


def test_the_whole_path_without_javascript(browser, ktp, tomorrow):
    days = browser.get(days_url(ktp))
    assert days.status_code == 200
    assert "KTP-el asli" in text(days)  # what to bring, again
    assert slots_url(ktp, tomorrow) in page(days).links

    slots = browser.get(slots_url(ktp, tomorrow))
    assert slots.status_code == 200
    assert "09.00–09.30" in text(slots)
    assert "5 kursi tersisa" in text(slots)
    assert form_url(ktp, tomorrow) in page(slots).links

    form = browser.get(form_url(ktp, tomorrow))
    assert form.status_code == 200
    fields = page(form).by_id
    assert {"id_nik", "id_name", "id_phone", "id_email", "id_language", "id_priority_group", "id_consent"} <= set(
        fields
    )
    assert "checked" in fields["id_channels_0"]["attrs"]  # SMS by default
    assert "checked" not in fields["id_consent"]["attrs"]
    assert "UU 27/2022" in text(form)
    assert "09.00–09.30" in text(form)

    done = submit(browser, form_url(ktp, tomorrow), GOOD)
    booking = Booking.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("booking-detail", args=[booking.display_code])
    assert booking.start == at(tomorrow, 9)
    assert booking.phone == "+6281234567890"
    assert booking.channels == ["sms"]
    assert booking.consent_at is not None

    mine = browser.get(done["Location"])
    assert mine.status_code == 200
    body = text(mine)
    assert booking.display_code in body
    assert "Pemesanan berhasil" in body
    assert "3674••••••••0001" in body
    assert VALID_NIK not in mine.content.decode()
    assert "09.00–09.30" in body
    assert "Datang 30 menit lebih awal, pukul 08.30." in body
    assert "Terpesan" in body
    assert "Kartu Keluarga" in body
    assert "no-store" in mine["Cache-Control"]


def test_dates_and_times_are_written_the_indonesian_way(browser, ktp):
    day = dt.date(2026, 11, 27)
    booking = Booking.objects.create(
        service=ktp,
        date=day,
        start=at(day, 8, 30),
        end=at(day, 9),
        nik=VALID_NIK,
        name="Siti",
        phone="+6281234567890",
        consent_at=timezone.now(),
    )
    body = text(browser.get(reverse("booking-detail", args=[booking.display_code])))
    assert "Jumat, 27 Nov 2026" in body
    assert "08.30–09.00" in body


def test_priority_group_language_and_email_reach_the_booking(browser, ktp, tomorrow):
    data = GOOD | {
        "email": "siti@example.org",
        "channels": ["email", "whatsapp", "sms"],
        "priority_group": "elderly",
        "language": "en",
    }
    assert submit(browser, form_url(ktp, tomorrow), data).status_code == 302
    booking = Booking.objects.get()
    assert booking.channels == ["sms", "whatsapp", "email"]
    assert (booking.priority_group, booking.language, booking.email) == ("elderly", "en", "siti@example.org")
    body = text(browser.get(reverse("booking-detail", args=[booking.display_code])))
    assert "Lansia (60 tahun ke atas)" in body


# Bad input: at its field, the rest kept


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nik", "12345", "NIK harus 16 digit"),
        ("nik", "36740117089000AB", "NIK hanya berisi angka"),
        ("nik", "3674013208900001", "NIK tidak sah"),  # 32 August
        ("nik", "9974011708900001", "NIK tidak sah"),  # no province 99
        ("nik", "", "Isi NIK Anda"),
        ("name", " ", "Isi nama lengkap Anda"),
        ("phone", "12345", "Nomor ponsel tidak sah"),
        ("phone", "+1 202 555 0100", "Nomor ponsel tidak sah"),
        ("email", "bukan-email", "Alamat email tidak sah"),
        ("consent", None, "Centang persetujuan pemrosesan data pribadi"),
        ("channels", None, "Pilih minimal satu saluran"),
        ("priority_group", "vip", "Pilih kelompok prioritas dari daftar"),
    ],
)
def test_each_bad_input_is_shown_at_its_field_and_the_rest_is_kept(browser, ktp, tomorrow, field, value, message):
    data = {key: val for key, val in GOOD.items() if key != field}
    if value is not None:
        data[field] = value
    answer = submit(browser, form_url(ktp, tomorrow), data)
    assert answer.status_code == 400
    assert_error_at(answer, field, message)
    assert text(answer).startswith("Kesalahan:")  # the page title says so first
    for kept in ("nik", "name", "phone"):
        if kept != field:
            assert value_of(answer, kept) == GOOD[kept]
    assert not Booking.objects.exists()


def test_email_notifications_need_an_email_address(browser, ktp, tomorrow):
    answer = submit(browser, form_url(ktp, tomorrow), GOOD | {"channels": ["sms", "email"]})
    assert answer.status_code == 400
    assert_error_at(answer, "email", "Isi alamat email")
    assert "checked" in page(answer).by_id["id_channels_2"]["attrs"]  # the choice is kept


def test_the_nik_typed_is_kept_in_the_form_after_another_error(browser, ktp, tomorrow):
    answer = submit(browser, form_url(ktp, tomorrow), GOOD | {"phone": "123"})
    assert value_of(answer, "nik") == VALID_NIK
    assert value_of(answer, "name") == "Siti Rahmawati"


def test_a_script_in_the_name_is_shown_as_text(browser, ktp, tomorrow):
    hostile = '<script>alert("x")</script>'
    refused = submit(browser, form_url(ktp, tomorrow), GOOD | {"name": hostile, "consent": ""})
    assert refused.status_code == 400
    assert "<script>alert" not in refused.content.decode()
    assert value_of(refused, "name") == hostile  # the parser unescapes the attribute: it was escaped

    booked = submit(browser, form_url(ktp, tomorrow), GOOD | {"name": hostile})
    assert booked.status_code == 302
    mine = browser.get(booked["Location"])
    assert "<script>alert" not in mine.content.decode()
    assert "&lt;script&gt;alert" in mine.content.decode()


def test_a_megabyte_name_is_refused_at_its_field_and_not_echoed_back(browser, ktp, tomorrow):
    answer = submit(browser, form_url(ktp, tomorrow), GOOD | {"name": "A" * 1_000_000})
    assert answer.status_code == 400
    assert_error_at(answer, "name", "Nama paling banyak 100 karakter")
    assert len(answer.content) < 100_000


@pytest.mark.parametrize(
    "garbage",
    [
        {"nik": "\x00" * 16},
        {"name": "Siti\x00Rahma"},
        {"phone": "\x00\x01"},
        {"email": "a@b\x00.id"},
        {"language": "xx"},
        {"channels": ["fax"]},
        {"nik": "٣٦٧٤٠١١٧٠٨٩٠٠٠٠١"},  # Arabic-Indic digits
        {"name": "\u202eSiti"},
    ],
)
def test_garbage_is_refused_without_a_server_error(browser, ktp, tomorrow, garbage):
    answer = submit(browser, form_url(ktp, tomorrow), GOOD | garbage)
    assert answer.status_code == 400
    assert "error-summary-title" in page(answer).by_id
    assert not Booking.objects.exists()


def test_the_form_needs_its_csrf_token(browser, ktp, tomorrow):
    assert browser.post(form_url(ktp, tomorrow), GOOD).status_code == 403
    assert not Booking.objects.exists()


# Refusals of the booking rules


def test_a_full_slot_is_not_offered_and_a_late_conflict_is_shown_at_the_top(browser, ktp, tomorrow):
    form = browser.get(form_url(ktp, tomorrow))  # the citizen opens the form: seats are free
    assert form.status_code == 200
    for n in range(2, 7):  # nik(1) is VALID_NIK
        book(ktp, at(tomorrow, 9), n)

    slots = browser.get(slots_url(ktp, tomorrow))
    assert form_url(ktp, tomorrow) not in page(slots).links
    assert "Penuh" in text(slots)

    answer = submit(browser, form_url(ktp, tomorrow), GOOD)
    assert answer.status_code == 409
    assert "Slot ini sudah penuh" in text(answer)
    assert slots_url(ktp, tomorrow) in page(answer).links  # a way to another slot
    assert value_of(answer, "name") == "Siti Rahmawati"
    assert Booking.objects.filter(nik=VALID_NIK).count() == 0

    reopened = browser.get(form_url(ktp, tomorrow))
    assert reopened.status_code == 409
    assert "Jam ini sudah penuh" in text(reopened)
    assert "id_nik" not in page(reopened).by_id


def test_a_second_booking_for_the_same_day_is_a_conflict_at_the_top(browser, ktp, tomorrow):
    book(ktp, at(tomorrow, 8), nik=VALID_NIK)
    answer = submit(browser, form_url(ktp, tomorrow, "1000"), GOOD)
    assert answer.status_code == 409
    assert "sudah memiliki pemesanan aktif" in text(answer)
    assert reverse("booking-lookup") in page(answer).links
    assert value_of(answer, "phone") == GOOD["phone"]


def test_a_slot_that_does_not_exist_is_refused_at_the_chosen_slot(browser, ktp, tomorrow):
    url = form_url(ktp, tomorrow, "0915")
    assert browser.get(url).status_code == 404
    answer = submit(browser, url, GOOD)
    assert answer.status_code == 400
    assert "Tidak ada slot pada jam itu" in page(answer).by_id["slot"]["text"]
    assert "#slot" in page(answer).links
    assert value_of(answer, "name") == "Siti Rahmawati"


def test_a_busy_system_asks_to_try_again_and_keeps_the_input(browser, ktp, tomorrow, monkeypatch):
    def busy(**kwargs):
        raise BookingBusy()

    monkeypatch.setattr("queueing.bookings.views.booking_create", busy)
    answer = submit(browser, form_url(ktp, tomorrow), GOOD)
    assert answer.status_code == 503
    assert answer["Retry-After"] == "1"
    assert "Sistem sedang sibuk" in text(answer)
    assert value_of(answer, "name") == "Siti Rahmawati"
    assert value_of(answer, "nik") == VALID_NIK


def test_too_many_bookings_from_one_address_are_slowed_down(browser, ktp, tomorrow, monkeypatch):
    monkeypatch.setattr(SwitchableScopedRateThrottle, "THROTTLE_RATES", {"booking": "1/hour"})
    assert submit(browser, form_url(ktp, tomorrow), GOOD).status_code == 302
    again = submit(browser, form_url(ktp, tomorrow, "1000"), GOOD | {"nik": nik(7)})
    assert again.status_code == 429
    assert "Coba lagi nanti" in text(again)
    assert value_of(again, "nik") == nik(7)


# The days and slots offered


def test_a_closed_day_has_no_slots_and_is_not_a_link(browser, ktp, tomorrow):
    ClosureDay.objects.create(date=tomorrow, name="Cuti bersama")
    days = browser.get(days_url(ktp))
    assert slots_url(ktp, tomorrow) not in page(days).links
    assert "Tutup" in text(days)

    slots = browser.get(slots_url(ktp, tomorrow))
    assert slots.status_code == 200
    assert not [link for link in page(slots).links if "/pesan/" in link and link.count("/") > 7]
    assert "Tidak ada jam yang dapat dipesan" in text(slots)
    assert days_url(ktp) in page(slots).links


def test_a_full_day_is_marked_full_and_not_a_link(browser, ktp, tomorrow):
    ktp.daily_quota, ktp.walk_in_reserve, ktp.priority_reserve = 2, 0, 0
    ktp.save()
    book(ktp, at(tomorrow, 8), 2)
    book(ktp, at(tomorrow, 9), 3)
    days = browser.get(days_url(ktp))
    assert slots_url(ktp, tomorrow) not in page(days).links
    assert slots_url(ktp, tomorrow + dt.timedelta(days=1)) in page(days).links
    assert "Penuh" in text(days)


def test_a_service_without_online_booking_explains_how_to_come(browser, disdukcapil):
    walk_in = ServiceFactory(agency=disdukcapil, code="legalisir", online_booking=False, walk_in=True)
    answer = browser.get(days_url(walk_in))
    assert answer.status_code == 200
    assert "Datang langsung" in text(answer)
    assert "Pilih hari" not in text(answer)

    external = ServiceFactory(
        agency=disdukcapil, code="paspor", online_booking=False, external_booking_url="https://example.org/m-paspor"
    )
    answer = browser.get(days_url(external))
    assert "https://example.org/m-paspor" in page(answer).links
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert browser.get(slots_url(external, tomorrow))["Location"] == days_url(external)
    assert browser.get(form_url(external, tomorrow))["Location"] == days_url(external)


@pytest.mark.parametrize("tail", ["2026-02-30/", "2026-13-01/0900/", "2026-11-27/2460/", "2026-11-27/0099/"])
def test_impossible_dates_and_times_are_a_page_not_found_with_a_way_on(browser, ktp, tail):
    answer = browser.get(days_url(ktp) + tail)
    assert answer.status_code == 404
    assert reverse("home") in page(answer).links


@pytest.mark.parametrize("tail", ["9999-12-31/2359/", "9999-12-31/", "0001-01-01/0000/", "0001-01-01/"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_ends_of_the_calendar_are_a_page_not_found(ktp, tail, method):
    answer = getattr(Client(raise_request_exception=False), method)(days_url(ktp) + tail)
    assert answer.status_code == (405 if method == "post" and tail.count("/") == 1 else 404)
    if answer.status_code == 404:
        assert reverse("home") in page(answer).links


@pytest.mark.parametrize(
    "tail", ["9999-12-31/2359/", "9999-12-31/", "0001-01-01/0000/", "2026-02-30/", "2026-11-27/2460/"]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_reschedule_to_an_impossible_or_unreachable_time_is_a_page_not_found(ktp, tomorrow, tail, method):
    booking = book(ktp, at(tomorrow, 9), nik=VALID_NIK)
    url = reverse("booking-reschedule", args=[booking.display_code]) + tail
    answer = getattr(Client(raise_request_exception=False), method)(url)
    assert answer.status_code == (405 if method == "post" and tail.count("/") == 1 else 404)
    booking.refresh_from_db()
    assert (booking.start, booking.reschedule_count) == (at(tomorrow, 9), 0)


def test_an_unknown_service_is_not_found(browser, db):
    answer = browser.get(reverse("booking-days", args=["tidak-ada", "apa-pun"]))
    assert answer.status_code == 404


# The booking, by its code


@pytest.fixture
def booking(ktp, tomorrow):
    later = tomorrow + dt.timedelta(days=3)
    return book(ktp, at(later, 8), nik=VALID_NIK, name="Siti Rahmawati")


def test_the_booking_page_shows_a_qr_code_of_its_own_address(browser, booking):
    mine = browser.get(reverse("booking-detail", args=[booking.display_code]))
    svg = re.search(r"<svg[^>]*>.*?</svg>", mine.content.decode(), re.S)
    assert svg is not None
    assert 'role="img"' in svg.group(0)
    assert f"<title>Kode QR pemesanan {booking.display_code}</title>" in svg.group(0)
    assert "<path" in svg.group(0)
    assert reverse("booking-ics", args=[booking.display_code]) in page(mine).links


def test_the_calendar_file_is_valid_icalendar(browser, booking):
    answer = browser.get(reverse("booking-ics", args=[booking.display_code]))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/calendar; charset=utf-8"
    assert answer["Content-Disposition"] == f'attachment; filename="mpp-{booking.display_code}.ics"'
    assert "no-store" in answer["Cache-Control"]
    body = answer.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VEVENT\r\nEND:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")  # CRLF only
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    unfolded = body.replace("\r\n ", "")
    start_utc = booking.start.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"\r\nDTSTART:{start_utc}\r\n" in unfolded
    assert re.search(r"\r\nDTEND:\d{8}T\d{6}Z\r\n", unfolded)
    assert re.search(r"\r\nDTSTAMP:\d{8}T\d{6}Z\r\n", unfolded)
    assert f"\r\nUID:{booking.code}@mpp\r\n" in unfolded
    assert "\r\nLOCATION:MPP Kota Tangerang Selatan\\, Jl. Raya Serpong KM 16\r\n" in unfolded
    assert booking.display_code in unfolded.split("DESCRIPTION:")[1]
    assert "SUMMARY:Penerbitan KTP-el (Dinas Kependudukan dan Pencatatan Sipil)" in unfolded
    assert VALID_NIK not in body
    assert body.count("BEGIN:VEVENT") == body.count("END:VEVENT") == 1


def test_calendar_text_is_escaped_and_long_lines_folded_between_characters():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "Penerbitan ké " * 20
    folded = fold(line)
    assert all(len(piece.encode()) <= 75 for piece in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_the_code_is_found_however_it_is_typed(browser, booking):
    typed = booking.display_code.lower().replace("-", " ").replace("0", "o")
    answer = browser.get(reverse("booking-lookup"), {"kode": typed})
    assert answer.status_code == 302
    assert answer["Location"] == reverse("booking-detail", args=[booking.display_code])
    sloppy = browser.get(reverse("booking-detail", args=[booking.code.lower()]))
    assert sloppy["Location"] == reverse("booking-detail", args=[booking.display_code])


def test_a_wrong_code_gets_a_clear_message_and_the_form_again(browser, db):
    blank = browser.get(reverse("booking-lookup"))
    assert blank.status_code == 200
    assert "id_kode" in page(blank).by_id

    unknown = browser.get(reverse("booking-lookup"), {"kode": "ZZZZ-ZZZZ-ZZZZ"})
    assert unknown.status_code == 400
    assert_error_at(unknown, "kode", "Tidak ada pemesanan dengan kode ini")
    assert value_of(unknown, "kode") == "ZZZZ-ZZZZ-ZZZZ"

    short = browser.get(reverse("booking-lookup"), {"kode": "<b>abc</b>"})
    assert_error_at(short, "kode", "12 huruf dan angka")
    assert "<b>abc" not in short.content.decode()

    by_address = browser.get(reverse("booking-detail", args=["ZZZZ-ZZZZ-ZZZZ"]))
    assert by_address.status_code == 404
    assert_error_at(by_address, "kode", "Tidak ada pemesanan dengan kode ini")


@pytest.mark.parametrize("junk", ["%00", "%3Cscript%3E", "x" * 300, "%E2%80%AE", "abcd-efgh-jkmn-"])
def test_junk_in_the_booking_address_is_an_unknown_code(browser, db, junk):
    for tail in (
        "",
        "kalender.ics",
        "batal/",
        "jadwal-ulang/",
        "jadwal-ulang/2026-11-27/",
        "jadwal-ulang/2026-11-27/0900/",
    ):
        answer = browser.get(f"/pemesanan/{junk}/{tail}")
        assert answer.status_code == 404
        assert "id_kode" in page(answer).by_id


def test_cancelling_asks_first_then_frees_the_seat(browser, booking):
    slot_day, start = booking.date, booking.start
    seats = next(s.available for s in slots_for(booking.service, slot_day) if s.start == start)
    url = reverse("booking-cancel", args=[booking.display_code])

    confirm = browser.get(url)
    assert confirm.status_code == 200
    assert "Batalkan pemesanan?" in text(confirm)
    assert Booking.objects.get().status == BookingStatus.BOOKED  # a GET changes nothing

    assert browser.post(url).status_code == 403  # no CSRF token
    done = submit(browser, url)
    assert done.status_code == 302
    assert done["Location"] == reverse("booking-detail", args=[booking.display_code])
    assert Booking.objects.get().status == BookingStatus.CANCELLED
    assert next(s.available for s in slots_for(booking.service, slot_day) if s.start == start) == seats + 1

    mine = text(browser.get(done["Location"]))
    assert "Dibatalkan" in mine
    assert "Pemesanan dibatalkan" in mine
    assert "Batalkan pemesanan" not in mine
    assert "<svg" not in mine  # no QR code to show at the counter
    assert days_url(booking.service) in page(browser.get(done["Location"])).links  # book again
    calendar = browser.get(reverse("booking-ics", args=[booking.display_code])).content.decode()
    assert "\r\nSTATUS:CANCELLED\r\n" in calendar
    assert "\r\nSEQUENCE:1\r\n" in calendar

    again = browser.post(url, {"csrfmiddlewaretoken": browser.cookies["csrftoken"].value})
    assert again.status_code == 409
    assert "tidak dapat dibatalkan lagi" in text(again)


def test_reschedule_works_once_then_refuses_with_the_policy_message(browser, booking):
    day = booking.date
    days = browser.get(reverse("booking-reschedule", args=[booking.display_code]))
    slots_link = reverse("booking-reschedule-slots", args=[booking.display_code, day])
    assert slots_link in page(days).links

    slots = browser.get(slots_link)
    assert "Jadwal Anda sekarang" in text(slots)  # the current slot, not offered
    current = reverse("booking-reschedule-confirm", args=[booking.display_code, day, "0800"])
    target = reverse("booking-reschedule-confirm", args=[booking.display_code, day, "1000"])
    assert current not in page(slots).links
    assert target in page(slots).links

    confirm = browser.get(target)
    assert "10.00–10.30" in text(confirm)
    assert Booking.objects.get().start == booking.start  # a GET changes nothing

    moved = submit(browser, target)
    assert moved.status_code == 302
    assert Booking.objects.get().start == at(day, 10)
    assert "10.00–10.30" in text(browser.get(moved["Location"]))

    refused = submit(browser, reverse("booking-reschedule-confirm", args=[booking.display_code, day, "1100"]))
    assert refused.status_code == 409
    assert "hanya dapat dijadwalkan ulang 1 kali" in text(refused)
    assert "Ya, pindahkan" not in text(refused)  # nothing to press again
    assert reverse("booking-detail", args=[booking.display_code]) in page(refused).links
    assert Booking.objects.get().start == at(day, 10)


def test_past_the_deadline_the_pages_say_so_before_a_new_slot_is_chosen(browser, booking):
    policy = BookingPolicy.current()
    policy.reschedule_deadline_days = 30
    policy.save()
    mine = browser.get(reverse("booking-detail", args=[booking.display_code]))
    assert "Jadwal ulang paling lambat 30 hari sebelum jadwal" in text(mine)
    assert reverse("booking-reschedule", args=[booking.display_code]) not in page(mine).links
    assert reverse("booking-cancel", args=[booking.display_code]) in page(mine).links  # still cancellable
    days = browser.get(reverse("booking-reschedule", args=[booking.display_code]))
    assert "Jadwal ulang paling lambat 30 hari sebelum jadwal" in text(days)
    assert not [link for link in page(days).links if "/jadwal-ulang/" in link]  # no day to pick
    slots = browser.get(reverse("booking-reschedule-slots", args=[booking.display_code, booking.date]))
    assert "Jadwal ulang paling lambat 30 hari" in text(slots)
    assert not [link for link in page(slots).links if "/jadwal-ulang/" in link]
    target = reverse("booking-reschedule-confirm", args=[booking.display_code, booking.date, "1000"])
    assert "Ya, pindahkan" not in text(browser.get(target))
    refused = submit(browser, target)
    assert refused.status_code == 409
    assert text(refused).count("Jadwal ulang paling lambat 30 hari sebelum jadwal") == 1
    assert Booking.objects.get().start == booking.start


def test_a_cancelled_booking_cannot_be_rescheduled(browser, booking):
    submit(browser, reverse("booking-cancel", args=[booking.display_code]))
    answer = browser.get(reverse("booking-reschedule", args=[booking.display_code]))
    assert "tidak dapat dijadwalkan ulang" in text(answer)
    refused = submit(browser, reverse("booking-reschedule-confirm", args=[booking.display_code, booking.date, "1000"]))
    assert refused.status_code == 409
    assert "tidak dapat dijadwalkan ulang" in text(refused)
    assert Booking.objects.get().status == BookingStatus.CANCELLED


def test_booking_pages_are_never_stored_by_caches(browser, booking, ktp, tomorrow):
    code = booking.display_code
    for url in [
        reverse("booking-detail", args=[code]),
        reverse("booking-cancel", args=[code]),
        reverse("booking-reschedule", args=[code]),
        reverse("booking-ics", args=[code]),
        reverse("booking-lookup"),
        form_url(ktp, tomorrow),
    ]:
        answer = browser.get(url)
        assert "no-store" in answer["Cache-Control"], url


# Personal data


def test_the_nik_is_never_in_a_url_or_the_log(browser, ktp, tomorrow, caplog):
    caplog.set_level(logging.DEBUG)
    urls = []

    def visit(response):
        urls.append(response.request["PATH_INFO"] + "?" + response.request.get("QUERY_STRING", ""))
        if response.has_header("Location"):
            urls.append(response["Location"])
        return response

    visit(browser.get(days_url(ktp)))
    visit(browser.get(slots_url(ktp, tomorrow)))
    visit(submit(browser, form_url(ktp, tomorrow), GOOD | {"phone": "12"}))  # an error first
    done = visit(submit(browser, form_url(ktp, tomorrow), GOOD))
    mine = visit(browser.get(done["Location"]))
    code = Booking.objects.get().display_code
    visit(browser.get(reverse("booking-lookup"), {"kode": code}))
    visit(browser.get(reverse("booking-ics", args=[code])))
    visit(submit(browser, reverse("booking-cancel", args=[code])))
    visit(submit(browser, form_url(ktp, tomorrow), GOOD | {"nik": "3674011708900002", "name": "x" * 200}))

    assert all(VALID_NIK not in url and "3674011708900002" not in url for url in urls), urls
    assert VALID_NIK not in caplog.text
    assert "3674011708900002" not in caplog.text
    assert VALID_NIK not in mine.content.decode()
    assert caplog.records  # the log was captured: the booking was logged, without the NIK


def test_the_calendar_reads_the_seats_of_its_whole_window_at_once(browser, ktp, tomorrow):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_calendar() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert browser.get(days_url(ktp)).status_code == 200
        return len(seen)

    BookingPolicy.objects.update_or_create(pk=1, defaults={"max_days_ahead": 7})
    browser.get(days_url(ktp))  # the schedule's copy and the policy, read once
    week = queries_for_calendar()
    # A full day and a window four times as long cost no more queries.
    for n in range(16):
        book(ktp, at(tomorrow, 8) + dt.timedelta(minutes=30 * (n // 2)), n)
    BookingPolicy.objects.update_or_create(pk=1, defaults={"max_days_ahead": 28})
    browser.get(days_url(ktp))
    assert queries_for_calendar() == week
    assert '<span class="day__status">Penuh</span>' in browser.get(days_url(ktp)).content.decode()  # tomorrow
