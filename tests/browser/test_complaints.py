"""Complaints in Chromium: a citizen on a phone files one from a service page, corrects
what the form refuses, gets the code and the deadline, and follows it by code; the
agency's supervisor at a PC sees it in the office list (an overdue one first and
flagged) and answers; the citizen reads the answer. Every new page is audited with
axe-core."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Role
from queueing.floor.tickets import ticket_issue_walk_in
from queueing.models import Complaint, Notification, NotificationEvent
from queueing.office.complaints.services import complaint_file
from tests.factories import AgencyFactory, ServiceFactory, UserFactory
from tests.queueing.conftest import open_around_the_clock

pytestmark = pytest.mark.browser

PASSWORD = "rahasia-uji-2026"
OFFICE_PC = {"viewport": {"width": 1366, "height": 768}, "locale": "id-ID"}


@pytest.fixture
def mall(transactional_db):
    agency = AgencyFactory(code="disdukcapil", name="Dinas Kependudukan dan Pencatatan Sipil", ticket_prefix="B")
    ktp = open_around_the_clock(
        ServiceFactory(agency=agency, code="ktp-el", name="Perekaman KTP Elektronik", walk_in=True)
    )
    UserFactory(username="supervisor-disdukcapil", first_name="Sri", role=Role.SUPERVISOR, agency=agency)
    # An older complaint nobody answered: past its deadline.
    late = complaint_file(
        text="Nomor antrean tidak dipanggil sampai tutup.",
        agency=agency,
        now=timezone.now() - dt.timedelta(days=20),
    )
    return agency, ktp, late


@pytest.fixture
def pc(browser):
    context = browser.new_context(**OFFICE_PC)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_a_citizen_files_a_complaint_and_follows_it_by_code(live_server, phone, pc, check_page, mall):
    agency, ktp, late = mall
    base = live_server.url

    # From the service page to the form, which names the service.
    phone.goto(base + reverse("service", args=[agency.code, ktp.code]))
    phone.get_by_role("link", name="Sampaikan pengaduan atau saran tentang layanan ini").click()
    expect(phone.get_by_role("heading", name="Pengaduan, saran dan masukan", level=1)).to_be_visible()
    expect(phone.get_by_label("Layanan yang dimaksud")).to_have_value(str(ktp.pk))
    expect(phone.get_by_role("link", name="Buka www.lapor.go.id")).to_have_attribute("href", "https://www.lapor.go.id/")
    check_page(phone, "complaint-1-form")

    # A contact without consent, and a text that says nothing: both refused at the field.
    phone.get_by_label("Pengaduan, saran atau masukan").fill("Lama")
    phone.get_by_label("Nomor ponsel").fill("0812 3456 7890")
    phone.get_by_role("button", name="Kirim pengaduan").click()
    expect(phone.locator("#id_text_error")).to_contain_text("paling sedikit 10 karakter")
    expect(phone.locator("#id_consent_error")).to_contain_text("Centang persetujuan")
    expect(phone.get_by_label("Nomor ponsel")).to_have_value("0812 3456 7890")
    check_page(phone, "complaint-2-form-errors")

    text = 'Antrean lama, <script>alert("x")</script> petugas tidak ada di loket.'
    phone.get_by_label("Pengaduan, saran atau masukan").fill(text)
    phone.locator("label[for=id_consent]").click()
    phone.get_by_role("button", name="Kirim pengaduan").click()
    expect(phone.get_by_role("heading", name="Kode pengaduan")).to_be_visible()
    complaint = Complaint.objects.exclude(pk=late.pk).get()
    expect(phone.locator(".ticket__code")).to_have_text(complaint.display_code)
    expect(phone.get_by_text("Pengaduan Anda diterima")).to_be_visible()
    expect(phone.locator(".complaint__text")).to_have_text(text)  # shown as text, not run
    expect(phone.get_by_text("+62812•••••890")).to_be_visible()
    assert "0812 3456 7890" not in phone.content() and "+6281234567890" not in phone.content()
    check_page(phone, "complaint-3-page")

    # Later, by the code as typed from the SMS or paper: lower case, no dashes.
    phone.goto(base + reverse("complaint-lookup"))
    check_page(phone, "complaint-4-lookup")
    phone.get_by_label("Kode pengaduan").fill("bukan kode")
    phone.get_by_role("button", name="Buka pengaduan").click()
    expect(phone.locator("#id_kode_error")).to_contain_text("12 huruf dan angka")
    phone.get_by_label("Kode pengaduan").fill(complaint.code.lower())
    phone.get_by_role("button", name="Buka pengaduan").click()
    expect(phone.locator(".ticket__code")).to_have_text(complaint.display_code)
    expect(phone.get_by_text("Belum ada tanggapan")).to_be_visible()

    # The supervisor: the overdue one first and flagged, then the new one.
    pc.goto(base + reverse("office-complaints"))
    pc.get_by_label("Nama pengguna").fill("supervisor-disdukcapil")
    pc.get_by_label("Kata sandi").fill(PASSWORD)
    pc.get_by_role("button", name="Masuk", exact=True).click()
    expect(pc.get_by_role("heading", name="Pengaduan, saran dan masukan", level=1)).to_be_visible()
    rows = pc.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Terlambat")
    expect(rows.nth(0)).to_contain_text("Nomor antrean tidak dipanggil")
    expect(rows.nth(1)).not_to_contain_text("Terlambat")
    check_page(pc, "complaint-5-office-list")

    rows.nth(1).get_by_role("link", name=str(complaint.pk)).click()
    expect(pc.get_by_role("heading", name=f"Pengaduan No. {complaint.pk}", level=1)).to_be_visible()
    check_page(pc, "complaint-6-office-complaint")
    pc.get_by_role("button", name="Simpan dan kirim tanggapan").click()  # nothing written yet
    expect(pc.locator("#id_answer_error")).to_contain_text("Tulis tanggapan")
    pc.get_by_label("Tanggapan untuk warga").fill("Mohon maaf. Loket KTP-el kini dijaga dua petugas.")
    pc.get_by_label("Dijawab").check()
    pc.get_by_role("button", name="Simpan dan kirim tanggapan").click()
    expect(pc.get_by_text("Tanggapan tersimpan")).to_be_visible()
    expect(pc.locator(".complaint-acts")).to_contain_text("Sri")
    check_page(pc, "complaint-7-office-answered")

    # The citizen reads the answer; their phone got it too (the outbox).
    phone.reload()
    expect(phone.locator(".status")).to_contain_text("Dijawab")
    expect(phone.locator(".complaint-answers")).to_contain_text("Loket KTP-el kini dijaga dua petugas.")
    check_page(phone, "complaint-8-answered")
    assert Notification.objects.filter(event=NotificationEvent.COMPLAINT_ANSWERED, recipient="+6281234567890").exists()


def test_the_ticket_page_leads_to_a_complaint_about_the_visit(live_server, phone, check_page, mall):
    _agency, ktp, _late = mall
    ticket = ticket_issue_walk_in(service=ktp)
    phone.goto(live_server.url + reverse("citizen-ticket", args=[ticket.code]))
    phone.get_by_role("link", name="Ada keluhan atau saran tentang kunjungan ini? Sampaikan pengaduan").click()
    expect(phone.get_by_label("Kode tiket antrean")).to_have_value(ticket.code)
    phone.get_by_label("Pengaduan, saran atau masukan").fill("Menunggu dua jam tanpa kepastian.")
    phone.get_by_role("button", name="Kirim pengaduan").click()
    expect(phone.get_by_role("heading", name="Kode pengaduan")).to_be_visible()
    assert Complaint.objects.get(ticket=ticket).service_id == ktp.pk
    check_page(phone, "complaint-9-from-ticket")


def test_an_unknown_code_is_the_lookup_page_with_the_reason(live_server, phone, check_page, mall):
    answer = phone.goto(live_server.url + "/pengaduan/ABCD-EFGH-JKMN/")
    assert answer.status == 404
    expect(phone.locator("#id_kode_error")).to_contain_text("Tidak ada pengaduan dengan kode ini")
    check_page(phone, "complaint-10-unknown")
