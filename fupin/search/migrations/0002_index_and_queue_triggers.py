"""The full-text index of each engine, and the triggers that queue every change of a source
record in the same transaction as the change (so a crash can never leave a stale index)."""

from django.db import migrations

# (table, events, rows to queue from one changed row {r}); events "IUD" = insert/update/delete.
SOURCES = [
    ("records_recorditem", "IUD", "SELECT 'item', {r}.id"),
    ("records_itemfile", "IUD", "SELECT 'item', {r}.item_id"),
    ("scans_scanpage", "IUD", "SELECT 'item', {r}.item_id"),
    ("photos_photodetails", "IUD", "SELECT 'item', {r}.item_id"),
    ("photos_photogroup", "U", "SELECT 'item', item_id FROM photos_photodetails WHERE group_id = {r}.id"),
    ("regions_unit", "U", "SELECT 'item', id FROM records_recorditem WHERE unit_id = {r}.id"),
    ("households_household", "IUD", "SELECT 'household', {r}.id"),
    ("households_person", "IUD", "SELECT 'household', {r}.household_id"),
]
# Updates of these tables queue a row only when an indexed column changes: the household's
# completeness columns change with every document filed, and must not reindex it each time.
UPDATE_OF = {
    "households_household": "village_id, household_no, head_name, natural_village, attribute, "
    "main_cause, status, identified_year",
    "households_person": "household_id, name",
}
QUEUE = "INSERT INTO search_pending (kind, object_id) "
EVENTS = {"I": "INSERT", "U": "UPDATE", "D": "DELETE"}

SQLITE_FTS = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
         tokens, content='search_doc', content_rowid='id', tokenize='unicode61')""",
    """CREATE TRIGGER search_doc_ai AFTER INSERT ON search_doc BEGIN
         INSERT INTO search_fts (rowid, tokens) VALUES (new.id, new.tokens); END""",
    """CREATE TRIGGER search_doc_ad AFTER DELETE ON search_doc BEGIN
         INSERT INTO search_fts (search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens);
       END""",
    """CREATE TRIGGER search_doc_au AFTER UPDATE ON search_doc BEGIN
         INSERT INTO search_fts (search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens);
         INSERT INTO search_fts (rowid, tokens) VALUES (new.id, new.tokens); END""",
]
POSTGRES_FTS = [
    """ALTER TABLE search_doc ADD COLUMN tsv tsvector
         GENERATED ALWAYS AS (to_tsvector('simple', tokens)) STORED""",
    "CREATE INDEX search_doc_tsv ON search_doc USING gin (tsv)",
]


def sqlite_triggers():
    for table, events, rows in SOURCES:
        for event in events:
            row_sets = {"I": ["new"], "U": ["new"] if events == "U" else ["new", "old"]}
            body = "".join(
                f"{QUEUE}{rows.format(r=r)};" for r in row_sets.get(event, ["old"])
            )
            action = EVENTS[event]
            if event == "U" and table in UPDATE_OF:
                action = f"UPDATE OF {UPDATE_OF[table]}"
            yield (
                f"CREATE TRIGGER search_queue_{table}_{event.lower()} AFTER {action} "
                f"ON {table} BEGIN {body} END"
            )


def postgres_triggers():
    for table, events, rows in SOURCES:
        # A moved row (an item's file to another item, a member to another household) is
        # queued on both sides; rows queued on update only need their new side.
        old_ops = "('DELETE')" if events == "U" else "('DELETE', 'UPDATE')"
        yield f"""CREATE FUNCTION search_queue_{table}() RETURNS trigger AS $$ BEGIN
            IF TG_OP <> 'DELETE' THEN {QUEUE}{rows.format(r="NEW")}; END IF;
            IF TG_OP IN {old_ops} THEN {QUEUE}{rows.format(r="OLD")}; END IF;
            RETURN NULL; END; $$ LANGUAGE plpgsql"""
        actions = [
            f"UPDATE OF {UPDATE_OF[table]}" if e == "U" and table in UPDATE_OF else EVENTS[e]
            for e in events
        ]
        yield (
            f"CREATE TRIGGER search_queue_{table} AFTER {' OR '.join(actions)} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION search_queue_{table}()"
        )


def up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [*SQLITE_FTS, *sqlite_triggers()]
    else:
        statements = [*POSTGRES_FTS, *postgres_triggers()]
    for sql in statements:
        schema_editor.execute(sql)


def down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, events, _ in SOURCES:
        if vendor == "sqlite":
            for event in events:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS search_queue_{table}_{event.lower()}")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS search_queue_{table} ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS search_queue_{table}()")
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    else:
        schema_editor.execute("DROP INDEX IF EXISTS search_doc_tsv")
        schema_editor.execute("ALTER TABLE search_doc DROP COLUMN IF EXISTS tsv")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("records", "0003_volume_volumeentry_volume_volume_number_unique_and_more"),
        ("scans", "0002_pages_and_jobs"),
        ("photos", "0001_initial"),
        ("households", "0002_household_file"),
        ("regions", "0001_initial"),
    ]
    operations = [migrations.RunPython(up, down)]
