"""The public IKM pages (/ikm/, /ikm/<agency code>/): no login, the figures of periods
that have ended, no personal data and no suggestion's text."""

import datetime as dt

import pytest
from django.utils import timezone

from queueing.surveys import periods

from .ikm_data import add_surveys, add_visits_without_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def surveyed(kk, ktp, today):
    """Last month: KK 85.42 (B, the hand-worked four) and KTP 50.00 (D, 1 of 5 visits
    surveyed: few). Today: one more at KK, not yet published."""
    month = periods.last_complete_month(today)
    rows = [
        [4, 4, 3, 4, 3, 3, 4, 3, 4],
        [3, None, 3, 4, 3, 4, 4, 3, 3],
        [4, 3, None, None, 4, 3, 3, 4, 4],
        [2, 3, 3, 4, 3, 3, 4, 3, None],
    ]
    add_surveys(kk, rows, day=month.first, comment="Nama saya Budi, 081234567890")
    add_surveys(ktp, [[2] * 9], day=month.last)
    add_visits_without_survey(ktp, 4, day=month.last)
    add_surveys(kk, [[1] * 9], day=today)
    return month


def test_the_index_lists_every_agency_for_last_month_and_last_semester(client, surveyed, disdukcapil, samsat, today):
    page = client.get("/ikm/")
    html = page.content.decode()
    assert page.status_code == 200
    assert surveyed.label in html
    assert periods.last_complete_semester(today).label in html
    # Disdukcapil last month: KK's four and KTP's one pooled.
    assert f'href="/ikm/{disdukcapil.code}/"' in html and f'href="/ikm/{samsat.code}/"' in html
    assert "belum ada survei" in html  # Samsat
    assert "Budi" not in html and "0812" not in html


def test_the_agency_page_shows_the_elements_charts_and_services(client, surveyed, disdukcapil, kk):
    page = client.get(f"/ikm/{disdukcapil.code}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('<svg class="ikm-chart__svg"') == 9
    assert "IKM per layanan" in html and "Kartu Keluarga" in html
    assert 'class="ikm-flag"' in html  # KTP: 1 of 5 visits
    assert "Budi" not in html and "0812" not in html and "•••" not in html
    assert "4 saran dan masukan diterima" in html
    one = client.get(f"/ikm/{disdukcapil.code}/", {"service": kk.pk, "period": surveyed.code}).content.decode()
    assert "85,42" in one and "Baik" in one


def test_a_period_not_yet_ended_is_not_published(client, surveyed, disdukcapil, today):
    this_month = periods.month(today.year, today.month)
    page = client.get(f"/ikm/{disdukcapil.code}/", {"period": this_month.code})
    assert page.status_code == 400
    assert "belum terbit" in page.content.decode()
    assert f'value="{this_month.code}"' not in page.content.decode().split('id="id_period"')[1].split("</select>")[0]


@pytest.mark.parametrize(
    "query",
    [
        {"period": "<script>alert(1)</script>"},
        {"period": "9" * 3000},
        {"service": "-5"},
        {"service": "x" * 3000},
        {"period": "2026-00"},
    ],
)
def test_hostile_queries_get_a_message_not_an_error(client, surveyed, disdukcapil, query):
    page = client.get(f"/ikm/{disdukcapil.code}/", query)
    html = page.content.decode()
    assert page.status_code == 400
    assert "field__error" in html
    assert "<script>alert" not in html


def test_a_service_of_another_agency_is_refused(client, surveyed, samsat, kk):
    page = client.get(f"/ikm/{samsat.code}/", {"service": kk.pk})
    assert page.status_code == 400
    assert "bukan layanan instansi" in page.content.decode()


@pytest.mark.parametrize("code", ["tidak-ada", "x" * 500, "%00", "..%2f"])
def test_an_unknown_agency_is_not_found(client, db, code):
    assert client.get(f"/ikm/{code}/").status_code == 404


def test_the_footer_links_to_the_published_results(client, db):
    assert 'href="/ikm/"' in client.get("/").content.decode()


def test_the_agency_page_needs_no_login_and_sets_no_cookie(client, surveyed, disdukcapil):
    page = client.get(f"/ikm/{disdukcapil.code}/")
    assert page.status_code == 200
    assert "sessionid" not in page.cookies


def test_an_inactive_agency_is_not_published(client, surveyed, disdukcapil):
    disdukcapil.active = False
    disdukcapil.save()
    assert client.get(f"/ikm/{disdukcapil.code}/").status_code == 404
    assert disdukcapil.name not in client.get("/ikm/").content.decode()


def test_a_year_ago_is_still_published(client, surveyed, disdukcapil, kk, today):
    add_surveys(kk, [[3] * 9], day=today.replace(day=1) - dt.timedelta(days=370))
    last_year = str(today.year - 1)
    page = client.get(f"/ikm/{disdukcapil.code}/", {"period": last_year})
    assert page.status_code == 200


def test_the_pages_speak_english_with_a_decimal_point(client, surveyed, disdukcapil, kk):
    page = client.get(f"/ikm/{disdukcapil.code}/", {"service": kk.pk}, HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Community Satisfaction Survey results" in html
    assert "85.42" in html and "Good" in html
    index = client.get("/ikm/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Community satisfaction survey results" in index and "Last half-year" in index
