"""Search never lets a hit cross the village line or the secrecy line: not in results, not in
suggestions, not in counts, not in facets."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.search_fixtures import ITEMS, build_corpus

# Queries that match records on both sides of the line.
QUERIES = ["雨露计划", "签到表", "张三丰", "王建国", "危房改造", "2016", "培训", "户"]


@pytest.fixture
def corpus(world):
    return build_corpus(world)


def side_titles(side: str) -> set[str]:
    return {fields["title"] for key, (_, fields) in ITEMS.items() if key.startswith(side)}


def api(world, persona: str, path: str, **params):
    response = world.client(persona).get(f"/api/v1/search/{path}", params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize(
    ("persona", "own", "other"), [("village_a", "a_", "b_"), ("village_b", "b_", "a_")]
)
@pytest.mark.parametrize("query", QUERIES)
def test_no_hit_crosses_the_village_line(world, corpus, persona, own, other, query):
    own_objects = {(("item" if hasattr(v, "unit_id") else "household"), v.pk)
                   for k, v in corpus.items() if k.startswith(own)}  # fmt: skip
    data = api(world, persona, "", q=query, per_page=100)
    found = {(h["kind"], h["id"]) for h in data["items"]}
    assert found <= own_objects
    assert data["count"] == len(found)
    for name, values in data["facets"].items():
        assert sum(v["count"] for v in values) <= data["count"], name
    kinds = {v["value"]: v["count"] for v in data["facets"]["kind"]}
    assert sum(kinds.values()) == data["count"]
    suggestions = set(api(world, persona, "suggest", q=query)["suggestions"])
    assert not suggestions & side_titles(other)
    page = world.client(persona).get("/search/", {"q": query}).content.decode()
    other_place = "西岭村" if own == "a_" else "东岭村"
    assert f"· {other_place}" not in page
    assert f"共找到 {data['count']} 条结果" in page


def test_counts_are_those_of_the_scope(world, corpus):
    """The same query counts each side's records only; the township sees both."""
    a = api(world, "village_a", "", q="雨露计划")
    b = api(world, "village_b", "", q="雨露计划")
    both = api(world, "township_a", "", q="雨露计划")
    assert (a["count"], b["count"], both["count"]) == (2, 1, 3)
    assert api(world, "township_b", "", q="雨露计划")["count"] == 0
    assert api(world, "county_b", "", q="王建国")["count"] == 0


def test_secret_items_need_a_clearance(world, corpus):
    query = {"q": "危房改造"}
    # The holding village's own archivist (its custodian) finds its secret item, not the other's.
    own = api(world, "village_a", "", **query)
    assert [h["id"] for h in own["items"]] == [corpus["a_secret"].pk]
    # The county office reads the whole county, but classified items only with a clearance.
    assert api(world, "county_a", "", **query)["count"] == 0
    assert api(world, "county_a", "suggest", **query)["suggestions"] == []
    years = api(world, "county_a", "", q="东岭村")["facets"]["year"]
    assert sum(v["count"] for v in years) == api(world, "county_a", "", q="东岭村")["count"]
    secadmin = world.client("secadmin_a")
    url = f"/manage/users/{world.users['county_a'].pk}/clearance/"
    assert secadmin.post(url, {"clearance": "secret"}).status_code == 302
    data = api(world, "county_a", "", **query)
    found = {h["id"] for h in data["items"]}
    assert found == {corpus["a_secret"].pk, corpus["b_secret"].pk}
    assert data["items"][0]["secrecy"] == "秘密"
    # A clearance never widens the region scope.
    url = f"/manage/users/{world.users['county_b'].pk}/clearance/"
    assert world.client("secadmin_b").post(url, {"clearance": "secret"}).status_code == 302
    assert api(world, "county_b", "", **query)["count"] == 0


def test_clearance_is_set_only_by_the_security_administrator(world, corpus):
    url = f"/manage/users/{world.users['county_a'].pk}/clearance/"
    world.client("sysadmin_a").post(url, {"clearance": "secret"})
    world.client("secadmin_b").post(url, {"clearance": "secret"})
    assert api(world, "county_a", "", q="危房改造")["count"] == 0


