"""The public transparency page (``/transparansi/``) and ``GET /api/v1/transparency/``:
per agency, waiting now and the typical wait today, last month's IKM and grade and the
share of its tickets called within the target; cached; no personal data."""

import datetime as dt
import json
import socket

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from queueing.floor.tickets import booking_check_in, ticket_act, ticket_call_next, ticket_issue_walk_in
from queueing.models import Booking, Survey, Ticket, TicketAction
from queueing.office.transparency import last_month, transparency
from queueing.surveys.ikm import ikm
from tests.factories import AgencyFactory

from ..conftest import VALID_NIK, at

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
MONTH_FIRST, MONTH_END = last_month(TODAY)
LAST_MONTH = MONTH_FIRST + dt.timedelta(days=5)
API = "/api/v1/transparency/"
PAGE = "/transparansi/"

PERSON = {"nik": VALID_NIK, "name": "Rahmat Hidayatullah", "phone": "+6281377775555", "email": "rahmat@contoh.id"}
COMMENT = "Ibu Sari di loket 3 lambat sekali"


def serve(ticket_counter, bob, *, called: dt.datetime, done: dt.datetime):
    ticket = ticket_call_next(counter=ticket_counter, officer=bob, now=called)
    ticket_act(ticket=ticket, action=TicketAction.STARTED, officer=bob, now=called + dt.timedelta(minutes=1))
    return ticket_act(ticket=ticket, action=TicketAction.COMPLETED, officer=bob, now=done)


@pytest.fixture
def floor(disdukcapil, samsat, kk, ktp, counter, bob):
    """Last month at Disdukcapil (KK's target: 30 minutes): four walk-ins called after
    10, 45 and 30 minutes and one never called, and a booked visit (with a person and
    a suggestion) called after 5; surveys. Today: three called after 10, 20 and 60
    minutes, two waiting. Samsat: nothing."""
    kk.waiting_target_minutes = 30
    kk.save()
    ktp.counters.add(counter)
    day = LAST_MONTH
    for waited in (10, 45, 30):
        ticket_issue_walk_in(service=kk, now=at(day, 8))
        serve(counter, bob, called=at(day, 8) + dt.timedelta(minutes=waited), done=at(day, 9, 30))
    ticket_issue_walk_in(service=kk, now=at(day, 10))  # never called
    Ticket.objects.filter(date=day, status="waiting").update(status="expired")
    booking = Booking.objects.create(
        service=ktp, date=day, start=at(day, 11), end=at(day, 11, 30), consent_at=at(day, 7), channels=["sms"], **PERSON
    )
    booking_check_in(booking=booking, now=at(day, 10, 55))
    booked = serve(counter, bob, called=at(day, 11), done=at(day, 11, 20))
    for ticket, answers, comment in (
        (booked, [4, 4, 4, 4, 3, 3, 3, 3, 4], COMMENT),
        (Ticket.objects.filter(date=day, status="done").exclude(pk=booked.pk).first(), [3] * 9, ""),
    ):
        survey = Survey.objects.create(ticket=ticket, service=ticket.service, agency=ticket.agency, answers=answers,
                                       comment=comment)  # fmt: skip
        Survey.objects.filter(pk=survey.pk).update(created_at=at(day, 12))
    for _ in range(3):
        ticket_issue_walk_in(service=kk, now=at(TODAY, 8))
    for waited in (10, 20, 60):
        serve(counter, bob, called=at(TODAY, 8) + dt.timedelta(minutes=waited), done=at(TODAY, 9, 30))
    ticket_issue_walk_in(service=kk, now=at(TODAY, 9))
    ticket_issue_walk_in(service=kk, now=at(TODAY, 9, 5))
    return disdukcapil, samsat


def row_of(figures, agency) -> dict:
    return next(row for row in figures["agencies"] if row["agency"] == agency.pk)


