"""Retention: personal data older than RETENTION_DAYS is erased by the nightly job, and
every report figure is the same afterwards; what is recent is untouched."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.db.models import Q
from django.utils import timezone
from rest_framework.test import APIClient

from queueing.floor.tickets import booking_check_in, ticket_act, ticket_call_next, ticket_issue_walk_in
from queueing.models import Booking, Complaint, ComplaintStatus, Notification, NotificationAttempt, Survey, TicketAction
from queueing.office import retention
from queueing.office.complaints.services import complaint_answer, complaint_file
from queueing.office.retention import ERASED_TEXT, ERASERS, Eraser, personal_data_erase
from queueing.office.tasks import erase_personal_data
from queueing.office.transparency import month_figures
from tests.mpp_portal.test_settings import run_django

from ..conftest import at, nik

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
OLD = TODAY - dt.timedelta(days=400)
RECENT = TODAY - dt.timedelta(days=10)


class Person:
    def __init__(self, n: int, when: str):
        self.nik = nik(n)
        self.name = f"Warga {when.title()} Nomor {n}"
        self.phone = f"+6281299{n:06d}"
        self.email = f"warga{n}@{when}.example.org"


def book(service, day: dt.date, person: Person, hour: int = 9) -> Booking:
    """A booking of ``day`` as the booking pages leave it (written directly: the pages
    book only days ahead)."""
    return Booking.objects.create(
        service=service,
        date=day,
        start=at(day, hour),
        end=at(day, hour, 30),
        nik=person.nik,
        name=person.name,
        phone=person.phone,
        email=person.email,
        channels=["sms", "email"],
        consent_at=at(day - dt.timedelta(days=1), 20),
    )


class Day:
    pass


def a_day_at_the_mall(day: dt.date, first: int, *, ktp, kk, counter, bob) -> Day:
    """One day's history: a booked visit served with a survey and its messages, a
    walk-in marked no-show, two bookings never checked in, a login lockout."""
    d = Day()
    when = "lama" if day < TODAY - dt.timedelta(days=365) else "baru"
    d.people = [Person(first + n, when) for n in range(3)]
    ktp.counters.add(counter)
    d.served_booking = book(ktp, day, d.people[0])
    ticket = booking_check_in(booking=d.served_booking, now=at(day, 8, 50))
    ticket = ticket_call_next(counter=counter, officer=bob, now=at(day, 9, 5))
    ticket_act(ticket=ticket, action=TicketAction.STARTED, officer=bob, now=at(day, 9, 6))
    ticket_act(ticket=ticket, action=TicketAction.COMPLETED, officer=bob, now=at(day, 9, 20))
    d.comment = f"Petugas ramah. Saya {d.people[0].name}, hubungi {d.people[0].phone}."
    d.survey = Survey.objects.create(
        ticket=ticket, service=ktp, agency=ktp.agency, answers=[4, 3, 3, 4, 3, 3, 4, 4, 3], comment=d.comment
    )
    Survey.objects.filter(pk=d.survey.pk).update(created_at=at(day, 9, 30))
    walk_in = ticket_issue_walk_in(service=kk, now=at(day, 10))
    walk_in = ticket_call_next(counter=counter, officer=bob, now=at(day, 10, 40))
    ticket_act(ticket=walk_in, action=TicketAction.RECALLED, officer=bob, now=at(day, 10, 42))
    ticket_act(ticket=walk_in, action=TicketAction.NO_SHOW, officer=bob, now=at(day, 10, 45))
    # Two bookings of the same service and day never checked in: still "booked".
    d.absent = [book(ktp, day, d.people[1], hour=10), book(ktp, day, d.people[2], hour=11)]
    # The messages were written on that day; one attempt's answer quotes the number.
    Notification.objects.filter(booking__date=day).update(created_at=at(day, 9, 21), status="sent")
    message = Notification.objects.filter(booking=d.served_booking).first()
    NotificationAttempt.objects.create(
        notification=message, number=1, at=at(day, 9, 21), outcome="retry", detail=f"invalid {d.people[0].phone}"
    )
    d.lockout = AccessAttempt.objects.create(
        username=f"officer-{when}", ip_address="10.1.2.3", user_agent="Firefox", http_accept="*/*",
        path_info="/petugas/masuk/", get_data="", post_data=f"username=officer-{when}", failures_since_start=5,
    )  # fmt: skip
    AccessAttempt.objects.filter(pk=d.lockout.pk).update(attempt_time=at(day, 7))
    return d


@pytest.fixture
def history(ktp, kk, counter, bob):
    old = a_day_at_the_mall(OLD, 1, ktp=ktp, kk=kk, counter=counter, bob=bob)
    recent = a_day_at_the_mall(RECENT, 100, ktp=ktp, kk=kk, counter=counter, bob=bob)
    assert Notification.objects.filter(booking=old.served_booking).count() >= 2  # called, survey: sms and email
    return old, recent


def reports(user, agency) -> dict:
    """Every figure of the office's reports: all time, the old day alone, one agency."""
    api = APIClient()
    api.force_authenticate(user)
    figures = {}
    for name, query in {
        "all": {},
        "old day": {"date_from": OLD.isoformat(), "date_to": OLD.isoformat()},
        "agency": {"agency": agency.pk},
    }.items():
        figures[f"summary {name}"] = api.get("/api/v1/reports/summary/", query).json()
        ikm = api.get("/api/v1/reports/ikm/", query).json()
        # The suggestions' words are personal data; which ones there were is a figure.
        ikm["comments"] = [{k: v for k, v in c.items() if k != "comment"} for c in ikm["comments"]]
        figures[f"ikm {name}"] = ikm
    first = OLD.replace(day=1)
    end = (first + dt.timedelta(days=32)).replace(day=1)
    figures["transparency month"] = month_figures(first, end, [agency.pk])
    return figures


