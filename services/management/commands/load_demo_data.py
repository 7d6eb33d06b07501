"""``manage.py load_demo_data``: the 17 partner agencies of MPP Kota Tangerang Selatan with
their MoU, services, counters, opening hours, holidays and demo staff.

Idempotent: rows are matched by their natural keys (agency code, MoU number, service
code, counter number, username) and only written when they differ from the demo data,
so a second run changes nothing. Passwords are set only when a user is created; opening
hours only when the mall has none for that weekday, so hours edited by staff stay.
"""

import time
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.utils import timezone

from agencies.models import Agency, Agreement, Counter, Role, User
from services import demo_data
from services.models import OpeningHours, Service
from services.schedule import schedule_changed
from services.search import forget_search_index
from services.services import closure_days_sync_holidays


class Command(BaseCommand):
    help = "Muat data demo MPP (17 instansi, layanan, loket, jam buka, hari libur, pengguna demo). Idempoten."

    def handle(self, *args, **options):
        started = time.monotonic()
        with transaction.atomic():
            report = load()
            schedule_changed()  # bulk writes skip the signals that usually say so
            forget_search_index()
        elapsed = time.monotonic() - started
        if options["verbosity"] == 0:
            return
        write = self.stdout.write
        write(self.style.SUCCESS(f"Data demo dimuat dalam {elapsed:.1f} detik:"))
        for label, (total, created, updated) in report["rows"].items():
            write(f"  {label}: {total} ({created} baru, {updated} diperbarui)")
        write(f"  jam buka mal ditambahkan: {report['hours_added']}")
        write(f"  hari libur ditambahkan: {report['holidays_added']} ({', '.join(map(str, report['years']))})")
        write("")
        write(f"Login demo (kata sandi awal: {settings.DEMO_PASSWORD}):")
        write("  admin                     administrator DPMPTSP")
        write("  supervisor-<kode>         supervisor instansi")
        write("  officer-<kode>-1, -2      petugas loket")
        write("  kode: " + ", ".join(a["code"] for a in demo_data.AGENCIES))
        write("")
        write("Di luar jam mal demo (Senin–Jumat 08.00–15.00)? make run DEMO_24H=1 membukanya 24 jam.")


def load() -> dict:
    """Write the demo data; the caller holds the transaction."""
    rows = {}

    def track(label: str, result: tuple[dict, int, int]) -> dict:
        by_key, created, updated = result
        rows[label] = (len(by_key), created, updated)
        return by_key

    agencies = track(
        "instansi",
        _sync(
            Agency,
            ("code",),
            [
                {
                    "code": a["code"],
                    "name": a["name"],
                    "kind": a["kind"],
                    "ticket_prefix": a["ticket_prefix"],
                    "description": a["description"],
                    "location": a["location"],
                    "website": a["website"],
                    **demo_data.agency_english(a),
                }
                for a in demo_data.AGENCIES
            ],
            Agency.objects.filter(code__in=[a["code"] for a in demo_data.AGENCIES]),
        ),
    )
    agency_ids = {code: agency.pk for (code,), agency in agencies.items()}

    track(
        "MoU",
        _sync(
            Agreement,
            ("agency_id", "number"),
            [
                {
                    "agency_id": agency_ids[a["code"]],
                    # Demo numbering; the real MoU numbers are entered by staff.
                    "number": f"MPP/{i:02d}/2021",
                    "signed_on": demo_data.MOU_SIGNED_ON,
                    "valid_from": demo_data.MOU_SIGNED_ON,
                    "scope": f"Penyelenggaraan pelayanan {a['short']} di Mal Pelayanan Publik Kota Tangerang Selatan.",
                }
                for i, a in enumerate(demo_data.AGENCIES, start=1)
            ],
            Agreement.objects.filter(agency_id__in=agency_ids.values()),
        ),
    )

    counter_rows, counter_numbers = [], {}
    number = 0
    for a in demo_data.AGENCIES:
        counter_numbers[a["code"]] = []
        for i in range(1, a["counters"] + 1):
            number += 1
            counter_numbers[a["code"]].append(number)
            counter_rows.append(
                {
                    "number": number,
                    "agency_id": agency_ids[a["code"]],
                    "name": f"{a['short']} {i}",
                    "location": a["location"],
                }
            )
    counters = track(
        "loket",
        _sync(
            Counter, ("number",), counter_rows, Counter.objects.filter(number__in=[r["number"] for r in counter_rows])
        ),
    )
    counter_ids = {code: [counters[(n,)].pk for n in numbers] for code, numbers in counter_numbers.items()}

    service_rows = []
    for a in demo_data.AGENCIES:
        complaints, complaints_en = demo_data.complaints_for(a)
        for order, s in enumerate(a["services"], start=1):
            service_rows.append(
                {
                    **s,
                    "agency_id": agency_ids[a["code"]],
                    "complaints": complaints,
                    "complaints_en": complaints_en,
                    "order": order,
                }
            )
    services = track(
        "layanan",
        _sync(Service, ("agency_id", "code"), service_rows, Service.objects.filter(agency_id__in=agency_ids.values())),
    )
    _sync_links(
        Service.counters.through,
        "service_id",
        "counter_id",
        {
            services[(agency_ids[a["code"]], s["code"])].pk: counter_ids[a["code"]]
            for a in demo_data.AGENCIES
            for s in a["services"]
        },
    )

    user_rows, bindings = _user_rows(agency_ids, counter_ids)
    users = track("pengguna", _sync_users(user_rows))
    _sync_links(User.counters.through, "user_id", "counter_id", {users[name].pk: ids for name, ids in bindings.items()})

    hours_added = _ensure_mall_hours()
    today = timezone.localdate()
    years = [today.year, today.year + 1]
    holidays_added = closure_days_sync_holidays(years=years)
    return {"rows": rows, "hours_added": hours_added, "holidays_added": holidays_added, "years": years}


