"""The survey where walk-ins meet it: at the counter on a tablet the officer hands
over, on the ticket page (the receipt's QR code) once the visit is done, and the
citizens' suggestions shown to the agency and to DPMPTSP."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from queueing.floor.tickets import ticket_act, ticket_call_next, ticket_issue_walk_in
from queueing.models import Survey, Ticket
from tests.factories import OpeningHoursFactory, ServiceFactory

pytestmark = pytest.mark.django_db

ALL_FOUR = {f"q{n}": "4" for n in range(1, 10)}


def tablet_url(ticket) -> str:
    return reverse("officer-survey", args=[ticket.code])


@pytest.fixture
def samsat_survey(samsat):
    """A survey of a Samsat visit, with a suggestion of its own."""
    pkb = ServiceFactory(agency=samsat, code="pkb", name="Pajak Kendaraan Tahunan")
    for weekday in range(7):
        OpeningHoursFactory(service=pkb, agency=samsat, weekday=weekday, opens=dt.time(0), closes=dt.time.max)
    ticket = ticket_issue_walk_in(service=pkb)
    return Survey.objects.create(
        ticket=ticket, service=pkb, agency=samsat, answers=[3] * 9, comment="Parkir motor penuh sekali."
    )


# The tablet at the counter ---------------------------------------------------------------


def test_an_officer_hands_over_the_tablet_and_the_citizen_answers_once(client, served, bob):
    client.force_login(bob)
    form = client.get(tablet_url(served))
    assert form.status_code == 200
    page = form.content.decode()
    assert "Persyaratan" in page and "Sarana dan prasarana" in page
    assert served.display_number in page

    sent = client.post(tablet_url(served), ALL_FOUR | {"comment": "Petugasnya ramah."})
    assert sent.status_code == 302
    assert sent["Location"] == reverse("officer-survey-done")
    survey = Survey.objects.get()
    assert (survey.ticket, survey.answers, survey.comment) == (served, [4] * 9, "Petugasnya ramah.")

    # The neutral screen shows nothing of the ticket and offers no survey.
    neutral = client.get(sent["Location"]).content.decode()
    assert served.display_number not in neutral and served.code not in neutral
    assert 'name="q1"' not in neutral

    # Going back to the form, or sending it again, records nothing more.
    again = client.get(tablet_url(served))
    assert again.status_code == 409
    assert 'name="q1"' not in again.content.decode()
    assert served.display_number not in again.content.decode()
    assert client.post(tablet_url(served), ALL_FOUR).status_code == 409
    assert Survey.objects.count() == 1


def test_a_survey_on_the_tablet_records_who_handed_it_over(client, served, bob, admin_user):
    client.force_login(bob)
    client.post(tablet_url(served), ALL_FOUR)
    assert Survey.objects.get().handed_over_by == bob
    client.force_login(admin_user)
    listing = client.get("/admin/queueing/survey/?handed_over=1").content.decode()
    assert "Kartu Keluarga" in listing
    assert "Kartu Keluarga" not in client.get("/admin/queueing/survey/?handed_over=0").content.decode()


def test_a_survey_by_the_citizens_own_link_has_no_officer(client, served):
    client.post(f"/survei/{served.code}/", ALL_FOUR)
    assert Survey.objects.get().handed_over_by is None


def test_the_tablet_needs_a_login(client, served):
    answer = client.get(tablet_url(served))
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("officer-login") + "?next=")
    assert client.post(tablet_url(served), ALL_FOUR).status_code == 302
    assert not Survey.objects.exists()


def test_another_agencys_officer_cannot_open_the_tablet(client, served, dave, carol, admin_user):
    for user in (dave, carol, admin_user):
        client.force_login(user)
        assert client.get(tablet_url(served)).status_code == 403
        assert client.post(tablet_url(served), ALL_FOUR).status_code == 403
    assert not Survey.objects.exists()


def test_the_agencys_supervisor_may_hand_over_the_tablet(client, served, alice):
    client.force_login(alice)
    assert client.post(tablet_url(served), ALL_FOUR)["Location"] == reverse("officer-survey-done")


def test_the_tablet_opens_only_for_a_completed_visit_of_today(client, kk, counter, bob, served):
    client.force_login(bob)
    waiting = ticket_issue_walk_in(service=kk)
    answer = client.get(tablet_url(waiting))
    assert answer.status_code == 409
    assert 'name="q1"' not in answer.content.decode()
    assert client.post(tablet_url(waiting), ALL_FOUR).status_code == 409

    Ticket.objects.filter(pk=served.pk).update(date=timezone.localdate() - dt.timedelta(days=1))
    assert client.get(tablet_url(served)).status_code == 409
    assert client.get(reverse("officer-survey", args=["ZZZZZZZZZZZZ"])).status_code == 404
    assert not Survey.objects.exists()


@pytest.mark.parametrize(
    "comment, says",
    [
        ("x" * 1001, "paling banyak 1000 karakter"),
        ("<script>alert(1)</script>\x00", "Karakter null tidak diizinkan"),
    ],
)
def test_a_hostile_comment_on_the_tablet_is_refused_at_the_field_and_kept(client, served, bob, comment, says):
    client.force_login(bob)
    answer = client.post(tablet_url(served), ALL_FOUR | {"comment": comment})
    page = answer.content.decode()
    assert answer.status_code == 400
    assert says in page
    assert "<script>alert" not in page
    assert 'value="4" checked' in page
    assert not Survey.objects.exists()


def test_missing_answers_on_the_tablet_are_marked_and_the_rest_kept(client, served, bob):
    client.force_login(bob)
    answer = client.post(tablet_url(served), {"q1": "4", "q2": "9", "comment": "Bagus"})
    page = answer.content.decode()
    assert answer.status_code == 400
    assert "8 pertanyaan belum dijawab" in page
    assert 'value="4" checked' in page and "Bagus" in page


def test_the_console_offers_the_tablet_for_the_ticket_just_completed(client, served, counter, bob):
    client.force_login(bob)
    state = client.get(reverse("officer-console-state", args=[counter.pk])).json()
    assert state["survey"] == {"number": served.display_number, "url": tablet_url(served)}
    client.post(tablet_url(served), ALL_FOUR)
    assert client.get(reverse("officer-console-state", args=[counter.pk])).json()["survey"] is None


def test_the_console_offers_no_tablet_for_a_no_show(client, kk, counter, bob):
    ticket_issue_walk_in(service=kk)
    ticket = ticket_call_next(counter=counter, officer=bob)
    ticket_act(ticket=ticket, action="recalled", officer=bob)
    ticket_act(ticket=ticket, action="no_show", officer=bob)
    client.force_login(bob)
    assert client.get(reverse("officer-console-state", args=[counter.pk])).json()["survey"] is None


# The citizen's own pages -----------------------------------------------------------------


def test_the_citizen_survey_page_refuses_a_null_character_at_the_field(client, served):
    answer = client.post(f"/survei/{served.code}/", ALL_FOUR | {"comment": "Bagus\x00"})
    assert answer.status_code == 400
    assert "Karakter null tidak diizinkan" in answer.content.decode()
    assert not Survey.objects.exists()


def test_the_ticket_page_offers_no_survey_once_it_is_answered(client, served):
    Survey.objects.create(ticket=served, service=served.service, agency=served.service.agency, answers=[4] * 9)
    page = client.get(f"/antrean/{served.code}/").content.decode()
    assert f"/survei/{served.code}/" not in page
    assert "Terima kasih, survei kunjungan ini sudah diisi." in page


def test_the_receipt_tells_a_walk_in_to_scan_it_again_for_the_survey(kiosk_client, kk):
    ticket = ticket_issue_walk_in(service=kk)
    screen = kiosk_client.get(reverse("kiosk-ticket", args=[ticket.code])).content.decode()
    assert "Setelah dilayani, pindai kode ini lagi untuk mengisi survei kepuasan." in screen


# The suggestions, for the agency and for DPMPTSP ----------------------------------------------


@pytest.fixture
def disdukcapil_survey(served):
    return Survey.objects.create(
        ticket=served,
        service=served.service,
        agency=served.service.agency,
        answers=[4] * 9,
        comment='<img src=x onerror="alert(1)"> Antrean KK lama sekali.',
    )


def test_the_ikm_report_carries_the_suggestions_of_the_users_agency(bob, admin_user, disdukcapil_survey, samsat_survey):
    api = APIClient()
    api.force_authenticate(bob)
    report = api.get("/api/v1/reports/ikm/").json()
    assert report["comments"] == [
        {
            "date": timezone.localtime(disdukcapil_survey.created_at).date().isoformat(),
            "agency": disdukcapil_survey.agency_id,
            "service": disdukcapil_survey.service_id,
            "service_name": "Kartu Keluarga",
            "comment": '<img src=x onerror="alert(1)"> Antrean KK lama sekali.',
        }
    ]
    assert report["comment_count"] == 1
    assert disdukcapil_survey.ticket.code not in str(report)

    api.force_authenticate(admin_user)
    everything = api.get("/api/v1/reports/ikm/").json()
    assert {c["comment"] for c in everything["comments"]} == {disdukcapil_survey.comment, samsat_survey.comment}
    only_samsat = api.get(f"/api/v1/reports/ikm/?agency={samsat_survey.agency_id}").json()
    assert [c["comment"] for c in only_samsat["comments"]] == [samsat_survey.comment]


def test_the_suggestions_page_shows_the_officers_own_agency_only(client, bob, disdukcapil_survey, samsat_survey):
    client.force_login(bob)
    page = client.get(reverse("officer-suggestions") + f"?agency={samsat_survey.agency_id}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Antrean KK lama sekali." in html
    assert "&lt;img src=x onerror=" in html and "<img src=x" not in html
    assert "Kartu Keluarga" in html
    assert "Parkir motor" not in html
    assert disdukcapil_survey.ticket.code not in html and disdukcapil_survey.ticket.display_number not in html


def test_dpmptsp_sees_every_agencys_suggestions(client, admin_user, disdukcapil_survey, samsat_survey):
    client.force_login(admin_user)
    html = client.get(reverse("officer-suggestions")).content.decode()
    assert "Antrean KK lama sekali." in html and "Parkir motor penuh sekali." in html
    only = client.get(reverse("officer-suggestions") + f"?agency={samsat_survey.agency_id}").content.decode()
    assert "Parkir motor" in only and "Antrean KK" not in only
    assert client.get(reverse("officer-suggestions") + "?agency=x&page=999").status_code == 200


def test_the_suggestions_page_needs_a_login(client, disdukcapil_survey):
    answer = client.get(reverse("officer-suggestions"))
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("officer-login"))


def test_supervisors_read_their_agencys_surveys_in_the_administration(
    client, alice, carol, admin_user, disdukcapil_survey, samsat_survey
):
    client.force_login(alice)
    listing = client.get("/admin/queueing/survey/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Antrean KK lama sekali." in html and "Parkir motor" not in html
    assert "<img src=x" not in html
    assert client.get("/admin/queueing/survey/add/").status_code == 403
    change = client.post(f"/admin/queueing/survey/{disdukcapil_survey.pk}/change/", {"comment": "diubah"})
    assert change.status_code in (302, 403)
    assert Survey.objects.get(pk=disdukcapil_survey.pk).comment == disdukcapil_survey.comment

    client.force_login(carol)
    assert client.get(f"/admin/queueing/survey/{disdukcapil_survey.pk}/change/").status_code in (302, 403, 404)
    client.force_login(admin_user)
    html = client.get("/admin/queueing/survey/").content.decode()
    assert "Antrean KK lama sekali." in html and "Parkir motor penuh sekali." in html


@pytest.mark.parametrize("comment", ["x" * 1001, "Bagus\x00", "x" * 2_000_000])
def test_the_survey_api_refuses_a_hostile_comment_with_a_400(served, comment):
    answer = APIClient().post(
        "/api/v1/surveys/", {"ticket": served.code, "answers": [4] * 9, "comment": comment}, format="json"
    )
    assert answer.status_code == 400
    assert "comment" in answer.json()
    assert not Survey.objects.exists()


def test_html_in_a_comment_is_kept_as_text_and_escaped_where_shown(client, served, alice):
    body = {"ticket": served.code, "answers": [4] * 9, "comment": "<script>alert(1)</script>"}
    assert APIClient().post("/api/v1/surveys/", body, format="json").status_code == 201
    assert Survey.objects.get().comment == "<script>alert(1)</script>"
    client.force_login(alice)
    for url in (reverse("officer-suggestions"), "/admin/queueing/survey/"):
        html = client.get(url).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
