"""The kiosk without JavaScript (agency, service, priority group, one POST, the ticket
screen), booking check-in, and the citizen's ticket page the receipt's QR code opens."""

import datetime as dt
import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from queueing.floor.tickets import ticket_act, ticket_call_next, ticket_issue_walk_in
from queueing.floor.views import kiosk
from queueing.models import Booking, BookingStatus, Ticket, TicketAction, TicketStatus
from services.models import ClosureDay, OpeningHours
from tests.factories import AgencyFactory, OpeningHoursFactory, ServiceFactory
from tests.queueing.conftest import VALID_NIK

pytestmark = pytest.mark.django_db


# Reading the pages


class Page(HTMLParser):
    """Links by their text, forms with their inputs and buttons, and the page's text."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "path"}

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.forms: list[dict] = []
        self.metas: list[dict] = []
        self._link: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "href" in attrs:
            self._link = {"href": attrs["href"], "text": ""}
        elif tag == "form":
            self.forms.append(
                {"action": attrs.get("action"), "method": attrs.get("method"), "inputs": {}, "buttons": []}
            )
        elif tag == "input" and self.forms and "name" in attrs:
            self.forms[-1]["inputs"][attrs["name"]] = attrs.get("value", "")
        elif tag == "button" and self.forms and "name" in attrs:
            self.forms[-1]["buttons"].append((attrs["name"], attrs.get("value", "")))
        elif tag == "meta":
            self.metas.append(attrs)

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self.links.append((" ".join(self._link["text"].split()), self._link["href"]))
            self._link = None

    def handle_data(self, data):
        if self._link is not None:
            self._link["text"] += data

    def link(self, text: str) -> str:
        """The address of the one link whose text contains ``text``."""
        found = [href for label, href in self.links if text in label]
        assert len(found) == 1, f"{text!r} in {self.links}"
        return unescape(found[0])

    def refresh(self) -> str:
        return next(m["content"] for m in self.metas if m.get("http-equiv") == "refresh")


def page(response) -> Page:
    return Page(response.content.decode())


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def issue_form(response) -> dict:
    """The POST form of the priority page: its one-time token and its choices."""
    form = next(f for f in page(response).forms if "token" in f["inputs"])
    return {"token": form["inputs"]["token"], "choices": [value for _name, value in form["buttons"]]}


@pytest.fixture
def client(kiosk_client):
    """The kiosk, logged in with its session."""
    return kiosk_client


def take_ticket(client, kk, priority: str = "", url: str | None = None):
    url = url or f"/kiosk/instansi/{kk.agency.code}/{kk.code}/"
    token = issue_form(client.get(url))["token"]
    return client.post(url, {"priority": priority, "token": token})


def closed_today(service) -> None:
    """Leave ``service`` opening hours on another weekday only."""
    today = timezone.localdate().weekday()
    OpeningHours.objects.filter(service=service, weekday=today).delete()
    OpeningHoursFactory(service=service, agency=service.agency, weekday=(today + 1) % 7)


def booking_for(service, *, minutes_from_now: int) -> Booking:
    now = timezone.now()
    start = now + dt.timedelta(minutes=minutes_from_now)
    return Booking.objects.create(
        service=service,
        date=timezone.localtime(start).date(),
        start=start,
        end=start + dt.timedelta(minutes=30),
        nik=VALID_NIK,
        name="Siti Rahmawati",
        phone="+6281234567890",
        consent_at=now,
    )


# The path without JavaScript


def test_the_whole_kiosk_path_is_links_and_one_post(client, kk):
    start = client.get("/kiosk/")
    assert start.status_code == 200
    assert start["Cache-Control"].count("no-store") == 1

    services = client.get(page(start).link("Dinas Kependudukan"))
    assert services.status_code == 200
    assert "Buka" in text(services)
    assert "0 orang menunggu" in text(services)

    choose = client.get(page(services).link("Kartu Keluarga"))
    assert choose.status_code == 200
    form = issue_form(choose)
    assert form["choices"] == ["", "elderly", "disability", "pregnant", "small_child"]
    for label in ("Lansia", "Penyandang disabilitas", "Ibu hamil", "Membawa balita"):
        assert label in text(choose)

    issued = client.post(choose.request["PATH_INFO"], {"priority": "elderly", "token": form["token"]})
    ticket = Ticket.objects.get()
    assert issued.status_code == 302
    assert issued["Location"] == f"/kiosk/tiket/{ticket.code}/"
    assert (ticket.display_number, ticket.priority_group, ticket.service) == ("B-001", "elderly", kk)

    screen = client.get(issued["Location"])
    assert screen.status_code == 200
    words = text(screen)
    assert "B-001" in words
    assert "Kartu Keluarga" in words
    assert "Dinas Kependudukan dan Pencatatan Sipil" in words
    assert "Tidak ada orang di depan Anda" in words
    assert "Pantau antrean Anda di ponsel" in words
    assert f"pukul {timezone.localtime(ticket.issued_at):%H.%M}" in words
    html = screen.content.decode()
    assert "<svg" in html and 'class="qr"' in html
    assert "Antrean prioritas" in words  # the group itself is not printed
    assert "Lansia" not in words
    # Back to the start by itself after 20 seconds, with no script.
    assert page(screen).refresh() == "20;url=/kiosk/?ulang=1"
    assert "data-autoprint" not in html


def test_the_qr_code_holds_the_absolute_address_of_the_ticket_page(client, kk):
    import segno

    location = take_ticket(client, kk)["Location"]
    ticket = Ticket.objects.get()
    screen = client.get(location)
    expected = segno.make(f"http://testserver/antrean/{ticket.code}/", error="m").svg_inline(
        scale=4, omitsize=True, svgclass="qr", lineclass=None
    )
    path_data = re.search(r' d="([^"]+)"', expected).group(1)
    assert path_data in screen.content.decode()


def test_people_ahead_at_issue_time_are_on_the_ticket(client, kk):
    ticket_issue_walk_in(service=kk)
    ticket_issue_walk_in(service=kk)
    screen = client.get(take_ticket(client, kk)["Location"])
    assert "2 orang di depan Anda" in text(screen)
    assert "B-003" in text(screen)


def test_waiting_counts_and_open_state_on_the_service_list(client, kk, disdukcapil):
    closed = ServiceFactory(agency=disdukcapil, code="akta", name="Akta Kelahiran")
    closed_today(closed)
    ServiceFactory(agency=disdukcapil, code="online-saja", name="Hanya Daring", walk_in=False)
    ticket_issue_walk_in(service=kk)
    ticket_issue_walk_in(service=kk)
    services = client.get("/kiosk/instansi/disdukcapil/")
    words = text(services)
    assert "Kartu Keluarga Buka 2 orang menunggu" in words
    assert "Akta Kelahiran Tutup" in words
    assert "Hanya Daring" not in words


def test_the_service_list_reads_every_services_quota_at_once(client, kk, disdukcapil, django_assert_max_num_queries):
    def open_service(code: str, quota: int):
        service = ServiceFactory(agency=disdukcapil, code=code, name=f"Layanan {code}", daily_quota=quota)
        for weekday in range(7):
            OpeningHoursFactory(
                service=service, agency=disdukcapil, weekday=weekday, opens=dt.time(0), closes=dt.time.max
            )
        return service

    used_up = open_service("habis", 1)
    ticket_issue_walk_in(service=used_up)
    client.get("/kiosk/instansi/disdukcapil/")  # sessions, caches
    with CaptureQueriesContext(connection) as two_services:
        words = text(client.get("/kiosk/instansi/disdukcapil/"))
    queries_for_two = len(two_services)  # now: each request clears the connection's log
    assert "Layanan habis Kuota hari ini habis" in words
    assert "Kartu Keluarga Buka" in words
    for n in range(4):
        open_service(f"lain-{n}", 10)
    client.get("/kiosk/instansi/disdukcapil/")  # each new service's schedule, read once per process
    with django_assert_max_num_queries(queries_for_two):
        words = text(client.get("/kiosk/instansi/disdukcapil/"))
    assert words.count(" Buka ") >= 5


def test_the_start_lists_only_agencies_that_take_walk_ins(client, kk, samsat):
    ServiceFactory(agency=samsat, walk_in=False)
    AgencyFactory(code="kosong", name="Instansi Tanpa Layanan")
    words = text(client.get("/kiosk/"))
    assert "Dinas Kependudukan dan Pencatatan Sipil" in words
    assert "Samsat" not in words
    assert "Instansi Tanpa Layanan" not in words
    assert "Check-in pemesanan" in words


ID_DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


def test_the_start_says_which_agencies_are_closed_and_when_they_open(client, kk, samsat):
    today = timezone.localdate()
    later = today + dt.timedelta(days=3)
    pkb = ServiceFactory(agency=samsat, name="Pajak Kendaraan")
    OpeningHoursFactory(service=pkb, agency=samsat, weekday=later.weekday(), opens=dt.time(8), closes=dt.time(12))
    ClosureDay.objects.create(date=later - dt.timedelta(days=7), agency=samsat, name="Tidak berlaku")
    never = AgencyFactory(code="bpn", name="Kantor Pertanahan")
    ServiceFactory(agency=never, name="Pengukuran")

    start = page(client.get("/kiosk/"))

    open_link = next(label for label, _href in start.links if "Kependudukan" in label)
    closed_link = next(label for label, _href in start.links if "Samsat" in label)
    never_link = next(label for label, _href in start.links if "Pertanahan" in label)
    assert "Buka" in open_link and "Tutup" not in open_link
    assert "Tutup" in closed_link
    assert f"buka {ID_DAYS[later.weekday()]}, {later.day} " in closed_link and "08.00" in closed_link
    assert "Tutup belum ada jadwal buka" in never_link


def test_an_agency_closed_for_a_day_shows_its_next_opening_after_the_closure(client, samsat):
    today = timezone.localdate()
    pkb = ServiceFactory(agency=samsat, name="Pajak Kendaraan")
    for weekday in range(7):
        OpeningHoursFactory(service=pkb, agency=samsat, weekday=weekday, opens=dt.time(0), closes=dt.time.max)
    ClosureDay.objects.create(date=today, agency=samsat, name="Rapat kerja")

    start = page(client.get("/kiosk/"))

    closed_link = next(label for label, _href in start.links if "Samsat" in label)
    assert "Tutup" in closed_link and "buka besok" in closed_link and "00.00" in closed_link


# Post/Redirect/Get and double sending


def test_reloading_the_ticket_screen_issues_nothing(client, kk):
    location = take_ticket(client, kk)["Location"]
    for _ in range(3):
        assert client.get(location).status_code == 200
    assert Ticket.objects.count() == 1


def test_the_same_form_sent_twice_issues_one_ticket(client, kk):
    url = f"/kiosk/instansi/disdukcapil/{kk.code}/"
    token = issue_form(client.get(url))["token"]
    first = client.post(url, {"priority": "", "token": token})
    second = client.post(url, {"priority": "", "token": token})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Ticket.objects.count() == 1
    # A new visit to the page is a new form: the next person gets their own ticket.
    assert take_ticket(client, kk)["Location"] != first["Location"]
    assert Ticket.objects.count() == 2


def test_a_second_sending_while_the_first_is_at_work_is_told_to_wait(client, kk, monkeypatch):
    monkeypatch.setattr(kiosk, "FORM_WAIT_SECONDS", 0.2)
    url = f"/kiosk/instansi/disdukcapil/{kk.code}/"
    token = issue_form(client.get(url))["token"]
    cache.set(f"kiosk:form:{token}", kiosk.PENDING, 60)
    answer = client.post(url, {"priority": "", "token": token})
    assert answer.status_code == 409
    assert "sedang diproses" in text(answer)
    assert Ticket.objects.count() == 0


def test_a_refused_form_can_be_sent_again(client, kk):
    url = f"/kiosk/instansi/disdukcapil/{kk.code}/"
    token = issue_form(client.get(url))["token"]
    kk.daily_quota, kk.priority_reserve = 1, 1
    kk.save()
    assert client.post(url, {"priority": "", "token": token}).status_code == 409
    assert client.post(url, {"priority": "elderly", "token": token}).status_code == 302
    assert Ticket.objects.count() == 1


def test_issuing_needs_the_csrf_token(kk, kiosk):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(kiosk)
    answer = strict.post(f"/kiosk/instansi/disdukcapil/{kk.code}/", {"priority": ""})
    assert answer.status_code == 403
    assert Ticket.objects.count() == 0


def test_the_form_carries_a_csrf_token(client, kk):
    form = next(f for f in page(client.get(f"/kiosk/instansi/disdukcapil/{kk.code}/")).forms if "token" in f["inputs"])
    assert form["method"] == "post"
    assert form["inputs"]["csrfmiddlewaretoken"]


# Closed and full


def test_a_closed_service_says_so_in_both_languages(client, kk):
    closed_today(kk)
    url = f"/kiosk/instansi/disdukcapil/{kk.code}/"
    answer = client.get(url)
    assert answer.status_code == 409
    words = text(answer)
    assert "Layanan sedang tutup." in words
    assert "The service is closed now." in words
    assert "Jam layanan hari ini / Today's hours : tutup / closed" in words
    assert page(answer).link("Kembali") == "/kiosk/instansi/disdukcapil/"
    assert client.post(url, {"priority": ""}).status_code == 409
    assert Ticket.objects.count() == 0


def test_a_closure_day_closes_the_kiosk_too(client, kk, disdukcapil):
    ClosureDay.objects.create(date=timezone.localdate(), name="Cuti bersama", agency=disdukcapil)
    assert "The service is closed now." in text(client.get(f"/kiosk/instansi/disdukcapil/{kk.code}/"))


def test_the_closed_message_stays_bilingual_on_an_english_screen(client, kk):
    closed_today(kk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    words = text(client.get(f"/kiosk/instansi/disdukcapil/{kk.code}/"))
    assert "Layanan sedang tutup." in words
    assert "The service is closed now." in words


def test_a_full_quota_offers_what_is_left_then_says_so(client, kk):
    kk.daily_quota, kk.priority_reserve = 2, 1
    kk.save()
    url = f"/kiosk/instansi/disdukcapil/{kk.code}/"
    assert take_ticket(client, kk).status_code == 302

    # The general queue is used up; the priority reserve is still there.
    only_priority = client.get(url)
    assert issue_form(only_priority)["choices"] == ["elderly", "disability", "pregnant", "small_child"]
    assert "Kuota antrean umum hari ini sudah habis" in text(only_priority)
    refused = client.post(url, {"priority": "", "token": issue_form(only_priority)["token"]})
    assert refused.status_code == 409
    assert "Kuota antrean hari ini sudah habis." in text(refused)
    assert "Today's quota for this service is used up." in text(refused)

    assert take_ticket(client, kk, "pregnant").status_code == 302
    full = client.get(url)
    assert full.status_code == 409
    assert "Today's quota for this service is used up." in text(full)
    assert "Kartu Keluarga Kuota hari ini habis" in text(client.get("/kiosk/instansi/disdukcapil/"))
    assert Ticket.objects.count() == 2


def test_a_booking_only_service_is_not_at_the_kiosk(client, disdukcapil):
    online = ServiceFactory(agency=disdukcapil, walk_in=False)
    answer = client.get(f"/kiosk/instansi/disdukcapil/{online.code}/")
    assert answer.status_code == 404
    assert "This service takes no walk-in tickets at the kiosk." in text(answer)
    assert client.post(f"/kiosk/instansi/disdukcapil/{online.code}/", {"priority": ""}).status_code == 404
    assert Ticket.objects.count() == 0


# Check-in of a booking


def test_check_in_by_booking_code(client, kk):
    booking = booking_for(kk, minutes_from_now=20)
    form = client.get("/kiosk/check-in/")
    assert form.status_code == 200
    token = next(f for f in page(form).forms if "kode" in f["inputs"])["inputs"]["token"]
    answer = client.post("/kiosk/check-in/", {"kode": booking.display_code.lower(), "token": token})
    assert answer.status_code == 302
    ticket = Ticket.objects.get()
    assert answer["Location"] == f"/kiosk/tiket/{ticket.code}/"
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN
    assert ticket.booking == booking

    screen = client.get(answer["Location"])
    words = text(screen)
    assert "B-001" in words and "Kartu Keluarga" in words
    assert "Siti" not in words and VALID_NIK not in words and "812345" not in words

    # The same form again (a double tap) leads to the same ticket.
    again = client.post("/kiosk/check-in/", {"kode": booking.display_code, "token": token})
    assert again["Location"] == answer["Location"]
    assert Ticket.objects.count() == 1


def test_check_in_takes_what_a_scanner_types_from_the_booking_qr_code(client, kk):
    booking = booking_for(kk, minutes_from_now=-5)
    scanned = f"https://mpp.example/pemesanan/{booking.display_code}/"
    assert client.post("/kiosk/check-in/", {"kode": scanned}).status_code == 302
    assert Ticket.objects.get().booking == booking


def test_a_booking_checked_in_already_is_told_so(client, kk):
    booking = booking_for(kk, minutes_from_now=20)
    assert client.post("/kiosk/check-in/", {"kode": booking.code}).status_code == 302
    again = client.post("/kiosk/check-in/", {"kode": booking.code})
    assert again.status_code == 409
    assert "This booking is checked in already." in text(again)
    assert Ticket.objects.count() == 1


def test_check_in_outside_the_window_says_when_it_opens(client, kk):
    booking = booking_for(kk, minutes_from_now=180)
    answer = client.post("/kiosk/check-in/", {"kode": booking.code})
    assert answer.status_code == 409
    opens = timezone.localtime(booking.start - dt.timedelta(minutes=60))
    words = text(answer)
    assert f"Check-in hanya dapat dilakukan pukul {opens:%H.%M}" in words
    assert f"Check-in is open from {opens:%H.%M}" in words
    assert page(answer).link("Kembali") == "/kiosk/check-in/"
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize(
    ("typed", "status", "says"),
    [
        ("", 400, "Scan or type your booking code."),
        ("   ", 400, "Pindai atau ketik kode pemesanan Anda."),
        ("ABCD-EFGH-JKMN", 404, "Kode pemesanan tidak ditemukan."),
        ("ABCD", 404, "Booking code not found."),
        ("<script>alert(1)</script>", 404, "Kode pemesanan tidak ditemukan."),
        ("x" * 100_000, 404, "Kode pemesanan tidak ditemukan."),
        ("\x00\x01💥", 404, "Kode pemesanan tidak ditemukan."),
        ("https://mpp.example/", 404, "Kode pemesanan tidak ditemukan."),
    ],
)
def test_a_bad_booking_code_is_shown_at_the_field(client, kk, typed, status, says):
    answer = client.post("/kiosk/check-in/", {"kode": typed})
    assert answer.status_code == status
    assert says in text(answer)
    assert "<script>alert" not in answer.content.decode()
    assert Ticket.objects.count() == 0


def test_a_cancelled_booking_cannot_check_in(client, kk):
    booking = booking_for(kk, minutes_from_now=20)
    booking.status = BookingStatus.CANCELLED
    booking.save()
    answer = client.post("/kiosk/check-in/", {"kode": booking.code})
    assert answer.status_code == 409
    assert "This booking is not active." in text(answer)


# The kiosk's setup


def test_a_kiosk_of_one_agency_carries_its_setup_along(client, kk):
    start = client.get("/kiosk/?agency=disdukcapil&paper=58&autoprint=1")
    assert start.status_code == 200
    assert "Kartu Keluarga" in text(start)
    assert "Kembali" not in text(start)
    choose_url = page(start).link("Kartu Keluarga")
    assert choose_url == f"/kiosk/instansi/disdukcapil/{kk.code}/?agency=disdukcapil&paper=58&autoprint=1"

    choose = client.get(choose_url)
    assert page(choose).link("Kembali") == "/kiosk/?agency=disdukcapil&paper=58&autoprint=1"
    issued = take_ticket(client, kk, url=choose_url)
    ticket = Ticket.objects.get()
    assert issued["Location"] == f"/kiosk/tiket/{ticket.code}/?agency=disdukcapil&paper=58&autoprint=1"

    screen = client.get(issued["Location"])
    html = screen.content.decode()
    assert 'class="kiosk kiosk--ticket paper-58"' in html
    assert "data-autoprint" in html
    assert page(screen).refresh() == "20;url=/kiosk/?agency=disdukcapil&paper=58&autoprint=1&ulang=1"


@pytest.mark.parametrize(
    "query",
    [
        "?agency=<script>alert(1)</script>",
        "?agency=tidak-ada&paper=999&autoprint=yes",
        "?agency=%00&paper=%00",
        "?agency=" + "a" * 5000,
    ],
)
def test_a_bad_setup_is_ignored(client, kk, query):
    answer = client.get(f"/kiosk/{query}")
    assert answer.status_code == 200
    assert "Dinas Kependudukan dan Pencatatan Sipil" in text(answer)
    assert "<script>alert" not in answer.content.decode()


def test_a_ticket_taken_on_an_english_screen_is_in_english(client, kk):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert take_ticket(client, kk).status_code == 302
    assert Ticket.objects.get().language == "en"


def test_the_next_person_starts_in_the_default_language(client, kk):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    answer = client.get("/kiosk/?agency=disdukcapil&ulang=1")
    assert answer.status_code == 302
    assert answer["Location"] == "/kiosk/?agency=disdukcapil"
    assert answer.cookies[settings.LANGUAGE_COOKIE_NAME]["max-age"] == 0


def test_the_kiosk_pages_refresh_to_the_start_when_left_alone(client, kk):
    choose = client.get(f"/kiosk/instansi/disdukcapil/{kk.code}/")
    html = choose.content.decode()
    assert '<noscript><meta http-equiv="refresh" content="90;url=/kiosk/?ulang=1"></noscript>' in html


# Hostile input on the kiosk


@pytest.mark.parametrize("priority", ["vip", "<script>", "x" * 10_000])
def test_an_unknown_priority_group_issues_nothing(client, kk, priority):
    answer = client.post(f"/kiosk/instansi/disdukcapil/{kk.code}/", {"priority": priority, "token": "t" * 20})
    assert answer.status_code == 400
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/kiosk/instansi/tidak-ada/",
        "/kiosk/instansi/disdukcapil/tidak-ada/",
        "/kiosk/instansi/" + "a" * 3000 + "/",
        "/kiosk/tiket/%3Cscript%3Ealert(1)%3C%2Fscript%3E/",
        "/kiosk/tiket/" + "A" * 10_000 + "/",
        "/kiosk/tiket/%00/",
    ],
)
def test_unknown_kiosk_addresses_are_a_kiosk_page_not_an_error(client, kk, path):
    answer = client.get(path)
    assert answer.status_code == 404
    assert "kiosk-problem" in answer.content.decode()
    assert "<script>alert" not in answer.content.decode()


def test_a_flood_of_posts_is_slowed_down(client, kk, monkeypatch):
    monkeypatch.setattr(kiosk, "_rate_limited", lambda request: True)
    answer = client.post(f"/kiosk/instansi/disdukcapil/{kk.code}/", {"priority": ""})
    assert answer.status_code == 429
    assert "Too many requests" in text(answer)
    assert client.post("/kiosk/check-in/", {"kode": "x"}).status_code == 429
    assert Ticket.objects.count() == 0


# The citizen's ticket page


def test_the_ticket_page_shows_people_ahead_then_the_counter(client, kk, counter, bob):
    first = ticket_issue_walk_in(service=kk)
    second = ticket_issue_walk_in(service=kk)
    third = ticket_issue_walk_in(service=kk)

    waiting = client.get(f"/antrean/{third.code}/")
    assert waiting.status_code == 200
    assert "no-store" in waiting["Cache-Control"]
    words = text(waiting)
    assert "B-003" in words
    assert "Kartu Keluarga" in words and "Dinas Kependudukan dan Pencatatan Sipil" in words
    assert "Status: Menunggu" in words
    assert "Orang di depan Anda 2" in words
    assert "Perkiraan waktu tunggu ± 20 menit" in words
    assert "Perkiraan dihitung dari lama pelayanan rata-rata" in words
    assert '<noscript><meta http-equiv="refresh" content="30"></noscript>' in waiting.content.decode()

    ticket_call_next(counter=counter, officer=bob)
    called = text(client.get(f"/antrean/{first.code}/"))
    assert "Status: Dipanggil" in called
    assert "Silakan ke loket 3" in called
    assert "Orang di depan" in called  # in the page for the script, hidden while called
    assert "Orang di depan Anda 1" in text(client.get(f"/antrean/{third.code}/"))
    assert "Orang di depan Anda 0 Perkiraan waktu tunggu Segera; Anda berikutnya" in text(
        client.get(f"/antrean/{second.code}/")
    )


def test_the_ticket_page_says_when_a_ticket_was_transferred_then_done(client, kk, counter, bob, disdukcapil):
    akta = ServiceFactory(agency=disdukcapil, name="Akta Kelahiran")
    akta.counters.add(counter)
    ticket = ticket_issue_walk_in(service=kk)
    ticket_call_next(counter=counter, officer=bob)
    ticket_act(ticket=ticket, action=TicketAction.TRANSFERRED, officer=bob, service=akta)
    moved = text(client.get(f"/antrean/{ticket.code}/"))
    assert "Dialihkan ke layanan Akta Kelahiran. Menunggu dipanggil." in moved

    ticket_call_next(counter=counter, officer=bob)
    ticket_act(ticket=ticket, action=TicketAction.STARTED, officer=bob)
    serving = client.get(f"/antrean/{ticket.code}/")
    assert "Sedang dilayani di loket 3" in text(serving)
    ticket_act(ticket=ticket, action=TicketAction.COMPLETED, officer=bob)
    done = client.get(f"/antrean/{ticket.code}/")
    assert "Selesai. Terima kasih" in text(done)
    # A finished ticket no longer refreshes or polls.
    assert "refresh" not in done.content.decode()
    assert "<script" not in done.content.decode().split('id="ticket-texts"')[1]


def test_the_ticket_page_shows_no_personal_data(client, kk):
    booking = booking_for(kk, minutes_from_now=10)
    client.post("/kiosk/check-in/", {"kode": booking.code})
    ticket = Ticket.objects.get()
    html = client.get(f"/antrean/{ticket.code}/").content.decode()
    for personal in ("Siti", "Rahmawati", VALID_NIK, "+6281234567890", booking.code):
        assert personal not in html


def test_the_ticket_page_gives_the_script_what_it_needs(client, kk):
    ticket = ticket_issue_walk_in(service=kk)
    html = client.get(f"/antrean/{ticket.code}/").content.decode()
    assert f'data-api="/api/v1/tickets/{ticket.code}/"' in html
    assert 'id="ticket-texts"' in html
    assert "Silakan ke loket %(counter)s" in unescape(html)
    assert "Beri tahu saya" in html
    assert "Koneksi terputus" in html


def test_a_typed_code_in_lower_case_finds_the_ticket(client, kk):
    ticket = ticket_issue_walk_in(service=kk)
    answer = client.get(f"/antrean/{ticket.code.lower()}/")
    assert answer.status_code == 302
    assert answer["Location"] == f"/antrean/{ticket.code}/"


@pytest.mark.parametrize(
    "code",
    ["TIDAKADA1234", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "A" * 10_000, "%00", "%F0%9F%92%A5"],
)
def test_an_unknown_ticket_is_the_portals_not_found_page(client, kk, code):
    answer = client.get(f"/antrean/{code}/")
    assert answer.status_code == 404
    assert "Halaman tidak ditemukan" in text(answer)
    assert "<script>alert" not in answer.content.decode()


def test_an_expired_ticket_says_to_take_a_new_number(client, kk):
    ticket = ticket_issue_walk_in(service=kk)
    Ticket.objects.filter(pk=ticket.pk).update(status=TicketStatus.EXPIRED)
    assert "Silakan ambil nomor baru" in text(client.get(f"/antrean/{ticket.code}/"))
