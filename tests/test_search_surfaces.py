"""The page, the API and `fupin search --json` give the same results, filtered, sorted and
paged the same way; bad filters are refused with a Chinese message."""

import json
import re

import pytest

from fupin.cli import main
from tests.search_fixtures import build_corpus

QUERY = {"q": "培训", "sort": "code"}


@pytest.fixture
def corpus(world):
    return build_corpus(world)


def api_hits(world, persona: str, **params) -> list[str]:
    data = world.client(persona).get("/api/v1/search/", params).json()
    return [h["url"] for h in data["items"]]


def page_hits(world, persona: str, **params) -> list[str]:
    html = world.client(persona).get("/search/", params).content.decode()
    return re.findall(r'<li class="hit">\s*<a href="([^"]+)"', html)


def cli_hits(capsys, persona: str, *args: str) -> list[str]:
    capsys.readouterr()
    assert main(["search", *args, "--as", persona, "--json"]) == 0
    return [h["url"] for h in json.loads(capsys.readouterr().out)["items"]]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "雨露计划"},
        {"q": "签到", "sort": "title"},
        {"q": "王建国", "kind": "household"},
        {"q": "东岭", "has_scan": "1"},
        {"q": "东岭", "has_scan": "0", "sort": "year_desc"},
    ],
)
def test_page_api_and_cli_agree(world, corpus, capsys, params):
    from_api = api_hits(world, "township_a", **params)
    assert from_api
    assert page_hits(world, "township_a", **params) == from_api
    flags = [f"--{k.replace('_', '-')}={v}" for k, v in params.items() if k != "q"]
    assert cli_hits(capsys, "township_a", params["q"], *flags) == from_api


def test_filters_and_paging(world, corpus, capsys):
    def url(key: str) -> str:
        return f"/records/items/{corpus[key].pk}/"

    # The township archivist holds 东岭村's files, its secret one included (a custodian).
    everything = api_hits(world, "township_a", q="东岭", sort="code", per_page=100)
    assert len(everything) == 5 and url("a_secret") in everything
    pages = [
        api_hits(world, "township_a", q="东岭", sort="code", per_page=3, page=n) for n in (1, 2)
    ]
    assert [len(p) for p in pages] == [3, 2] and pages[0] + pages[1] == everything
    assert set(api_hits(world, "township_a", q="签到", has_scan="1")) == {
        url("a_scan"),
        url("b_scan"),
    }
    assert api_hits(world, "township_a", q="签到", region="420322100202") == [url("b_scan")]
    assert api_hits(world, "township_a", q="签到", unit=corpus["a_scan"].unit_id) == [url("a_scan")]
    assert api_hits(world, "township_a", q="签到", year=2015) == []
    assert api_hits(world, "township_a", q="签到", complete="1") == []
    assert api_hits(world, "township_a", q="王建国", level="village", kind="item") == []


def test_bad_filters_are_refused_in_chinese(world, corpus, capsys):
    response = world.client("township_a").get("/api/v1/search/", {"q": "签到", "retention": "X"})
    assert response.status_code == 400
    assert "保管期限" in response.json()["detail"]
    page = world.client("township_a").get("/search/", {"q": "签到", "year": "abc"})
    assert page.status_code == 200 and "年度：" in page.content.decode()
    assert main(["search", "签到", "--as", "nobody", "--json"]) == 2
    assert "不存在" in capsys.readouterr().err


def test_header_box_on_every_page_and_facets(world, corpus):
    home = world.client("village_a").get("/").content.decode()
    assert 'action="/search/"' in home and 'data-suggest="/api/v1/search/suggest"' in home
    assert "search/suggest.js" in world.client("village_a").get("/search/").content.decode()
    data = world.client("township_a").get("/api/v1/search/", {"q": "签到"}).json()
    assert {v["value"]: v["count"] for v in data["facets"]["has_scan"]} == {"1": 2}
    html = world.client("township_a").get("/search/", {"q": "签到"}).content.decode()
    assert '有扫描件</a> <span class="muted">2</span>' in html


def test_past_the_cap_counts_say_more_than_and_rank_among_the_newest(world, corpus, monkeypatch):
    monkeypatch.setattr("fupin.search.selectors.COUNT_CAP", 2)
    from tests.search_fixtures import more_items

    def found(**params):
        return world.client("township_a").get("/api/v1/search/", {"q": "雨露计划", **params}).json()

    # Three matches: more than two, so the count is "more than 2" and there are no facets;
    # the newest two are ranked, titles holding the query first (a_yulu is the oldest).
    data = found()
    assert (data["count"], data["count_exact"], data["facets"], data["pages"]) == (2, False, {}, 1)
    assert [h["id"] for h in data["items"]] == [corpus["b_yulu"].pk, corpus["a_scan"].pk]
    html = world.client("township_a").get("/search/", {"q": "雨露计划"}).content.decode()
    assert "找到超过 2 条结果" in html and "最新编入索引的 2 条中" in html
    # Newer matches push the older ones out of what is ranked, whatever their titles.
    newer = more_items(world, "committee_a", "雨露计划", 3)
    data = found(per_page=1)
    assert (data["count"], data["count_exact"], data["pages"]) == (2, False, 2)
    shown = [found(per_page=1, page=n)["items"][0]["id"] for n in (1, 2)]
    assert set(shown) < {item.pk for item in newer}
    assert found(sort="title")["count_exact"] is False


def test_a_photo_description_shows_as_a_snippet(world, corpus):
    """A photo's place and caption are found and shown beside the item they describe."""
    from fupin.photos.models import PhotoDetails, PhotoGroup

    item = corpus["a_markup"]
    group = PhotoGroup.objects.create(
        unit_id=item.unit_id, year=2016, retention="Y", group_number=1, title="公示栏"
    )
    PhotoDetails.objects.create(
        item=item, group=group, photo_number=1, width=800, height=600,
        place="东岭村委会门前", caption="张贴精准扶贫对象公示名单",
    )  # fmt: skip
    data = world.client("township_a").get("/api/v1/search/", {"q": "公示名单"}).json()
    [hit] = data["items"]
    assert hit["id"] == item.pk
    assert {s["label"]: s["html"] for s in hit["snippets"]} == {
        "文字说明": "张贴精准扶贫对象<mark>公示名单</mark>"
    }


def test_the_recognised_text_of_a_scan_shows_as_a_snippet(world, corpus):
    """A scan page's text is shown beside its item, labelled with its page number: only the
    pages holding the query, those of that item only."""
    data = world.client("township_a").get("/api/v1/search/", {"q": "李四光"}).json()
    [hit] = data["items"]
    assert hit["id"] == corpus["a_scan"].pk
    assert {s["label"]: s["html"] for s in hit["snippets"]} == {
        "识别文本 第2页": "签到：张三丰、<mark>李四光</mark>"
    }
