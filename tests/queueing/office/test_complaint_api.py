"""POST /api/v1/complaints/ and GET /api/v1/complaints/<code>/: the contract's answers,
every bad input a 400 at its field, unknown and guessed codes alike a 404."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from mpp_common.throttling import SwitchableScopedRateThrottle
from queueing.floor.tickets import ticket_issue_walk_in
from queueing.models import Complaint, ComplaintStatus, format_code, new_code
from queueing.office.complaints.services import complaint_answer, complaint_file

pytestmark = pytest.mark.django_db

URL = "/api/v1/complaints/"
TEXT = "Petugas meminta biaya tambahan untuk layanan yang gratis."


@pytest.fixture
def api():
    return APIClient(raise_request_exception=False)


def test_filing_answers_code_status_and_deadline(api, ktp, disdukcapil):
    answer = api.post(URL, {"text": TEXT, "service": ktp.pk}, format="json")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    complaint = Complaint.objects.get()
    assert body == {"code": complaint.display_code, "status": "baru", "respond_by": complaint.respond_by.isoformat()}
    assert complaint.respond_by > dt.date.today() - dt.timedelta(days=1)
    assert (complaint.agency_id, complaint.service_id) == (disdukcapil.pk, ktp.pk)


def test_following_by_code_shows_status_answers_and_deadline_but_no_contact(api, disdukcapil, alice):
    complaint = complaint_file(
        text=TEXT, agency=disdukcapil, name="Siti Rahmawati", phone="081234567890", email="s@example.org", consent=True
    )
    first = api.get(f"{URL}{complaint.code.lower()}/").json()
    assert first["status"] == "baru" and first["answer"] is None and first["answers"] == []
    assert first["respond_by"] == complaint.respond_by.isoformat()
    assert first["overdue"] is False
    complaint_answer(staff=alice, complaint=complaint, answer="Sudah kami tindak.", status=ComplaintStatus.ANSWERED)
    body = api.get(f"{URL}{complaint.display_code}/").json()
    assert (body["status"], body["status_label"], body["answer"]) == ("dijawab", "Dijawab", "Sudah kami tindak.")
    assert body["agency"] == disdukcapil.name and body["service"] is None
    assert body["answered_at"].endswith("+07:00") and body["responded_at"] == body["answered_at"]
    assert [a["status"] for a in body["answers"]] == ["dijawab"]
    flat = str(body)
    for private in ("Siti", "0812", "+62812", "s@example.org", "alice"):
        assert private not in flat


@pytest.mark.parametrize("code", ["ABCD-EFGH-JKMN", "x", "<script>", "Z" * 500, "%00"])
def test_unknown_and_guessed_codes_are_the_same_404(api, disdukcapil, code):
    complaint_file(text=TEXT)
    answer = api.get(f"{URL}{code}/")
    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/json"
    assert answer.json() == api.get(f"{URL}{format_code(new_code())}/").json()


def test_a_contact_is_kept_and_normalised(api, disdukcapil):
    body = {"text": TEXT, "agency": disdukcapil.pk, "name": " Siti  R ", "phone": "0812-3456-7890", "email": "s@x.id"}
    assert api.post(URL, body, format="json").status_code == 201
    complaint = Complaint.objects.get()
    assert (complaint.name, complaint.phone, complaint.email) == ("Siti R", "+6281234567890", "s@x.id")
    assert complaint.consent_at is not None


def test_a_contact_without_consent_is_a_400_at_consent(api, disdukcapil):
    answer = api.post(URL, {"text": TEXT, "phone": "081234567890", "consent": False}, format="json")
    assert answer.status_code == 400
    assert "consent" in answer.json()
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "pendek"}, "text"),
        ({"text": "x" * 100_000}, "text"),
        ({"text": TEXT + "\x00"}, "text"),
        ({"text": ["a", "b"]}, "text"),
        ({"text": TEXT, "agency": "abc"}, "agency"),
        ({"text": TEXT, "agency": 99999999999999999999}, "agency"),
        ({"text": TEXT, "agency": -1}, "agency"),
        ({"text": TEXT, "service": 99999999999999999999}, "service"),
        ({"text": TEXT, "service": {"id": 1}}, "service"),
        ({"text": TEXT, "ticket": "ABC"}, "ticket"),
        ({"text": TEXT, "ticket": "ABCD-EFGH-JKMN"}, "ticket"),
        ({"text": TEXT, "ticket": "T" * 10_000}, "ticket"),
        ({"text": TEXT, "name": "\x07bell"}, "name"),
        ({"text": TEXT, "phone": "12345"}, "phone"),
        ({"text": TEXT, "email": "not-an-email"}, "email"),
        ({"text": TEXT, "consent": "maybe"}, "consent"),
    ],
)
def test_bad_input_is_a_400_at_its_field(api, disdukcapil, ktp, payload, field):
    answer = api.post(URL, payload, format="json")
    assert answer.status_code == 400, answer.content
    assert field in answer.json()
    assert not Complaint.objects.exists()


def test_a_ticket_of_another_agency_is_a_400_at_the_ticket(api, kk, samsat):
    ticket = ticket_issue_walk_in(service=kk)
    answer = api.post(URL, {"text": TEXT, "agency": samsat.pk, "ticket": ticket.code}, format="json")
    assert answer.status_code == 400
    assert answer.json()["code"] == "ticket_elsewhere" and "ticket" in answer.json()


def test_a_service_of_another_agency_is_a_400_at_the_service(api, ktp, samsat):
    answer = api.post(URL, {"text": TEXT, "agency": samsat.pk, "service": ktp.pk}, format="json")
    assert answer.status_code == 400 and "service" in answer.json()


def test_the_body_must_be_an_object(api, disdukcapil):
    for raw in ("[1, 2]", '"text"', "{", "[" * 10_000 + "]" * 10_000):
        answer = api.post(URL, raw, content_type="application/json")
        assert answer.status_code == 400, raw[:20]


def test_html_is_kept_as_text_and_answered_as_json_text(api, disdukcapil, alice):
    hostile = "<script>alert(1)</script> & <b>tebal</b>"
    code = api.post(URL, {"text": hostile, "agency": disdukcapil.pk}, format="json").json()["code"]
    complaint = Complaint.objects.get()
    assert complaint.text == hostile
    complaint_answer(staff=alice, complaint=complaint, answer="<i>ok</i>", status=ComplaintStatus.ANSWERED)
    answer = api.get(f"{URL}{code}/")
    assert answer["Content-Type"] == "application/json" and answer.json()["answer"] == "<i>ok</i>"


def test_filing_is_throttled_per_address(api, disdukcapil, monkeypatch):
    monkeypatch.setattr(SwitchableScopedRateThrottle, "THROTTLE_RATES", {"complaint": "2/hour"})
    for _ in range(2):
        assert api.post(URL, {"text": TEXT}, format="json").status_code == 201
    assert api.post(URL, {"text": TEXT}, format="json").status_code == 429
    other = APIClient(REMOTE_ADDR="10.1.2.3")
    assert other.post(URL, {"text": TEXT}, format="json").status_code == 201


def test_a_staff_session_changes_nothing(api, disdukcapil, admin_user):
    # Public: no CSRF check for a signed-in browser either, and no staff power.
    api.force_login(admin_user)
    assert api.post(URL, {"text": TEXT}, format="json").status_code == 201
