"""PostgreSQL: each document's tsvector also holds the bucket of its id (`#<id // 4096>`, a
lexeme no typed query can produce: to_tsquery drops the `#`), so a search asks GIN for the
matches of the newest ids only and reads from the table just those (see
`backends._newest_by_windows`). PostgreSQL cannot change a generated column's expression:
the column and its index are made again. SQLite is unchanged (FTS5 walks its lists by id)."""

from django.db import migrations

# backends.PG_BUCKET must equal this.
BUCKET = 4096

UP = [
    "DROP INDEX IF EXISTS search_doc_tsv",
    "ALTER TABLE search_doc DROP COLUMN IF EXISTS tsv",
    f"""ALTER TABLE search_doc ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', tokens)
        || array_to_tsvector(ARRAY['#' || (id / {BUCKET})::text])
    ) STORED""",
    "CREATE INDEX search_doc_tsv ON search_doc USING gin (tsv)",
    "ANALYZE search_doc",
]
DOWN = [
    "DROP INDEX IF EXISTS search_doc_tsv",
    "ALTER TABLE search_doc DROP COLUMN IF EXISTS tsv",
    """ALTER TABLE search_doc ADD COLUMN tsv tsvector
         GENERATED ALWAYS AS (to_tsvector('simple', tokens)) STORED""",
    "CREATE INDEX search_doc_tsv ON search_doc USING gin (tsv)",
]


def run(statements: list[str]):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0003_index_tags")]
    operations = [migrations.RunPython(run(UP), run(DOWN))]
