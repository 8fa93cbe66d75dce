"""The one place that speaks each engine's full-text dialect: SQLite FTS5 or PostgreSQL tsvector.

A query is the AND of its terms; a term is the phrase of its tokens (bigrams of a Chinese run,
or one word). A long query also matches through its variants (the query but one character,
see `text.Query`): the OR of their ANDs. Both engines get the same terms, so they find the
same documents.

Work per query is bounded: the engine hands over at most `limit` matches, the newest first
(highest document id: FTS5 walks its lists in rowid order and stops; PostgreSQL is asked
window by window of id buckets, see `_newest_by_windows`), and counting, facets and ranking
happen among those. On SQLite the scope and filters go to the engine as reserved tokens
(`tags`, a column typed queries never reach), so the matches it hands over are the actor's;
on PostgreSQL they are ordinary column conditions in the same query. Either way the caller's
queryset stays the authority.

The engine is asked once per search (twice when a long query has fewer whole matches than the
bound: then for its variants too): its matches come back as one value built by the database
(a JSON array on SQLite, an array on PostgreSQL), which the reads that follow (ranking, facets)
take as a constant list instead of each searching the text again — a query of several rare
terms spends most of its time in that search.
"""

from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from fupin.search.filters import PREFIX_COLUMNS, TAG_PREFIX
from fupin.search.text import Query, Term

# (field, value) pairs of `search_doc`; a Clause holds if any of its pairs does, a Condition
# if all of its clauses do. The field "region_code" with a value means "starts with".
Clause = tuple[tuple[str, Any], ...]
Condition = tuple[Clause, ...]
# Tag prefixes (filters.TAG_PREFIX): a tag is one token of letters and digits (unicode61 splits
# on anything else).


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def tag(field: str, value: Any) -> str:
    if isinstance(value, bool):
        value = int(value)
    return f"{TAG_PREFIX[field]}{str(value).lower() or '0'}"


def document_tags(doc: Any) -> str:
    """The reserved tokens of a document: every region prefix (so any scope or region filter
    is one token), and one token per filterable column that has a value."""
    tags = []
    for column in TAG_PREFIX:
        value = getattr(doc, column)
        if column in PREFIX_COLUMNS:
            tags += [tag(column, value[:n]) for n in range(2, len(value) + 1)]
        elif value is not None:
            tags.append(tag(column, value))
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


def match_expression(terms: Sequence[Term]) -> str:
    """The engine's syntax for a document holding every term (a phrase of tokens)."""
    if _is_sqlite():
        return "(" + " AND ".join(f'"{" ".join(t)}"' for t in terms) + ")"
    return (
        "("
        + " & ".join("(" + " <-> ".join(f"'{token}'" for token in term) + ")" for term in terms)
        + ")"
    )


def any_expression(alternatives: Sequence[Sequence[Term]]) -> str:
    """A document holding every term of at least one alternative."""
    joiner = " OR " if _is_sqlite() else " | "
    return "(" + joiner.join(match_expression(terms) for terms in alternatives) + ")"


def _text(expression: str) -> str:
    """Typed queries reach the text column only (SQLite: not the tags)."""
    return "{tokens} : " + expression if _is_sqlite() else expression


def matching(docs: QuerySet, query: Query) -> QuerySet:
    """Every document matching every term, unbounded: for queries already narrowed to a few
    documents (exact ID numbers). The full-text subquery names no outer table, so the result
    can itself be nested as a subquery."""
    if not query.terms:
        return docs
    return docs.filter(id__in=RawSQL(_matching_sql(), [_text(match_expression(query.terms))]))


def _matching_sql() -> str:
    return (
        "SELECT rowid FROM search_fts WHERE search_fts MATCH %s"
        if _is_sqlite()
        else "SELECT id FROM search_doc WHERE tsv @@ to_tsquery('simple', %s)"
    )


NEWEST_FTS = (
    "SELECT rowid AS id FROM search_fts WHERE search_fts MATCH %s ORDER BY rowid DESC LIMIT %s"
)


@dataclass(frozen=True)
class Matches:
    """What the engine handed over for one search: `docs` narrowed to those documents and
    annotated `exact` (1 for a document holding the whole query, 0 for one holding all of it
    but one character), and whether the engine had more than it handed over."""

    docs: QuerySet
    more: bool = False