def test_an_id_number_of_another_village_finds_nothing(world, corpus):
    member = corpus["a_wang"].members.get(name="李秀兰")
    assert api(world, "village_b", "", q=member.id_number)["count"] == 0
    assert api(world, "village_b", "suggest", q=member.id_number)["suggestions"] == []
    assert api(world, "village_a", "", q=member.id_number)["count"] == 1


def test_the_other_village_never_fills_the_counted_window(world, corpus, monkeypatch):
    """With more matches over the line than are counted, a village still counts and facets
    exactly its own: the scope limits what is counted, not the other way round."""
    monkeypatch.setattr("fupin.search.selectors.COUNT_CAP", 2)
    from tests.search_fixtures import more_items

    more_items(world, "committee_b", "雨露计划", 6)
    data = api(world, "village_a", "", q="雨露计划", per_page=100)
    assert data["count_exact"] and data["count"] == 2
    assert {h["id"] for h in data["items"]} == {corpus["a_yulu"].pk, corpus["a_scan"].pk}
    assert {v["value"]: v["count"] for v in data["facets"]["kind"]} == {"item": 2}
    assert set(api(world, "village_a", "suggest", q="雨露计划")["suggestions"]) <= side_titles("a_")
    other = api(world, "village_b", "", q="雨露计划")
    assert (other["count"], other["count_exact"], other["facets"]) == (2, False, {})


def test_typed_words_never_reach_the_scope_tokens(world, corpus):
    """Scope and filters are indexed as reserved tokens; typing one finds nothing."""
    for typed in ("g420322", "g420322100201", "kitem", "s0", "y2016", "u1", "h1"):
        assert api(world, "township_a", "", q=typed)["count"] == 0, typed


def test_an_actor_without_data_scope_is_told_search_is_not_for_them(world, corpus, capsys):
    """A system administrator reads no records: every surface says so (no search that could
    only ever find nothing), and nothing of the records shows."""
    from fupin.cli import main

    client = world.client("sysadmin_a")
    for query in ("雨露计划", "户"):
        for path in ("/api/v1/search/", "/api/v1/search/suggest", "/search/"):
            response = client.get(path, {"q": query})
            assert response.status_code == 403, path
            text = response.json()["detail"] if "api" in path else response.content.decode()
            assert "检索只供查阅档案的角色使用" in text and "雨露计划实施方案" not in text
    assert main(["search", "雨露计划", "--as", "sysadmin_a", "--json"]) == 2
    assert "检索只供查阅档案的角色使用" in capsys.readouterr().out


def test_the_top_clearance_reads_every_level_but_only_in_scope(world, corpus):
    url = f"/manage/users/{world.users['county_a'].pk}/clearance/"
    assert world.client("secadmin_a").post(url, {"clearance": "confidential"}).status_code == 302
    found = {h["id"] for h in api(world, "county_a", "", q="危房改造")["items"]}
    assert found == {corpus["a_secret"].pk, corpus["b_secret"].pk}
    url = f"/manage/users/{world.users['county_b'].pk}/clearance/"
    assert world.client("secadmin_b").post(url, {"clearance": "confidential"}).status_code == 302
    assert api(world, "county_b", "", q="危房改造")["count"] == 0


def test_a_scope_holding_every_document_spares_the_engine_its_tokens(world, corpus):
    """Every document of the corpus lies in 郧西: a county reader cleared for every level asks
    the engine without scope tokens (on SQLite, where scope goes to the engine as tokens), a
    village still with them; both find exactly what the access layer lets them read."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL applies the scope as column conditions, not as index tokens")
    url = f"/manage/users/{world.users['county_a'].pk}/clearance/"
    assert world.client("secadmin_a").post(url, {"clearance": "confidential"}).status_code == 302

    def engine_asked(persona: str) -> tuple[str, set[int]]:
        with CaptureQueriesContext(connection) as queries:
            data = api(world, persona, "", q="雨露计划", per_page=100)
        (match,) = [q["sql"] for q in queries if "MATCH" in q["sql"]]
        return match, {h["id"] for h in data["items"]}

    county, county_found = engine_asked("county_a")
    village, village_found = engine_asked("village_a")
    assert "{tags}" not in county and "{tags}" in village
    assert county_found == {corpus["a_yulu"].pk, corpus["a_scan"].pk, corpus["b_yulu"].pk}
    assert village_found == {corpus["a_yulu"].pk, corpus["a_scan"].pk}
