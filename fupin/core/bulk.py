"""Plain multi-row INSERTs for the bulk writes where the ORM's per-object work is most of the
cost: `bulk_create` builds a model instance and prepares every field of every row, about
forty microseconds a row, which is most of importing a province's registration sheet.

Rows are dicts of attribute names (`household_id`, not `household`); a field left out gets its
model default, computed once. Values are adapted as the backend needs only for the field
types whose database form differs from the Python value (dates, decimals, JSON).

On PostgreSQL the rows go in by `COPY … FROM STDIN` (psycopg's copy): the server parses and
plans nothing per row, the fastest bulk path it has. SQLite has no COPY; its multi-row INSERT
below is the nearest thing.
"""

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from operator import itemgetter
from typing import Any

from django.db import connection, models

ROWS_PER_STATEMENT = 500


def _max_parameters() -> int:
    """Bound parameters one SQLite statement may carry: its compiled-in limit (32,766 since
    3.32, 999 before)."""
    return int(connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))


def _adapter(field: models.Field) -> Callable[[Any], Any] | None:
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return _remembered(ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return _remembered(ops.adapt_datefield_value)
    if isinstance(field, models.DecimalField):
        return _remembered(
            lambda v: ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
        )
    if isinstance(field, models.JSONField):
        return lambda v: field.get_db_prep_save(v, connection)
    return None


def _remembered(adapt: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The adapter, once per distinct value: the backend's conversions of dates and decimals
    cost microseconds each, and a batch repeats its values (one time stamp for every row)."""
    seen: dict[Any, Any] = {}

    def adapted(value: Any) -> Any:
        if value not in seen:
            seen[value] = adapt(value)
        return seen[value]

    return adapted


def insert_rows(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
    """Insert these rows into the model's table in the current transaction; returns how many."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column or f.attname) for f in fields)
    values = _values(model, fields, rows)
    connection.ensure_connection()
    with connection.wrap_database_errors, closing(connection.connection.cursor()) as cursor:
        if connection.vendor == "postgresql":
            count = 0
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
                    count += 1
            return count
        return _insert(cursor, f"INSERT INTO {table} ({columns}) VALUES ", len(fields), values)


def _values(
    model: type[models.Model], fields: list[models.Field], rows: Iterable[dict[str, Any]]
) -> Iterator[Sequence[Any]]:
    """Each row's values in column order, over the defaults where it leaves columns out,
    adapted for the backend."""
    names = [f.attname for f in fields]
    template = {f.attname: f.get_default() for f in fields}
    width = len(names)
    pick = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
    adapters = [(i, a) for i, f in enumerate(fields) if (a := _adapter(f)) is not None]
    first = True
    for row in rows:
        if first and (unknown := set(row) - set(names)):
            raise ValueError(f"{model.__name__} has no column {sorted(unknown)}")
        first = False
        values = pick(row) if len(row) == width else pick(template | row)
        if adapters:
            values = list(values)
            for index, adapt in adapters:
                if values[index] is not None:
                    values[index] = adapt(values[index])
        yield values


def _insert(cursor: Any, head: str, width: int, values: Iterable[Sequence[Any]]) -> int:
    """SQLite: multi-row INSERTs with the driver's own placeholder, on the driver's own cursor
    (Django's SQLite wrapper rewrites every "%s" of a statement by regular expression on each
    call, and a statement here carries thousands of them). Many rows per statement: each
    statement on a table with triggers opens a statement journal of its own, which costs more
    than the row."""
    one = f"({', '.join(['?'] * width)})"
    per_statement = max(1, min(ROWS_PER_STATEMENT, _max_parameters() // width))
    full = head + ", ".join([one] * per_statement)
    count = 0
    batch: list[Any] = []
    for row in values:
        batch.extend(row)
        count += 1
        if len(batch) == per_statement * width:
            cursor.execute(full, batch)
            batch = []
    if batch:
        cursor.execute(head + ", ".join([one] * (len(batch) // width)), batch)
    return count
