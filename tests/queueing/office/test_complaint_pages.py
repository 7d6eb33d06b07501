"""The citizen's complaint pages without JavaScript: the form reached from a service page
and a ticket page, the complaint by its code; every bad or hostile input shown at its
field with what was typed kept, never a server error."""

import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from mpp_common.throttling import SwitchableScopedRateThrottle
from queueing.floor.tickets import ticket_issue_walk_in
from queueing.models import Complaint, ComplaintStatus, format_code, new_code
from queueing.office.complaints.services import complaint_answer, complaint_file
from tests.factories import ServiceFactory
from tests.queueing.conftest import open_around_the_clock

pytestmark = pytest.mark.django_db

TEXT = "Antrean di loket 3 sangat lama dan tidak ada petugas informasi."
FORM = reverse("complaint-form")


@pytest.fixture
def browser():
    return Client(raise_request_exception=False)


def body(answer) -> str:
    return answer.content.decode()


def field_error(answer, name: str) -> str:
    """The error shown at a field (its paragraph's text), or ""."""
    found = re.search(rf'<p class="field__error" id="id_{name}_error">(.*?)</p>', body(answer), re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else ""


def textarea(answer, name: str) -> str:
    found = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', body(answer), re.S)
    return found.group(1) if found else ""


def value_of(answer, name: str) -> str:
    found = re.search(rf'<input type="[a-z]+" name="{name}" value="([^"]*)"', body(answer))
    return found.group(1) if found else ""


def selected(answer, name: str) -> str:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', body(answer), re.S).group(1)
    found = re.search(r'<option value="([^"]*)" selected>', select)
    return found.group(1) if found else ""


# The way in


def test_the_service_page_links_to_the_form_with_its_service(browser, ktp, disdukcapil):
    page = browser.get(reverse("service", args=[disdukcapil.code, ktp.code]))
    link = f"{FORM}?layanan={ktp.pk}"
    assert link in body(page)
    form = browser.get(link)
    assert form.status_code == 200
    assert selected(form, "service") == str(ktp.pk)
    assert selected(form, "agency") == str(disdukcapil.pk)
    assert "https://www.lapor.go.id/" in body(form)


def test_the_ticket_page_links_to_the_form_with_its_visit(browser, kk, disdukcapil):
    ticket = ticket_issue_walk_in(service=kk)
    page = browser.get(reverse("citizen-ticket", args=[ticket.code]))
    link = f"{FORM}?tiket={ticket.code}"
    assert link in body(page)
    form = browser.get(link)
    assert value_of(form, "ticket") == ticket.code
    assert (selected(form, "service"), selected(form, "agency")) == (str(kk.pk), str(disdukcapil.pk))


@pytest.mark.parametrize(
    "query", ["?layanan=abc", "?layanan=99999999999999999999", "?tiket=%00%3Cscript%3E", "?tiket=" + "A" * 5000]
)
def test_a_prefill_that_names_nothing_is_left_out(browser, ktp, query):
    form = browser.get(FORM + query)
    assert form.status_code == 200
    assert (selected(form, "service"), value_of(form, "ticket")) == ("", "")


# Filing


def test_an_anonymous_complaint_is_filed_and_followed_by_its_code(browser, ktp, disdukcapil):
    answer = browser.post(FORM, {"text": TEXT, "service": ktp.pk})
    complaint = Complaint.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("complaint-detail", args=[complaint.display_code])
    page = browser.get(answer["Location"])
    assert complaint.display_code in body(page)
    assert "Pengaduan Anda diterima" in body(page)
    assert f"{complaint.respond_by.day} " in body(page)  # "2 Des 2026"-style date of the deadline
    assert TEXT in body(page)
    assert "Belum ada tanggapan" in body(page)
    assert "https://www.lapor.go.id/" in body(page)
    assert (complaint.agency_id, complaint.service_id, complaint.name) == (disdukcapil.pk, ktp.pk, "")


def test_a_contact_is_kept_with_consent_and_shown_masked(browser, ktp):
    data = {"text": TEXT, "name": "Siti Rahmawati", "phone": "0812-3456-7890", "email": "siti@example.org"}
    refused = browser.post(FORM, data)
    assert refused.status_code == 400
    assert "Centang persetujuan" in field_error(refused, "consent")
    assert value_of(refused, "name") == "Siti Rahmawati" and textarea(refused, "text") == TEXT
    assert not Complaint.objects.exists()

    answer = browser.post(FORM, data | {"consent": "on"})
    complaint = Complaint.objects.get()
    assert (complaint.phone, complaint.email) == ("+6281234567890", "siti@example.org")
    page = body(browser.get(answer["Location"]))
    for whole in ("Siti Rahmawati", "+6281234567890", "081234567890", "siti@example.org"):
        assert whole not in page
    assert "S••• R••••••••" in page and "+62812•••••890" in page


def test_the_answer_shows_on_the_complaints_page(browser, disdukcapil, alice):
    complaint = complaint_file(text=TEXT, agency=disdukcapil)
    complaint_answer(
        staff=alice, complaint=complaint, answer="Mohon maaf, <b>loket</b> ditambah.", status=ComplaintStatus.ANSWERED
    )
    page = body(browser.get(reverse("complaint-detail", args=[complaint.display_code])))
    assert "Mohon maaf, &lt;b&gt;loket&lt;/b&gt; ditambah." in page
    assert "Dijawab" in page
    assert "alice" not in page  # the staff member's name stays in the office


def test_a_code_as_people_type_it_leads_to_the_complaint(browser, disdukcapil):
    complaint = complaint_file(text=TEXT)
    typed = complaint.code.lower().replace("0", "o")
    answer = browser.get(reverse("complaint-detail", args=[typed]))
    assert answer.status_code == 302 and answer["Location"].endswith(f"/{complaint.display_code}/")
    found = browser.get(reverse("complaint-lookup"), {"kode": typed})
    assert found.status_code == 302 and found["Location"].endswith(f"/{complaint.display_code}/")


@pytest.mark.parametrize("code", ["ABCD-EFGH-JKMN", "not-a-code", "<script>", "Z" * 300, "%00", "a.b;c"])
def test_an_unknown_or_guessed_code_is_the_same_404(browser, disdukcapil, code):
    complaint_file(text=TEXT)
    answer = browser.get(f"/pengaduan/{code}/")
    assert answer.status_code == 404
    assert "Tidak ada pengaduan dengan kode ini" in body(answer)
    assert "<script>" not in body(answer)


def test_the_lookup_form_says_what_is_wrong_at_the_field(browser, disdukcapil):
    short = browser.get(reverse("complaint-lookup"), {"kode": "ABC"})
    assert short.status_code == 400 and "12 huruf dan angka" in field_error(short, "kode")
    unknown = browser.get(reverse("complaint-lookup"), {"kode": format_code(new_code())})
    assert unknown.status_code == 404 and "Tidak ada pengaduan" in field_error(unknown, "kode")


# Hostile input


def test_a_huge_text_is_refused_at_the_field_and_not_echoed_whole(browser, disdukcapil):
    huge = "x" * 200_000
    answer = browser.post(FORM, {"text": huge, "name": "n" * 10_000})
    assert answer.status_code == 400
    assert "Paling banyak 4000 karakter" in field_error(answer, "text")
    assert "Nama paling banyak 100 karakter" in field_error(answer, "name")
    assert len(textarea(answer, "text")) == 8000  # kept, cut to twice the limit
    assert len(answer.content) < 60_000
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("agency", "abc"),
        ("agency", "99999999999999999999"),
        ("agency", "-1"),
        ("agency", "١٢"),
        ("service", "1e3"),
        ("service", "99999999999999999999"),
        ("service", "<script>"),
    ],
)
def test_garbage_ids_are_refused_at_their_field(browser, disdukcapil, ktp, field, value):
    answer = browser.post(FORM, {"text": TEXT, field: value})
    assert answer.status_code == 400
    assert "dari daftar" in field_error(answer, field)
    assert textarea(answer, "text") == TEXT
    assert not Complaint.objects.exists()


