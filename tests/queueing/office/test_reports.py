"""The office's reports: the IKM of PermenPAN-RB 14/2017 and the summary of the
tickets' history, each limited to the user's agency."""

import pytest
from rest_framework.test import APIClient

from queueing.models import Survey
from queueing.surveys.ikm import ikm

pytestmark = pytest.mark.django_db


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
    api.force_authenticate(carol)  # Samsat: sees none of Disdukcapil's surveys, and asking is refused
    assert api.get("/api/v1/reports/ikm/").json()["respondents"] == 0
    assert api.get(f"/api/v1/reports/ikm/?agency={served.service.agency_id}").status_code == 403
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
