"""A long query still finds a document whose text holds all of it but one character (OCR
dropped, misread or added one): after the whole matches, marked, and the page says so. Short
queries still need every word. Same answers on SQLite and PostgreSQL."""

import json

import pytest

from fupin.cli import main
from fupin.scans.models import ScanPage
from tests.search_fixtures import build_corpus, more_items

# The scanned notice's number with 郧 lost by OCR, and a resolution with one character misread
# and one with two.
DROPPED = "县扶贫办转发扶办发〔2016〕12号文件"
MISREAD_ONE = "东岭村村民代表夫会决议"
MISREAD_TWO = "东岭村村民伐表夫会决议"


@pytest.fixture
def corpus(world):
    made = build_corpus(world)
    for key, text in (("dropped", DROPPED), ("one", MISREAD_ONE), ("two", MISREAD_TWO)):
        [item] = more_items(world, "committee_a", f"扫描件{key}", 1)
        ScanPage.objects.create(item=item, number=1, text=text)
        made[key] = item
    return made


def search(world, **params) -> dict:
    response = world.client("township_a").get("/api/v1/search/", {"per_page": 100, **params})
    assert response.status_code == 200, response.content
    return response.json()


def listed(data: dict) -> list[tuple[int, bool]]:
    return [(hit["id"], hit["exact"]) for hit in data["items"]]


def test_a_character_lost_by_ocr_still_finds_the_scan_after_the_whole_match(world, corpus):
    data = search(world, q="郧扶办发〔2016〕12号")
    assert data["relaxed"] is True and (data["count"], data["exact"]) == (3, 1)
    # The notice itself first; then the scan that lost 郧 and the notice numbered 13 (one
    # character off too).
    first, *rest = listed(data)
    assert first == (corpus["a_yulu"].pk, True)
    assert set(rest) == {(corpus["dropped"].pk, False), (corpus["b_yulu"].pk, False)}
    for sort in ("title", "code", "year", "year_desc"):
        assert listed(search(world, q="郧扶办发〔2016〕12号", sort=sort))[0] == (
            corpus["a_yulu"].pk,
            True,
        ), sort


def test_one_misread_character_is_found_two_are_not(world, corpus):
    data = search(world, q="村民代表大会决议")
    assert listed(data) == [(corpus["one"].pk, False)]
    assert data["exact"] == 0


def test_the_page_says_how_it_matched(world, corpus):
    page = world.client("township_a").get("/search/", {"q": "郧扶办发〔2016〕12号"})
    html = page.content.decode()
    assert "较长的检索词也查找只差一个字的结果" in html
    assert "完全符合的 1 条排在前面，只差一个字的 2 条标“部分符合”" in html
    assert html.count(">部分符合</span>") == 2
    short = world.client("township_a").get("/search/", {"q": "危房 西岭村"}).content.decode()
    assert "检索词的每个词都须出现" in short and ">部分符合</span>" not in short


def test_a_short_query_needs_every_word(world, corpus):
    data = search(world, q="危房 西岭村")
    assert data["relaxed"] is False
    assert listed(data) == [(corpus["b_secret"].pk, True)]
    # 东岭村's request holds 危房 and 岭村 but not 西岭: no partial match for five characters.
    assert search(world, q="危房 东岭村")["count"] == 1


def test_the_command_line_marks_partial_matches(world, corpus, capsys):
    assert main(["search", "郧扶办发〔2016〕12号", "--as", "township_a"]) == 0
    out = capsys.readouterr().out
    assert "其中 1 条完全符合" in out and out.count("（部分符合）") == 2
    assert main(["search", "郧扶办发〔2016〕12号", "--as", "township_a", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [hit["exact"] for hit in data["items"]] == [True, False, False]
