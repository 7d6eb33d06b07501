"""Complaints (pengaduan): filing, deadlines in working days, answers, routing, the daily
word about overdue complaints, and erasing personal data after the retention period."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from agencies.models import Role
from queueing.errors import QueueError
from queueing.floor.tickets import ticket_act, ticket_call_next, ticket_issue_walk_in
from queueing.models import (
    CODE_LENGTH,
    Complaint,
    ComplaintAct,
    ComplaintActKind,
    ComplaintStatus,
    Notification,
    NotificationEvent,
    NotificationStatus,
)
from queueing.notifications.delivery import notification_send
from queueing.office.complaints.services import (
    complaint_answer,
    complaint_file,
    complaint_route,
    complaints_erase_personal_data,
    complaints_notify_overdue,
)
from services.models import ClosureDay, ClosureSource
from tests.factories import CounterFactory, ServiceFactory, UserFactory
from tests.fake_gateway import FakeGateway
from tests.queueing.conftest import open_around_the_clock

pytestmark = pytest.mark.django_db

# Friday 27 November 2026; the next Tuesday is 1 December.
FRIDAY = dt.date(2026, 11, 27)


def wib(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def file(**values):
    return complaint_file(**{"text": "Antrean terlalu lama dan petugas tidak ramah."} | values)


# Deadlines


def test_a_complaint_filed_on_friday_is_due_on_wednesday(disdukcapil):
    complaint = file(agency=disdukcapil, now=wib(FRIDAY, 14))
    assert complaint.respond_by == dt.date(2026, 12, 2)  # Mon, Tue, Wed
    assert complaint.status == ComplaintStatus.NEW
    assert complaint.responded_at is None


def test_a_complaint_filed_over_the_weekend_is_due_on_wednesday(disdukcapil):
    # Friday 23.30 WIB is still Friday; 00.30 on Saturday is the weekend.
    assert file(now=wib(FRIDAY, 23, 30)).respond_by == dt.date(2026, 12, 2)
    assert file(now=wib(FRIDAY + dt.timedelta(days=1), 0, 30)).respond_by == dt.date(2026, 12, 2)
    assert file(now=wib(FRIDAY + dt.timedelta(days=2), 18)).respond_by == dt.date(2026, 12, 2)


def test_a_holiday_moves_the_deadline_a_working_day_on(disdukcapil):
    ClosureDay.objects.create(date=dt.date(2026, 12, 1), name="Cuti bersama", source=ClosureSource.HOLIDAYS)
    assert file(agency=disdukcapil, now=wib(FRIDAY, 14)).respond_by == dt.date(2026, 12, 3)


def test_the_deadline_over_a_weekend_and_a_holiday(disdukcapil):
    # Filed on Thursday; Friday is a holiday, then the weekend: Mon, Tue, Wed.
    ClosureDay.objects.create(date=FRIDAY, name="Hari libur", source=ClosureSource.HOLIDAYS)
    thursday = FRIDAY - dt.timedelta(days=1)
    assert file(agency=disdukcapil, now=wib(thursday, 10)).respond_by == dt.date(2026, 12, 2)


def test_the_number_of_working_days_is_a_setting(settings, disdukcapil):
    settings.COMPLAINT_RESPONSE_DAYS = 5
    assert file(now=wib(FRIDAY, 14)).respond_by == dt.date(2026, 12, 4)


# Filing


def test_codes_are_long_random_and_unique(disdukcapil):
    codes = {file().code for _ in range(20)}
    assert len(codes) == 20
    assert all(len(code) == CODE_LENGTH for code in codes)


def test_an_anonymous_complaint_keeps_no_contact_and_records_its_filing(disdukcapil):
    complaint = file()
    assert (complaint.name, complaint.phone, complaint.email, complaint.consent_at) == ("", "", "", None)
    assert complaint.agency is None
    [act] = complaint.acts.all()
    assert (act.kind, act.to_status, act.staff) == (ComplaintActKind.FILED, ComplaintStatus.NEW, None)


def test_a_contact_needs_consent(disdukcapil):
    with pytest.raises(QueueError) as refused:
        file(phone="+6281234567890")
    assert refused.value.field == "consent"
    assert not Complaint.objects.exists()
    complaint = file(phone="+6281234567890", name="Siti", consent=True)
    assert complaint.consent_at is not None


def test_the_agency_follows_from_the_service(disdukcapil, ktp):
    complaint = file(service=ktp)
    assert (complaint.agency_id, complaint.service_id) == (disdukcapil.pk, ktp.pk)


def test_a_service_of_another_agency_is_refused_at_the_service(disdukcapil, samsat, ktp):
    with pytest.raises(QueueError) as refused:
        file(agency=samsat, service=ktp)
    assert refused.value.field == "service"


@pytest.fixture
def visit(disdukcapil, kk, counter, bob):
    ticket_issue_walk_in(service=kk)
    ticket = ticket_call_next(counter=counter, officer=bob)
    ticket_act(ticket=ticket, action="started", officer=bob)
    return ticket_act(ticket=ticket, action="completed", officer=bob)


def test_a_visit_names_its_agency_and_service(visit, disdukcapil, kk):
    complaint = file(ticket_code=visit.code.lower())
    assert (complaint.ticket_id, complaint.agency_id, complaint.service_id) == (visit.pk, disdukcapil.pk, kk.pk)


def test_a_ticket_of_another_agency_is_refused_at_the_ticket(visit, samsat):
    with pytest.raises(QueueError) as refused:
        file(agency=samsat, ticket_code=visit.code)
    assert (refused.value.field, refused.value.code) == ("ticket", "ticket_elsewhere")


def test_a_ticket_transferred_to_another_agency_may_be_about_either(disdukcapil, samsat, kk, bob, counter):
    stnk = open_around_the_clock(ServiceFactory(agency=samsat, code="stnk", walk_in=True))
    stnk.counters.add(CounterFactory(agency=samsat, number=9))
    ticket_issue_walk_in(service=kk)
    ticket = ticket_call_next(counter=counter, officer=bob)
    ticket_act(ticket=ticket, action="started", officer=bob)
    ticket_act(ticket=ticket, action="transferred", officer=bob, service=stnk)
    assert file(agency=disdukcapil, ticket_code=ticket.code).service_id == kk.pk
    assert file(agency=samsat, ticket_code=ticket.code).service_id == stnk.pk


def test_an_unknown_ticket_is_refused_at_the_ticket(disdukcapil):
    with pytest.raises(QueueError) as refused:
        file(ticket_code="ABCD-EFGH-JKMN")
    assert refused.value.field == "ticket"


def test_blank_text_is_refused_at_the_text(disdukcapil):
    with pytest.raises(QueueError) as refused:
        file(text="   \n ")
    assert refused.value.field == "text"


# Answers and routing


@pytest.fixture
def complaint(disdukcapil):
    return file(agency=disdukcapil, phone="+6281234567890", email="siti@example.org", consent=True)


def test_the_first_answer_stops_the_deadline_and_later_ones_keep_its_time(complaint, alice):
    first = complaint_answer(
        staff=alice, complaint=complaint, answer="Kami periksa.", status=ComplaintStatus.IN_PROGRESS
    )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.IN_PROGRESS
    assert complaint.responded_at == first.at
    later = complaint_answer(
        staff=alice, complaint=complaint, answer="Sudah diperbaiki.", status=ComplaintStatus.CLOSED
    )
    complaint.refresh_from_db()
    assert (complaint.status, complaint.responded_at, complaint.closed_at) == (
        ComplaintStatus.CLOSED,
        first.at,
        later.at,
    )
    acts = list(complaint.acts.values_list("kind", "from_status", "to_status", "staff_name"))
    assert acts[1:] == [
        (ComplaintActKind.ANSWERED, ComplaintStatus.NEW, ComplaintStatus.IN_PROGRESS, "alice"),
        (ComplaintActKind.ANSWERED, ComplaintStatus.IN_PROGRESS, ComplaintStatus.CLOSED, "alice"),
    ]


def test_a_supervisor_answers_only_their_agencys_complaints(complaint, carol, bob, admin_user):
    for outsider in (carol, bob):
        with pytest.raises(QueueError) as refused:
            complaint_answer(staff=outsider, complaint=complaint, answer="x", status=ComplaintStatus.ANSWERED)
        assert refused.value.forbidden
    complaint_answer(staff=admin_user, complaint=complaint, answer="Dari DPMPTSP.", status=ComplaintStatus.ANSWERED)
    assert ComplaintAct.objects.filter(complaint=complaint, kind=ComplaintActKind.ANSWERED).count() == 1


def test_an_answer_needs_text_and_a_status_after_new(complaint, alice):
    for answer, status, field in (("  ", ComplaintStatus.ANSWERED, "answer"), ("Ok", ComplaintStatus.NEW, "status")):
        with pytest.raises(QueueError) as refused:
            complaint_answer(staff=alice, complaint=complaint, answer=answer, status=status)
        assert refused.value.field == field
    complaint.refresh_from_db()
    assert complaint.responded_at is None


def test_dpmptsp_routes_a_complaint_without_agency(disdukcapil, ktp, admin_user, alice):
    complaint = file()
    with pytest.raises(QueueError) as refused:
        complaint_route(staff=alice, complaint=complaint, agency=disdukcapil)
    assert refused.value.forbidden
    act = complaint_route(staff=admin_user, complaint=complaint, agency=disdukcapil, service=ktp)
    complaint.refresh_from_db()
    assert (complaint.agency_id, complaint.service_id) == (disdukcapil.pk, ktp.pk)
    assert (act.kind, act.from_agency, act.to_agency, act.staff_name) == (
        ComplaintActKind.ROUTED,
        None,
        disdukcapil,
        "admin",
    )
    # Now the agency's supervisor may answer it.
    complaint_answer(staff=alice, complaint=complaint, answer="Kami tangani.", status=ComplaintStatus.ANSWERED)


# Messages


@pytest.fixture
def gateway(settings):
    fake = FakeGateway().start()
    settings.SMS_GATEWAY_URL = fake.url
    settings.SMS_GATEWAY_TOKEN = fake.token
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yield fake
    fake.stop()


def answered_rows():
    return Notification.objects.filter(event=NotificationEvent.COMPLAINT_ANSWERED)


def test_the_answer_goes_to_the_citizens_phone_and_email_once_each(gateway, complaint, alice):
    act = complaint_answer(
        staff=alice, complaint=complaint, answer="Petugas kami sudah ditegur.", status=ComplaintStatus.ANSWERED
    )
    rows = answered_rows()
    assert sorted(rows.values_list("channel", "recipient")) == [
        ("email", "siti@example.org"),
        ("sms", "+6281234567890"),
    ]
    assert {row.agency_id for row in rows} == {complaint.agency_id}
    for row in rows:
        assert notification_send(notification_id=row.pk) == NotificationStatus.SENT
        assert notification_send(notification_id=row.pk) == "skipped"  # never twice
    [sms] = gateway.received
    assert sms["to"] == "+6281234567890"
    assert complaint.display_code in sms["message"] and "Petugas kami sudah ditegur." in sms["message"]
    [email] = mail.outbox
    assert email.to == ["siti@example.org"] and complaint.display_code in email.subject
    # A second answer is a second message; the first is not written again.
    complaint_answer(staff=alice, complaint=complaint, answer="Selesai.", status=ComplaintStatus.CLOSED)
    assert answered_rows().count() == 4
    assert answered_rows().filter(dedupe_key__contains=f":{act.pk}:").count() == 2


def test_no_message_without_a_contact(disdukcapil, alice):
    anonymous = file(agency=disdukcapil)
    complaint_answer(staff=alice, complaint=anonymous, answer="Terima kasih.", status=ComplaintStatus.ANSWERED)
    assert not answered_rows().exists()


def test_the_message_is_in_the_citizens_language(disdukcapil, alice):
    complaint = file(agency=disdukcapil, phone="081234567890", consent=True, language="en")
    complaint_answer(staff=alice, complaint=complaint, answer="We are sorry.", status=ComplaintStatus.ANSWERED)
    [row] = answered_rows()
    assert row.language == "en" and row.message.startswith("MPP Tangsel: ") and "answered complaint" in row.message


@pytest.fixture
def people(admin_user, alice, carol, disdukcapil):
    """Who hears of overdue complaints: the administrators and the supervisors with an
    email address; another administrator without one hears nothing."""
    for person, email in (
        (admin_user, "admin@mpp.example"),
        (alice, "alice@mpp.example"),
        (carol, "carol@mpp.example"),
    ):
        person.email = email
        person.save(update_fields=["email"])
    UserFactory(username="admin2", role=Role.ADMIN, agency=None, email="")
    UserFactory(username="gone", role=Role.SUPERVISOR, agency=disdukcapil, email="gone@mpp.example", is_active=False)
    return admin_user, alice, carol


def overdue_rows():
    return Notification.objects.filter(event=NotificationEvent.COMPLAINTS_OVERDUE)


def test_overdue_complaints_are_told_once_each_a_day(people, disdukcapil, samsat):
    # The administrator and Disdukcapil's supervisor hear; Samsat's supervisor (carol),
    # whose complaint is not late, the administrator without an email and the inactive
    # supervisor do not.
    late = file(agency=disdukcapil, now=wib(FRIDAY, 10))  # due Wednesday 2 December
    unrouted = file(now=wib(FRIDAY, 11))
    on_time = file(agency=samsat, now=wib(dt.date(2026, 12, 1), 10))  # due Friday 4 December
    thursday = wib(dt.date(2026, 12, 3), 7)

    assert complaints_notify_overdue(now=wib(dt.date(2026, 12, 2), 7)) == 0  # due that day: not late yet
    assert complaints_notify_overdue(now=thursday) == 2
    assert complaints_notify_overdue(now=thursday) == 0  # the same day again: nothing
    assert complaints_notify_overdue(now=thursday + dt.timedelta(hours=9)) == 0
    rows = overdue_rows()
    assert sorted(rows.values_list("recipient", flat=True)) == ["admin@mpp.example", "alice@mpp.example"]
    to_admin = rows.get(recipient="admin@mpp.example")
    to_alice = rows.get(recipient="alice@mpp.example")
    assert f"No. {late.pk}" in to_admin.message and f"No. {unrouted.pk}" in to_admin.message
    assert f"No. {late.pk}" in to_alice.message and f"No. {unrouted.pk}" not in to_alice.message
    assert f"No. {on_time.pk}" not in to_admin.message
    assert (to_admin.agency_id, to_alice.agency_id) == (None, disdukcapil.pk)
    assert late.code not in to_admin.message  # the citizen's key stays out of email
    assert to_admin.channel == "email" and "/kantor/pengaduan/?overdue=1" in to_admin.message

    # The next day they are told again, once.
    assert complaints_notify_overdue(now=thursday + dt.timedelta(days=1)) == 2
    assert overdue_rows().count() == 4


def test_an_answered_complaint_is_not_overdue(people, disdukcapil):
    _admin, alice, _carol = people
    complaint = file(agency=disdukcapil, now=wib(FRIDAY, 10))
    complaint_answer(staff=alice, complaint=complaint, answer="Diproses.", status=ComplaintStatus.IN_PROGRESS)
    assert complaints_notify_overdue(now=wib(dt.date(2026, 12, 10), 7)) == 0
    assert not overdue_rows().exists()


def test_the_overdue_email_is_delivered(people, disdukcapil, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    file(agency=disdukcapil, now=wib(FRIDAY, 10))
    complaints_notify_overdue(now=wib(dt.date(2026, 12, 3), 7))
    for row in overdue_rows():
        assert notification_send(notification_id=row.pk) == NotificationStatus.SENT
    assert sorted(message.to[0] for message in mail.outbox) == ["admin@mpp.example", "alice@mpp.example"]
    assert all(message.subject == "1 pengaduan melewati batas tanggapan" for message in mail.outbox)


def test_the_daily_task_runs_the_check(people, disdukcapil, monkeypatch):
    from queueing.office.complaints import tasks

    file(agency=disdukcapil, now=timezone.now() - dt.timedelta(days=30))
    assert tasks.notify_overdue_complaints() == 1
    assert tasks.notify_overdue_complaints() == 0


# Retention


def test_personal_data_is_erased_before_the_cut_and_the_figures_stay(complaint, disdukcapil, alice, ktp):
    complaint_answer(
        staff=alice, complaint=complaint, answer="Halo Bu Siti, kami periksa.", status=ComplaintStatus.ANSWERED
    )
    recent = file(agency=disdukcapil, service=ktp, name="Budi", phone="081298765432", consent=True)
    Complaint.objects.filter(pk=complaint.pk).update(created_at=timezone.now() - dt.timedelta(days=400))

    assert complaints_erase_personal_data(timezone.now() - dt.timedelta(days=365)) == 1
    assert complaints_erase_personal_data(timezone.now() - dt.timedelta(days=365)) == 0  # once
    complaint.refresh_from_db()
    assert (complaint.name, complaint.phone, complaint.email, complaint.text) == ("", "", "", "")
    assert complaint.erased_at is not None
    assert (complaint.status, complaint.agency_id, complaint.respond_by) == (
        ComplaintStatus.ANSWERED,
        disdukcapil.pk,
        complaint.respond_by,
    )
    assert complaint.responded_at is not None
    assert list(complaint.acts.values_list("answer", flat=True)) == ["", ""]
    assert list(complaint.acts.values_list("staff_name", flat=True)) == ["", "alice"]
    recent.refresh_from_db()
    assert (recent.name, recent.phone, recent.service_id) == ("Budi", "+6281298765432", ktp.pk)
    # An erased complaint takes no more answers.
    with pytest.raises(QueueError):
        complaint_answer(staff=alice, complaint=complaint, answer="Lagi.", status=ComplaintStatus.CLOSED)
