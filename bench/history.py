"""A year of the mall's history in the bench database, for the benchmarks that read it
(the office's reports; the floor overview and the IKM publication can read the same).

The 17 demo agencies (``load_demo_data``) each issue ``PER_DAY`` tickets on each of
``DAYS`` working days ending yesterday, plus today (left to the reports to read from
the history, as on a day still running): with their bookings, service requests,
history rows, daily sequences and surveys, written with ``INSERT … SELECT`` over
``generate_series`` in chunks of days, as the floor's functions would have left them:

- tickets from 08.00 WIB, one every 63 s (seven hours for 400), 35 % from bookings;
- 84 % served, 7 % no-show (called, recalled, marked), 5 % served, then transferred to
  another agency's service and served there, 4 % left waiting until the 22.00 expiry;
- waits drawn from an exponential law (mean 18 min, at most 4 h), service 3 min plus
  an exponential law (mean 7 min, at most 90 min); the counter and officer drawn among
  the agency's (its officers', then its supervisor for counters without one);
- 30 % of the served visits answer the survey.

The history is made once and reused: ``bench_history`` records what was made, and a
day already holding tickets is never made again (today's tickets are added on a later
day's run, yesterday's stay). ``ensure_history()`` answers what is there."""

import datetime as dt
import time

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from agencies.models import Agency, Role, User
from queueing.models import Ticket
from services import demo_data

DAYS = 250
PER_DAY = 400
SURVEYED = 0.3
CHUNK_DAYS = 25
CODES = [agency["code"] for agency in demo_data.AGENCIES]


def working_days(count: int, *, before: dt.date) -> list[dt.date]:
    """The ``count`` weekdays (Monday–Friday) before ``before``, oldest first."""
    days, day = [], before
    while len(days) < count:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return sorted(days)


def _agencies_table(cursor) -> int:
    """``bench_agency``: per demo agency its services, counters and the officer at
    each counter, as arrays."""
    cursor.execute(
        "DROP TABLE IF EXISTS bench_agency; CREATE TEMP TABLE bench_agency (idx int PRIMARY KEY, agency_id int, "
        "prefix text, services int[], counters int[], officers int[])"
    )
    rows = []
    for idx, agency in enumerate(Agency.objects.filter(code__in=CODES).order_by("code"), start=1):
        services = list(agency.services.filter(active=True).order_by("pk").values_list("pk", flat=True))
        counters = list(agency.counters.order_by("number").values_list("pk", flat=True))
        supervisor = User.objects.filter(agency=agency, role=Role.SUPERVISOR).order_by("pk").first()
        officers = []
        for counter in counters:
            officer = User.objects.filter(counters=counter, role=Role.OFFICER).order_by("pk").first()
            officers.append((officer or supervisor).pk)
        rows.append((idx, agency.pk, agency.ticket_prefix, services, counters, officers))
    cursor.executemany("INSERT INTO bench_agency VALUES (%s, %s, %s, %s, %s, %s)", rows)
    return len(rows)


