"""PostgreSQL: inserts and deletes of a source table queue their rows once per statement, from
the statement's transition table, instead of calling a trigger function per row. A
registration import writes a province's households and people by COPY, over a million rows,
and the call and one-row INSERT per row cost about as much as the row itself. The rows queued
are the same, in the same order. Updates keep their per-row trigger: PostgreSQL gives no
transition table to a trigger limited to some columns (`UPDATE OF`), and those columns are
what keeps filing a document from queueing its household. SQLite is unchanged.
"""

import importlib

from django.db import migrations

queue = importlib.import_module("fupin.search.migrations.0002_index_and_queue_triggers")
# Per event: the transition table PostgreSQL hands a statement trigger, and its name here.
SETS = {"I": ("NEW", "new_rows"), "D": ("OLD", "old_rows")}
# The tables queued on insert and delete (all of them also on update, both sides).
TABLES = [(table, rows) for table, events, rows in queue.SOURCES if events == "IUD"]


def _function(name: str, body: str) -> str:
    return (
        f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {body} RETURN NULL; END; $$ "
        "LANGUAGE plpgsql"
    )


def _per_statement(table: str, rows: str) -> list[str]:
    statements = []
    for event, (side, name) in SETS.items():
        function = f"search_queue_{table}_{event.lower()}"
        statements += [
            _function(function, f"{queue.QUEUE}{rows.format(r=name)} FROM {name};"),
            f"CREATE TRIGGER {function} AFTER {queue.EVENTS[event]} ON {table} "
            f"REFERENCING {side} TABLE AS {name} FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        ]
    return statements


def _per_row_updates(table: str, rows: str) -> list[str]:
    # A moved row (a member to another household) is queued on both sides.
    function = f"search_queue_{table}"
    columns = queue.UPDATE_OF.get(table)
    return [
        _function(
            function, f"{queue.QUEUE}{rows.format(r='NEW')}; {queue.QUEUE}{rows.format(r='OLD')};"
        ),
        f"CREATE TRIGGER {function} AFTER {f'UPDATE OF {columns}' if columns else 'UPDATE'} "
        f"ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()",
    ]


def _drop(table: str, suffixes: list[str]) -> list[str]:
    statements = []
    for suffix in suffixes:
        statements += [
            f"DROP TRIGGER IF EXISTS search_queue_{table}{suffix} ON {table}",
            f"DROP FUNCTION IF EXISTS search_queue_{table}{suffix}()",
        ]
    return statements


def up(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, rows in TABLES:
        for sql in [
            *_drop(table, [""]),
            *_per_row_updates(table, rows),
            *_per_statement(table, rows),
        ]:
            schema_editor.execute(sql)


def down(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _ in TABLES:
        for sql in _drop(table, ["", "_i", "_d"]):
            schema_editor.execute(sql)
    tables = {table for table, _ in TABLES}
    for sql in queue.postgres_triggers():
        if any(f"search_queue_{table}()" in sql for table in tables):
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_id_buckets")]
    operations = [migrations.RunPython(up, down)]
