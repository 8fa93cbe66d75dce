"""`fupin schedule list` filters by level (county = the 省、市、县级 rows), category and text."""

import json
from collections import Counter

from fupin.cli import main


def listed(capsys, *args: str) -> list[dict]:
    capsys.readouterr()
    assert main(["schedule", "list", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_level_filter(world, capsys):
    assert main(["schedule", "load"]) == 0
    counts = {level: len(listed(capsys, "--level", level)) for level in ("county", "township")}
    assert counts == {"county": 53, "township": 24}
    village = listed(capsys, "--level", "village")
    assert len(village) == 33 and {r["level"] for r in village} == {"village"}
    assert Counter(r["category"] for r in village) == {
        "文书": 15,
        "专业": 15,
        "科技": 1,
        "声像": 1,
        "电子": 1,
    }


def test_category_and_text_filters(world, capsys):
    assert main(["schedule", "load"]) == 0
    professional = listed(capsys, "--level", "village", "--category", "专业")
    assert [r["number"] for r in professional] == [str(n) for n in range(1, 16)]
    hits = listed(capsys, "--q", "雨露计划")
    assert {(r["level"], r["number"]) for r in hits} >= {("county", "15"), ("village", "9")}
    assert all("雨露计划" in r["scope"] for r in hits)
    assert set(hits[0]) >= {"level", "category", "number", "scope", "retention", "options"}


def test_text_listing_and_bad_level(world, capsys):
    assert main(["schedule", "load"]) == 0
    capsys.readouterr()
    assert main(["schedule", "list", "--level", "township", "--category", "专业"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and "按有关规定执行" in lines[1]
    try:
        main(["schedule", "list", "--level", "city"])
    except SystemExit as exc:
        assert exc.code == 2
    else:
        raise AssertionError("未知层级应被拒绝")
