"""The one place that speaks each engine's full-text dialect: SQLite FTS5 or PostgreSQL tsvector.

A query is the AND of its terms; a term is the phrase of its tokens (bigrams of a Chinese run,
or one word). Both engines get the same terms, so they find the same documents.
"""

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from fupin.search.text import Query


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def match_expression(query: Query) -> str:
    if _is_sqlite():
        return " AND ".join(f'"{" ".join(term)}"' for term in query.terms)
    return " & ".join(
        "(" + " <-> ".join(f"'{token}'" for token in term) + ")" for term in query.terms
    )


def matching(docs: QuerySet, query: Query, scored: bool = False) -> QuerySet:
    """Documents matching every term; with `scored`, a `score` (higher is better) to order by.

    Unscored, the match is an `id IN (full-text subquery)` that names no outer table, so the
    queryset can itself be nested as a subquery (counts, facets)."""
    if not query.terms:
        return docs
    expr = match_expression(query)
    if not scored:
        ids = (
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s"
            if _is_sqlite()
            else "SELECT id FROM search_doc WHERE tsv @@ to_tsquery('simple', %s)"
        )
        return docs.filter(id__in=RawSQL(ids, [expr]))
    if _is_sqlite():
        return docs.extra(
            tables=["search_fts"],
            where=["search_fts.rowid = search_doc.id", "search_fts MATCH %s"],
            params=[expr],
            select={"score": "-bm25(search_fts)"},
        )
    tsquery = "to_tsquery('simple', %s)"
    return docs.extra(
        where=[f"search_doc.tsv @@ {tsquery}"],
        params=[expr],
        select={"score": f"ts_rank(search_doc.tsv, {tsquery})"},
        select_params=[expr],
    )


def raw_search(query: Query, limit: int) -> tuple[int, list[int]]:
    """The engine alone on the same index: the count and the best `limit` ids (benchmarks)."""
    expr = match_expression(query)
    if _is_sqlite():
        count_sql = "SELECT count(*) FROM search_fts WHERE search_fts MATCH %s"
        page_sql = "SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY rank LIMIT %s"
        page_params: list = [expr, limit]
    else:
        tsquery = "to_tsquery('simple', %s)"
        count_sql = f"SELECT count(*) FROM search_doc WHERE tsv @@ {tsquery}"
        page_sql = (
            f"SELECT id FROM search_doc WHERE tsv @@ {tsquery} "
            f"ORDER BY ts_rank(tsv, {tsquery}) DESC LIMIT %s"
        )
        page_params = [expr, expr, limit]
    with connection.cursor() as cursor:
        cursor.execute(count_sql, [expr])
        count = cursor.fetchone()[0]
        cursor.execute(page_sql, page_params)
        return count, [row[0] for row in cursor.fetchall()]


def index_bytes() -> int:
    """Bytes on disk of the index: the document table, its indexes and the full-text index."""
    with connection.cursor() as cursor:
        if _is_sqlite():
            cursor.execute(
                "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'search_doc%%' "
                "OR name LIKE 'search_fts%%' OR name LIKE 'sqlite_autoindex_search_doc%%'"
            )
        else:
            cursor.execute("SELECT pg_total_relation_size('search_doc')")
        return int(cursor.fetchone()[0])


def check_index() -> None:
    """Let the engine verify its full-text index against the documents (SQLite only)."""
    if _is_sqlite():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)"
            )
