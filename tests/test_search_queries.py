"""What a clerk types finds what they mean: words, two-character words, names, fragments of
longer terms, full-width and traditional variants, document numbers, scan text, household
heads and members, exact ID numbers (shown masked). Same answers on SQLite and PostgreSQL."""

from collections import Counter

import pytest

from fupin.accounts.services import user_set_clearance
from tests.search_fixtures import HOUSEHOLDS, ITEMS, PAGES, build_corpus, key_of

# (query, what county_a — cleared up to 机密, over both villages — must find, exactly)
CASES = [
    ("雨露计划", {"a_yulu", "b_yulu", "a_scan"}),
    ("雨露", {"a_yulu", "b_yulu", "a_scan"}),  # a fragment finds the longer term
    ("雨露計劃", {"a_yulu", "b_yulu", "a_scan"}),  # traditional characters
    ("签到表", {"a_scan", "b_scan"}),
    ("台账", {"a_ledger"}),  # a two-character word
    ("易地搬迁", {"a_ledger"}),  # in the notes
    ("产业扶贫", {"a_ledger"}),  # in the matter (事由)
    ("2016", {"a_fullwidth", "a_yulu", "b_yulu"}),
    ("２０１６", {"a_fullwidth", "a_yulu", "b_yulu"}),  # full-width digits
    ("abc", {"a_fullwidth"}),  # full-width latin, any case
    ("郧扶办发〔2016〕12号", {"a_yulu"}),  # a document number
    ("郧扶办发 13", {"b_yulu"}),
    ("扶贫开发办公室", {"a_yulu"}),  # the responsible party
    ("农户三十户", {"a_scan"}),  # scan text, typed in simplified characters
    ("张三丰", {"a_scan", "b_scan"}),  # a name in scan text
    ("李四光", {"a_scan"}),
    ("王建国", {"a_wang", "b_zhao"}),  # a household head and a member elsewhere
    ("李秀兰", {"a_wang"}),  # a member
    ("周大福", {"a_zhou"}),
    ("危房改造", {"a_secret", "b_secret"}),
    ("危房 西岭村", {"b_secret"}),  # two terms: both must match
    ("雨露 补助", {"b_yulu"}),
    ("不存在的词语", set()),
]


@pytest.fixture
def corpus(world):
    made = build_corpus(world)
    user_set_clearance(actor=None, user_id=world.users["county_a"].pk, clearance="confidential")
    return made


def found(world, made, query: str, persona: str = "county_a") -> set[str]:
    """What the query finds whole (a long query also finds, after these, what holds all of
    it but one character: tests/test_search_partial_matches.py)."""
    response = world.client(persona).get("/api/v1/search/", {"q": query, "per_page": 100})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["count"] == len(data["items"])
    whole = [hit for hit in data["items"] if hit["exact"]]
    assert data["exact"] == len(whole)
    return {key_of(made, hit["kind"], hit["id"]) for hit in whole}


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[c[0] for c in CASES])
def test_query_finds_expected(world, corpus, query, expected):
    assert found(world, corpus, query) == expected


def test_id_number_only_by_exact_match_and_masked(world, corpus):
    member = corpus["a_wang"].members.get(name="李秀兰")
    response = world.client("county_a").get("/api/v1/search/", {"q": member.id_number})
    hits = response.json()["items"]
    assert [(h["kind"], h["id"]) for h in hits] == [("household", corpus["a_wang"].pk)]
    shown = " ".join(s["html"] for s in hits[0]["snippets"])
    assert member.id_number[:6] + "********" + member.id_number[-4:] in shown
    assert member.id_number not in response.content.decode()
    for fragment in (member.id_number[:10], member.id_number[:17], member.id_number[6:14]):
        assert found(world, corpus, fragment) == set(), fragment


def test_highlight_marks_the_match_and_escapes_the_rest(world, corpus):
    page = world.client("county_a").get("/search/", {"q": "东岭"}).content.decode()
    assert "&lt;b&gt;<mark>东岭</mark>&lt;/b&gt;公示栏照片说明" in page
    api = world.client("county_a").get("/api/v1/search/", {"q": "雨露計劃"}).json()
    titles = {h["title_html"] for h in api["items"]}
    assert "关于印发<mark>雨露计划</mark>实施方案的通知" in titles
    scan = next(h for h in api["items"] if h["id"] == corpus["a_scan"].pk)
    assert any("<mark>雨露計劃</mark>" in s["html"] for s in scan["snippets"])


