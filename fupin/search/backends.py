"""The one place that speaks each engine's full-text dialect: SQLite FTS5 or PostgreSQL tsvector.

A query is the AND of its terms; a term is the phrase of its tokens (bigrams of a Chinese run,
or one word). Both engines get the same terms, so they find the same documents.

Work per query is bounded: the engine hands over at most `limit` matches, the newest first
(highest document id: FTS5 walks its lists in rowid order and stops, PostgreSQL reads the
primary key backwards), and counting, facets and ranking happen among those. On SQLite the
scope and filters go to the engine as reserved tokens (`tags`, a column typed queries never
reach), so the matches it hands over are the actor's; on PostgreSQL they are ordinary column
conditions in the same query. Either way the caller's queryset stays the authority.

The engine is asked once per search: its matches come back as one value built by the database
(a JSON array on SQLite, an array on PostgreSQL), which the reads that follow (ranking, facets)
take as a constant list instead of each searching the text again — a query of several rare
terms spends most of its time in that search.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

from fupin.search.text import Query

# (field, value) pairs of `search_doc`; a Clause holds if any of its pairs does, a Condition
# if all of its clauses do. The field "region_code" with a value means "starts with".
Clause = tuple[tuple[str, Any], ...]
Condition = tuple[Clause, ...]
# Tag prefixes: a tag is one token of letters and digits (unicode61 splits on anything else).
TAG_PREFIX = {
    "region_code": "g", "unit_id": "u", "kind": "k", "secrecy": "s", "year": "y",
    "level": "l", "category": "c", "retention": "t", "schedule_row_id": "w",
    "has_scan": "h", "complete": "f",
}  # fmt: skip


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def tag(field: str, value: Any) -> str:
    if isinstance(value, bool):
        value = int(value)
    return f"{TAG_PREFIX[field]}{str(value).lower() or '0'}"


def document_tags(doc: Any) -> str:
    """The reserved tokens of a document: every region prefix (so any scope or region filter
    is one token), and one token per filterable column that has a value."""
    code = doc.region_code
    tags = [tag("region_code", code[:n]) for n in range(2, len(code) + 1)]
    for field in TAG_PREFIX:
        value = getattr(doc, field)
        if field != "region_code" and value is not None:
            tags.append(tag(field, value))
    return " ".join(tags)


def _tag_expression(conditions: Iterable[Condition]) -> str | None:
    """FTS5 syntax for any of the conditions; None when none can hold."""
    alternatives = []
    for condition in conditions:
        if any(not clause for clause in condition):
            continue
        clauses = [
            "(" + " OR ".join(f'"{tag(f, v)}"' for f, v in clause) + ")" for clause in condition
        ]
        alternatives.append("(" + " AND ".join(clauses) + ")" if clauses else "")
    if not alternatives:
        return None
    if "" in alternatives:
        return ""
    return "{tags} : (" + " OR ".join(alternatives) + ")"


def match_expression(query: Query) -> str:
    if _is_sqlite():
        return "{tokens} : (" + " AND ".join(f'"{" ".join(t)}"' for t in query.terms) + ")"
    return " & ".join(
        "(" + " <-> ".join(f"'{token}'" for token in term) + ")" for term in query.terms
    )


def matching(docs: QuerySet, query: Query) -> QuerySet:
    """Every document matching every term, unbounded: for queries already narrowed to a few
    documents (exact ID numbers), or to be bounded by the caller. The full-text subquery
    names no outer table, so the result can itself be nested as a subquery."""
    if not query.terms:
        return docs
    ids = (
        "SELECT rowid FROM search_fts WHERE search_fts MATCH %s"
        if _is_sqlite()
        else "SELECT id FROM search_doc WHERE tsv @@ to_tsquery('simple', %s)"
    )
    return docs.filter(id__in=RawSQL(ids, [match_expression(query)]))


NEWEST_FTS = (
    "SELECT rowid AS id FROM search_fts WHERE search_fts MATCH %s ORDER BY rowid DESC LIMIT %s"
)


def newest_matches(
    docs: QuerySet, query: Query, restriction: Sequence[Condition], limit: int
) -> QuerySet:
    """`docs` among the newest `limit` documents matching every term and the restriction
    (which must admit every document of `docs` it is asked about: it only saves work).
    The engine is asked here, once; the queryset holds the ids it handed over."""
    if _is_sqlite():
        everywhere = {c for c in {c for cond in restriction for c in cond} if _everywhere(c)}
        tags = _tag_expression(
            [tuple(c for c in condition if c not in everywhere) for condition in restriction]
        )
        if tags is None:
            return docs.none()
        expr = " AND ".join(e for e in (match_expression(query), tags) if e)
        return docs.filter(id__in=_held(NEWEST_FTS, [expr, limit]))
    newest = matching(docs, query).order_by("-id").values("id")[:limit]
    try:
        return docs.filter(id__in=_held(*newest.query.sql_with_params()))
    except EmptyResultSet:  # the scope admits nothing
        return docs.none()


def _everywhere(clause: Clause) -> bool:
    """Whether a clause of region prefixes holds for every document: no document lies in the
    gaps between the prefixes (a probe of the region index each). A county's own installation
    holds that county only; its tag is on every document, and FTS5 would walk that whole list
    beside the query's terms (about 1 ms a query at a million documents) to remove nothing."""
    if not clause or any(field != "region_code" for field, _ in clause):
        return False
    prefixes: list[str] = []
    for prefix in sorted(value for _, value in clause):
        if not prefixes or not prefix.startswith(prefixes[-1]):
            prefixes.append(prefix)
    if prefixes[0] == "":
        return True
    # Codes are compared byte-wise (SQLite's BINARY collation): a prefix's range ends where
    # its last character is one higher.
    ends = [p[:-1] + chr(ord(p[-1]) + 1) for p in prefixes]
    gaps: list[tuple[str, str | None]] = [
        ("", prefixes[0]),
        *zip(ends, prefixes[1:], strict=False),
        (ends[-1], None),
    ]
    probes = " OR ".join(
        "EXISTS (SELECT 1 FROM search_doc WHERE region_code >= %s"
        + ("" if high is None else " AND region_code < %s")
        + ")"
        for _, high in gaps
    )
    params = [bound for gap in gaps for bound in gap if bound is not None]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {probes}", params)
        return not cursor.fetchone()[0]


