"""The demo data command: the 17 partner agencies, their services and counters, the demo
staff of the contract, holidays, and that a second run changes nothing."""

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from agencies.models import Agency, Agreement, Counter, Role, User
from services.models import ClosureDay, OpeningHours, Service

AGENCY_KINDS = {
    "dpmptsp": "opd",
    "disdukcapil": "opd",
    "bapenda": "opd",
    "samsat": "opd",
    "polres": "pemerintah",
    "kejari": "pemerintah",
    "pn": "pemerintah",
    "pa": "pemerintah",
    "bpn": "pemerintah",
    "imigrasi": "pemerintah",
    "kemenag": "pemerintah",
    "kpp": "pemerintah",
    "bpjstk": "pemerintah",
    "pos": "bumn",
    "pln": "bumn",
    "bjb": "bumd",
    "pits": "bumd",
}

STANDARD_FIELDS = ["requirements", "procedure", "completion_time", "fee", "product", "complaints", "legal_basis"]


def load() -> str:
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "agencies": Agency.objects.count(),
        "agreements": Agreement.objects.count(),
        "counters": Counter.objects.count(),
        "services": Service.objects.count(),
        "service_counters": Service.counters.through.objects.count(),
        "users": User.objects.count(),
        "user_counters": User.counters.through.objects.count(),
        "hours": OpeningHours.objects.count(),
        "closures": ClosureDay.objects.count(),
    }


@pytest.fixture
def demo(db):
    return load()


def test_the_17_agencies_with_their_codes_kinds_and_mou(demo):
    assert dict(Agency.objects.values_list("code", "kind")) == AGENCY_KINDS
    prefixes = list(Agency.objects.values_list("ticket_prefix", flat=True))
    assert len(set(prefixes)) == 17
    for agency in Agency.objects.all():
        agency.full_clean()
        assert agency.description and agency.location
        mou = agency.agreements.get()
        assert mou.signed_on == mou.valid_from == dt.date(2021, 3, 5)
        assert mou.valid_until is None


def test_every_agency_publishes_at_least_two_complete_services(demo):
    for agency in Agency.objects.all():
        services = list(agency.services.all())
        assert len(services) >= 2, agency.code
        for service in services:
            service.full_clean()
            for field in STANDARD_FIELDS:
                assert getattr(service, field).strip(), (agency.code, service.code, field)
            assert "SP4N-LAPOR!" in service.complaints
            assert service.walk_in_reserve + service.priority_reserve <= service.daily_quota
    assert Service.objects.filter(agency__code="disdukcapil").count() >= 4
    assert Service.objects.filter(online_booking=False).exists()


def test_dukcapil_quotas_follow_the_domain_figures(demo):
    quotas = dict(Service.objects.filter(agency__code="disdukcapil").values_list("code", "daily_quota"))
    assert quotas["ktp-el"] == 300
    assert quotas["pindah-datang"] == 150
    assert quotas["kartu-keluarga"] == quotas["akta-kelahiran"] == 20


def test_online_seats_fit_in_the_slots_of_a_regular_day(demo):
    minutes = 7 * 60  # 08.00–15.00
    for service in Service.objects.filter(online_booking=True):
        slots = minutes // service.slot_minutes
        assert slots * service.slot_capacity >= service.bookable_per_day, service.code


def test_imigrasi_paspor_points_to_m_paspor(demo):
    paspor = Service.objects.get(agency__code="imigrasi", code="paspor")
    assert paspor.online_booking is False
    assert paspor.external_booking_url.startswith("https://")
    assert paspor.daily_quota == 30
    assert "Rp350.000" in paspor.fee and "Rp650.000" in paspor.fee


