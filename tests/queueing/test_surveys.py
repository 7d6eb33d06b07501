"""The satisfaction survey and the IKM of PermenPAN-RB 14/2017."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from queueing.models import Survey
from queueing.surveys import grade_for, ikm
from queueing.tickets import ticket_act, ticket_call_next, ticket_issue_walk_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(kk, counter, bob):
    ticket_issue_walk_in(service=kk)
    ticket = ticket_call_next(counter=counter, officer=bob)
    ticket_act(ticket=ticket, action="started", officer=bob)
    return ticket_act(ticket=ticket, action="completed", officer=bob)


def test_a_served_visit_answers_the_survey_once(served):
    api = APIClient()
    body = {"ticket": served.code, "answers": [4, 3, 4, 4, 3, 4, 4, 3, 4], "comment": "Cepat."}
    assert api.post("/api/v1/surveys/", body, format="json").status_code == 201
    again = api.post("/api/v1/surveys/", body, format="json")
    assert again.status_code == 409
    assert Survey.objects.get().agency == served.service.agency


def test_a_visit_not_yet_served_cannot_answer(kk):
    ticket = ticket_issue_walk_in(service=kk)
    answer = APIClient().post("/api/v1/surveys/", {"ticket": ticket.code, "answers": [4] * 9}, format="json")
    assert answer.status_code == 409


@pytest.mark.parametrize("answers", [[4] * 8, [4] * 10, [0] + [4] * 8, [5] * 9, ["x"] * 9, "4444"])
def test_bad_answers_are_a_400(served, answers):
    answer = APIClient().post("/api/v1/surveys/", {"ticket": served.code, "answers": answers}, format="json")
    assert answer.status_code == 400


def test_the_survey_page_keeps_answers_and_marks_the_missing_ones(client, served):
    url = f"/survei/{served.code}/"
    assert "Persyaratan" in client.get(url).content.decode()
    partial = client.post(url, {"q1": "4", "q2": "3", "comment": "<script>x</script>"})
    page = partial.content.decode()
    assert partial.status_code == 400
    assert "7 pertanyaan belum dijawab" in page
    assert 'value="4" checked' in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    full = client.post(url, {f"q{n}": "4" for n in range(1, 10)})
    assert full.status_code == 200
    assert Survey.objects.get().answers == [4] * 9


def test_grades_follow_the_rounded_25_to_100_figure():
    assert grade_for(Decimal("88.31")) == ("A", "Sangat baik")
    assert grade_for(Decimal("88.30"))[0] == "B"
    assert grade_for(Decimal("76.61"))[0] == "B"
    assert grade_for(Decimal("76.60"))[0] == "C"
    assert grade_for(Decimal("64.99"))[0] == "D"


def test_ikm_report_uses_exactly_one_ninth(served, client, admin_user):
    # NRR sum 32: with 1/9 the figure is 88.89 (A); the rounded weight 0.11 would give 88.00 (B).
    Survey.objects.create(
        ticket=served, service=served.service, agency=served.service.agency, answers=[4, 4, 4, 4, 3, 3, 3, 3, 4]
    )
    figures = ikm(Survey.objects.all())
    assert figures["respondents"] == 1
    assert figures["nrr"] == [4.0, 4.0, 4.0, 4.0, 3.0, 3.0, 3.0, 3.0, 4.0]
    assert figures["ikm"] == pytest.approx(32 / 9, abs=1e-4)
    assert figures["skm"] == 88.89
    assert figures["grade"] == "A"
    api = APIClient()
    api.force_authenticate(admin_user)
    assert api.get("/api/v1/reports/ikm/").json()["skm"] == 88.89
    assert api.get("/api/v1/reports/ikm/?date_from=2030-01-01").json()["respondents"] == 0
    assert api.get("/api/v1/reports/ikm/?date_from=kemarin").status_code == 400


def test_reports_are_scoped_to_the_users_agency(served, carol, bob):
    Survey.objects.create(ticket=served, service=served.service, agency=served.service.agency, answers=[4] * 9)
    api = APIClient()
    api.force_authenticate(carol)  # Samsat: sees none of Disdukcapil's surveys, even when asking
    assert api.get(f"/api/v1/reports/ikm/?agency={served.service.agency_id}").json()["respondents"] == 0
    api.force_authenticate(bob)
    assert api.get("/api/v1/reports/ikm/").json()["respondents"] == 1
    assert APIClient().get("/api/v1/reports/ikm/").status_code == 401


def test_summary_report_from_the_history(served, admin_user):
    api = APIClient()
    api.force_authenticate(admin_user)
    summary = api.get("/api/v1/reports/summary/").json()
    assert (summary["tickets"], summary["served"], summary["no_shows"]) == (1, 1, 0)
    assert summary["waiting_minutes"]["p50"] is not None
    assert summary["service_minutes"]["mean"] is not None


def test_the_ticket_page_links_to_the_survey_once_served(client, served):
    assert f"/survei/{served.code}/" in client.get(f"/antrean/{served.code}/").content.decode()