def test_a_ticket_of_another_agency_is_refused_at_the_ticket(browser, kk, samsat):
    ticket = ticket_issue_walk_in(service=kk)
    answer = browser.post(FORM, {"text": TEXT, "agency": samsat.pk, "ticket": ticket.code})
    assert answer.status_code == 400
    assert "bukan kunjungan ke instansi" in field_error(answer, "ticket")
    assert value_of(answer, "ticket") == ticket.code and textarea(answer, "text") == TEXT
    assert selected(answer, "agency") == str(samsat.pk)


@pytest.mark.parametrize("code", ["ABCD-EFGH-JKMN", "ABC", "<b>x</b>"])
def test_an_unknown_ticket_is_refused_at_the_ticket(browser, disdukcapil, code):
    answer = browser.post(FORM, {"text": TEXT, "ticket": code})
    assert answer.status_code == 400
    assert "Tiket" in field_error(answer, "ticket") or "Kode tiket" in field_error(answer, "ticket")
    assert "<b>x</b>" not in body(answer)


def test_a_service_of_another_agency_is_refused_at_the_service(browser, ktp, samsat):
    answer = browser.post(FORM, {"text": TEXT, "agency": samsat.pk, "service": ktp.pk})
    assert answer.status_code == 400
    assert "bukan layanan instansi" in field_error(answer, "service")


