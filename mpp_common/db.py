"""Statements prepared on the server once per connection.

The statements a booking runs are written out, and PostgreSQL would parse and plan
each of them again on every request, which costs the database more than running them
(docs/decisions/0003-prepared-statements.md). Prepared once per connection and executed
by name, each is planned once. Other databases (SQLite in embedded mode) run the
statement as it is.

A prepared statement belongs to the database session: it survives the transaction
that prepared it (committed or not), and a new connection prepares again.

Parameters are ``%s`` (a list, in order) or ``%(name)s`` (a dict): a name used twice
is one parameter, sent once. Each value sent costs the client its quoting and the
server its parsing, so a statement that needs a value in several places names it.
"""

import re
import threading
from collections.abc import Mapping, Sequence

from django.db import DEFAULT_DB_ALIAS, connections

_names: dict[str, str] = {}
_order: dict[str, tuple[str, ...]] = {}
_names_lock = threading.Lock()
_PLACEHOLDER = re.compile(r"%(?:s|%|\((\w+)\)s)")


def _name_for(sql: str) -> str:
    with _names_lock:
        return _names.setdefault(sql, f"mpp_{len(_names) + 1}")


def _numbered(sql: str) -> str:
    """``sql`` with %s placeholders as $1, $2, …, each %(name)s as the number of the
    name's first appearance (``_parameter_names``), and %% as %."""
    count = iter(range(1, sql.count("%s") + 1))
    names = {name: number for number, name in enumerate(_parameter_names(sql), start=1)}
    if names and "%s" in sql.replace("%%", ""):
        raise ValueError("a statement takes either %s or %(name)s placeholders, not both")

    def number(match: re.Match) -> str:
        if match.group() == "%%":
            return "%"
        return f"${names[match.group(1)] if match.group(1) else next(count)}"

    return _PLACEHOLDER.sub(number, sql)


def _parameter_names(sql: str) -> tuple[str, ...]:
    """The names of ``sql``'s %(name)s placeholders, each once, in order of appearance."""
    order = _order.get(sql)
    if order is None:
        found = [match.group(1) for match in _PLACEHOLDER.finditer(sql) if match.group(1)]
        order = _order[sql] = tuple(dict.fromkeys(found))
    return order


def _values(sql: str, params: Sequence | Mapping) -> Sequence:
    """The parameters of ``sql`` in the order its prepared form numbers them."""
    if isinstance(params, Mapping):
        return [params[name] for name in _parameter_names(sql)]
    return params


def _prepared_name(database, cursor, sql: str) -> str:
    """The name under which this connection has prepared ``sql``, preparing it on first use."""
    name = _names.get(sql) or _name_for(sql)
    session = database.connection
    # Connections are per thread, so this state is too; a new session starts empty.
    state = getattr(database, "_prepared_statements", None)
    if state is None or state[0] is not session:
        state = (session, set())
        database._prepared_statements = state
    if name not in state[1]:
        cursor.execute(f"PREPARE {name} AS {_numbered(sql)}")
        state[1].add(name)
    return name


def _execute_text(name: str, params: list) -> str:
    return f"EXECUTE {name} ({', '.join(['%s'] * len(params))})" if params else f"EXECUTE {name}"


def execute_prepared(cursor, sql: str, params: Sequence | Mapping) -> None:
    """Run ``sql`` (with %s placeholders) with ``params`` on ``cursor``: on PostgreSQL
    as a statement this connection prepared once, elsewhere as it is."""
    execute_prepared_together(cursor, [(sql, params)])


def execute_prepared_together(cursor, statements: list[tuple[str, Sequence | Mapping]]) -> None:
    """Run ``statements`` in order, each with its parameters, in one round trip to
    PostgreSQL (``execute_prepared`` for each, sent as one query text); the cursor
    holds the last one's rows. Outside a transaction PostgreSQL runs them as one: an
    error in any undoes them all, and each still reads the database as it is when it
    starts (a lock taken by one is held, and what it waited for is seen, by the next).
    Elsewhere they run one by one."""
    database = connections[DEFAULT_DB_ALIAS]
    if database.vendor != "postgresql":
        for sql, params in statements:
            cursor.execute(sql, params)
        return
    names = [_prepared_name(database, cursor, sql) for sql, _params in statements]
    values = [_values(sql, params) for sql, params in statements]
    cursor.execute(
        "; ".join(_execute_text(name, params) for name, params in zip(names, values, strict=True)),
        [value for params in values for value in params],
    )
