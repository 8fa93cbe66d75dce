"""The search itself: one code path for the page, the API and the command line.

Every read starts from `scoped_documents`, which the access layer limits to the actor's
regions and units and secrecy clearance; counts and facets are computed on that set only, so
nothing outside the actor's scope can be seen, counted or suggested.

Work per query is bounded: the engine hands over the newest COUNT_CAP matches (scope and
filters applied by the engine too, see `backends`), and counting, facets, sorting and paging
happen among those. Up to COUNT_CAP matches that is every match; beyond, the page says "more
than COUNT_CAP", leaves out facets, and sorts among the newest COUNT_CAP.

A long query (text.RELAXED_FROM characters or more) also finds documents holding all of it
but one character — an OCR misreading, a character dropped or added — when it has fewer
than COUNT_CAP whole matches. Every sort ranks the whole matches first; the page says so and
marks the others.

One read sorts every candidate and hands over their ids in order: its length is the count,
its slices are the pages. Facets take a second read, only when the count is exact.
"""

from collections import Counter, defaultdict, namedtuple
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet, Value
from django.utils.html import format_html
from django.utils.safestring import SafeString

from fupin.accounts.access import Units, item_reach, item_scope_q, user_scope
from fupin.accounts.roles import Cap
from fupin.core.busy import try_write
from fupin.core.links import id_link
from fupin.households.models import Household, Person
from fupin.households.registry.idcard import mask
from fupin.photos.models import PhotoDetails
from fupin.records.models import RecordItem, Secrecy, shown_title
from fupin.regions.models import Region, Unit
from fupin.scans.models import ScanPage
from fupin.search.backends import (
    Clause,
    Condition,
    Matches,
    matching,
    newest_matches,
    ordered_ids,
    title_score,
)
from fupin.search.filters import FACETS, KIND, NO_FILTERS, Filters
from fupin.search.highlight import highlight, snippet
from fupin.search.models import Kind, SearchDoc
from fupin.search.services import (
    BACKLOG_COUNTED,
    QUERY_SYNC_LIMIT,
    search_backlog,
    search_sync,
)
from fupin.search.text import ID_NUMBER, Query, normalise, parse_query
from fupin.worker.selectors import workers_running

# Every sort puts the whole matches first, then those holding the query but one character.
# Relevance: then titles holding more of the query first, then the newest (see `title_score`).
SORTS = {
    "relevance": ("相关度", ("-score", "-id")),
    "year_desc": ("年度（新→旧）", ("-year", "code", "object_id")),
    "year": ("年度（旧→新）", ("year", "code", "object_id")),
    "title": ("题名", ("title", "object_id")),
    "code": ("档号", ("code", "object_id")),
}
PER_PAGE = 20
MAX_PER_PAGE = 100
# Counting, facets and ranking cost a lookup per match; past this many matches the page says
# "more than" and asks for a narrower query instead of ranking a million rows per keystroke.
# Read at call time (tests lower it).
COUNT_CAP = 10_000
# The columns the facets count by: the facets' own, and the kind (some count items only).
FACET_COLUMNS = tuple(dict.fromkeys([KIND.column, *(f.column for f in FACETS)]))


@dataclass
class Hit:
    kind: str
    id: int
    title: SafeString
    plain_title: str
    code: str
    year: int | None
    place: str
    url: str
    secrecy: str = ""
    snippets: list[tuple[str, SafeString]] = field(default_factory=list)
    # False: the document holds the query but one character (for example misread by OCR).
    exact: bool = True


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class Result:
    # The query as echoed back: ID numbers in it masked like everywhere else.
    text: str
    count: int = 0
    count_exact: bool = True
    page: int = 1
    pages: int = 1
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    backlog: int = 0
    # Said whenever the index lags (see `lag_notice`).
    notice: str = ""
    # Whether the query was long enough to find documents holding all of it but one
    # character, and how many of those counted hold all of it.
    relaxed: bool = False
    exact: int = 0

    @property
    def partial(self) -> int:
        return self.count - self.exact


def masked_query(text: str) -> str:
    folded = normalise(text)
    return (
        ID_NUMBER.sub(lambda m: mask(m.group().upper()), folded)
        if ID_NUMBER.search(folded)
        else text
    )