def _held(window: str, params: Sequence[Any]) -> RawSQL:
    """The ids `window` selects, fetched as one value (a JSON array on SQLite, an array on
    PostgreSQL) and handed back as a constant list."""
    sqlite = _is_sqlite()
    held = "json_group_array(id)" if sqlite else "coalesce(array_agg(id), '{}')"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {held} FROM ({window}) w", params)
        value = cursor.fetchone()[0]
    if sqlite:
        return RawSQL("SELECT value FROM json_each(%s)", [value])
    return RawSQL("SELECT unnest(%s::bigint[])", [value])


@dataclass(frozen=True)
class Ranking:
    """The ids of a sorted read, in order, with their count and the oldest (lowest) id. The
    ids are kept as the JSON array SQLite wrote and decoded only as far as a page reaches: a
    search ranks up to 10,001 candidates to show 20 (decoding them all took 0.35 ms)."""

    count: int
    oldest: int | None
    array: str | list[int]  # JSON text (SQLite) or the ids themselves (PostgreSQL)

    def ids(self, start: int, stop: int, *, without: int | None = None) -> list[int]:
        """The ids from `start` to `stop` in the order, with `without` left out of it."""
        if not self.count:
            return []
        # One more than the slice, in case `without` is among them; the rest stays text.
        if isinstance(self.array, str):
            head = [int(i) for i in self.array[1:-1].split(",", stop + 1)[: stop + 1]]
        else:
            head = self.array[: stop + 1]
        return [i for i in head if i != without][start:stop]


def ordered_ids(docs: QuerySet) -> Ranking:
    """The ids of `docs`, in its order. SQLite hands them over as one JSON array rather than
    a row each (4 ms less for 10,000 ids): an aggregate over an ordered subquery sees the
    rows in that order (SQLite drops such an ORDER BY only under count, min or max alone,
    where order cannot matter)."""
    if not _is_sqlite():
        ids = list(docs.values_list("id", flat=True))
        return Ranking(len(ids), min(ids, default=None), ids)
    try:
        sql, params = docs.values("id").query.sql_with_params()
    except EmptyResultSet:  # the scope admits nothing
        return Ranking(0, None, "[]")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), min(id), json_group_array(id) FROM ({sql})", params)
        return Ranking(*cursor.fetchone())


def title_score(docs: QuerySet, query: Query) -> QuerySet:
    """`score`: how many of the query's runs the (normalised) title holds. Cheap among a
    bounded set, unlike bm25, whose document frequencies FTS5 counts over every match."""
    held = (
        Case(When(GreaterThan(StrIndex("title_key", Value(needle)), 0), then=1), default=0)
        for needle in query.needles
    )
    return docs.annotate(score=sum(held, Value(0)))


def raw_search(query: Query, cap: int, limit: int) -> tuple[int, list[int]]:
    """The engine alone on the same index, without Django (benchmarks): asked once for the
    text terms' newest `cap` matches, which are counted, and the best `limit` of them by the
    page's ranking read from the documents."""
    expr = match_expression(query)
    if _is_sqlite():
        window = (
            "SELECT rowid AS id FROM search_fts WHERE search_fts MATCH ? "
            "ORDER BY rowid DESC LIMIT ?"
        )
        held = f"SELECT count(*), json_group_array(id) FROM ({window})"
        ids = "SELECT value FROM json_each(?)"
        found = "CASE WHEN instr(title_key, ?) > 0 THEN 1 ELSE 0 END"
    else:
        window = (
            "SELECT id FROM search_doc WHERE tsv @@ to_tsquery('simple', %s) "
            "ORDER BY id DESC LIMIT %s"
        )
        held = f"SELECT count(*), coalesce(array_agg(id), '{{}}') FROM ({window}) w"
        ids = "SELECT unnest(%s::bigint[])"
        found = "CASE WHEN strpos(title_key, %s) > 0 THEN 1 ELSE 0 END"
    score = " + ".join(found for _ in query.needles) or "0"
    page_sql = (
        f"SELECT id FROM search_doc WHERE id IN ({ids}) "
        f"ORDER BY {score} DESC, id DESC LIMIT {int(limit)}"
    )
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        cursor.execute(held, [expr, cap])
        count, matches = cursor.fetchone()
        cursor.execute(page_sql, [matches, *query.needles])
        return count, [row[0] for row in cursor.fetchall()]
    finally:
        cursor.close()


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


def optimise_index() -> None:
    """After a rebuild: merge FTS5's segments into one (lists read in one piece, not dozens),
    or give PostgreSQL's planner the new table's statistics (without them it guesses a kind
    selects a few rows, and checks the text of every document of that kind)."""
    with connection.cursor() as cursor:
        if _is_sqlite():
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
        else:
            cursor.execute("ANALYZE search_doc")


def check_index() -> None:
    """Let the engine verify its full-text index against the documents (SQLite only)."""
    if _is_sqlite():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)"
            )
