"""The officer's pages (login, counter list, console and its state) and the display
board, as the server renders them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from queueing.floor.tickets import (
    booking_check_in,
    counter_set_paused,
    ticket_act,
    ticket_call_next,
    ticket_issue_walk_in,
)
from queueing.models import Announcement, Booking, PriorityGroup, TicketStatus
from tests.factories import CounterFactory, OpeningHoursFactory, ServiceFactory
from tests.queueing.conftest import VALID_NIK

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-uji-2026"


def console_url(counter) -> str:
    return reverse("officer-console", args=[counter.pk])


def state_url(counter) -> str:
    return reverse("officer-console-state", args=[counter.pk])


# Logging in and out ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["officer-home", "officer-console"])
def test_officer_pages_need_a_login(client, counter, name):
    url = reverse(name, args=[counter.pk] if name == "officer-console" else [])
    answer = client.get(url)
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("officer-login") + "?next=")


def test_the_login_page_logs_an_officer_in_and_goes_where_they_were_going(client, counter, bob):
    page = client.get(reverse("officer-login"))
    assert page.status_code == 200
    assert 'autocomplete="current-password"' in page.content.decode()

    answer = client.post(
        reverse("officer-login"), {"username": "bob", "password": PASSWORD, "next": console_url(counter)}
    )
    assert answer.status_code == 302
    assert answer["Location"] == console_url(counter)


def test_without_a_next_page_the_login_leads_to_the_counter_list(client, bob):
    answer = client.post(reverse("officer-login"), {"username": "bob", "password": PASSWORD})
    assert answer["Location"] == reverse("officer-home")


def test_a_wrong_password_is_refused_on_the_login_page(client, bob):
    answer = client.post(reverse("officer-login"), {"username": "bob", "password": "salah"})
    assert answer.status_code == 200
    assert 'role="alert"' in answer.content.decode()
    assert "_auth_user_id" not in client.session


def test_logging_out_takes_a_post(client, bob):
    client.force_login(bob)
    assert client.get(reverse("officer-logout")).status_code == 405
    answer = client.post(reverse("officer-logout"))
    assert answer["Location"] == reverse("officer-login")
    assert "_auth_user_id" not in client.session


# Counter list and console --------------------------------------------------------------------


def test_bob_sees_loket_3_and_gets_its_console(client, bob, counter):
    client.force_login(bob)
    listing = client.get(reverse("officer-home"))
    assert listing.status_code == 200
    assert list(listing.context["counters"]) == [counter]
    assert console_url(counter) in listing.content.decode()

    console = client.get(console_url(counter))
    assert console.status_code == 200
    body = console.content.decode()
    assert "Loket 3" in body
    assert reverse("api-counter-call-next", args=[counter.pk]) in body
    assert f"/live/events/?agency={counter.agency_id}" in body
    for label in ("Panggil berikutnya", "Panggil ulang", "Mulai layani", "Selesai", "Tidak hadir", "Tunda", "Alihkan"):
        assert label in body


def test_an_officer_does_not_see_a_counter_he_is_not_bound_to(client, bob, counter, disdukcapil):
    other = CounterFactory(agency=disdukcapil, number=4)
    client.force_login(bob)
    assert list(client.get(reverse("officer-home")).context["counters"]) == [counter]
    assert client.get(console_url(other)).status_code == 403


def test_a_supervisor_sees_every_counter_of_her_agency_and_an_admin_all(client, alice, admin_user, counter, samsat):
    second = CounterFactory(agency=counter.agency, number=4)
    samsat_counter = CounterFactory(agency=samsat, number=9)
    client.force_login(alice)
    assert set(client.get(reverse("officer-home")).context["counters"]) == {counter, second}
    assert client.get(console_url(second)).status_code == 200
    assert client.get(console_url(samsat_counter)).status_code == 403

    client.force_login(admin_user)
    assert set(client.get(reverse("officer-home")).context["counters"]) == {counter, second, samsat_counter}
    assert client.get(console_url(samsat_counter)).status_code == 200


def test_carol_of_samsat_gets_403_on_loket_3(client, carol, counter):
    client.force_login(carol)
    answer = client.get(console_url(counter))
    assert answer.status_code == 403
    assert "Bukan loket Anda" in answer.content.decode()
    assert client.get(state_url(counter)).status_code == 403


def test_an_unknown_counter_is_a_404(client, bob, counter):
    client.force_login(bob)
    assert client.get(reverse("officer-console", args=[99999])).status_code == 404
    assert client.get(reverse("officer-console-state", args=[99999])).status_code == 404


def test_transfer_choices_list_services_of_every_agency_and_other_open_counters(client, bob, counter, samsat):
    ServiceFactory(agency=samsat, name="Pajak Kendaraan Tahunan")
    CounterFactory(agency=samsat, number=9)
    CounterFactory(agency=samsat, number=10, is_open=False)
    client.force_login(bob)
    body = client.get(console_url(counter)).content.decode()
    assert '<optgroup label="Samsat">' in body
    assert "Pajak Kendaraan Tahunan" in body
    assert "Loket 9" in body
    assert "Loket 10" not in body


# The console's state ----------------------------------------------------------------------


def test_the_state_lists_the_waiting_tickets_in_queue_order(client, bob, counter, kk):
    first = ticket_issue_walk_in(service=kk)
    second = ticket_issue_walk_in(service=kk)
    elderly = ticket_issue_walk_in(service=kk, priority_group=PriorityGroup.ELDERLY)
    client.force_login(bob)

    state = client.get(state_url(counter)).json()

    assert [row["number"] for row in state["waiting"]] == [
        elderly.display_number,
        first.display_number,
        second.display_number,
    ]
    assert state["waiting_count"] == 3
    assert state["waiting"][0]["priority"] is True
    assert state["waiting"][0]["priority_label"] == "Lansia (60 tahun ke atas)"
    assert state["waiting"][0]["issued_at"].endswith("+07:00")
    assert state["current"] is None
    assert state["can_call_next"] is True
    assert state["held"] == []


def test_the_state_shows_the_current_ticket_and_what_can_be_done_with_it(client, bob, counter, kk):
    ticket_issue_walk_in(service=kk)
    ticket = ticket_call_next(counter=counter, officer=bob)
    client.force_login(bob)

    state = client.get(state_url(counter)).json()
    assert state["current"]["number"] == "B-001"
    assert state["current"]["status"] == TicketStatus.CALLED
    assert state["current"]["status_label"] == "Dipanggil"
    assert set(state["current"]["actions"]) == {"recall", "start", "no-show", "hold", "transfer"}
    assert state["can_call_next"] is False
    assert state["waiting"] == []

    ticket_act(ticket=ticket, action="started", officer=bob)
    state = client.get(state_url(counter)).json()
    assert set(state["current"]["actions"]) == {"complete", "hold", "transfer"}


def test_held_tickets_are_listed_and_a_paused_counter_cannot_call(client, bob, counter, kk):
    ticket_issue_walk_in(service=kk)
    ticket = ticket_call_next(counter=counter, officer=bob)
    ticket_act(ticket=ticket, action="held", officer=bob)
    counter_set_paused(counter=counter, officer=bob, paused=True)
    client.force_login(bob)

    state = client.get(state_url(counter)).json()
    assert [row["number"] for row in state["held"]] == ["B-001"]
    assert state["counter"]["paused"] is True
    assert state["counter"]["paused_since"] is not None
    assert state["can_call_next"] is False


def test_the_state_shows_a_booked_citizens_name_but_never_the_nik(client, bob, counter, kk):
    now = timezone.now()
    start = now + dt.timedelta(minutes=10)
    booking = Booking.objects.create(
        service=kk,
        date=timezone.localtime(start).date(),
        start=start,
        end=start + dt.timedelta(minutes=30),
        nik=VALID_NIK,
        name="Siti Rahmawati",
        phone="+6281234567890",
        consent_at=now,
    )
    booking_check_in(booking=booking, now=now)
    ticket_call_next(counter=counter, officer=bob)
    client.force_login(bob)

    answer = client.get(state_url(counter))
    assert answer.json()["current"]["name"] == "Siti Rahmawati"
    assert VALID_NIK not in answer.content.decode()
    assert VALID_NIK[-4:] not in answer.content.decode()


def test_the_state_is_scoped_and_answers_json_without_a_session(client, carol, counter):
    anonymous = client.get(state_url(counter))
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "not_authenticated"

    client.force_login(carol)
    refused = client.get(state_url(counter))
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"


def test_the_state_lists_only_the_tickets_of_the_counters_services(client, bob, counter, kk, disdukcapil):
    birth_certificate = ServiceFactory(agency=disdukcapil, name="Akta Kelahiran")
    for weekday in range(7):
        OpeningHoursFactory(
            service=birth_certificate, agency=disdukcapil, weekday=weekday, opens=dt.time(0), closes=dt.time.max
        )
    ticket_issue_walk_in(service=birth_certificate)
    mine = ticket_issue_walk_in(service=kk)
    client.force_login(bob)

    state = client.get(state_url(counter)).json()
    assert [row["number"] for row in state["waiting"]] == [mine.display_number]
    assert state["waiting_count"] == 1


# The display board -------------------------------------------------------------------------


def test_the_board_of_the_whole_mall_renders(client, disdukcapil, samsat):
    Announcement.objects.create(text="Loket tutup pukul 15.00")
    answer = client.get(reverse("display-board"))
    assert answer.status_code == 200
    body = answer.content.decode()
    assert "Papan antrean" in body
    assert 'data-state-url="/api/v1/display/"' in body
    assert 'data-events-url="/live/events/"' in body
    assert '"spoken": "Nomor antrean {number}, silakan ke loket {counter}"' in body
    assert answer.context["config"]["prefixes"] == {str(disdukcapil.pk): "B", str(samsat.pk): "S"}


def test_the_board_of_one_agency_renders(client, disdukcapil):
    answer = client.get(reverse("display-board"), {"agency": disdukcapil.pk})
    assert answer.status_code == 200
    body = answer.content.decode()
    assert disdukcapil.name in body
    assert f'data-state-url="/api/v1/display/?agency={disdukcapil.pk}"' in body
    assert f'data-events-url="/live/events/?agency={disdukcapil.pk}"' in body


@pytest.mark.parametrize("garbage", ["x", "-1", "1.5", "<script>", "9" * 40, "١٢"])
def test_a_garbage_agency_on_the_board_is_a_400(client, garbage):
    answer = client.get(reverse("display-board"), {"agency": garbage})
    assert answer.status_code == 400
    assert "<script>" not in answer.content.decode()


def test_an_unknown_agency_on_the_board_is_a_404(client, disdukcapil):
    assert client.get(reverse("display-board"), {"agency": 99999}).status_code == 404


def test_officer_login_locks_out_after_failed_attempts(client, settings, bob):
    limit = settings.AXES_FAILURE_LIMIT
    answers = [
        client.post("/petugas/masuk/", {"username": "bob", "password": "salah"}).status_code for _ in range(limit)
    ]
    assert answers == [200] * (limit - 1) + [429]
    assert (
        "Terlalu banyak percobaan masuk yang gagal"
        in client.post("/petugas/masuk/", {"username": "bob", "password": "rahasia-uji-2026"}).content.decode()
    )
