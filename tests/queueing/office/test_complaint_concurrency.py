"""Overdue notices and answers under concurrency (PostgreSQL): runs of the daily check
at once tell each person of each complaint once; two staff members answering at once
both answer, one after the other, and the first answer's time stays."""

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from queueing.models import Complaint, ComplaintActKind, ComplaintStatus, Notification, NotificationEvent
from queueing.office.complaints.services import complaint_answer, complaint_file, complaints_notify_overdue
from tests.require import missing

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _postgres_only(transactional_db):
    if connection.vendor != "postgresql":
        missing("PostgreSQL (set DATABASE_URL)")


def at_once(count: int, work) -> list:
    barrier = threading.Barrier(count)

    def run(_n):
        try:
            barrier.wait(timeout=30)
            return work()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_daily_checks_at_once_tell_each_person_of_each_complaint_once(disdukcapil, samsat, admin_user, alice, carol):
    for person, email in (
        (admin_user, "admin@mpp.example"),
        (alice, "alice@mpp.example"),
        (carol, "carol@mpp.example"),
    ):
        person.email = email
        person.save(update_fields=["email"])
    old = timezone.now() - dt.timedelta(days=20)
    late = [
        complaint_file(text=f"Pengaduan {n}", agency=[disdukcapil, samsat, None][n % 3], now=old) for n in range(12)
    ]

    counts = at_once(6, complaints_notify_overdue)
    assert sum(counts) == len(late)
    rows = Notification.objects.filter(event=NotificationEvent.COMPLAINTS_OVERDUE)
    told: dict[str, list[int]] = {}
    for row in rows:
        numbers = [int(part.split(" ")[0]) for part in row.message.split("No. ")[1:]]
        told.setdefault(row.recipient, []).extend(numbers)
    every = sorted(c.pk for c in late)
    assert sorted(told["admin@mpp.example"]) == every
    assert sorted(told["alice@mpp.example"]) == sorted(c.pk for c in late if c.agency_id == disdukcapil.pk)
    assert sorted(told["carol@mpp.example"]) == sorted(c.pk for c in late if c.agency_id == samsat.pk)
    assert complaints_notify_overdue() == 0


def test_a_check_skips_a_complaint_another_holds_and_takes_it_next_time(disdukcapil, admin_user):
    admin_user.email = "admin@mpp.example"
    admin_user.save(update_fields=["email"])
    old = timezone.now() - dt.timedelta(days=20)
    held, free = (complaint_file(text=f"Pengaduan {n}", agency=disdukcapil, now=old) for n in range(2))
    holding, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                Complaint.objects.select_for_update().get(pk=held.pk)
                holding.set()
                release.wait(20)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(5)
        assert complaints_notify_overdue() == 1  # the free one, without waiting
    finally:
        release.set()
        holder.join(10)
    assert complaints_notify_overdue() == 1  # the one that was held
    assert Complaint.objects.filter(overdue_notified_on__isnull=True).count() == 0
    assert free.pk != held.pk


def test_two_answers_at_once_are_both_recorded_in_turn(disdukcapil, alice, admin_user):
    complaint = complaint_file(text="Pengaduan", agency=disdukcapil)
    staff = iter([alice, admin_user])
    lock = threading.Lock()

    def answer():
        with lock:
            person = next(staff)
        return complaint_answer(staff=person, complaint=complaint, answer=f"Dari {person.username}", status="diproses")

    acts = at_once(2, answer)
    complaint.refresh_from_db()
    answered = list(complaint.acts.filter(kind=ComplaintActKind.ANSWERED).order_by("at", "pk"))
    assert len(answered) == 2
    assert answered[0].from_status == ComplaintStatus.NEW and answered[1].from_status == ComplaintStatus.IN_PROGRESS
    assert complaint.responded_at == min(act.at for act in acts)