def snapshot(rows) -> list[dict]:
    return [dict(row) for row in rows]


def test_personal_data_is_erased_and_every_report_figure_stays(history, admin_user, disdukcapil):
    old, recent = history
    before = reports(admin_user, disdukcapil)
    assert before["summary old day"]["tickets"] == 2 and before["ikm old day"]["respondents"] == 1
    recent_rows = {
        "bookings": snapshot(Booking.objects.filter(date=RECENT).values()),
        "notifications": snapshot(Notification.objects.filter(booking__date=RECENT).values()),
        "surveys": snapshot(Survey.objects.filter(pk=recent.survey.pk).values()),
        "attempts": snapshot(NotificationAttempt.objects.filter(at__date=RECENT).values()),
        "lockouts": snapshot(AccessAttempt.objects.filter(pk=recent.lockout.pk).values()),
    }

    erased = personal_data_erase(days=365)

    assert reports(admin_user, disdukcapil) == before
    assert erased["bookings"] == 3 and erased["survey comments"] == 1 and erased["login lockouts"] == 1
    assert erased["notifications"] == Notification.objects.filter(booking__date=OLD).count() > 0
    # Nothing of the old day's people is left anywhere.
    for person in old.people:
        for value in (person.nik, person.name, person.phone, person.email):
            assert not Booking.objects.filter(Q(nik=value) | Q(name=value) | Q(phone=value) | Q(email=value)).exists()
            assert not Notification.objects.filter(
                Q(recipient__contains=value) | Q(message__contains=value) | Q(subject__contains=value)
            ).exists()
            assert not NotificationAttempt.objects.filter(detail__contains=value).exists()
            assert not Survey.objects.filter(comment__contains=value).exists()
    for booking in Booking.objects.filter(date=OLD):
        assert (booking.name, booking.phone, booking.email) == ("", "", "")
        assert booking.nik == f"~{booking.pk}"
        assert booking.status in ("checked_in", "booked")  # the rest of the row stays
    assert Survey.objects.get(pk=old.survey.pk).comment == ERASED_TEXT
    assert not AccessAttempt.objects.filter(pk=old.lockout.pk).exists()
    # What is recent is untouched.
    assert recent_rows == {
        "bookings": snapshot(Booking.objects.filter(date=RECENT).values()),
        "notifications": snapshot(Notification.objects.filter(booking__date=RECENT).values()),
        "surveys": snapshot(Survey.objects.filter(pk=recent.survey.pk).values()),
        "attempts": snapshot(NotificationAttempt.objects.filter(at__date=RECENT).values()),
        "lockouts": snapshot(AccessAttempt.objects.filter(pk=recent.lockout.pk).values()),
    }
    # A second run finds nothing left to do.
    assert set(personal_data_erase(days=365).values()) == {0}


