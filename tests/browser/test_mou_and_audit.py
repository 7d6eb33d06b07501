"""The MoU register and the audit log in Chromium: a supervisor reads their agency's
MoU register on a phone and opens the signed PDF (another agency's supervisor gets
403); an administrator changes an agency in the administration, then finds the change
with its values before and after in the audit log. Each page is audited with axe-core."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import AuditEntry, Role
from tests.browser.conftest import admin_signed_in
from tests.factories import AdminFactory, AgencyFactory, AgreementFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "rahasia-uji-2026"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def mall(transactional_db):
    today = timezone.localdate()
    disdukcapil = AgencyFactory(code="disdukcapil", name="Dinas Kependudukan dan Pencatatan Sipil", ticket_prefix="B")
    samsat = AgencyFactory(code="samsat", name="Samsat", ticket_prefix="S")
    mou = AgreementFactory(
        agency=disdukcapil,
        number="800/12-DPMPTSP/2021",
        scope="Layanan administrasi kependudukan di MPP",
        valid_from=today - dt.timedelta(days=1800),
        valid_until=today + dt.timedelta(days=30),
    )
    mou.document.save("mou.pdf", ContentFile(PDF))
    AgreementFactory(
        agency=samsat, valid_from=today - dt.timedelta(days=1900), valid_until=today - dt.timedelta(days=5)
    )
    UserFactory(username="supervisor-disdukcapil", role=Role.SUPERVISOR, agency=disdukcapil)
    UserFactory(username="supervisor-samsat", role=Role.SUPERVISOR, agency=samsat)
    AdminFactory(username="admin")
    return {"disdukcapil": disdukcapil, "samsat": samsat, "mou": mou}


def sign_in(page, base_url: str, username: str, next_url: str) -> None:
    page.goto(base_url + next_url)
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()


def test_a_supervisor_reads_the_mou_register_and_opens_the_signed_pdf(live_server, phone, check_page, mall):
    sign_in(phone, live_server.url, "supervisor-disdukcapil", reverse("office-mou"))

    expect(phone.get_by_role("heading", name="MoU instansi mitra", level=1)).to_be_visible()
    row = phone.locator(".mou-card", has_text="Dinas Kependudukan")
    expect(row.locator(".mou-flag--expiring")).to_have_text("Segera berakhir")
    expect(row).to_contain_text("30 hari lagi")
    expect(phone.locator(".mou-card", has_text="Samsat")).to_have_count(0)
    check_page(phone, "mou-register-supervisor")

    link = row.get_by_role("link", name="PDF MoU 800/12-DPMPTSP/2021")
    answer = phone.request.get(live_server.url + link.get_attribute("href"))
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.body() == PDF


def test_another_agencys_supervisor_gets_403_for_the_pdf(live_server, phone, mall):
    sign_in(phone, live_server.url, "supervisor-samsat", reverse("office-mou"))
    expect(phone.get_by_role("heading", name="MoU instansi mitra", level=1)).to_be_visible()
    answer = phone.request.get(live_server.url + reverse("agreement-document", args=[mall["mou"].pk]))
    assert answer.status == 403
    assert PDF not in answer.body()


def test_an_administrator_sees_every_agency_flagged_on_a_desktop(live_server, browser, check_page, mall):
    context, page = admin_signed_in(browser, live_server, "admin")
    try:
        page.goto(live_server.url + reverse("office-mou"))
        expect(page.locator(".mou-card", has_text="Samsat").locator(".mou-flag--expired")).to_have_text(
            "Sudah berakhir"
        )
        check_page(page, "mou-register-admin")
        page.get_by_label("Status MoU").select_option("expired")
        page.get_by_role("button", name="Tampilkan").click()
        expect(page.locator(".mou-card")).to_have_count(1)
    finally:
        context.close()


def test_an_administrator_finds_a_change_in_the_audit_log(live_server, browser, check_page, mall):
    context, page = admin_signed_in(browser, live_server, "admin")
    try:
        page.goto(live_server.url + reverse("admin:agencies_agency_change", args=[mall["samsat"].pk]))
        page.locator("#id_location").fill("Lantai 1, loket 20")
        page.locator("input[name=_save]").click()
        expect(page.locator(".messagelist")).to_be_visible()

        page.goto(live_server.url + reverse("admin:agencies_auditentry_changelist"))
        expect(page.locator("#result_list")).to_contain_text("Samsat")
        check_page(page, "audit-log-list")

        entry = AuditEntry.objects.get(model="agencies.agency")
        page.goto(live_server.url + reverse("admin:agencies_auditentry_change", args=[entry.pk]))
        expect(page.locator("tr", has_text="lokasi di gedung")).to_contain_text("Lantai 1, loket 20")
        check_page(page, "audit-log-entry")
    finally:
        context.close()


def test_an_administrator_reads_the_ticket_history(live_server, browser, check_page, mall):
    context, page = admin_signed_in(browser, live_server, "admin")
    try:
        page.goto(live_server.url + reverse("admin:queueing_ticketevent_changelist"))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check_page(page, "ticket-history-list")
    finally:
        context.close()
