"""Statements prepared once per connection on PostgreSQL, run as they are elsewhere."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from mpp_common import db
from tests.require import missing

pytestmark = pytest.mark.django_db

SQL = "SELECT CAST(%s AS integer) + CAST(%s AS integer), '100%%'"


def run(sql: str, params: list):
    with connection.cursor() as cursor:
        db.execute_prepared(cursor, sql, params)
        return cursor.fetchone()


def prepared_here() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


def test_placeholders_are_numbered_and_percent_signs_kept():
    assert db._numbered("SELECT %s, %s WHERE x LIKE 'a%%'") == "SELECT $1, $2 WHERE x LIKE 'a%'"


def test_the_statement_gives_the_same_answer_every_time():
    assert run(SQL, [2, 3]) == (5, "100%")
    assert run(SQL, [40, 2]) == (42, "100%")


def test_postgresql_prepares_once_per_connection():
    if connection.vendor != "postgresql":
        missing("PostgreSQL (set DATABASE_URL): prepared statements are PostgreSQL's")
    sql = "SELECT CAST(%s AS integer) - 1"  # used by no other test
    with CaptureQueriesContext(connection) as first:
        assert run(sql, [1]) == (0,)
    with CaptureQueriesContext(connection) as again:
        assert run(sql, [2]) == (1,)
    assert [q["sql"].split()[0] for q in first.captured_queries] == ["PREPARE", "EXECUTE"]
    assert [q["sql"].split()[0] for q in again.captured_queries] == ["EXECUTE"]
    assert db._names[sql] in prepared_here()


def test_a_statement_prepared_in_a_rolled_back_transaction_stays_prepared():
    if connection.vendor != "postgresql":
        missing("PostgreSQL (set DATABASE_URL): prepared statements are PostgreSQL's")
    sql = "SELECT CAST(%s AS integer) * 2"
    with pytest.raises(RuntimeError), transaction.atomic():
        assert run(sql, [21]) == (42,)
        raise RuntimeError
    assert run(sql, [4]) == (8,)


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_again():
    if connection.vendor != "postgresql":
        missing("PostgreSQL (set DATABASE_URL): prepared statements are PostgreSQL's")
    run(SQL, [1, 1])
    connection.close()
    assert run(SQL, [2, 2]) == (4, "100%")
    assert db._names[SQL] in prepared_here()


def test_named_placeholders_are_numbered_once_each_in_order_of_first_use():
    sql = "SELECT %(b)s, %(a)s, %(b)s WHERE x LIKE 'a%%'"
    assert db._numbered(sql) == "SELECT $1, $2, $1 WHERE x LIKE 'a%'"
    assert db._values(sql, {"a": 1, "b": 2, "unused": 3}) == [2, 1]


def test_placeholders_of_both_kinds_in_one_statement_are_refused():
    with pytest.raises(ValueError, match="not both"):
        db._numbered("SELECT %s, %(a)s")


def test_a_named_parameter_used_twice_is_sent_once():
    sql = "SELECT CAST(%(n)s AS integer) + CAST(%(m)s AS integer) * CAST(%(n)s AS integer)"
    assert run(sql, {"n": 3, "m": 2}) == (9,)
    assert run(sql, {"m": 1, "n": 5}) == (10,)
