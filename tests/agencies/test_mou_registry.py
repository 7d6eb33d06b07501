"""The MoU registry: the signed document is read only by DPMPTSP's administrators and
the agency's own supervisor, through a view that checks the login (no media URL serves
it); uploads are PDFs by content and within the size limit; the lists flag MoUs that
ended or end within 90 days."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django.views.static import serve

from agencies.models import Agency, Agreement, MouStatus, Role
from agencies.views import download_name
from tests.factories import AgencyFactory, AgreementFactory, UserFactory

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf_upload(name: str = "mou.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def mou(disdukcapil):
    agreement = AgreementFactory(agency=disdukcapil, number="800/12-DPMPTSP/2021", valid_until=dt.date(2026, 3, 4))
    agreement.document.save("ditandatangani.pdf", ContentFile(PDF))
    return agreement


def document_url(agreement: Agreement) -> str:
    return reverse("agreement-document", args=[agreement.pk])


# Who reads the signed document ----------------------------------------------------------


def test_an_administrator_reads_the_document_inline_with_its_name(client, admin_user, mou):
    client.force_login(admin_user)

    response = client.get(document_url(mou))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="MoU-disdukcapil-800-12-DPMPTSP-2021.pdf"'
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "X-Accel-Redirect" not in response


def test_the_agencys_own_supervisor_reads_it(client, alice, mou):
    client.force_login(alice)
    assert client.get(document_url(mou)).status_code == 200


@pytest.mark.parametrize("who", ["carol", "bob", "help_desk", "kiosk"])
def test_anyone_else_signed_in_gets_403(client, request, mou, who):
    user = UserFactory(role=Role.HELP_DESK, agency=None) if who == "help_desk" else request.getfixturevalue(who)
    client.force_login(user)

    response = client.get(document_url(mou))

    assert response.status_code == 403
    assert PDF not in response.content


def test_an_anonymous_caller_is_sent_to_the_staff_login(client, mou):
    response = client.get(document_url(mou))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("officer-login"))


def test_an_inactive_administrator_is_sent_to_the_login(client, admin_user, mou):
    admin_user.is_active = False
    admin_user.save()
    client.force_login(admin_user)
    # An inactive account is not signed in at all: to the login.
    assert client.get(document_url(mou)).status_code == 302


def test_an_mou_without_a_document_or_with_its_file_gone_is_not_found(client, admin_user, mou, disdukcapil):
    client.force_login(admin_user)
    bare = AgreementFactory(agency=disdukcapil)
    assert client.get(document_url(bare)).status_code == 404
    mou.document.storage.delete(mou.document.name)
    assert client.get(document_url(mou)).status_code == 404
    assert client.get(reverse("agreement-document", args=[999999])).status_code == 404


def test_behind_a_proxy_the_file_is_handed_to_its_internal_location(client, admin_user, mou, settings):
    settings.MEDIA_INTERNAL_LOCATION = "/internal-media/"
    client.force_login(admin_user)

    response = client.get(document_url(mou))

    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"] == f"/internal-media/{mou.document.name}"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename=")


def test_behind_a_proxy_the_others_still_get_403(client, carol, mou, settings):
    settings.MEDIA_INTERNAL_LOCATION = "/internal-media/"
    client.force_login(carol)
    response = client.get(document_url(mou))
    assert response.status_code == 403
    assert "X-Accel-Redirect" not in response


def test_a_post_is_refused(client, admin_user, mou):
    client.force_login(admin_user)
    assert client.post(document_url(mou)).status_code == 405


def test_the_download_name_keeps_only_safe_characters(disdukcapil):
    odd = Agreement(agency=disdukcapil, number='../"x"\r\nSet-Cookie: a=b', pk=7)
    assert download_name(odd) == "MoU-disdukcapil-x-Set-Cookie-a-b.pdf"
    assert download_name(Agreement(agency=disdukcapil, number="///", pk=7)) == "MoU-disdukcapil-7.pdf"


# No media URL -------------------------------------------------------------------------------


def _patterns(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern


def test_no_url_pattern_serves_media(mou):
    assert not [p for p in _patterns(get_resolver().url_patterns) if p.callback is serve]
    with pytest.raises(Resolver404):
        resolve(f"/media/{mou.document.name}")


def test_the_media_address_of_a_document_is_not_found_even_for_an_administrator(client, admin_user, mou):
    client.force_login(admin_user)
    assert client.get(f"/media/{mou.document.name}").status_code == 404


def test_the_documents_address_is_its_view_not_media(mou, settings):
    assert mou.document.url == document_url(mou)
    assert not mou.document.url.startswith(settings.MEDIA_URL)


def test_a_document_gets_a_name_of_its_own_not_the_uploaders(mou):
    assert mou.document.name.startswith("mou/disdukcapil/")
    assert "ditandatangani" not in mou.document.name
    assert mou.document.name.endswith(".pdf")


# Uploads --------------------------------------------------------------------------------------


def add_mou(client, agency, document, **fields):
    return client.post(
        reverse("admin:agencies_agreement_add"),
        {
            "agency": agency.pk,
            "number": "MoU/9/2026",
            "signed_on": "2026-03-05",
            "valid_from": "2026-03-05",
            "valid_until": "2031-03-04",
            "scope": "Layanan administrasi kependudukan di MPP",
            "document": document,
        }
        | fields,
    )


def document_errors(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return response.context["adminform"].form.errors["document"]


def test_a_pdf_is_accepted_and_stored(client, admin_user, disdukcapil):
    client.force_login(admin_user)

    response = add_mou(client, disdukcapil, pdf_upload())

    assert response.status_code == 302
    mou = disdukcapil.agreements.get()
    with mou.document.open("rb") as stored:
        assert stored.read() == PDF


def test_a_file_that_is_no_pdf_but_named_so_is_refused_with_a_clear_message(client, admin_user, disdukcapil):
    client.force_login(admin_user)
    word_document = b"PK\x03\x04" + b"\x00" * 200 + b"word/document.xml"

    response = add_mou(client, disdukcapil, pdf_upload("mou-ditandatangani.pdf", word_document))

    assert document_errors(response) == [
        "Berkas ini bukan PDF: isinya tidak berformat PDF walau namanya berakhiran .pdf. "
        "Simpan atau pindai dokumen sebagai PDF, lalu unggah lagi."
    ]
    assert not Agreement.objects.exists()
    # What was typed is kept.
    assert response.context["adminform"].form["number"].value() == "MoU/9/2026"


def test_a_pdf_cut_short_is_refused(client, admin_user, disdukcapil):
    client.force_login(admin_user)
    response = add_mou(client, disdukcapil, pdf_upload(content=PDF[:-8] + b"\x00" * 2000))
    assert "bukan PDF" in document_errors(response)[0]


def test_another_kind_of_file_is_refused_by_its_name(client, admin_user, disdukcapil):
    client.force_login(admin_user)
    response = add_mou(client, disdukcapil, pdf_upload("mou.docx", PDF))
    assert document_errors(response) == ["Dokumen harus berkas PDF (nama berakhiran .pdf)."]


def test_a_huge_file_is_refused_with_the_limit(client, admin_user, disdukcapil, settings):
    client.force_login(admin_user)
    huge = PDF[:-6] + b"0" * (10 * 1024 * 1024) + b"\n%%EOF\n"

    response = add_mou(client, disdukcapil, pdf_upload("besar.pdf", huge))

    assert document_errors(response) == ["Berkas terlalu besar (10,0\xa0MB). Dokumen paling besar 10,0\xa0MB."]
    assert not Agreement.objects.exists()


def test_the_size_limit_is_a_setting(client, admin_user, disdukcapil, settings):
    settings.MOU_DOCUMENT_MAX_MB = 1
    client.force_login(admin_user)
    response = add_mou(client, disdukcapil, pdf_upload(content=PDF[:-6] + b"0" * (1024 * 1024) + b"%%EOF\n"))
    assert "paling besar 1,0\xa0MB" in document_errors(response)[0]


def test_an_empty_file_is_refused(client, admin_user, disdukcapil):
    client.force_login(admin_user)
    response = add_mou(client, disdukcapil, pdf_upload(content=b""))
    assert document_errors(response)


def test_an_mou_ending_before_it_starts_is_refused_with_the_document_kept_out(client, admin_user, disdukcapil):
    client.force_login(admin_user)
    response = add_mou(client, disdukcapil, pdf_upload(), valid_until="2026-03-04")
    assert response.context["adminform"].form.errors["valid_until"]
    assert not Agreement.objects.exists()


def test_saving_an_mou_again_does_not_recheck_its_stored_document(client, admin_user, mou, admin_form_data):
    client.force_login(admin_user)
    url = reverse("admin:agencies_agreement_change", args=[mou.pk])
    data = admin_form_data(client.get(url))
    data.pop("document", None)
    data["scope"] = "Diperluas"
    assert client.post(url, data).status_code == 302
    mou.refresh_from_db()
    assert mou.scope == "Diperluas"


# Expired and expiring MoUs, flagged ---------------------------------------------------------


@pytest.fixture
def registry(db):
    """Agencies in each state, as of today."""
    today = timezone.localdate()
    ended = AgencyFactory(name="Instansi A berakhir")
    AgreementFactory(agency=ended, valid_from=today - dt.timedelta(days=2000), valid_until=today - dt.timedelta(days=3))
    ending = AgencyFactory(name="Instansi B segera")
    AgreementFactory(
        agency=ending, valid_from=today - dt.timedelta(days=1000), valid_until=today + dt.timedelta(days=45)
    )
    renewed = AgencyFactory(name="Instansi C diperpanjang")
    AgreementFactory(
        agency=renewed, valid_from=today - dt.timedelta(days=1000), valid_until=today + dt.timedelta(days=10)
    )
    AgreementFactory(
        agency=renewed, valid_from=today + dt.timedelta(days=11), valid_until=today + dt.timedelta(days=1900)
    )
    open_ended = AgencyFactory(name="Instansi D tanpa batas")
    AgreementFactory(agency=open_ended, valid_from=today - dt.timedelta(days=10), valid_until=None)
    none = AgencyFactory(name="Instansi E tanpa MoU")
    return {"ended": ended, "ending": ending, "renewed": renewed, "open_ended": open_ended, "none": none}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (MouStatus.EXPIRED, {"ended"}),
        (MouStatus.EXPIRING, {"ending"}),
        (MouStatus.NONE, {"none"}),
        (MouStatus.IN_FORCE, {"renewed", "open_ended"}),
    ],
)
def test_agencies_by_the_state_of_their_mous(registry, status, expected):
    names = {key for key, agency in registry.items() if Agency.objects.with_mou_status(status).filter(pk=agency.pk)}
    assert names == expected


def test_an_mou_ending_today_is_expiring_and_yesterday_expired(disdukcapil):
    today = timezone.localdate()
    mou = AgreementFactory(agency=disdukcapil, valid_from=today - dt.timedelta(days=500), valid_until=today)
    assert mou.status(today) == MouStatus.EXPIRING
    assert mou.status(today + dt.timedelta(days=1)) == MouStatus.EXPIRED
    assert mou.status(today - dt.timedelta(days=91)) == MouStatus.IN_FORCE
    assert mou.status(today - dt.timedelta(days=90)) == MouStatus.EXPIRING
    assert mou.status(today - dt.timedelta(days=501)) == MouStatus.UPCOMING


def test_the_agency_list_in_the_administration_flags_ended_and_ending_mous(client, admin_user, registry):
    client.force_login(admin_user)

    page = client.get(reverse("admin:agencies_agency_changelist")).content.decode()

    rows = {key: page[page.index(agency.name) :][:1500] for key, agency in registry.items()}
    assert "⚠ Sudah berakhir" in rows["ended"] and "3 hari lalu" in rows["ended"]
    assert "⚠ Segera berakhir" in rows["ending"] and "45 hari lagi" in rows["ending"]
    assert "⚠" not in rows["renewed"].split("</tr>")[0]
    assert "Tanpa MoU" in rows["none"].split("</tr>")[0]


@pytest.mark.parametrize(("value", "expected"), [("expired", ["ended"]), ("expiring", ["ending"]), ("none", ["none"])])
def test_the_agency_list_filters_by_mou_state(client, admin_user, registry, value, expected):
    client.force_login(admin_user)
    response = client.get(reverse("admin:agencies_agency_changelist"), {"mou": value})
    assert [agency.pk for agency in response.context["cl"].result_list] == [registry[key].pk for key in expected]


def test_the_mou_list_filters_ended_and_ending_ones(client, admin_user, registry):
    client.force_login(admin_user)
    url = reverse("admin:agencies_agreement_changelist")
    expired = client.get(url, {"status": "expired"}).context["cl"].result_list
    expiring = client.get(url, {"status": "expiring"}).context["cl"].result_list
    assert {mou.agency_id for mou in expired} == {registry["ended"].pk}
    assert {mou.agency_id for mou in expiring} == {registry["ending"].pk, registry["renewed"].pk}


# The office's register (/kantor/mou/) ---------------------------------------------------------


def test_the_register_lists_every_agency_most_urgent_first(client, admin_user, registry):
    client.force_login(admin_user)

    response = client.get(reverse("office-mou"))

    assert response.status_code == 200
    order = [row["agency"].pk for row in response.context["rows"]]
    assert order == [registry[key].pk for key in ("ended", "ending", "none", "renewed", "open_ended")]
    assert response.context["counts"] == {"expired": 1, "expiring": 1, "none": 1, "in_force": 2}
    renewed = response.context["rows"][3]
    assert renewed["latest"].valid_until == timezone.localdate() + dt.timedelta(days=1900)
    assert renewed["others"] == 1


def test_the_register_filters_by_state_and_ignores_garbage(client, admin_user, registry):
    client.force_login(admin_user)
    expired = client.get(reverse("office-mou"), {"status": "expired"})
    assert [row["agency"].pk for row in expired.context["rows"]] == [registry["ended"].pk]
    garbage = client.get(reverse("office-mou"), {"status": "<script>" * 500})
    assert garbage.status_code == 200
    assert len(garbage.context["rows"]) == 5


def test_a_supervisor_sees_their_own_agency_only_with_its_document_link(client, alice, carol, mou, disdukcapil):
    client.force_login(alice)

    response = client.get(reverse("office-mou"))

    assert [row["agency"].pk for row in response.context["rows"]] == [disdukcapil.pk]
    assert document_url(mou) in response.content.decode()


def test_the_register_links_the_document_only_through_its_view(client, admin_user, mou, settings):
    client.force_login(admin_user)
    page = client.get(reverse("office-mou")).content.decode()
    assert document_url(mou) in page
    assert settings.MEDIA_URL not in page


def test_the_register_and_the_upload_messages_speak_english_too(client, admin_user, registry):
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("office-mou"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    refused = add_mou(client, registry["none"], pdf_upload(content=b"MZ" + b"\x00" * 100))

    assert "Partner agencies' MoUs" in page and "Ending soon" in page and "45 days left" in page
    assert document_errors(refused) == [
        "This file is not a PDF: its content is not in PDF format although its name ends in .pdf. "
        "Save or scan the document as a PDF, then upload it again."
    ]
