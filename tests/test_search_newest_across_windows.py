"""The engine hands over the newest matches (by document id) whatever the database: on
PostgreSQL they are looked for window by window of id buckets (backends._newest_by_windows),
so matches in old buckets, new buckets and both must come out the same as on SQLite."""

import pytest
from django.db import connection

from fupin.search.backends import PG_BUCKET
from fupin.search.models import SearchDoc
from fupin.search.services import search_sync
from tests.search_fixtures import build_corpus, more_items


def skip_ids_to(bucket: int) -> None:
    """Make the next document's id the first of that bucket (as after years of documents)."""
    first = bucket * PG_BUCKET
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = 'search_doc'", [first])
        else:
            cursor.execute(f"ALTER SEQUENCE search_doc_id_seq RESTART WITH {first + 1}")


@pytest.fixture
def spread(world):
    """The corpus in bucket 0, three more 雨露计划 files in bucket 3, two in bucket 9."""
    made = build_corpus(world)
    search_sync()
    skip_ids_to(3)
    made["middle"] = more_items(world, "committee_a", "雨露计划补助发放表", 3)
    search_sync()
    skip_ids_to(9)
    made["newest"] = more_items(world, "committee_a", "雨露计划资金公示", 2)
    search_sync()
    return made


def found(world, **params) -> dict:
    response = world.client("township_a").get("/api/v1/search/", {"per_page": 100, **params})
    assert response.status_code == 200, response.content
    return response.json()


def newest_docs(query_ids: set[int], n: int) -> list[int]:
    """Object ids of the n newest documents (by document id) among these items."""
    docs = SearchDoc.objects.filter(kind="item", object_id__in=query_ids).order_by("-id")
    return list(docs.values_list("object_id", flat=True)[:n])


def test_matches_spread_over_buckets_are_all_found(world, spread):
    ids = {hit["id"] for hit in found(world, q="雨露计划")["items"]}
    everywhere = {i.pk for i in spread["middle"] + spread["newest"]}
    everywhere |= {spread[k].pk for k in ("a_yulu", "b_yulu", "a_scan")}
    assert ids == everywhere
    buckets = SearchDoc.objects.filter(kind="item", object_id__in=everywhere)
    assert {i // PG_BUCKET for i in buckets.values_list("id", flat=True)} == {0, 3, 9}
    # Only in the oldest bucket: found through every window down to the first id.
    assert {hit["id"] for hit in found(world, q="签到表")["items"]} == {
        spread["a_scan"].pk,
        spread["b_scan"].pk,
    }


@pytest.mark.parametrize("cap", [1, 2, 4, 7])
def test_past_the_cap_the_newest_are_kept_across_buckets(world, spread, monkeypatch, cap):
    monkeypatch.setattr("fupin.search.selectors.COUNT_CAP", cap)
    data = found(world, q="雨露计划", sort="code")
    assert (data["count"], data["count_exact"]) == (cap, False)
    every = {i.pk for i in spread["middle"] + spread["newest"]}
    every |= {spread[k].pk for k in ("a_yulu", "b_yulu", "a_scan")}
    assert {hit["id"] for hit in data["items"]} == set(newest_docs(every, cap))