GENERATE = """
DROP TABLE IF EXISTS bench_visit;
CREATE TEMP TABLE bench_visit AS
SELECT v.*,
       v.issued_at + v.wait AS called_at,
       v.issued_at + v.wait + interval '1 minute' AS started_at,
       v.issued_at + v.wait + interval '1 minute' + v.service AS done_at,
       v.issued_at + v.wait + interval '1 minute' + v.service + v.wait2 AS called2_at,
       v.issued_at + v.wait + interval '2 minutes' + v.service + v.wait2 AS started2_at,
       v.issued_at + v.wait + interval '2 minutes' + v.service + v.wait2 + v.service2 AS done2_at,
       ((v.day + time '22:00') AT TIME ZONE 'Asia/Jakarta') AS expired_at
FROM (
    SELECT g.idx, g.agency_id, g.prefix, g.day, g.n,
           'R' || to_char(g.day, 'YYMMDD') || lpad(g.idx::text, 2, '0') || lpad(g.n::text, 3, '0') AS code,
           'Q' || to_char(g.day, 'YYMMDD') || lpad(g.idx::text, 2, '0') || lpad(g.n::text, 3, '0') AS booking_code,
           g.services[1 + floor(random() * array_length(g.services, 1))::int] AS service_id,
           g.counters[g.i] AS counter_id, g.officers[g.i] AS officer_id,
           ((g.day + time '08:00') AT TIME ZONE 'Asia/Jakarta') + (g.n - 1) * interval '63 seconds'
               + random() * interval '60 seconds' AS issued_at,
           random() < 0.35 AS booked,
           CASE WHEN g.r < 0.84 THEN 'served' WHEN g.r < 0.91 THEN 'no_show'
                WHEN g.r < 0.96 THEN 'transferred' ELSE 'expired' END AS outcome,
           make_interval(secs => least(-ln(1 - random()) * 18 * 60, 4 * 3600)) AS wait,
           make_interval(secs => least(180 - ln(1 - random()) * 7 * 60, 90 * 60)) AS service,
           b.services[1 + floor(random() * array_length(b.services, 1))::int] AS service2_id,
           b.counters[1 + floor(random() * array_length(b.counters, 1))::int] AS counter2_id,
           make_interval(secs => least(-ln(1 - random()) * 10 * 60, 2 * 3600)) AS wait2,
           make_interval(secs => least(180 - ln(1 - random()) * 7 * 60, 90 * 60)) AS service2,
           random() < %(surveyed)s AS surveyed
    FROM (
        -- Each visit's own draws, made once per row here (a subquery with random() in
        -- its list is not merged into the query around it).
        SELECT a.*, d.day, n, random() AS r, 1 + floor(random() * array_length(a.counters, 1))::int AS i,
               -- Transfers go to another agency: one of those after this one, in a circle.
               1 + (a.idx + floor(random() * (%(agencies)s - 1))::int) %% %(agencies)s AS j
        FROM bench_agency a
        CROSS JOIN unnest(%(days)s::date[]) AS d(day)
        CROSS JOIN generate_series(1, %(per_day)s) AS n
    ) g
    JOIN bench_agency b ON b.idx = g.j
) v;
-- The officer of the counter at the other agency.
ALTER TABLE bench_visit ADD COLUMN officer2_id int;
UPDATE bench_visit v SET officer2_id = b.officers[array_position(b.counters, v.counter2_id)]
FROM bench_agency b WHERE v.outcome = 'transferred' AND v.counter2_id = ANY (b.counters);
CREATE INDEX ON bench_visit (code);
ANALYZE bench_visit;

INSERT INTO queueing_booking (code, service_id, date, start, "end", status, nik, name, phone, email, language,
    priority_group, channels, consent_at, reschedule_count, created_at)
SELECT booking_code, service_id, day, date_bin('30 minutes', issued_at, timestamptz '2000-01-01 00:00+07'),
       date_bin('30 minutes', issued_at, timestamptz '2000-01-01 00:00+07') + interval '30 minutes', 'checked_in',
       '3674' || lpad((idx * 1000 + n)::text, 12, '0'), 'Warga Uji Riwayat', '+62812' || lpad(n::text, 7, '0'), '',
       'id', '', '[]', issued_at - interval '2 days', 0, issued_at - interval '2 days'
FROM bench_visit WHERE booked;

INSERT INTO queueing_ticket (code, agency_id, date, number, prefix, booking_id, priority_group, priority, language,
    issued_for_id, service_id, status, queue_time, counter_id, recalls, near_notices, issued_at, called_at)
SELECT v.code, v.agency_id, v.day, v.n, v.prefix, b.id, '', false, 'id', v.service_id,
       CASE WHEN v.outcome = 'transferred' THEN v.service2_id ELSE v.service_id END,
       CASE v.outcome WHEN 'no_show' THEN 'no_show' WHEN 'expired' THEN 'expired' ELSE 'done' END,
       v.issued_at,
       CASE v.outcome WHEN 'expired' THEN NULL WHEN 'transferred' THEN v.counter2_id ELSE v.counter_id END,
       CASE WHEN v.outcome = 'no_show' THEN 1 ELSE 0 END, 0, v.issued_at,
       CASE v.outcome WHEN 'expired' THEN NULL WHEN 'transferred' THEN v.called2_at ELSE v.called_at END
FROM bench_visit v LEFT JOIN queueing_booking b ON b.code = v.booking_code AND v.booked;

INSERT INTO queueing_servicerequest (ticket_id, service_id, status, created_at, started_at, finished_at, closed_at)
SELECT t.id, v.service_id,
       CASE v.outcome WHEN 'served' THEN 'served' WHEN 'no_show' THEN 'no_show'
                      WHEN 'transferred' THEN 'transferred' ELSE 'expired' END,
       v.issued_at,
       CASE WHEN v.outcome IN ('served', 'transferred') THEN v.started_at END,
       CASE WHEN v.outcome IN ('served', 'transferred') THEN v.done_at END,
       CASE v.outcome WHEN 'no_show' THEN v.called_at + interval '5 minutes'
                      WHEN 'expired' THEN v.expired_at ELSE v.done_at END
FROM bench_visit v JOIN queueing_ticket t ON t.code = v.code;

INSERT INTO queueing_servicerequest (ticket_id, service_id, status, created_at, started_at, finished_at, closed_at)
SELECT t.id, v.service2_id, 'served', v.done_at, v.started2_at, v.done2_at, v.done2_at
FROM bench_visit v JOIN queueing_ticket t ON t.code = v.code WHERE v.outcome = 'transferred';

INSERT INTO queueing_ticketevent (ticket_id, request_id, action, from_status, to_status, counter_id, officer_id, at)
SELECT t.id, r.id, e.action, e.from_status, e.to_status, e.counter_id, e.officer_id, e.at
FROM bench_visit v
JOIN queueing_ticket t ON t.code = v.code
JOIN queueing_servicerequest r ON r.ticket_id = t.id AND r.service_id = v.service_id
CROSS JOIN LATERAL (VALUES
    ('issued', '', 'waiting', NULL::int, NULL::int, v.issued_at, true),
    ('called', 'waiting', 'called', v.counter_id, v.officer_id, v.called_at, v.outcome <> 'expired'),
    ('recalled', 'called', 'called', v.counter_id, v.officer_id, v.called_at + interval '2 minutes',
     v.outcome = 'no_show'),
    ('no_show', 'called', 'no_show', v.counter_id, v.officer_id, v.called_at + interval '5 minutes',
     v.outcome = 'no_show'),
    ('started', 'called', 'serving', v.counter_id, v.officer_id, v.started_at, v.outcome IN ('served', 'transferred')),
    ('completed', 'serving', 'done', v.counter_id, v.officer_id, v.done_at, v.outcome = 'served'),
    ('expired', 'waiting', 'expired', NULL, NULL, v.expired_at, v.outcome = 'expired')
) AS e(action, from_status, to_status, counter_id, officer_id, at, present)
WHERE e.present;

INSERT INTO queueing_ticketevent (ticket_id, request_id, action, from_status, to_status, counter_id, officer_id, at)
SELECT t.id, r.id, e.action, e.from_status, e.to_status, e.counter_id, e.officer_id, e.at
FROM bench_visit v
JOIN queueing_ticket t ON t.code = v.code
JOIN queueing_servicerequest r ON r.ticket_id = t.id AND r.service_id = v.service2_id
CROSS JOIN LATERAL (VALUES
    ('transferred', 'serving', 'waiting', NULL::int, v.officer_id, v.done_at),
    ('called', 'waiting', 'called', v.counter2_id, v.officer2_id, v.called2_at),
    ('started', 'called', 'serving', v.counter2_id, v.officer2_id, v.started2_at),
    ('completed', 'serving', 'done', v.counter2_id, v.officer2_id, v.done2_at)
) AS e(action, from_status, to_status, counter_id, officer_id, at)
WHERE v.outcome = 'transferred';

INSERT INTO queueing_survey (ticket_id, service_id, agency_id, answers, comment, created_at)
SELECT t.id, t.service_id, s.agency_id,
       (SELECT jsonb_agg(2 + floor(random() * 2.6)::int) FROM generate_series(1, 9) WHERE v.n IS NOT NULL),
       CASE WHEN random() < 0.1 THEN 'Pelayanan cepat, ruang tunggu nyaman.' ELSE '' END,
       CASE WHEN v.outcome = 'transferred' THEN v.done2_at ELSE v.done_at END + interval '5 minutes'
FROM bench_visit v
JOIN queueing_ticket t ON t.code = v.code
JOIN services_service s ON s.id = t.service_id
WHERE v.surveyed AND v.outcome IN ('served', 'transferred');

INSERT INTO queueing_dailysequence (agency_id, date, last_number)
SELECT a.agency_id, d.day, %(per_day)s FROM bench_agency a CROSS JOIN unnest(%(days)s::date[]) AS d(day)
ON CONFLICT (agency_id, date) DO UPDATE SET last_number = GREATEST(queueing_dailysequence.last_number,
                                                                     EXCLUDED.last_number);
DROP TABLE bench_visit;
"""

