"""The floor now (``/kantor/lantai/``, ``GET /api/v1/reports/floor/``): the figures
against a floor built by hand, today's only, and who sees which agency."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from agencies.models import Counter
from queueing.floor.tickets import counter_set_paused, ticket_act, ticket_call_next, ticket_issue_walk_in
from queueing.models import TicketAction
from queueing.office.floor import floor_overview
from tests.factories import AgencyFactory, CounterFactory, ServiceFactory, UserFactory

from ..conftest import at, open_around_the_clock

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NOW = at(TODAY, 11)


def ago(minutes: int, *, now: dt.datetime = NOW) -> dt.datetime:
    return now - dt.timedelta(minutes=minutes)


class Floor:
    pass


@pytest.fixture
def floor(disdukcapil, samsat, kk, counter, bob, dave):
    """Disdukcapil: one visit served, one no-show, one at loket 3, three waiting (one
    moved in from Samsat ten minutes ago after waiting there since 100 minutes ago);
    loket 4 on a break, loket 5 closed, loket 6 open and idle. Samsat: four waiting,
    loket 7 open and idle. Pos: nothing at all. Yesterday's history at Disdukcapil
    (served, no-show, a ticket left waiting, one left at loket 6) counts nowhere."""
    f = Floor()
    f.pos = AgencyFactory(code="pos", name="PT Pos Indonesia", ticket_prefix="P")
    stnk = open_around_the_clock(ServiceFactory(agency=samsat, code="stnk", name="STNK", daily_quota=50))
    loket4 = CounterFactory(agency=disdukcapil, number=4)
    loket5 = CounterFactory(agency=disdukcapil, number=5, is_open=False)
    loket6 = CounterFactory(agency=disdukcapil, number=6)
    loket7 = CounterFactory(agency=samsat, number=7)
    for other in (loket4, loket5, loket6):
        kk.counters.add(other)
        bob.counters.add(other)
    stnk.counters.add(loket7)
    dave.counters.add(loket7)

    # Yesterday, at loket 3 and 6.
    yesterday = NOW - dt.timedelta(days=1)
    for minutes in (100, 90, 80, 70):
        ticket_issue_walk_in(service=kk, now=ago(minutes, now=yesterday))
    done = ticket_call_next(counter=counter, officer=bob, now=ago(60, now=yesterday))
    ticket_act(ticket=done, action=TicketAction.STARTED, officer=bob, now=ago(59, now=yesterday))
    ticket_act(ticket=done, action=TicketAction.COMPLETED, officer=bob, now=ago(50, now=yesterday))
    gone = ticket_call_next(counter=counter, officer=bob, now=ago(45, now=yesterday))
    ticket_act(ticket=gone, action=TicketAction.RECALLED, officer=bob, now=ago(44, now=yesterday))
    ticket_act(ticket=gone, action=TicketAction.NO_SHOW, officer=bob, now=ago(43, now=yesterday))
    ticket_call_next(counter=loket6, officer=bob, now=ago(40, now=yesterday))  # left called at loket 6
    # One still waiting from yesterday (the end of day never ran).

    # Today at Disdukcapil: served, no-show, at the counter.
    ticket_issue_walk_in(service=kk, now=ago(90))
    served = ticket_call_next(counter=counter, officer=bob, now=ago(80))
    ticket_act(ticket=served, action=TicketAction.STARTED, officer=bob, now=ago(75))
    ticket_act(ticket=served, action=TicketAction.COMPLETED, officer=bob, now=ago(70))
    ticket_issue_walk_in(service=kk, now=ago(60))
    absent = ticket_call_next(counter=counter, officer=bob, now=ago(50))
    ticket_act(ticket=absent, action=TicketAction.RECALLED, officer=bob, now=ago(45))
    ticket_act(ticket=absent, action=TicketAction.NO_SHOW, officer=bob, now=ago(40))
    ticket_issue_walk_in(service=kk, now=ago(45))
    serving = ticket_call_next(counter=counter, officer=bob, now=ago(30))
    ticket_act(ticket=serving, action=TicketAction.STARTED, officer=bob, now=ago(29))
    # Samsat's citizen since 100 minutes ago, moved to Disdukcapil 10 minutes ago.
    ticket_issue_walk_in(service=stnk, now=ago(100))
    moved = ticket_call_next(counter=loket7, officer=dave, now=ago(20))
    ticket_act(ticket=moved, action=TicketAction.TRANSFERRED, officer=dave, service=kk, now=ago(10))
    ticket_issue_walk_in(service=kk, now=ago(25))
    ticket_issue_walk_in(service=kk, now=ago(5))
    counter_set_paused(counter=loket4, officer=bob, paused=True, now=ago(15))
    # Samsat: four waiting.
    for minutes in (15, 12, 8, 3):
        ticket_issue_walk_in(service=stnk, now=ago(minutes))
    f.disdukcapil, f.samsat = disdukcapil, samsat
    return f


def row_of(overview: dict, agency) -> dict:
    return next(row for row in overview["agencies"] if row["agency"] == agency.pk)


def test_each_agency_now_against_the_floor_built_by_hand(floor):
    overview = floor_overview(now=NOW)
    dukcapil = row_of(overview, floor.disdukcapil)
    assert dukcapil["waiting"] == 3
    # The moved citizen has waited here 10 minutes, not 100: the longest is 25.
    assert dukcapil["longest_wait_minutes"] == 25
    assert dukcapil["waiting_since"] == ago(25)
    # Loket 3 (serving) and 6 are open; 4 is on a break; 5 is closed; yesterday's
    # ticket left at loket 6 does not make it serving.
    assert dukcapil["counters"] == {"open": 2, "on_break": 1, "serving": 1}
    assert (dukcapil["served_today"], dukcapil["no_shows_today"]) == (1, 1)

    samsat = row_of(overview, floor.samsat)
    assert (samsat["waiting"], samsat["longest_wait_minutes"]) == (4, 15)
    assert samsat["counters"] == {"open": 1, "on_break": 0, "serving": 0}
    assert (samsat["served_today"], samsat["no_shows_today"]) == (0, 0)

    pos = row_of(overview, floor.pos)
    assert (pos["waiting"], pos["longest_wait_minutes"], pos["waiting_since"]) == (0, None, None)
    assert pos["counters"] == {"open": 0, "on_break": 0, "serving": 0}


def test_the_malls_total_and_its_busiest_agency(floor):
    overview = floor_overview(now=NOW)
    assert overview["total"] == {
        "waiting": 7,
        "longest_wait_minutes": 25,
        "counters": {"open": 3, "on_break": 1, "serving": 1},
        "served_today": 1,
        "no_shows_today": 1,
    }
    assert overview["busiest"] == {"agency": floor.samsat.pk, "name": "Samsat", "waiting": 4}
    assert [row["name"] for row in overview["agencies"]] == sorted(row["name"] for row in overview["agencies"])


def test_a_tie_goes_to_the_longer_wait_and_nobody_waiting_has_no_busiest(floor, kk):
    ticket_issue_walk_in(service=kk, now=ago(1))  # Disdukcapil 4 too, with the longer wait
    assert floor_overview(now=NOW)["busiest"]["agency"] == floor.disdukcapil.pk
    assert floor_overview(now=NOW + dt.timedelta(days=1))["busiest"] is None


def test_one_agency_is_its_row_only(floor):
    overview = floor_overview(agency_id=floor.disdukcapil.pk, now=NOW)
    assert [row["agency"] for row in overview["agencies"]] == [floor.disdukcapil.pk]
    assert overview["total"]["waiting"] == 3
    assert overview["busiest"]["agency"] == floor.disdukcapil.pk


def test_an_inactive_agency_is_not_on_the_floor(floor):
    floor.pos.active = False
    floor.pos.save()
    assert floor.pos.pk not in [row["agency"] for row in floor_overview(now=NOW)["agencies"]]


def test_the_overview_reads_a_handful_of_statements_whatever_the_floor(floor, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        floor_overview(now=NOW)


# The API ----------------------------------------------------------------------------------

URL = "/api/v1/reports/floor/"


def api_as(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_api_gives_every_agency_to_dpmptsp_and_one_when_asked(floor, admin_user):
    api = api_as(admin_user)
    everything = api.get(URL)
    assert everything.status_code == 200
    body = everything.json()
    assert {row["agency"] for row in body["agencies"]} == {floor.disdukcapil.pk, floor.samsat.pk, floor.pos.pk}
    assert set(body) == {"date", "agencies", "total", "busiest"}
    one = api.get(URL, {"agency": floor.samsat.pk}).json()
    assert [row["agency"] for row in one["agencies"]] == [floor.samsat.pk]


@pytest.mark.parametrize("raw", ["abc", "-1", "1e3", "999999", "١٢", "x" * 5000])
def test_the_api_refuses_an_agency_that_is_no_active_one_at_its_field(floor, admin_user, raw):
    response = api_as(admin_user).get(URL, {"agency": raw})
    assert response.status_code == 400
    assert "agency" in response.json()


def test_a_supervisor_sees_their_own_agency_and_gets_403_for_another(floor, alice):
    api = api_as(alice)
    own = api.get(URL).json()
    assert [row["agency"] for row in own["agencies"]] == [floor.disdukcapil.pk]
    assert api.get(URL, {"agency": floor.disdukcapil.pk}).status_code == 200
    assert api.get(URL, {"agency": floor.samsat.pk}).status_code == 403
    assert api.get(URL, {"agency": "999999"}).status_code == 403


def test_officers_and_anonymous_callers_are_refused(floor, bob):
    assert api_as(bob).get(URL).status_code == 403
    assert APIClient().get(URL).status_code == 401


def test_the_api_answers_304_while_the_floor_is_unchanged(floor, admin_user, kk):
    api = api_as(admin_user)
    first = api.get(URL)
    again = api.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    ticket_issue_walk_in(service=kk)
    assert api.get(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


# The page ---------------------------------------------------------------------------------

PAGE = "/kantor/lantai/"


def test_the_page_shows_dpmptsp_every_agency_with_the_totals(floor, client, admin_user):
    client.force_login(admin_user)
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("Dinas Kependudukan dan Pencatatan Sipil", "Samsat", "PT Pos Indonesia"):
        assert name in html
    assert "Samsat (4 menunggu)" in html
    assert reverse("live-events") in html and reverse("api-report-floor") in html


def test_the_page_of_a_supervisor_is_their_agency_and_another_is_403(floor, client, alice):
    client.force_login(alice)
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Dinas Kependudukan dan Pencatatan Sipil" in html and "PT Pos Indonesia" not in html
    # Its live stream is the agency's own.
    assert f"{reverse('live-events')}?agency={floor.disdukcapil.pk}" in html
    assert client.get(PAGE, {"agency": floor.samsat.pk}).status_code == 403


@pytest.mark.parametrize("raw", ["abc", "999999", "<script>"])
def test_the_page_says_what_is_wrong_with_a_bad_agency_at_the_field(floor, client, admin_user, raw):
    client.force_login(admin_user)
    page = client.get(PAGE, {"agency": raw})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Pilih instansi dari daftar." in html
    assert 'aria-invalid="true"' in html
    assert "<script>" not in html.split("<main", 1)[1].split("</main>")[0].replace('<script src="', "")


def test_the_page_in_english(floor, client, admin_user):
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"
    html = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The floor now" in html and "Waiting" in html


def test_counters_of_other_agencies_do_not_leak_into_a_supervisors_page(floor, client, carol):
    client.force_login(carol)
    html = client.get(PAGE).content.decode()
    assert "Samsat" in html and "Dinas Kependudukan" not in html
    assert Counter.objects.filter(agency=floor.disdukcapil).exists()


def test_officer_is_refused_the_page(floor, client):
    officer = UserFactory(agency=floor.disdukcapil)
    client.force_login(officer)
    assert client.get(PAGE).status_code == 403
