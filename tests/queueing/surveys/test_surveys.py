"""The satisfaction survey and the IKM of PermenPAN-RB 14/2017."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from queueing.floor.tickets import ticket_issue_walk_in
from queueing.models import Survey
from queueing.surveys.ikm import grade_for

pytestmark = pytest.mark.django_db


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


def test_the_ticket_page_links_to_the_survey_once_served(client, served):
    assert f"/survei/{served.code}/" in client.get(f"/antrean/{served.code}/").content.decode()