def test_a_shorter_period_reaches_the_recent_day_too(history):
    old, recent = history
    personal_data_erase(days=5)
    assert not Booking.objects.filter(name__in=[p.name for p in old.people + recent.people]).exists()
    assert Survey.objects.get(pk=recent.survey.pk).comment == ERASED_TEXT


def test_erasing_in_small_batches_reaches_every_row(history):
    personal_data_erase(days=365, batch=2)
    assert not Booking.objects.filter(date=OLD).exclude(name="").exists()
    assert not Notification.objects.filter(booking__date=OLD).exclude(recipient="").exists()


def test_a_message_not_sent_yet_is_left_to_the_outbox(history):
    old, _recent = history
    waiting = Notification.objects.filter(booking=old.served_booking).first()
    Notification.objects.filter(pk=waiting.pk).update(status="pending")
    personal_data_erase(days=365)
    assert Notification.objects.get(pk=waiting.pk).recipient != ""


def test_the_nightly_task_uses_the_setting(history, settings):
    settings.RETENTION_DAYS = 3650
    assert set(erase_personal_data().values()) == {0}
    settings.RETENTION_DAYS = 365
    assert erase_personal_data()["bookings"] == 3
    assert Booking.objects.filter(date=RECENT).exclude(name="").count() == 3


def test_the_job_is_on_beats_schedule(settings):
    assert settings.CELERY_BEAT_SCHEDULE["erase-personal-data"]["task"] == "queueing.office.tasks.erase_personal_data"


def test_a_new_table_is_one_eraser_more(history, monkeypatch):
    """How another table joins: one line in ERASERS."""
    old, _recent = history
    extra = Eraser("suggestions again", "queueing.Survey", "created_at", {"comment": "x"}, only=~Q(comment=""))
    monkeypatch.setattr(retention, "ERASERS", [*ERASERS, extra])
    erased = personal_data_erase(days=365)
    assert erased["suggestions again"] == 1
    assert Survey.objects.get(pk=old.survey.pk).comment == "x"


def test_an_eraser_must_erase_something_to_a_plain_value():
    with pytest.raises(ValueError, match="plain value"):
        Eraser("bad", "queueing.Booking", "date", {"nik": retention._unique_marker("~")})
    with pytest.raises(ValueError):
        personal_data_erase(days=0)


def test_retention_days_must_be_a_whole_number_of_one_or_more():
    for raw, message in (("0", "RETENTION_DAYS=0: use how many days"), ("setahun", "RETENTION_DAYS='setahun' is not")):
        done = run_django(["check"], RETENTION_DAYS=raw)
        assert done.returncode != 0
        assert message in done.stderr
    assert run_django(["check"], RETENTION_DAYS="730").returncode == 0


def test_complaints_older_than_the_period_lose_their_contact_text_and_answers(history, disdukcapil, admin_user):
    old = complaint_file(
        text="Petugas bernama Budi kasar", agency=disdukcapil, name="Siti Aminah", phone="+6281298765432", consent=True,
        now=timezone.now() - dt.timedelta(days=400),
    )  # fmt: skip
    complaint_answer(complaint=old, staff=admin_user, answer="Maaf, Bu Siti", status=ComplaintStatus.ANSWERED)
    recent = complaint_file(text="Antrean lama", agency=disdukcapil, name="Rina", consent=True)
    assert personal_data_erase(days=365)["complaints"] == 1
    old.refresh_from_db()
    assert (old.name, old.phone, old.text) == ("", "", "")
    assert not old.acts.exclude(answer="").exists()
    assert old.status == ComplaintStatus.ANSWERED and old.agency == disdukcapil
    assert Complaint.objects.get(pk=recent.pk).name == "Rina"
    assert personal_data_erase(days=365)["complaints"] == 0
