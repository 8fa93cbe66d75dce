"""Table statistics for PostgreSQL's planner after writes that change a table's size at once.

PostgreSQL plans from statistics that autovacuum refreshes once enough rows have changed: a
minute or more later, and never where autovacuum is switched off. On tables it still believes
empty, the search of a demo county loaded a moment before joined its few hundred candidates
by re-reading the candidate list for every document (160 ms a search where 2 ms do). So the
bulk writes (the demo, an import of a registration sheet, a long index update) refresh the
statistics of what they wrote themselves; `ANALYZE` samples at most 30,000 rows of a table,
well under a second even for a province's. SQLite is left as it was: its plans for these
reads were measured good without statistics (bench/RESULTS.md), and its ANALYZE reads every
row of a table.
"""

from django.db import connection, models


def statistics_refresh(*models_: type[models.Model]) -> None:
    """On PostgreSQL, refresh the planner's statistics of these models' tables (all tables
    when none is named). Runs inside the caller's transaction; the figures take effect for
    others when it commits."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models_)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}".strip())