def test_counters_are_numbered_across_the_mall_and_serve_their_agency(demo):
    numbers = list(Counter.objects.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    for agency in Agency.objects.all():
        counters = set(agency.counters.all())
        assert len(counters) >= 2, agency.code
        for service in agency.services.all():
            served_by = set(service.counters.all())
            assert served_by and served_by <= counters, service.code


def test_demo_users_of_the_contract(demo):
    admin = User.objects.get(username="admin")
    assert admin.role == Role.ADMIN and admin.is_superuser and admin.is_staff
    assert admin.check_password(settings.DEMO_PASSWORD)
    for agency in Agency.objects.all():
        supervisor = User.objects.get(username=f"supervisor-{agency.code}")
        assert supervisor.role == Role.SUPERVISOR and supervisor.is_staff and not supervisor.is_superuser
        assert supervisor.agency == agency
        assert supervisor.check_password(settings.DEMO_PASSWORD)
        officer_counters = []
        for n in (1, 2):
            officer = User.objects.get(username=f"officer-{agency.code}-{n}")
            assert officer.role == Role.OFFICER and not officer.is_staff and not officer.is_superuser
            assert officer.agency == agency
            assert officer.check_password(settings.DEMO_PASSWORD)
            assert officer.first_name and officer.last_name
            bound = list(officer.counters.all())
            assert len(bound) == 1 and bound[0].agency == agency
            officer_counters.append(bound[0])
        assert officer_counters[0] != officer_counters[1]
    desk = User.objects.get(username="helpdesk")
    assert desk.role == Role.HELP_DESK and desk.agency is None and desk.can_use_help_desk
    assert not desk.is_staff and not desk.is_superuser
    assert desk.check_password(settings.DEMO_PASSWORD)
    kiosk = User.objects.get(username="kiosk")
    assert kiosk.role == Role.KIOSK and kiosk.agency is None and kiosk.can_issue_walk_ins
    assert not kiosk.is_staff and not kiosk.is_superuser and not kiosk.can_use_help_desk
    assert kiosk.check_password(settings.DEMO_PASSWORD)
    assert User.objects.count() == 3 + 3 * 17


def test_mall_hours_and_holidays(demo):
    hours = OpeningHours.objects.filter(agency=None, service=None)
    assert sorted(hours.values_list("weekday", flat=True)) == [0, 1, 2, 3, 4]
    assert {(h.opens, h.closes) for h in hours} == {(dt.time(8), dt.time(15))}
    year = timezone.localdate().year
    assert ClosureDay.objects.filter(agency=None, date=dt.date(year, 8, 17)).exists()
    assert ClosureDay.objects.filter(agency=None, date=dt.date(year + 1, 8, 17)).exists()


def test_a_second_run_changes_nothing(demo):
    before = counts()
    stamps = dict(Agency.objects.values_list("code", "updated_at"))
    hashes = dict(User.objects.values_list("username", "password"))
    output = load()
    assert counts() == before
    assert dict(Agency.objects.values_list("code", "updated_at")) == stamps
    assert dict(User.objects.values_list("username", "password")) == hashes
    assert "0 baru" in output


def test_a_changed_password_and_staff_hours_survive_a_rerun(demo):
    officer = User.objects.get(username="officer-pln-1")
    officer.set_password("kata-sandi-baru-2026")
    officer.save()
    monday = OpeningHours.objects.get(agency=None, service=None, weekday=0)
    monday.closes = dt.time(16)
    monday.save()
    Service.objects.filter(code="ktp-el").update(daily_quota=5, walk_in_reserve=0, priority_reserve=0)
    load()
    officer.refresh_from_db()
    assert officer.check_password("kata-sandi-baru-2026")
    assert OpeningHours.objects.get(agency=None, service=None, weekday=0).closes == dt.time(16)
    # The demo data itself is restored.
    assert Service.objects.get(code="ktp-el").daily_quota == 300


def test_the_output_names_the_demo_logins(demo):
    assert "admin" in demo
    assert "supervisor-<kode>" in demo and "officer-<kode>-1" in demo
    assert settings.DEMO_PASSWORD in demo


def test_sync_holidays_adds_the_years_asked_for(db):
    out = StringIO()
    call_command("sync_holidays", "--year", "2030", stdout=out)
    assert ClosureDay.objects.filter(date=dt.date(2030, 8, 17)).exists()
    assert not ClosureDay.objects.filter(date__year=2031).exists()
    added = ClosureDay.objects.count()
    assert str(added) in out.getvalue()
    out = StringIO()
    call_command("sync_holidays", "--year", "2030", stdout=out)
    assert ClosureDay.objects.count() == added
    assert " 0 " in out.getvalue()


def test_the_demo_mall_opens_around_the_clock_for_trying_it_outside_its_hours(demo):
    from services.schedule import forget_schedules, open_intervals

    ktp = Service.objects.get(code="ktp-el")
    sunday = timezone.localdate() + dt.timedelta(days=(6 - timezone.localdate().weekday()) % 7)
    night = dt.datetime.combine(sunday, dt.time(3), tzinfo=timezone.get_current_timezone())
    weekday_hours = set(OpeningHours.objects.filter(valid_from=None).values_list("weekday", "opens", "closes"))
    assert open_intervals(ktp, sunday) == []

    out = StringIO()
    call_command("demo_around_the_clock", stdout=out)
    call_command("demo_around_the_clock", stdout=StringIO())  # twice: the same rows

    forget_schedules()
    assert any(opens <= night < closes for opens, closes in open_intervals(ktp, sunday))
    monday = sunday + dt.timedelta(days=1)
    assert [(opens.hour, closes.hour) for opens, closes in open_intervals(ktp, monday)] == [(0, 23)]
    assert OpeningHours.objects.exclude(valid_from=None).count() == 7
    # The usual hours stay as they were, ready for when the demo closes again.
    assert set(OpeningHours.objects.filter(valid_from=None).values_list("weekday", "opens", "closes")) == weekday_hours
    assert "24 jam" in out.getvalue()

    call_command("demo_around_the_clock", "--off", stdout=StringIO())
    forget_schedules()
    assert open_intervals(ktp, sunday) == []
    assert not OpeningHours.objects.exclude(valid_from=None).exists()


def test_make_run_and_the_readme_tell_how_to_try_the_demo_outside_its_hours():
    root = settings.BASE_DIR
    makefile = (root / "Makefile").read_text()
    readme_top = "\n".join((root / "README.md").read_text().splitlines()[:40])
    assert "demo_around_the_clock" in makefile and "DEMO_24H" in makefile
    assert "DEMO_24H=1" in readme_top