def test_html_and_script_in_the_text_are_shown_escaped(browser, disdukcapil, alice, admin_user):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)> "quoted" & more'
    browser.post(FORM, {"text": hostile, "agency": disdukcapil.pk})
    complaint = Complaint.objects.get()
    assert complaint.text == hostile  # stored as written
    page = body(browser.get(reverse("complaint-detail", args=[complaint.display_code])))
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    for person in (alice, admin_user):
        office = Client()
        office.force_login(person)
        for url in (reverse("office-complaints"), reverse("office-complaint", args=[complaint.pk])):
            shown = body(office.get(url))
            assert "<script>alert" not in shown and "&lt;script&gt;" in shown


def test_bad_contact_data_is_refused_at_each_field(browser, disdukcapil):
    data = {"text": TEXT, "name": "\x07bell", "phone": "12345", "email": "not-an-email", "consent": "on"}
    answer = browser.post(FORM, data)
    assert answer.status_code == 400
    assert "tidak sah" in field_error(answer, "name")
    assert "Nomor ponsel tidak sah" in field_error(answer, "phone")
    assert "Alamat email tidak sah" in field_error(answer, "email")
    assert value_of(answer, "phone") == "12345"


def test_a_null_character_is_refused_not_a_server_error(browser, disdukcapil):
    answer = browser.post(FORM, {"text": TEXT + "\x00", "ticket": "\x00"})
    assert answer.status_code == 400
    assert field_error(answer, "text")
    assert not Complaint.objects.exists()


def test_too_many_complaints_from_one_address_are_slowed_down(browser, disdukcapil, monkeypatch):
    monkeypatch.setattr(SwitchableScopedRateThrottle, "THROTTLE_RATES", {"complaint": "1/hour"})
    assert browser.post(FORM, {"text": TEXT}).status_code == 302
    again = browser.post(FORM, {"text": TEXT + " Lagi."})
    assert again.status_code == 429
    assert "Coba lagi nanti" in body(again)
    assert textarea(again, "text") == TEXT + " Lagi."
    assert Complaint.objects.count() == 1


def test_the_pages_speak_english_too(browser, ktp):
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = body(english.get(FORM))
    assert "Complaints, suggestions and feedback" in page
    refused = english.post(FORM, {"text": "short"})
    assert "Write at least 10 characters" in field_error(refused, "text")


def test_no_text_or_contact_reaches_the_log(browser, disdukcapil, caplog):
    caplog.set_level(logging.DEBUG)
    answer = browser.post(
        FORM,
        {"text": "Rahasia pribadi saya", "name": "Siti Rahmawati", "phone": "081234567890", "consent": "on"},
    )
    complaint = Complaint.objects.get()
    browser.get(answer["Location"])
    logged = caplog.text
    for secret in ("Rahasia pribadi", "Siti Rahmawati", "081234567890", "+6281234567890", complaint.code):
        assert secret not in logged


def test_an_inactive_service_is_not_offered(browser, disdukcapil):
    hidden = ServiceFactory(agency=disdukcapil, code="lama", name="Layanan Lama", active=False)
    open_around_the_clock(hidden)
    assert "Layanan Lama" not in body(browser.get(FORM))
    answer = browser.post(FORM, {"text": TEXT, "service": hidden.pk})
    assert answer.status_code == 400 and "dari daftar" in field_error(answer, "service")
