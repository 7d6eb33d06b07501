"""The IKM publication's benchmark runs on a small database: every step it times
answers, and it reports each one."""

import datetime as dt

import pytest
from django.utils import timezone

from bench.office_ikm import ikm_publication_timings, report
from tests.factories import AgencyFactory, ServiceFactory
from tests.queueing.surveys.ikm_data import add_surveys

pytestmark = pytest.mark.django_db


def test_the_timings_cover_every_step_of_a_years_publication(capsys):
    agency = AgencyFactory(code="disdukcapil")
    kk, ktp = ServiceFactory(agency=agency, code="kk"), ServiceFactory(agency=agency, code="ktp")
    add_surveys(kk, [[4] * 9, [3] * 9], day=timezone.localdate() - dt.timedelta(days=40), comment="Cepat")
    add_surveys(ktp, [[2] * 9], day=timezone.localdate() - dt.timedelta(days=200))
    results = ikm_publication_timings(runs=2)
    assert (results["surveys"], results["year_respondents"], results["year_services"]) == (3, 3, 2)
    for step in ("query", "api_json", "api_csv", "office_page", "public_index", "public_agency_year"):
        assert 0 < results[step]["p50_ms"] <= results[step]["max_ms"]
    report(results)
    assert "a year of 3 surveys over 2 services" in capsys.readouterr().out
