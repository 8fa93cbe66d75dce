"""Reserved tokens (`tags`) indexed beside the text so SQLite's engine applies scope and
filters itself, and the normalised title for ranking. The unit index goes and the unique
index leads with the object id: with an index on the kind or unit, SQLite's planner walks
every document of that kind or unit instead of the engine's bounded matches.

Changing the table rebuilds `search_doc` on SQLite, which drops its triggers: the full-text
table is created again with the new column and its triggers, filled from the documents, and
every document is queued to get its tags (the worker or `fupin search rebuild` applies them;
until then the page reports the backlog)."""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_doc_ai",
    "DROP TRIGGER IF EXISTS search_doc_ad",
    "DROP TRIGGER IF EXISTS search_doc_au",
    "DROP TABLE IF EXISTS search_fts",
]


def sqlite_fts(columns: list[str]) -> list[str]:
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    delete = f"INSERT INTO search_fts (search_fts, rowid, {names}) VALUES ('delete', old.id, {old});"
    insert = f"INSERT INTO search_fts (rowid, {names}) VALUES (new.id, {new});"
    return [
        *SQLITE_DROP,
        f"""CREATE VIRTUAL TABLE search_fts USING fts5(
             {names}, content='search_doc', content_rowid='id', tokenize='unicode61')""",
        f"CREATE TRIGGER search_doc_ai AFTER INSERT ON search_doc BEGIN {insert} END",
        f"CREATE TRIGGER search_doc_ad AFTER DELETE ON search_doc BEGIN {delete} END",
        f"CREATE TRIGGER search_doc_au AFTER UPDATE ON search_doc BEGIN {delete} {insert} END",
        "INSERT INTO search_fts (search_fts) VALUES ('rebuild')",
    ]


def queue_all(schema_editor) -> None:
    schema_editor.execute(
        "INSERT INTO search_pending (kind, object_id) SELECT kind, object_id FROM search_doc"
    )


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in sqlite_fts(["tokens", "tags"]):
            schema_editor.execute(sql)
    queue_all(schema_editor)


def down(apps, schema_editor):
    # Runs last when unapplying, after the columns are gone (which dropped the triggers).
    if schema_editor.connection.vendor == "sqlite":
        for sql in sqlite_fts(["tokens"]):
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial"), ("search", "0002_index_and_queue_triggers")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, down),
        migrations.AddField(
            model_name="searchdoc",
            name="tags",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="searchdoc",
            name="title_key",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.RemoveConstraint(model_name="searchdoc", name="search_doc_once"),
        migrations.AlterField(
            model_name="searchdoc",
            name="unit",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="regions.unit",
            ),
        ),
        migrations.AddConstraint(
            model_name="searchdoc",
            constraint=models.UniqueConstraint(fields=("object_id", "kind"), name="search_doc_once"),
        ),
        migrations.RunPython(up, migrations.RunPython.noop),
    ]