def scoped_documents(actor: Any) -> QuerySet[SearchDoc]:
    """The documents an actor may find: items by unit/region scope and clearance, households
    by region scope (the same rules as the records and households pages)."""
    scope = user_scope(actor)
    items = Q(kind=Kind.ITEM) & item_scope_q(
        actor, Cap.DATA_READ, "unit", "region_code", destroyed_field=None
    )
    households = Q(kind=Kind.HOUSEHOLD) & scope.region_q(Cap.DATA_READ, "region_code")
    return SearchDoc.objects.filter(items | households)


def _units_clause(units: Units) -> Clause:
    return tuple(("region_code", p) for p in units.region_prefixes) + tuple(
        ("unit_id", i) for i in units.unit_ids
    )


def scope_conditions(actor: Any) -> list[Condition]:
    """`scoped_documents` for the engine's tags, from the same access-layer data: items by
    the item rule (`item_reach`), households by region scope. Empty clauses match nothing."""
    reach = item_reach(actor, Cap.DATA_READ)
    if reach is None:
        return [()]
    units = _units_clause(reach.units)
    secrecy = tuple(("secrecy", s) for s in reach.open_secrecy) + _units_clause(reach.custodian_of)
    # A clearance of every level admits every item in scope: the engine need not ask.
    item_rule = (units,) if set(Secrecy.values) <= set(reach.open_secrecy) else (units, secrecy)
    regions = tuple(("region_code", p) for p in user_scope(actor).prefixes(Cap.DATA_READ))
    if item_rule == (regions,):
        # Items and households by the same regions: every document is one or the other.
        return [(regions,)]
    return [((("kind", Kind.ITEM),), *item_rule), ((("kind", Kind.HOUSEHOLD),), regions)]


def _fresh() -> int:
    """Apply a short queue (a clerk's own changes, so a search sees them at once); a long one
    (an import) is left to the workers, who apply it every few seconds. Returns what is left."""
    left = search_backlog(QUERY_SYNC_LIMIT + 1)
    if 0 < left <= QUERY_SYNC_LIMIT:
        # While a long import holds the database the page searches the index as it stands.
        try_write(lambda: search_sync(limit=QUERY_SYNC_LIMIT))
        left = search_backlog(QUERY_SYNC_LIMIT + 1)
    return search_backlog() if left > QUERY_SYNC_LIMIT else left


def lag_notice(backlog: int) -> str:
    """What a search says while the index lags behind the records, so that it never finds
    nothing in silence: how much is waiting, and whether a worker is there to apply it."""
    if not backlog:
        return ""
    more = "超过 " if backlog >= BACKLOG_COUNTED else ""
    said = (
        f"索引还有{more} {backlog} 处改动尚未补入：刚导入或修改的记录可能暂时检索不到，"
        "结果也可能不全。"
    )
    if workers_running():
        return said + "后台任务进程正在补入，通常几秒到几分钟后即可检索到。"
    return (
        said + "现在没有运行中的后台任务进程：请管理员启动 fupin worker，或运行 fupin search sync。"
    )


def found_documents(actor: Any, query: Query, filters: Filters) -> QuerySet[SearchDoc]:
    docs = scoped_documents(actor).filter(filters.q())
    if query.id_numbers:
        # ID numbers are never indexed: only the exact full number finds its household.
        holders = Person.objects.filter(id_number__in=query.id_numbers).values("household_id")
        docs = docs.filter(kind=Kind.HOUSEHOLD, object_id__in=holders)
    return docs


def candidates(actor: Any, query: Query, filters: Filters) -> Matches:
    """What is counted, faceted and ranked: every match in scope, or the newest COUNT_CAP of
    them when there are more (see `backends.newest_matches`). The engine's restriction only
    saves work; `found_documents` (the access layer's rule and the filters) decides what is
    kept."""
    docs = found_documents(actor, query, filters)
    if query.id_numbers:
        # Narrowed to the households of the exact ID numbers: a few documents, no bound needed.
        return Matches(matching(docs, query).annotate(exact=Value(1)))
    restriction = [scope + filters.condition() for scope in scope_conditions(actor)]
    return newest_matches(docs, query, restriction, COUNT_CAP)


