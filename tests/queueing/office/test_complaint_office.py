"""The office's complaint pages (/kantor/pengaduan/): the list with the overdue ones first
and flagged, a supervisor's view of their own agency only, answering and routing."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from queueing.models import Complaint, ComplaintActKind, ComplaintStatus, Notification, NotificationEvent
from queueing.office.complaints.services import complaint_answer, complaint_file

pytestmark = pytest.mark.django_db

LIST = reverse("office-complaints")


def signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def body(answer) -> str:
    return answer.content.decode()


def listed(answer) -> list[int]:
    """The complaints' numbers in the list's order."""
    return [int(n) for n in re.findall(r'<a href="/kantor/pengaduan/(\d+)/">', body(answer))]


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


@pytest.fixture
def complaints(disdukcapil, samsat, alice):
    """Disdukcapil's: one overdue, one due later, one answered; Samsat's overdue one; one
    not routed yet (overdue)."""
    late = complaint_file(text="Terlambat sekali", agency=disdukcapil, now=days_ago(20))
    later = complaint_file(text="Baru saja masuk", agency=disdukcapil)
    answered = complaint_file(text="Sudah dijawab", agency=disdukcapil, now=days_ago(30))
    complaint_answer(staff=alice, complaint=answered, answer="Sudah.", status=ComplaintStatus.ANSWERED)
    theirs = complaint_file(text="Pengaduan Samsat", agency=samsat, now=days_ago(10))
    unrouted = complaint_file(text="Tentang parkir mal", now=days_ago(15))
    return {"late": late, "later": later, "answered": answered, "theirs": theirs, "unrouted": unrouted}


def test_a_supervisor_lists_their_agencys_complaints_overdue_first(complaints, alice):
    page = signed_in(alice).get(LIST)
    assert page.status_code == 200
    c = complaints
    assert listed(page) == [c["late"].pk, c["later"].pk, c["answered"].pk]
    assert body(page).count('class="overdue-flag"') == 1
    assert "Pengaduan Samsat" not in body(page) and "Tentang parkir mal" not in body(page)


def test_an_administrator_lists_every_complaint_and_those_not_routed(complaints, admin_user):
    client = signed_in(admin_user)
    c = complaints
    page = client.get(LIST)
    # The overdue ones by deadline, oldest first; then the one awaiting; then the answered.
    assert listed(page) == [c["late"].pk, c["unrouted"].pk, c["theirs"].pk, c["later"].pk, c["answered"].pk]
    assert body(page).count('class="overdue-flag"') == 3
    assert "3 pengaduan melewati batas tanggapan pertama" in body(page)
    assert listed(client.get(LIST, {"agency": "none"})) == [c["unrouted"].pk]
    assert listed(client.get(LIST, {"overdue": "1"})) == [c["late"].pk, c["unrouted"].pk, c["theirs"].pk]
    assert listed(client.get(LIST, {"status": "dijawab"})) == [c["answered"].pk]
    assert listed(client.get(LIST, {"kode": c["theirs"].display_code.lower()})) == [c["theirs"].pk]


@pytest.mark.parametrize(
    "query",
    [
        {"agency": "99999999999999999999"},
        {"agency": "abc"},
        {"status": "<script>"},
        {"page": "-1"},
        {"page": "999999"},
        {"kode": "x" * 10_000},
        {"overdue": "\x00"},
    ],
)
def test_garbage_filters_are_ignored_never_an_error(complaints, admin_user, query):
    page = signed_in(admin_user).get(LIST, query)
    assert page.status_code == 200
    assert "<script>" not in body(page)


def test_a_supervisor_filtering_by_another_agency_still_sees_only_their_own(complaints, alice, samsat):
    page = signed_in(alice).get(LIST, {"agency": samsat.pk})
    assert complaints["theirs"].pk not in listed(page)


def test_another_agencys_complaint_is_a_403_everywhere(complaints, carol):
    client = signed_in(carol)
    complaint = complaints["late"]
    assert client.get(reverse("office-complaint", args=[complaint.pk])).status_code == 403
    refused = client.post(
        reverse("office-complaint-answer", args=[complaint.pk]), {"answer": "Bukan urusan saya", "status": "dijawab"}
    )
    assert refused.status_code == 403
    assert client.get(reverse("office-complaint", args=[complaints["unrouted"].pk])).status_code == 403
    assert not complaint.acts.filter(kind=ComplaintActKind.ANSWERED).exists()


def test_an_unknown_complaint_is_a_404(admin_user):
    client = signed_in(admin_user)
    assert client.get(reverse("office-complaint", args=[4242])).status_code == 404
    assert client.get("/kantor/pengaduan/99999999999999999999/").status_code == 404


def test_the_complaint_page_shows_the_contact_masked(disdukcapil, alice):
    complaint = complaint_file(
        text="Tolong hubungi saya", agency=disdukcapil, name="Siti Rahmawati", phone="081234567890", consent=True
    )
    page = body(signed_in(alice).get(reverse("office-complaint", args=[complaint.pk])))
    assert "Tolong hubungi saya" in page
    assert "Siti Rahmawati" not in page and "+6281234567890" not in page
    assert "S••• R••••••••" in page and "+62812•••••890" in page


def test_a_supervisor_answers_and_the_history_says_who_and_when(disdukcapil, alice):
    complaint = complaint_file(text="Loket tutup lebih awal", agency=disdukcapil, phone="081234567890", consent=True)
    client = signed_in(alice)
    answer = client.post(
        reverse("office-complaint-answer", args=[complaint.pk]),
        {"answer": "Mohon maaf, jam loket sudah kami perbaiki.", "status": "selesai"},
    )
    assert answer.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.status, complaint.responded_at is not None, complaint.closed_at is not None) == (
        ComplaintStatus.CLOSED,
        True,
        True,
    )
    page = body(client.get(answer["Location"]))
    assert "Tanggapan tersimpan" in page
    assert "alice" in page and "Mohon maaf, jam loket sudah kami perbaiki." in page
    assert Notification.objects.filter(event=NotificationEvent.COMPLAINT_ANSWERED).count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"answer": "", "status": "dijawab"}, "answer", "Tulis tanggapan"),
        ({"answer": "x" * 50_000, "status": "dijawab"}, "answer", "Paling banyak 4000 karakter"),
        ({"answer": "Ok", "status": "baru"}, "status", "dari daftar"),
        ({"answer": "Ok", "status": "<script>"}, "status", "dari daftar"),
        ({"answer": "Ok\x00", "status": "dijawab"}, "answer", "Null"),
    ],
)
def test_a_bad_answer_is_refused_at_its_field_and_kept(disdukcapil, alice, data, field, message):
    complaint = complaint_file(text="Pengaduan", agency=disdukcapil)
    answer = signed_in(alice).post(reverse("office-complaint-answer", args=[complaint.pk]), data)
    assert answer.status_code == 400
    error = re.search(rf'id="id_{field}_error">(.*?)</p>', body(answer), re.S)
    assert error and message.lower() in error.group(1).lower()
    if field == "status":
        assert ">\nOk</textarea>" in body(answer)
    complaint.refresh_from_db()
    assert complaint.responded_at is None


def test_dpmptsp_routes_a_complaint_and_the_supervisor_then_sees_it(disdukcapil, ktp, admin_user, alice):
    complaint = complaint_file(text="Tentang e-KTP")
    assert signed_in(alice).get(reverse("office-complaint", args=[complaint.pk])).status_code == 403
    client = signed_in(admin_user)
    routed = client.post(
        reverse("office-complaint-route", args=[complaint.pk]),
        {"route_agency": disdukcapil.pk, "route_service": ktp.pk},
    )
    assert routed.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.agency_id, complaint.service_id) == (disdukcapil.pk, ktp.pk)
    assert signed_in(alice).get(reverse("office-complaint", args=[complaint.pk])).status_code == 200
    assert complaint.pk in listed(signed_in(alice).get(LIST))


def test_only_administrators_route(disdukcapil, samsat, alice):
    complaint = complaint_file(text="Pengaduan", agency=disdukcapil)
    refused = signed_in(alice).post(reverse("office-complaint-route", args=[complaint.pk]), {"route_agency": samsat.pk})
    assert refused.status_code == 403
    complaint.refresh_from_db()
    assert complaint.agency_id == disdukcapil.pk


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"route_agency": ""}, "route_agency"),
        ({"route_agency": "99999999999999999999"}, "route_agency"),
        ({"route_agency": "abc"}, "route_agency"),
        ({"route_agency": "AGENCY", "route_service": "SERVICE_B"}, "route_service"),
    ],
)
def test_a_bad_routing_is_refused_at_its_field(disdukcapil, samsat, ktp, admin_user, data, field):
    data = {k: {"AGENCY": str(samsat.pk), "SERVICE_B": str(ktp.pk)}.get(v, v) for k, v in data.items()}
    complaint = complaint_file(text="Pengaduan")
    answer = signed_in(admin_user).post(reverse("office-complaint-route", args=[complaint.pk]), data)
    assert answer.status_code == 400
    assert re.search(rf'id="id_{field}_error"', body(answer))
    complaint.refresh_from_db()
    assert complaint.agency_id is None


def test_the_office_navigation_names_the_complaints(admin_user):
    page = body(signed_in(admin_user).get(reverse("office-home")))
    assert f'<a href="{LIST}">Pengaduan</a>' in page


def test_an_erased_complaint_shows_no_text_and_takes_no_answer(disdukcapil, alice):
    from queueing.office.complaints.services import complaints_erase_personal_data

    complaint = complaint_file(text="Data lama", agency=disdukcapil, now=days_ago(800))
    complaints_erase_personal_data(days_ago(365))
    client = signed_in(alice)
    page = body(client.get(reverse("office-complaint", args=[complaint.pk])))
    assert "Isi pengaduan sudah dihapus" in page and "Tanggapi</h2>" not in page
    refused = client.post(
        reverse("office-complaint-answer", args=[complaint.pk]), {"answer": "Ok", "status": "dijawab"}
    )
    assert refused.status_code == 409
    assert Complaint.objects.get(pk=complaint.pk).responded_at is None
