"""Who acted on which ticket: every call and action is a row of the ticket's history
with its officer and counter, written in the same transaction; DPMPTSP's
administrators read it in the administration; nobody rewrites a row."""

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from queueing.floor.tickets import ticket_act, ticket_call_next, ticket_issue_walk_in
from queueing.models import TicketAction, TicketEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(kk, counter, bob, admin_user):
    """bob calls and serves one ticket; the administrator calls the next and marks a hold."""
    ticket_issue_walk_in(service=kk)
    ticket_issue_walk_in(service=kk)
    first = ticket_call_next(counter=counter, officer=bob)
    ticket_act(ticket=first, action=TicketAction.STARTED, officer=bob)
    ticket_act(ticket=first, action=TicketAction.COMPLETED, officer=bob)
    second = ticket_call_next(counter=counter, officer=admin_user)
    ticket_act(ticket=second, action=TicketAction.HELD, officer=admin_user)
    return first, second


def test_each_call_and_action_records_who_which_ticket_and_what(history, bob, admin_user, counter):
    first, second = history
    acted = list(
        TicketEvent.objects.exclude(action=TicketAction.ISSUED)
        .order_by("at", "id")
        .values_list("ticket", "action", "officer", "counter")
    )
    assert acted == [
        (first.pk, TicketAction.CALLED, bob.pk, counter.pk),
        (first.pk, TicketAction.STARTED, bob.pk, counter.pk),
        (first.pk, TicketAction.COMPLETED, bob.pk, counter.pk),
        (second.pk, TicketAction.CALLED, admin_user.pk, counter.pk),
        (second.pk, TicketAction.HELD, admin_user.pk, None),
    ]


def history_list(client, **params):
    response = client.get(reverse("admin:queueing_ticketevent_changelist"), params)
    assert response.status_code == 200
    return [(event.ticket.display_number, event.action, event.officer.username if event.officer else None)
            for event in response.context["cl"].result_list]  # fmt: skip


def test_administrators_read_the_history_by_action_officer_and_date(client, admin_user, history):
    client.force_login(admin_user)

    assert history_list(client, action__exact="completed") == [("B-001", "completed", "bob")]
    assert {row[2] for row in history_list(client, q="bob")} == {"bob"}
    assert len(history_list(client, q="bob")) == 3
    day = history[0].date
    assert len(history_list(client, at__year=day.year, at__month=day.month, at__day=day.day)) == 7
    page = client.get(reverse("admin:queueing_ticketevent_changelist")).content.decode()
    # The citizen's ticket code (the key to its page) is not shown.
    assert history[0].code not in page


@pytest.mark.parametrize("who", ["alice", "carol"])
def test_supervisors_cannot_read_it(client, request, history, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("admin:queueing_ticketevent_changelist")).status_code == 403


def test_officers_never_reach_it(client, bob, history):
    client.force_login(bob)
    assert client.get(reverse("admin:queueing_ticketevent_changelist")).status_code == 302


def test_nobody_adds_changes_or_deletes_a_row_there(client, admin_user, history):
    client.force_login(admin_user)
    event = TicketEvent.objects.first()
    assert client.get(reverse("admin:queueing_ticketevent_add")).status_code == 403
    assert (
        client.post(reverse("admin:queueing_ticketevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    )
    assert TicketEvent.objects.count() == 7


def test_the_database_refuses_to_rewrite_a_row(history, dave):
    with pytest.raises(DatabaseError, match="UPDATE refused"), transaction.atomic():
        TicketEvent.objects.filter(action=TicketAction.COMPLETED).update(officer=dave)
    assert not TicketEvent.objects.filter(officer=dave).exists()