def newest_matches(
    docs: QuerySet, query: Query, restriction: Sequence[Condition], cap: int
) -> Matches:
    """`docs` among the newest `cap` documents matching the query and the restriction (which
    must admit every document of `docs` it is asked about: it only saves work), and, when
    fewer than `cap` match it all, among the newest `cap` matching one of its variants (the
    query but one character). The engine is asked here, at most twice; the queryset holds
    the ids it handed over."""
    if _is_sqlite():
        everywhere = {c for c in {c for cond in restriction for c in cond} if _everywhere(c)}
        tags = _tag_expression(
            [tuple(c for c in condition if c not in everywhere) for condition in restriction]
        )
        if tags is None:
            return Matches(docs.none())

        def held(expression: str) -> Held:
            expr = " AND ".join(e for e in (_text(expression), tags) if e)
            return _held(NEWEST_FTS, [expr, cap + 1], cap=cap)
    else:

        def held(expression: str) -> Held:
            return _newest_by_windows(docs, expression, cap)

    try:
        exact = held(match_expression(query.terms))
        partial = None
        if query.variants and not exact.more:
            partial = held(any_expression(query.variants))
    except EmptyResultSet:  # the scope admits nothing
        return Matches(docs.none())
    if partial is None:
        return Matches(docs.filter(id__in=exact.ids()).annotate(exact=Value(1)), exact.more)
    found = docs.filter(Q(id__in=exact.ids()) | Q(id__in=partial.ids()))
    flag = Case(When(id__in=exact.ids(), then=Value(1)), default=Value(0))
    return Matches(found.annotate(exact=flag), partial.more)


# PostgreSQL: the newest matches are looked for in windows of id buckets (the ids of a bucket
# share the lexeme `#<id // PG_BUCKET>` in the tsvector: migration 0004, whose BUCKET this
# must equal), newest first.
PG_BUCKET = 4096


# A window never names more buckets than this: past it, the rest is asked of the term alone.
PG_MAX_BUCKETS = 64