# Filters on county_a's results for 村 (items of both villages) or 户 (households and items):
# (filter, which of the unfiltered hits must stay), the same on both databases, whether the
# engine or the columns apply them.
FILTERED = [
    ({"region": "420322100202"}, lambda k: k.startswith("b_")),
    ({"region": "4203221002"}, lambda k: True),
    (
        {"q": "户", "region": "420322100201", "kind": "household"},
        lambda k: k in {"a_wang", "a_zhou"},
    ),
    ({"unit": "committee_b"}, lambda k: k.startswith("b_") and k in ITEMS),
    ({"secrecy": "secret"}, lambda k: k.endswith("_secret")),
    ({"secrecy": "none"}, lambda k: k in ITEMS and not k.endswith("_secret")),
    ({"q": "户", "kind": "household"}, lambda k: k in HOUSEHOLDS),
    ({"q": "户", "kind": "item"}, lambda k: k in ITEMS),
    ({"has_scan": "1"}, lambda k: k in PAGES),
    ({"has_scan": "0"}, lambda k: k in ITEMS and k not in PAGES),
    ({"complete": "0"}, lambda k: k in ITEMS),
    ({"level": "village"}, lambda k: True),
    ({"level": "county"}, lambda k: False),
    ({"year": "2016"}, lambda k: k in ITEMS),
    ({"q": "户", "year": "2014"}, lambda k: k in HOUSEHOLDS),
    ({"q": "户", "level": "village", "has_scan": "0"}, lambda k: k == "a_ledger"),
    ({"retention": "Y", "category": "WS"}, lambda k: k in ITEMS),
    ({"retention": "D10"}, lambda k: False),
]


@pytest.mark.parametrize(("params", "keeps"), FILTERED, ids=[str(f[0]) for f in FILTERED])
def test_filters_keep_exactly_their_hits(world, corpus, params, keeps):
    params = {"q": "村", **params}
    if "unit" in params:
        params["unit"] = world.units[params["unit"]].pk
    everything = found(world, corpus, params["q"])
    assert {k[:2] for k in everything} == {"a_", "b_"}
    client = world.client("county_a")
    data = client.get("/api/v1/search/", {"per_page": 100, **params}).json()
    assert data["count"] == len(data["items"])
    kept = {key_of(corpus, hit["kind"], hit["id"]) for hit in data["items"]}
    assert kept == {k for k in everything if keeps(k)}


@pytest.mark.parametrize("grouped", [False, True])
@pytest.mark.parametrize("sort", ["relevance", "year_desc", "year", "title", "code"])
def test_candidates_ranked_in_the_order_of_the_sort(world, corpus, sort, grouped):
    """The ranking is fetched in one piece (one JSON array on SQLite, one array on
    PostgreSQL, there in the same statement as the facets' counts): it must keep the order
    the database sorted the candidates in, and count the same documents."""
    from fupin.search.backends import ordered_ids, title_score
    from fupin.search.selectors import FACET_COLUMNS, SORTS, Filters, candidates
    from fupin.search.services import search_sync
    from fupin.search.text import parse_query

    search_sync()
    query = parse_query("村")
    ranked = title_score(candidates(world.users["county_a"], query, Filters()).docs, query)
    ranked = ranked.order_by("-exact", *SORTS[sort][1])
    expected = list(ranked.values_list("id", flat=True))
    ranking = ordered_ids(ranked, FACET_COLUMNS if grouped else ())
    assert ranking.count == ranking.exact == len(expected) > 5
    assert ranking.ids(0, ranking.count) == expected
    assert ranking.ids(2, 5) == expected[2:5]
    assert ranking.ids(4, 100) == expected[4:]
    counted = Counter(ranked.values_list(*FACET_COLUMNS)) if grouped else {}
    assert {tuple(values): n for *values, n in ranking.groups} == counted
