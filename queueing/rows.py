"""Model instances written with plain SQL, for the inserts every booking and call makes:
the query builder and ``save()`` cost more than the statement. Values are prepared
by each field exactly as ``save()`` prepares them (defaults, ``auto_now_add``), so a
row written here reads back like one written by the ORM. No signals are sent."""

import functools

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import CharField, DateField, Field, ForeignKey, IntegerField, Model


def insert_fields(model: type[Model], *, with_pk: bool) -> list[Field]:
    """The columns an insert writes: every concrete field, the primary key only when
    it is set in Python (a UUID), not when the database numbers the rows."""
    return [field for field in model._meta.concrete_fields if with_pk or not field.primary_key]


def column_list(fields: list[Field]) -> str:
    return ", ".join(connection.ops.quote_name(field.column) for field in fields)


@functools.cache
def _as_it_is(field: Field) -> bool:
    """True when PostgreSQL takes the field's value as Python holds it: psycopg2 adapts
    text, numbers, dates and aware times itself, and for these fields the preparation
    returns the value unchanged. A field that fills itself in on save (``auto_now_add``)
    or is stored as JSON is prepared."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return False
    return isinstance(field, CharField | IntegerField | DateField | ForeignKey)


def row_values(fields: list[Field], instance: Model) -> list:
    """The values of ``instance`` for ``fields``, ready for the database."""
    # The connection itself, not the proxy ``connection``: each field asks it for
    # its operations, and every question through the proxy is a thread-local lookup.
    this = connections[DEFAULT_DB_ALIAS]
    if this.vendor != "postgresql":
        return [field.get_db_prep_save(field.pre_save(instance, True), this) for field in fields]
    # On PostgreSQL most values go as they are: preparing each costs more than its share
    # of the statement (a booking has nineteen).
    return [
        getattr(instance, field.attname)
        if _as_it_is(field)
        else field.get_db_prep_save(field.pre_save(instance, True), this)
        for field in fields
    ]