def test_the_figures_of_each_agency(floor):
    disdukcapil, samsat = floor
    figures = transparency()
    assert figures["month"] == MONTH_FIRST.strftime("%Y-%m")
    row = row_of(figures, disdukcapil)
    assert (row["waiting"], row["typical_wait_minutes"]) == (2, 20)
    # 10, 30 (exactly the target) and 5 within; 45 and never called not: 3 of 5.
    assert row["within_target"] == {"tickets": 5, "share": 0.6}
    month_surveys = Survey.objects.filter(agency=disdukcapil, created_at__date__gte=MONTH_FIRST,
                                          created_at__date__lt=MONTH_END)  # fmt: skip
    expected = ikm(month_surveys)
    assert row["ikm"] == {key: expected[key] for key in ("respondents", "ikm", "skm", "grade", "performance")}
    assert (row["ikm"]["respondents"], row["ikm"]["grade"]) == (2, "B")
    other = row_of(figures, samsat)
    assert other["waiting"] == 0 and other["typical_wait_minutes"] is None
    assert other["ikm"]["skm"] is None and other["within_target"] == {"tickets": 0, "share": None}


def test_a_survey_of_this_month_is_not_last_months(floor, served):
    disdukcapil, _samsat = floor
    Survey.objects.create(ticket=served, service=served.service, agency=disdukcapil, answers=[1] * 9)
    assert row_of(transparency(), disdukcapil)["ikm"]["respondents"] == 2


def test_the_figures_are_cached_and_worked_out_again_when_the_cache_is_away(floor, kk, settings):
    disdukcapil, _samsat = floor
    assert row_of(transparency(), disdukcapil)["waiting"] == 2
    ticket_issue_walk_in(service=kk)
    assert row_of(transparency(), disdukcapil)["waiting"] == 2  # a minute old at most
    cache.clear()
    assert row_of(transparency(), disdukcapil)["waiting"] == 3
    with socket.socket() as probe:  # Redis away: nothing is kept, every answer is fresh
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "mpp_common.cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    ticket_issue_walk_in(service=kk)
    assert APIClient().get(API).status_code == 200
    assert row_of(transparency(), disdukcapil)["waiting"] == 4


def test_an_agency_added_after_the_month_was_cached_is_listed(floor):
    transparency()
    newcomer = AgencyFactory(code="bjb", name="Bank bjb")
    assert row_of(transparency(), newcomer)["within_target"]["tickets"] == 0


def test_the_api_and_the_page_hold_no_personal_data(floor, client):
    body = APIClient().get(API)
    assert body.status_code == 200
    page = client.get(PAGE)
    assert page.status_code == 200
    booking = Booking.objects.get(nik=VALID_NIK)
    secrets = [*PERSON.values(), COMMENT, booking.code, "Ibu Sari", "3674"]
    secrets += list(Ticket.objects.values_list("code", flat=True))
    for text in (json.dumps(body.json()), page.content.decode()):
        for secret in secrets:
            assert secret not in text


def test_the_api_answers_without_login_and_may_be_kept_a_minute(floor):
    response = APIClient().get(API)
    assert set(response.json()) == {"date", "month", "agencies"}
    assert set(response.json()["agencies"][0]) == {
        "agency", "code", "name", "waiting", "typical_wait_minutes", "ikm", "within_target",
    }  # fmt: skip
    assert "max-age=60" in response["Cache-Control"]


def test_the_page_shows_the_figures_in_indonesian_and_in_english(floor, client):
    html = client.get(PAGE).content.decode()
    assert "Transparansi layanan" in html and "81,94" in html and "mutu B (Baik)" in html
    assert "60%" in html and "20 menit" in html
    client.cookies["django_language"] = "en"
    english = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Service transparency" in english and "81.94" in english and "grade B (Good)" in english
    assert "20 minutes" in english


def test_the_citizen_home_links_to_it_in_its_footer(db, client):
    footer = client.get(reverse("home")).content.decode().split('class="site-footer"')[1]
    assert f'href="{PAGE}"' in footer
