"""The floor of Django plus PostgreSQL on this machine: a view that only locks a row
and inserts one, in one transaction, like a booking does at its core."""

from django.db import connection, transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

SETUP_SQL = """
CREATE TABLE IF NOT EXISTS bench_floor_lock (id integer PRIMARY KEY);
CREATE TABLE IF NOT EXISTS bench_floor_row (id bigserial PRIMARY KEY, lock_id integer NOT NULL,
                                            created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO bench_floor_lock (id) SELECT generate_series(1, 10000) ON CONFLICT DO NOTHING;
TRUNCATE bench_floor_row;
"""


def setup_floor_tables() -> None:
    with connection.cursor() as cursor:
        cursor.execute(SETUP_SQL)


@csrf_exempt
def floor_lock_insert(request, row: int):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT id FROM bench_floor_lock WHERE id = %s FOR UPDATE", [row])
        cursor.execute("INSERT INTO bench_floor_row (lock_id) VALUES (%s) RETURNING id", [row])
        new_id = cursor.fetchone()[0]
    return JsonResponse({"id": new_id}, status=201)