def _facets(groups: list[tuple]) -> dict[str, list[FacetValue]]:
    """The facets from the ranked documents' counts grouped by `FACET_COLUMNS`."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for *values, n in groups:
        row = dict(zip(FACET_COLUMNS, values, strict=True))
        for f in FACETS:
            value = row[f.column]
            if value in ("", None) or (f.items_only and row[KIND.column] != Kind.ITEM):
                continue
            counts[f.name][value] += n
    facets = {}
    for f in FACETS:
        values = sorted(counts[f.name].items(), key=lambda kv: (-kv[1], str(kv[0])))
        label = f.facet_labels()
        facets[f.name] = [FacetValue(_facet_value(v), label(v), n) for v, n in values]
    return facets


def _facet_value(value: Any) -> str:
    return ("1" if value else "0") if isinstance(value, bool) else str(value)


def may_search(actor: Any) -> bool:
    """Search is for those who read records: the three separated administrators do not, and
    get no search box that could only ever find nothing."""
    return user_scope(actor).has(Cap.DATA_READ)


def require_search(actor: Any) -> None:
    if not may_search(actor):
        raise PermissionDenied(
            "检索只供查阅档案的角色使用：系统管理员、安全保密管理员和安全审计员不查阅档案。"
        )


def search(
    actor: Any, text: str, filters: Filters = NO_FILTERS, sort: str = "relevance",
    page: int = 1, per_page: int = PER_PAGE,
) -> Result:  # fmt: skip
    require_search(actor)
    backlog = _fresh()
    query = parse_query(text)
    result = Result(
        text=masked_query(text), backlog=backlog, notice=lag_notice(backlog),
        relaxed=bool(query.variants),
    )  # fmt: skip
    if query.empty:
        return result
    found = candidates(actor, query, filters)
    order = SORTS.get(sort, SORTS["relevance"])[1]
    # Facets only when every match is counted; grouped with the ranking, which holds every one
    # of `found.docs`: the same documents, without compiling the access layer's and the
    # filters' conditions a second time.
    ranked = title_score(found.docs, query).order_by("-exact", *order)
    ranking = ordered_ids(ranked, () if found.more else FACET_COLUMNS)
    result.count, result.exact, result.count_exact = ranking.count, ranking.exact, not found.more
    if result.count_exact:
        result.facets = _facets(ranking.groups)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    result.pages = max(1, -(-result.count // per_page))
    result.page = max(1, min(page, result.pages))
    start = (result.page - 1) * per_page
    rows = _documents(ranking.ids(start, start + per_page))
    result.hits = _hits(rows, query)
    whole = set(rows[: max(0, ranking.exact - start)])  # the whole matches are ranked first
    for hit in result.hits:
        hit.exact = (Kind(hit.kind).value, hit.id) in whole
    return result


def _marks(ids: list[int]) -> str:
    """The placeholders of an IN list of these ids, for the reads below written in SQL."""
    return f"({', '.join(['%s'] * len(ids))})"


def _documents(ids: list[int]) -> list[tuple[str, int]]:
    """(kind, object id) of these documents (the ranking's: in scope), in the order given. In
    SQL of its own: the ORM took 0.25 ms to write this read of a page's rows by key."""
    if not ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, kind, object_id FROM {SearchDoc._meta.db_table} WHERE id IN {_marks(ids)}",
            ids,
        )
        found = {pk: (kind, object_id) for pk, kind, object_id in cursor.fetchall()}
    return [found[i] for i in ids]


def suggest(actor: Any, text: str, limit: int = 8) -> list[str]:
    """Titles of the best matches, for the search box while the user types; same scope."""
    require_search(actor)
    _fresh()
    query = parse_query(text)
    if query.empty:
        return []
    found = title_score(candidates(actor, query, NO_FILTERS).docs, query)
    titles = found.order_by("-exact", *SORTS["relevance"][1]).values_list("title", flat=True)
    return list(dict.fromkeys(titles[: limit * 3]))[:limit]


def _hits(rows: list[tuple[str, int]], query: Query) -> list[Hit]:
    ids: dict[str, list[int]] = defaultdict(list)
    for kind, object_id in rows:
        ids[kind].append(object_id)
    made: dict[tuple[str, int], Hit] = {}
    for kind, object_ids in ids.items():  # only the kinds on this page
        made.update(HIT_BUILDERS[kind](object_ids, query))
    return [made[row] for row in rows if row in made]


def _snippets(fields: list[tuple[str, str]], query: Query, limit: int = 3) -> list:
    found = []
    for label, text in fields:
        if text and (marked := snippet(text, query.needles)) is not None:
            found.append((label, marked))
            if len(found) == limit:
                break
    return found


