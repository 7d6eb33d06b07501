"""Data for the benchmarks, made fresh in the bench database on every run."""

import datetime as dt
import os
import platform
from pathlib import Path

from django.db import connection
from django.db.models import Count, F, Q
from django.utils import timezone

from agencies.models import Agency, AgencyKind
from queueing.models import Booking, Notification, NotificationAttempt, PhoneDay, ServiceDay
from services.models import BookingPolicy, ClosureDay, OpeningHours, Service
from services.schedule import schedule_changed

DAYS = 30
SERVICES = 40


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "")
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return (
        f"{os.cpu_count()} cores {model}, {memory_kb / 1024 / 1024:.0f} GiB, "
        f"PostgreSQL {pg}, Python {platform.python_version()}"
    )


def _service(agency: Agency, code: str, **values) -> Service:
    service, _ = Service.objects.update_or_create(
        agency=agency,
        code=code,
        defaults={
            "name": f"Layanan uji beban {code}",
            "requirements": "KTP-el",
            "procedure": "Datang\nDilayani",
            "completion_time": "Selesai di tempat",
            "product": "Dokumen",
            "complaints": "SP4N-LAPOR!",
            **values,
        },
    )
    return service


def prepare() -> dict:
    Booking.objects.filter(service__agency__code="bench").delete()
    ServiceDay.objects.filter(service__agency__code="bench").delete()
    # The numbers' counts of the days: every booking of this database was the bench's.
    PhoneDay.objects.all().delete()
    agency, _ = Agency.objects.update_or_create(
        code="bench", defaults={"name": "Instansi Uji Beban", "kind": AgencyKind.OPD, "ticket_prefix": "ZZB"}
    )
    BookingPolicy.objects.update_or_create(
        pk=1, defaults={"min_notice_minutes": 0, "max_days_ahead": DAYS + 1, "registration_hours": ""}
    )
    OpeningHours.objects.filter(agency=agency).delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(agency=agency, weekday=day, opens=dt.time(8, 0), closes=dt.time(15, 0)) for day in range(7)
    )
    schedule_changed()
    # Forty services of 14 half-hour slots a day, five seats each, open every day.
    spread = [
        _service(agency, f"spread-{n}", slot_minutes=30, slot_capacity=5, daily_quota=1000) for n in range(SERVICES)
    ]
    one = _service(agency, "one-slot", slot_minutes=60, slot_capacity=30_000, daily_quota=1_000_000)
    warm = _service(agency, "warm-up", slot_minutes=60, slot_capacity=30_000, daily_quota=1_000_000)
    zone = timezone.get_current_timezone()
    first = timezone.localdate() + dt.timedelta(days=1)
    # The mall's closure days (public holidays, which the demo data of the office
    # section brings) hold no slots: the days booked are the first DAYS open ones.
    closed = set(ClosureDay.objects.filter(Q(agency=None) | Q(agency=agency)).values_list("date", flat=True))
    days = [day for day in (first + dt.timedelta(days=n) for n in range(2 * DAYS)) if day not in closed][:DAYS]
    BookingPolicy.objects.filter(pk=1).update(max_days_ahead=(days[-1] - first).days + 2)
    starts = [
        dt.datetime.combine(day, dt.time(8), tzinfo=zone) + dt.timedelta(minutes=30 * n)
        for day in days
        for n in range(14)
    ]
    spread_targets = [f"{service.id} {start.isoformat()}" for service in spread for start in starts]
    one_start = dt.datetime.combine(first, dt.time(9), tzinfo=zone)
    # The day rows a booking locks, as a day's first booking leaves them; the floor's
    # rows exist before it runs too.
    ServiceDay.objects.bulk_create(
        [ServiceDay(service=service, date=day) for service in [*spread, one, warm] for day in days],
        ignore_conflicts=True,
    )
    # Each run starts from the state autovacuum keeps a real database in: this machine's
    # PostgreSQL runs without it, every run deletes the previous run's thousands of
    # bookings and day rows, and a notifier rewrites each message it sends: their dead
    # entries would sit in the indexes the next run writes to.
    with connection.cursor() as cursor:
        for model in (Booking, ServiceDay, Notification, NotificationAttempt):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    return {
        "warm_url": f"/api/v1/services/{one.id}/",
        "warm_targets": [f"{warm.id} {dt.datetime.combine(day, dt.time(10), tzinfo=zone).isoformat()}" for day in days],
        "spread_targets": spread_targets,
        "one_slot_targets": [f"{one.id} {one_start.isoformat()}"],
        "service_pages": [f"/instansi/{agency.code}/layanan/{service.code}/" for service in spread],
        "slot_urls": [
            f"/api/v1/services/{service.id}/slots/?date={day.isoformat()}" for service in spread for day in days
        ],
    }


def overbooked_seats() -> int:
    """Seats taken beyond a slot's capacity or a day's online quota, over all bench services."""
    active = Booking.objects.active().filter(service__agency__code="bench")
    over_slot = sum(
        max(row["n"] - row["cap"], 0)
        for row in active.values("service", "start").annotate(n=Count("id"), cap=F("service__slot_capacity"))
    )
    over_day = sum(
        max(row["n"] - row["quota"], 0)
        for row in active.values("service", "date").annotate(
            n=Count("id"),
            quota=F("service__daily_quota") - F("service__walk_in_reserve") - F("service__priority_reserve"),
        )
    )
    return over_slot + over_day
