"""Model instances made and written with plain SQL, for the inserts every booking and
call makes: the query builder, ``save()`` and keyword construction cost more than the
statement. Values are prepared by each field exactly as ``save()`` prepares them
(defaults, ``auto_now_add``), so a row written here reads back like one written by
the ORM. No signals are sent."""

import datetime as dt
import functools
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import CharField, DateField, Field, ForeignKey, IntegerField, Model


def _as_it_is(field: Field) -> bool:
    """True when PostgreSQL takes the field's value as Python holds it: psycopg2 adapts
    text, numbers, dates and aware times itself, and for these fields the preparation
    returns the value unchanged. A field that fills itself in on save (``auto_now_add``)
    or is stored as JSON is prepared."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return False
    return isinstance(field, CharField | IntegerField | DateField | ForeignKey)


@dataclass(frozen=True)
class Columns:
    """The columns an insert writes, with what each needs before PostgreSQL takes it
    (worked out once: asking a field costs more than its value)."""

    fields: tuple[Field, ...]
    attnames: tuple[str, ...]
    as_it_is: tuple[bool, ...]

    def __iter__(self):
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)


@functools.cache
def insert_fields(model: type[Model], *, with_pk: bool) -> Columns:
    """The columns an insert writes: every concrete field, the primary key only when
    it is set in Python (a UUID), not when the database numbers the rows."""
    fields = tuple(field for field in model._meta.concrete_fields if with_pk or not field.primary_key)
    return Columns(fields, tuple(field.attname for field in fields), tuple(_as_it_is(field) for field in fields))


def column_list(fields) -> str:
    return ", ".join(connection.ops.quote_name(field.column) for field in fields)


def row_values(columns: Columns, instance: Model) -> list:
    """The values of ``instance`` for ``columns``, ready for the database."""
    # The connection itself, not the proxy ``connection``: each field asks it for
    # its operations, and every question through the proxy is a thread-local lookup.
    this = connections[DEFAULT_DB_ALIAS]
    if this.vendor != "postgresql":
        return [field.get_db_prep_save(field.pre_save(instance, True), this) for field in columns.fields]
    # On PostgreSQL most values go as they are: preparing each costs more than its share
    # of the statement (a booking has nineteen).
    values = instance.__dict__
    return [
        values[name] if plain else field.get_db_prep_save(field.pre_save(instance, True), this)
        for field, name, plain in zip(columns.fields, columns.attnames, columns.as_it_is, strict=True)
    ]


@functools.cache
def _making(model: type[Model]) -> tuple[tuple[str, str | None, Field, bool], ...]:
    """How ``new_instance`` fills each concrete field of ``model``, in order: its
    attname, the name a related object may be given by, the field itself, and whether
    it is set on creation (``auto_now_add``)."""
    return tuple(
        (
            field.attname,
            field.name if field.is_relation else None,
            field,
            bool(getattr(field, "auto_now_add", False)),
        )
        for field in model._meta.concrete_fields
    )


def new_instance(model: type[Model], values: dict, *, now: dt.datetime) -> Model:
    """``model(**values)``, unsaved, with the fields that fill themselves in on creation
    set to ``now``: made from its values in field order (Django's positional form),
    which costs a fraction of the keyword form. A foreign key may be given as its
    object (kept, so reading it makes no query) or by its ``attname``."""
    args = []
    related = []
    used = 0
    for attname, name, field, stamped in _making(model):
        if attname in values:
            args.append(values[attname])
            used += 1
        elif name is not None and name in values:
            target = values[name]
            args.append(None if target is None else target.pk)
            related.append((field, target))
            used += 1
        else:
            args.append(now if stamped else field.get_default())
    if used != len(values):
        unknown = (
            set(values)
            - {attname for attname, *_rest in _making(model)}
            - {name for _attname, name, *_rest in _making(model)}
        )
        if unknown:
            raise TypeError(f"{model.__name__} has no field(s) {', '.join(sorted(unknown))}")
        raise TypeError(f"{model.__name__}: a foreign key given both as its object and by its attname")
    instance = model(*args)
    for field, target in related:
        field.set_cached_value(instance, target)
    return instance


def sql_value(value: object) -> str:
    """``value`` (None, a boolean, a whole number or a text) as an SQL literal, for a
    statement written once with the values every row takes."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return "'" + str(value).replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {value!r}")


def sql_default(field: Field) -> str:
    """The default of ``field`` as an SQL literal: the value a row written by a plain
    statement takes where the statement gives none, as the ORM would give it. A default
    worked out per row (a UUID, a time) has no literal: such a column must be given."""
    value = field.get_db_prep_save(field.get_default(), connections[DEFAULT_DB_ALIAS])
    try:
        return sql_value(value)
    except TypeError:
        raise TypeError(f"{field} has no fixed default: give its value in the statement") from None