# What a hit shows of an item and its photo description (None when it is no photo), read as
# plain rows: the rest of the rows (dates, box, numbering, EXIF) is not read.
ShownItem = namedtuple(
    "ShownItem",
    "pk title title_by_archivist doc_number reference_code responsible matter notes year secrecy"
    " unit_name region_name place people background caption photographer",
)


def _shown_items(ids: list[int]) -> list[ShownItem]:
    """The items' rows a hit shows (the ranking's ids: in scope). In SQL of its own: the ORM
    took 0.6–1 ms to write this read of 20 rows by key over four tables, a tenth of the page."""
    if not ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.id, i.title, i.title_by_archivist, i.doc_number, i.reference_code,"
            " i.responsible, i.matter, i.notes, i.year, i.secrecy, u.name, r.name,"
            " p.place, p.people, p.background, p.caption, p.photographer"
            f" FROM {RecordItem._meta.db_table} i"
            f" JOIN {Unit._meta.db_table} u ON u.id = i.unit_id"
            f" JOIN {Region._meta.db_table} r ON r.code = u.region_id"
            f" LEFT JOIN {PhotoDetails._meta.db_table} p ON p.item_id = i.id"
            f" WHERE i.id IN {_marks(ids)}",
            ids,
        )
        return [ShownItem(*row) for row in cursor.fetchall()]


def _item_hits(ids: list[int], query: Query) -> dict[tuple[str, int], Hit]:
    items = _shown_items(ids)
    pages = _page_texts(ids)
    link = id_link("records:item_detail")
    made = {}
    for item in items:
        fields = [("文号", item.doc_number), ("档号", item.reference_code or "")]
        fields += [("责任者", item.responsible), ("事由", item.matter), ("备注", item.notes)]
        fields += [("地点", item.place), ("人物", item.people)]
        fields += [("背景", item.background), ("文字说明", item.caption)]
        fields += [("摄影者", item.photographer)]
        title = shown_title(item.title, item.title_by_archivist)
        made[(Kind.ITEM.value, item.pk)] = Hit(
            kind=Kind.ITEM,
            id=item.pk,
            title=highlight(title, query.needles),
            plain_title=title,
            code=item.reference_code or "",
            year=item.year,
            place=f"{item.region_name} · {item.unit_name}",
            url=link(item.pk),
            secrecy=Secrecy(item.secrecy).label if item.secrecy else "",
            snippets=_snippets(fields + pages.get(item.pk, []), query),
        )
    return made


def _page_texts(item_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """The recognised text of the items' scan pages, labelled, in page order: the text only,
    not the lines (JSON, line by line). In SQL of its own: the ORM took 0.45 ms to write this
    read, which finds nothing on most pages of results."""
    pages: dict[int, list[tuple[str, str]]] = defaultdict(list)
    if not item_ids:
        return pages
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT item_id, number, text FROM {ScanPage._meta.db_table} "
            f"WHERE item_id IN {_marks(item_ids)} AND text <> '' "
            "ORDER BY item_id, number",
            item_ids,
        )
        for item_id, number, text in cursor.fetchall():
            pages[item_id].append((f"识别文本 第{number}页", text))
    return pages


def _household_hits(ids: list[int], query: Query) -> dict[tuple[str, int], Hit]:
    households = Household.objects.filter(pk__in=ids).select_related("village")
    members = defaultdict(list)
    for person in Person.objects.filter(household_id__in=ids).order_by("person_no"):
        members[person.household_id].append(person)
    link = id_link("households:detail")
    made = {}
    for h in households:
        fields = [("户编号", h.household_no), ("自然村", h.natural_village)]
        fields += [(f"成员（{p.relation}）", p.name) for p in members[h.pk] if p.relation != "户主"]
        found = _snippets(fields, query)
        found += [
            ("证件号码", format_html("<mark>{}</mark>", mask(p.id_number)))
            for p in members[h.pk]
            if p.id_number in query.id_numbers
        ]
        made[(Kind.HOUSEHOLD.value, h.pk)] = Hit(
            kind=Kind.HOUSEHOLD,
            id=h.pk,
            title=highlight(f"{h.head_name}户", query.needles),
            plain_title=f"{h.head_name}户",
            code=h.household_no,
            year=h.identified_year,
            place=h.village.name,
            url=link(h.pk),
            snippets=found,
        )
    return made


HIT_BUILDERS: dict[str, Callable[[list[int], Query], dict[tuple[str, int], Hit]]] = {
    Kind.ITEM: _item_hits,
    Kind.HOUSEHOLD: _household_hits,
}
