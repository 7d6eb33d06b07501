"""Model instances written with plain SQL, for the inserts every booking and call makes:
the query builder and ``save()`` cost more than the statement. Values are prepared
by each field exactly as ``save()`` prepares them (defaults, ``auto_now_add``), so a
row written here reads back like one written by the ORM. No signals are sent."""

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Field, Model


def insert_fields(model: type[Model], *, with_pk: bool) -> list[Field]:
    """The columns an insert writes: every concrete field, the primary key only when
    it is set in Python (a UUID), not when the database numbers the rows."""
    return [field for field in model._meta.concrete_fields if with_pk or not field.primary_key]


def column_list(fields: list[Field]) -> str:
    return ", ".join(connection.ops.quote_name(field.column) for field in fields)


def row_values(fields: list[Field], instance: Model) -> list:
    """The values of ``instance`` for ``fields``, ready for the database."""
    # The connection itself, not the proxy ``connection``: each field asks it for
    # its operations, and every question through the proxy is a thread-local lookup.
    this = connections[DEFAULT_DB_ALIAS]
    return [field.get_db_prep_save(field.pre_save(instance, True), this) for field in fields]
