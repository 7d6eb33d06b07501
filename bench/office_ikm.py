"""The IKM publication for a year, over whatever surveys the database holds.

``ikm_publication_timings()`` times, in this process, each step a year's publication
takes: the aggregate query over the daily tallies with the arithmetic
(``ikm_publication``), then the whole request through Django's middleware (server time,
no network): the API's JSON and CSV, the office page and the public agency page. The
target: the publication for a year under 300 ms at p95.

Alone: ``python -m bench.office_ikm`` on the benchmark database (``BENCH_DATABASE_URL``),
``--seed`` first to write a year of history when it holds no survey (1.7 M tickets and
their service requests over the demo services, 30 % of them surveyed).
"""

import datetime as dt
import statistics
import sys
import time

RUNS = 30


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * q), len(ordered) - 1)]


def _timed(run, runs: int) -> dict:
    run()  # once to warm the caches and the connection
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return {"p50_ms": statistics.median(times), "p95_ms": percentile(times, 0.95), "max_ms": max(times)}


def _admin():
    from agencies.models import Role, User

    user, _ = User.objects.get_or_create(username="bench-ikm-admin", defaults={"role": Role.ADMIN, "is_staff": True})
    return user


def ikm_publication_timings(runs: int = RUNS) -> dict:
    """p50/p95/max in ms of a year's IKM publication (the last 365 days), each step."""
    from django.db.models import Sum
    from django.test import Client
    from django.utils import timezone

    from agencies.models import Agency
    from queueing.models import Survey, SurveyTally
    from queueing.surveys.publication import ikm_publication

    last = timezone.localdate()
    first = last - dt.timedelta(days=365)
    year = {"date_from": first.isoformat(), "date_to": last.isoformat()}
    staff = Client(HTTP_HOST="127.0.0.1")
    staff.force_login(_admin())
    public = Client(HTTP_HOST="127.0.0.1")
    busiest = (
        SurveyTally.objects.filter(day__gte=first)
        .values("agency__code")
        .order_by()
        .annotate(n=Sum("respondents"))
        .order_by("-n")
        .first()
    )
    agency = busiest["agency__code"] if busiest else Agency.objects.order_by("pk").values_list("code", flat=True)[0]

    def get(client, url, params=None):
        def run():
            answer = client.get(url, params or {})
            assert answer.status_code == 200, (url, answer.status_code)

        return run

    publication = ikm_publication(first=first, last=last)
    results = {
        "surveys": Survey.objects.count(),
        "tallies": SurveyTally.objects.count(),
        "year_respondents": publication.total.respondents,
        "year_services": len(publication.services),
        "query": _timed(lambda: ikm_publication(first=first, last=last), runs),
        "api_json": _timed(get(staff, "/api/v1/reports/ikm/", year), runs),
        "api_csv": _timed(get(staff, "/api/v1/reports/ikm/", year | {"format": "csv"}), runs),
        "office_page": _timed(get(staff, "/kantor/ikm/", year), runs),
        "public_index": _timed(get(public, "/ikm/"), runs),
        "public_agency_year": _timed(get(public, f"/ikm/{agency}/", {"period": str(last.year - 1)}), runs),
    }
    return results


def report(results: dict) -> None:
    print(
        f"IKM publication, a year of {results['year_respondents']} surveys over {results['year_services']} services"
        f" ({results['surveys']} surveys, {results['tallies']} daily tallies in the tables)"
    )
    for name in ("query", "api_json", "api_csv", "office_page", "public_index", "public_agency_year"):
        r = results[name]
        print(f"  {name:<20} p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  max {r['max_ms']:7.1f} ms")


SEED = """
CREATE TEMP TABLE bench_ikm_services AS
    SELECT row_number() OVER (ORDER BY id) - 1 AS i, id, agency_id FROM services_service;
INSERT INTO queueing_ticket (code, agency_id, date, number, prefix, priority_group, priority, language,
    issued_for_id, service_id, status, queue_time, recalls, near_notices, issued_at, called_at)
SELECT 'Y' || lpad(g::text, 11, '0'), s.agency_id, (current_date - 366) + (g / 4660), g % 4660 + 1,
       'ZY', '', false, 'id', s.id, s.id, 'done',
       ((current_date - 366) + (g / 4660))::timestamptz + interval '1 hour' + (g % 4660) * interval '6 second',
       0, 0,
       ((current_date - 366) + (g / 4660))::timestamptz + interval '1 hour' + (g % 4660) * interval '6 second',
       ((current_date - 366) + (g / 4660))::timestamptz + interval '80 minutes' + (g % 4660) * interval '6 second'
FROM generate_series(0, 1700000 - 1) AS g
JOIN bench_ikm_services s ON s.i = (g::bigint * 7919) % (SELECT count(*) FROM bench_ikm_services);
INSERT INTO queueing_servicerequest (ticket_id, service_id, status, created_at, started_at, finished_at)
SELECT id, service_id, 'served', issued_at, called_at, called_at + interval '8 minutes'
FROM queueing_ticket WHERE code LIKE 'Y%';
INSERT INTO queueing_survey (ticket_id, service_id, agency_id, answers, comment, created_at)
SELECT id, service_id, agency_id,
  jsonb_build_array(2 + (id % 3), 1 + (id * 7 % 4), 3 + (id % 2), 4, 2 + (id * 3 % 3), 3, 1 + (id * 5 % 4),
                    2 + (id % 3), 3 + (id * 11 % 2)),
  CASE WHEN id % 17 = 0 THEN 'Pelayanan cepat, antrean rapi nomor ' || id ELSE '' END,
  called_at + interval '30 minutes'
FROM queueing_ticket WHERE code LIKE 'Y%' AND id % 10 < 3;
"""


def seed_year() -> int:
    """A year of surveyed history when the database holds no survey yet (idempotent)."""
    from django.core.management import call_command
    from django.db import connection

    from queueing.models import Survey
    from services.models import Service

    if Survey.objects.exists():
        return Survey.objects.count()
    if not Service.objects.exists():
        call_command("load_demo_data", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(SEED)
        cursor.execute("ANALYZE queueing_ticket; ANALYZE queueing_servicerequest; ANALYZE queueing_survey")
        cursor.execute("ANALYZE queueing_surveytally")
    return Survey.objects.count()


def main() -> None:
    from bench.__main__ import create_database, django_setup

    create_database()
    django_setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if "--seed" in sys.argv:
        print(f"surveys: {seed_year()}", flush=True)
    report(ikm_publication_timings())


if __name__ == "__main__":
    main()