def _sync(
    model: type[models.Model], key: tuple[str, ...], rows: list[dict], existing: Iterable[models.Model]
) -> tuple[dict, int, int]:
    """Create the rows that are missing and update those that differ, matched on ``key``.

    Returns the objects by key, and how many were created and updated.
    """
    by_key = {tuple(getattr(obj, f) for f in key): obj for obj in existing}
    to_create, to_update, changed = [], [], set()
    for row in rows:
        row_key = tuple(row[f] for f in key)
        obj = by_key.get(row_key)
        if obj is None:
            by_key[row_key] = obj = model(**row)
            to_create.append(obj)
            continue
        diff = [field for field, value in row.items() if getattr(obj, field) != value]
        if diff:
            for field in diff:
                setattr(obj, field, row[field])
            to_update.append(obj)
            changed.update(diff)
    if to_create:
        model.objects.bulk_create(to_create)
    if to_update:
        if any(f.name == "updated_at" for f in model._meta.fields):
            now = timezone.now()
            for obj in to_update:
                obj.updated_at = now
            changed.add("updated_at")
        model.objects.bulk_update(to_update, sorted(changed))
    return by_key, len(to_create), len(to_update)


def _sync_links(through: type[models.Model], left: str, right: str, wanted: dict[int, list[int]]) -> None:
    """Make the many-to-many links of the objects in ``wanted`` exactly the ones listed."""
    existing = set(through.objects.filter(**{f"{left}__in": wanted}).values_list(left, right))
    desired = {(owner, target) for owner, targets in wanted.items() for target in targets}
    stale = existing - desired
    for owner, target in stale:
        through.objects.filter(**{left: owner, right: target}).delete()
    through.objects.bulk_create([through(**{left: owner, right: target}) for owner, target in desired - existing])


def _user_rows(agency_ids: dict[str, int], counter_ids: dict[str, list[int]]) -> tuple[list[dict], dict]:
    admin = demo_data.ADMIN
    rows = [
        {**admin, "role": Role.ADMIN, "agency_id": None, "is_staff": True, "is_superuser": True},
        {**demo_data.HELP_DESK, "role": Role.HELP_DESK, "agency_id": None, "is_staff": False, "is_superuser": False},
        {**demo_data.KIOSK, "role": Role.KIOSK, "agency_id": None, "is_staff": False, "is_superuser": False},
    ]
    bindings = {}
    for index, a in enumerate(demo_data.AGENCIES):
        for person in demo_data.staff_for(index, a["code"]):
            counter_index = person.pop("counter_index")
            rows.append(
                {
                    **person,
                    "agency_id": agency_ids[a["code"]],
                    "is_staff": person["role"] == Role.SUPERVISOR,
                    "is_superuser": False,
                }
            )
            if counter_index is not None:
                bindings[person["username"]] = [counter_ids[a["code"]][counter_index]]
    return rows, bindings


# Set on creation only: staff may rename a demo user, and a changed password stays.
_USER_CREATE_ONLY = ("first_name", "last_name")


def _sync_users(rows: list[dict]) -> tuple[dict, int, int]:
    users = {u.username: u for u in User.objects.filter(username__in=[r["username"] for r in rows])}
    new = [r for r in rows if r["username"] not in users]
    created = []
    if new:
        # One hash for every new demo user: they all share the demo password, and the
        # real hasher costs a noticeable fraction of a second per call.
        password = make_password(settings.DEMO_PASSWORD)
        created = User.objects.bulk_create([User(**row, password=password) for row in new])
        users.update({u.username: u for u in created})
    new_names = {r["username"] for r in new}
    existing_rows = [
        {k: v for k, v in r.items() if k not in _USER_CREATE_ONLY} for r in rows if r["username"] not in new_names
    ]
    _, _, updated = _sync(
        User, ("username",), existing_rows, [u for u in users.values() if u.username not in new_names]
    )
    return users, len(created), updated


def _ensure_mall_hours() -> int:
    """Add the demo weekday hours for each weekday on which the mall has no undated hours."""
    have = set(
        OpeningHours.objects.filter(agency=None, service=None, valid_from=None).values_list("weekday", flat=True)
    )
    new = [
        OpeningHours(weekday=weekday, opens=opens, closes=closes)
        for weekday, opens, closes in demo_data.OPENING_HOURS
        if weekday not in have
    ]
    OpeningHours.objects.bulk_create(new)
    return len(new)