def pg_windows(high_id: int, wanted: int) -> Generator[tuple[str, int], int, None]:
    """The windows of ids to look in, newest first, each as (its buckets as tsquery text, or
    "" for all the rest; the id it stops below); send back how many matches it held. The
    first window holds `wanted` ids (enough for a term every document holds); each next one
    is sized by the matches per id seen so far to hold the rest (with a quarter more), or
    four times what was looked at when nothing matched yet. A window wider than
    PG_MAX_BUCKETS means the term is rare: the rest is asked of the term alone."""
    top, found, seen = high_id // PG_BUCKET, 0, 0
    width = max(1, -(-wanted // PG_BUCKET))
    while top >= 0:
        low = max(0, top - width + 1)
        below = (top + 1) * PG_BUCKET
        if top - low >= PG_MAX_BUCKETS:
            yield "", below
            return
        found += yield " | ".join(f"'#{b}'" for b in range(low, top + 1)), below
        seen += min(high_id + 1, below) - low * PG_BUCKET
        if found >= wanted:
            return
        ids = (wanted - found) * seen / found * 1.25 if found else seen * 4
        top, width = low - 1, max(1, -(-int(ids) // PG_BUCKET))


def newest_in_windows(high_id: int, wanted: int, run: Callable[[str], list[int]]) -> list[int]:
    """The newest `wanted` matches; `run(buckets)` gives every match in those buckets (all
    the rest when ""), unordered: no ORDER BY, so PostgreSQL cannot walk the primary key
    backwards checking every row's text (which it chose for a term in one document of ten,
    and read eight rows for every match)."""
    ids: list[int] = []
    windows = pg_windows(high_id, wanted)
    try:
        buckets, below = next(windows)
        while True:
            found = sorted((i for i in run(buckets) if i < below), reverse=True)
            ids += found[: wanted - len(ids)]
            buckets, below = windows.send(len(found))
    except StopIteration:
        return ids


def _pg_high_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM search_doc")
        return cursor.fetchone()[0]


def _newest_by_windows(docs: QuerySet, expression: str, cap: int) -> "Held":
    """The newest cap + 1 of `docs` matching `expression`, window by window of ids from the
    newest. GIN hands over every match of a term unordered, and PostgreSQL used to read and
    check every one of them in the table to sort them by id (a common term: hundreds of
    thousands of rows, about a second at a million documents). Asked for a window's bucket
    lexemes too, GIN intersects the matches with the window in the index, and the table is
    read for that window's matches only: the first page costs about the same however many
    documents match, and a rare term takes a few more windows of index reads."""
    text = RawSQL("tsv @@ to_tsquery('simple', %s)", [expression], output_field=BooleanField())

    def run(buckets: str) -> list[int]:
        found = docs.filter(text)
        if buckets:
            found = found.filter(RawSQL("tsv @@ %s::tsquery", [buckets], BooleanField()))
        return list(found.order_by().values_list("id", flat=True))

    ids = newest_in_windows(_pg_high_id(), cap + 1, run)
    return Held(ids[:cap], len(ids) > cap)


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


@dataclass(frozen=True)
class Held:
    """Ids the engine handed over as one value (a JSON array on SQLite, a list for
    PostgreSQL's array), the newest `cap` of them, and whether it had more."""

    value: str | list[int]
    more: bool

    def ids(self) -> RawSQL:
        """The ids as a constant list for the reads that follow."""
        if isinstance(self.value, str):
            return RawSQL("SELECT value FROM json_each(%s)", [self.value])
        return RawSQL("SELECT unnest(%s::bigint[])", [self.value])


def _held(window: str, params: Sequence[Any], *, cap: int) -> Held:
    """SQLite: run `window` (newest first, at most cap + 1 rows) and keep the newest `cap` ids
    as one JSON array."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), json_group_array(id) FROM ({window}) w", params)
        count, value = cursor.fetchone()
    if count <= cap:
        return Held(value, False)
    # The window hands over one more than is kept, to tell that there are more: the oldest.
    return Held(value[: value.rfind(",")] + "]", True)


@dataclass(frozen=True)
class Ranking:
    """The ids of a sorted read, in order, with their count and how many are exact matches.
    The ids are kept as the JSON array SQLite wrote and decoded only as far as a page reaches:
    a search ranks up to 10,000 candidates to show 20 (decoding them all took 0.35 ms).
    `groups`: how many of them hold each combination of the asked columns' values (the
    columns' values, then the count), when asked."""

    count: int
    exact: int
    array: str | list[int]  # JSON text (SQLite) or the ids themselves (PostgreSQL)
    groups: list[tuple] = field(default_factory=list)

    def ids(self, start: int, stop: int) -> list[int]:
        """The ids from `start` to `stop` in the order."""
        if not self.count:
            return []
        if isinstance(self.array, str):  # only as far as the page reaches; the rest stays text
            return [int(i) for i in self.array[1:-1].split(",", stop)[:stop]][start:stop]
        return self.array[start:stop]


def ordered_ids(docs: QuerySet, groups: Sequence[str] = ()) -> Ranking:
    """The ids of `docs` (annotated `exact`), in its order, as one array rather than a row
    each (SQLite: 4 ms less for 10,000 ids), and their counts grouped by the `groups` columns.

    SQLite: an aggregate over an ordered subquery sees the rows in that order (SQLite drops
    such an ORDER BY only under count, min or max alone, where order cannot matter); the
    groups are a second read of the ids just ranked. PostgreSQL: one statement, the ranked
    rows kept once (a materialized CTE, read in the order it was written) for the array and
    the groups: apart, the groups' read scanned the documents again and its planning and
    round trip cost the server about 0.8 ms a search."""
    sqlite = _is_sqlite()
    # SQLite groups in a read of its own: the ranking sorts the ids alone.
    columns = ("id", "exact") if sqlite else ("id", "exact", *groups)
    try:
        sql, params = docs.values(*columns).query.sql_with_params()
    except EmptyResultSet:  # the scope admits nothing
        return Ranking(0, 0, "[]" if sqlite else [])
    listed = ", ".join(groups)
    with connection.cursor() as cursor:
        if sqlite:
            cursor.execute(
                f"SELECT count(*), coalesce(sum(exact), 0), json_group_array(id) FROM ({sql})",
                params,
            )
            count, exact, array = cursor.fetchone()
            if not (groups and count):
                return Ranking(count, exact, array)
            cursor.execute(
                f"SELECT {listed}, count(*) FROM search_doc"
                f" WHERE id IN (SELECT value FROM json_each(%s)) GROUP BY {listed}",
                [array],
            )
            return Ranking(count, exact, array, cursor.fetchall())
        grouped = (
            f", (SELECT json_agg(json_build_array({listed}, n)) FROM"
            f" (SELECT {listed}, count(*) AS n FROM ranked GROUP BY {listed}) g)"
            if groups
            else ""
        )
        cursor.execute(
            f"WITH ranked AS MATERIALIZED ({sql}) SELECT count(*), coalesce(sum(exact), 0),"
            f" coalesce(array_agg(id), '{{}}'){grouped} FROM ranked",
            params,
        )
        count, exact, ids, *found = cursor.fetchone()
        return Ranking(count, exact, ids, [tuple(g) for g in (found and found[0]) or []])


def title_score(docs: QuerySet, query: Query) -> QuerySet:
    """`score`: how many of the query's runs the (normalised) title holds. Cheap among a
    bounded set, unlike bm25, whose document frequencies FTS5 counts over every match. In
    SQL of its own: the ORM's expressions for it (a case per run) took about 0.2 ms a search
    to resolve and write."""
    if not query.needles:  # an exact ID number: a bound 0 (SQLite reads a literal as a column)
        return docs.annotate(score=Value(0))
    score = RawSQL(_score_sql(len(query.needles)), list(query.needles), IntegerField())
    return docs.annotate(score=score)


def _score_sql(needles: int, mark: str = "%s") -> str:
    """`title_score` in SQL, one parameter (`mark`) per run of the query."""
    position = (
        "instr(search_doc.title_key, {})" if _is_sqlite() else "strpos(search_doc.title_key, {})"
    )
    found = f"CASE WHEN {position.format(mark)} > 0 THEN 1 ELSE 0 END"
    return " + ".join([found] * needles) or "0"


def raw_search(query: Query, cap: int, limit: int) -> tuple[int, list[int]]:
    """The engine alone on the same index, without Django (benchmarks): asked for the text
    terms' newest `cap` + 1 matches (and, when there are no more than `cap`, for the newest
    `cap` + 1 matches of the query but one character, as the page does), which are counted,
    and the best `limit` of them by the page's ranking (whole matches, then titles holding
    the query, then newest) read from the documents."""
    sqlite = _is_sqlite()
    if sqlite:
        window = (
            "SELECT rowid AS id FROM search_fts WHERE search_fts MATCH ? "
            "ORDER BY rowid DESC LIMIT ?"
        )
        held = f"SELECT count(*), json_group_array(id) FROM ({window})"
        ids = "SELECT value FROM json_each(?)"
    else:
        ids = "SELECT unnest(%s::bigint[])"
    score = _score_sql(len(query.needles), "?" if sqlite else "%s")
    connection.ensure_connection()
    cursor = connection.connection.cursor()

    def newest(expression: str) -> tuple[int, Any]:
        if sqlite:
            cursor.execute(held, [expression, cap + 1])
            return cursor.fetchone()

        def run(buckets: str) -> list[int]:
            window = " AND tsv @@ %s::tsquery" if buckets else ""
            cursor.execute(
                f"SELECT id FROM search_doc WHERE tsv @@ to_tsquery('simple', %s){window}",
                [expression, buckets] if buckets else [expression],
            )
            return [row[0] for row in cursor.fetchall()]

        matched = newest_in_windows(high, cap + 1, run)
        return len(matched), matched

    try:
        high = 0 if sqlite else _pg_high_id()
        count, exact = newest(_text(match_expression(query.terms)))
        partial = exact
        if query.variants and count <= cap:
            count, partial = newest(_text(any_expression(query.variants)))
        page_sql = (
            f"SELECT id FROM search_doc WHERE id IN ({ids}) OR id IN ({ids}) "
            f"ORDER BY id IN ({ids}) DESC, {score} DESC, id DESC LIMIT {int(limit)}"
        )
        cursor.execute(page_sql, [exact, partial, exact, *query.needles])
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
