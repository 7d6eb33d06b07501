"""Staff are told by email of an MoU that ends in 90, 30 and 7 days: each notice once,
to the agency's supervisors and DPMPTSP's administrators, through the outbox."""

import datetime as dt

import pytest
from django.core import mail

from agencies.models import Role
from queueing.models import Notification, NotificationEvent
from queueing.notifications.delivery import notifications_send
from queueing.notifications.mou_expiry import notice_threshold, notifications_write_mou_expiry
from queueing.notifications.tasks import write_mou_expiry_notices
from tests.factories import AdminFactory, AgreementFactory, UserFactory

pytestmark = pytest.mark.django_db

END = dt.date(2026, 3, 4)


def days_before(days: int) -> dt.date:
    return END - dt.timedelta(days=days)


@pytest.fixture
def staff(disdukcapil, samsat):
    """Who is told of Disdukcapil's MoU, and who is not."""

    def person(username, role, agency, email, **extra):
        return UserFactory(username=username, role=role, agency=agency, email=email, **extra)

    return {
        "supervisor": person("sup-dukcapil", Role.SUPERVISOR, disdukcapil, "sup@dukcapil.example"),
        "admin": AdminFactory(username="admin-mpp", email="admin@mpp.example"),
        "admin_without_email": AdminFactory(username="admin-tanpa-email", email=""),
        "former": person("sup-lama", Role.SUPERVISOR, disdukcapil, "lama@dukcapil.example", is_active=False),
        "officer": person("petugas", Role.OFFICER, disdukcapil, "petugas@dukcapil.example"),
        "other_supervisor": person("sup-samsat", Role.SUPERVISOR, samsat, "sup@samsat.example"),
        "help_desk": person("meja", Role.HELP_DESK, None, "meja@mpp.example"),
    }


@pytest.fixture
def mou(disdukcapil):
    return AgreementFactory(agency=disdukcapil, number="800/12/2021", valid_from=dt.date(2021, 3, 5), valid_until=END)


def notices():
    return Notification.objects.filter(event=NotificationEvent.MOU_EXPIRING)


def every_day(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("days_left", "threshold"),
    [(120, None), (91, None), (90, 90), (31, 90), (30, 30), (8, 30), (7, 7), (1, 7), (0, 7), (-1, None)],
)
def test_the_notice_due_is_the_nearest_threshold_at_or_above_the_days_left(days_left, threshold):
    assert notice_threshold(days_left) == threshold


def test_ninety_days_before_the_supervisors_and_administrators_are_told_by_email(staff, mou):
    written = notifications_write_mou_expiry(today=days_before(90))

    assert written == 2
    assert sorted(notices().values_list("channel", "recipient")) == [
        ("email", "admin@mpp.example"),
        ("email", "sup@dukcapil.example"),
    ]
    notice = notices().get(recipient="sup@dukcapil.example")
    assert notice.agency_id == mou.agency_id
    assert notice.subject == "MoU Dinas Kependudukan dan Pencatatan Sipil berakhir dalam 90 hari"
    assert "MoU 800/12/2021" in notice.message and "4 Mar 2026" in notice.message
    assert "/kantor/mou/" in notice.message


def test_running_twice_on_the_same_day_writes_each_notice_once(staff, mou):
    assert notifications_write_mou_expiry(today=days_before(30)) == 2
    assert notifications_write_mou_expiry(today=days_before(30)) == 0
    assert notices().count() == 2


def test_every_day_from_four_months_before_to_the_end_gives_three_notices_each(staff, mou):
    for day in every_day(days_before(120), END + dt.timedelta(days=10)):
        notifications_write_mou_expiry(today=day)
        notifications_write_mou_expiry(today=day)

    for person in ("sup@dukcapil.example", "admin@mpp.example"):
        subjects = list(notices().filter(recipient=person).order_by("created_at").values_list("subject", flat=True))
        assert [subject.rsplit(" dalam ", 1)[1] for subject in subjects] == ["90 hari", "30 hari", "7 hari"]
    assert notices().count() == 6


def test_days_the_scan_missed_are_caught_up_with_the_nearest_notice_only(staff, mou):
    assert notifications_write_mou_expiry(today=days_before(20)) == 2
    assert notices().filter(subject__endswith="20 hari").count() == 2
    for day in every_day(days_before(19), days_before(8)):
        assert notifications_write_mou_expiry(today=day) == 0
    assert notifications_write_mou_expiry(today=days_before(5)) == 2
    assert notices().count() == 4


def test_a_renewed_end_date_starts_notices_of_its_own(staff, mou):
    notifications_write_mou_expiry(today=days_before(7))
    mou.valid_until = END + dt.timedelta(days=365)
    mou.save()

    assert notifications_write_mou_expiry(today=days_before(7)) == 0
    assert notifications_write_mou_expiry(today=END + dt.timedelta(days=365 - 90)) == 2
    assert notices().count() == 4


def test_a_renewal_signed_as_a_new_mou_stops_the_old_ones_notices_and_has_its_own(staff, mou, disdukcapil):
    notifications_write_mou_expiry(today=days_before(90))
    renewal = AgreementFactory(agency=disdukcapil, number="800/3/2026", valid_from=END + dt.timedelta(days=1),
                               valid_until=END + dt.timedelta(days=5 * 365))  # fmt: skip

    assert notifications_write_mou_expiry(today=days_before(30)) == 0
    assert notifications_write_mou_expiry(today=renewal.valid_until - dt.timedelta(days=90)) == 2
    assert notices().filter(message__contains="800/3/2026").count() == 2


def test_nobody_is_told_of_an_mou_without_an_end_an_ended_one_or_an_inactive_agencys(staff, disdukcapil, samsat):
    AgreementFactory(agency=disdukcapil, valid_until=None)
    AgreementFactory(agency=samsat, valid_until=END)
    samsat.active = False
    samsat.save()

    assert notifications_write_mou_expiry(today=days_before(7)) == 0
    assert notifications_write_mou_expiry(today=END + dt.timedelta(days=1)) == 0


def test_notifications_switched_off_write_nothing(staff, mou, settings):
    settings.NOTIFICATIONS_ENABLED = False
    assert notifications_write_mou_expiry(today=days_before(90)) == 0
    assert not notices().exists()


def test_the_task_writes_todays_notices_and_they_go_out_by_email(staff, disdukcapil, settings):
    from django.utils import timezone

    AgreementFactory(agency=disdukcapil, number="MoU/7", valid_until=timezone.localdate() + dt.timedelta(days=7))

    assert write_mou_expiry_notices() == 2
    outcomes = notifications_send(notification_ids=[str(pk) for pk in notices().values_list("pk", flat=True)])

    assert outcomes == ["sent", "sent"]
    assert sorted(message.to[0] for message in mail.outbox) == ["admin@mpp.example", "sup@dukcapil.example"]
    assert all("MoU/7" in message.body for message in mail.outbox)