TABLES = (
    "queueing_ticket",
    "queueing_servicerequest",
    "queueing_ticketevent",
    "queueing_booking",
    "queueing_survey",
    "queueing_reportday",
    "queueing_reporthour",
    "queueing_reportminutes",
    "queueing_reportclosedday",
)


def _generate(cursor, days: list[dt.date], per_day: int, agencies: int) -> None:
    for start in range(0, len(days), CHUNK_DAYS):
        chunk = days[start : start + CHUNK_DAYS]
        began = time.monotonic()
        cursor.execute(GENERATE, {"days": chunk, "per_day": per_day, "surveyed": SURVEYED, "agencies": agencies})
        print(
            f"  history: {chunk[0]} – {chunk[-1]} ({len(chunk)} days) made in {time.monotonic() - began:.0f} s",
            flush=True,
        )


def _days_with_tickets(days: list[dt.date], agency_ids: list[int]) -> set[dt.date]:
    return set(Ticket.objects.filter(date__in=days, agency_id__in=agency_ids).values_list("date", flat=True).distinct())


def ensure_history(*, days: int = DAYS, per_day: int = PER_DAY) -> dict:
    """The demo agencies with a year of history (made unless there) and today's tickets;
    answers what is in the tables."""
    call_command("load_demo_data", verbosity=0)
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_history (first_day date, last_day date, per_day int, "
            "made_at timestamptz DEFAULT now())"
        )
        cursor.execute("SELECT first_day, last_day, per_day FROM bench_history ORDER BY made_at LIMIT 1")
        made = cursor.fetchone()
        agency_ids = list(Agency.objects.filter(code__in=CODES).values_list("pk", flat=True))
        wanted = [today] if made else [*working_days(days, before=today), today]
        missing = sorted(set(wanted) - _days_with_tickets(wanted, agency_ids))
        if missing:
            began = time.monotonic()
            print(f"  history: making {len(missing)} days × {len(agency_ids)} agencies × {per_day} tickets", flush=True)
            cursor.execute("SET synchronous_commit = off")
            _generate(cursor, missing, per_day, _agencies_table(cursor))
            if not made:
                cursor.execute(
                    "INSERT INTO bench_history (first_day, last_day, per_day) VALUES (%s, %s, %s)",
                    [missing[0], today, per_day],
                )
            for name in ("queueing_ticket", "queueing_servicerequest", "queueing_ticketevent",
                         "queueing_booking", "queueing_survey"):  # fmt: skip
                cursor.execute(f"VACUUM ANALYZE {name}")
            print(f"  history made in {time.monotonic() - began:.0f} s", flush=True)
        cursor.execute("SELECT first_day FROM bench_history ORDER BY made_at LIMIT 1")
        first_day = cursor.fetchone()[0]
    tickets = Ticket.objects.filter(agency_id__in=agency_ids)
    return {
        "agencies": len(agency_ids),
        "first_day": first_day,
        "today": today,
        "tickets": tickets.count(),
        "tickets_today": tickets.filter(date=today).count(),
        "per_day": per_day,
    }


def table_sizes() -> dict[str, int]:
    """Bytes on disk of each history and report table, with its indexes and TOAST."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, pg_total_relation_size(oid) FROM pg_class WHERE relname = ANY (%s) AND relkind = 'r'",
            [list(TABLES)],
        )
        return dict(cursor.fetchall())


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for name in TABLES:
            cursor.execute(f"SELECT count(*) FROM {name}")  # noqa: S608 - the module's own table names
            counts[name] = cursor.fetchone()[0]
        return counts


def analyze() -> None:
    with connection.cursor() as cursor:
        for name in TABLES:
            cursor.execute(f"ANALYZE {name}")
