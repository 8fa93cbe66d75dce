"""Each level's report sums its subordinates' accepted reports plus its own units, and every
figure traces down to the reports and rows that make it."""

import pytest

from tests.records_fixtures import file_item
from tests.supervision_api import BASE, build, decide, submit
from tests.supervision_fixtures import (
    COUNTY_OWN,
    TOWNSHIP_A_OWN,
    TOWNSHIP_B_OWN,
    VILLAGE_A,
    VILLAGE_B,
    expected,
    fill,
)

EXTRA = {"archive_staff": 0, "training_sessions": 0}


@pytest.fixture
def rolled(world, tmp_path):
    """Both villages submit; the township returns 西岭村 once, accepts both, and goes up."""
    fill(world, tmp_path)
    village_a, village_b = world.client("village_a"), world.client("village_b")
    township, county = world.client("township_a"), world.client("county_a")
    a = build(village_a, region_code="420322100201")
    b = build(village_b, region_code="420322100202")
    submit(village_a, a["id"])
    submit(village_b, b["id"])
    decide(township, b["id"], False, "请核对案卷数")
    decide(township, a["id"], True)
    world.extra["township_before"] = build(township, region_code="420322100")
    submit(village_b, b["id"])
    decide(township, b["id"], True)
    town = build(township, region_code="420322100")
    submit(township, town["id"])
    decide(county, town["id"], True)
    world.extra["reports"] = {"a": a, "b": b, "town": town}
    return world


def test_returned_report_still_counts_its_data(rolled):
    before = rolled.extra["township_before"]["figures"]
    assert before == expected(VILLAGE_A, VILLAGE_B, TOWNSHIP_A_OWN) | EXTRA


def test_township_and_county_sum_their_accepted_subordinates(rolled):
    town = rolled.extra["reports"]["town"]
    assert town["figures"] == expected(VILLAGE_A, VILLAGE_B, TOWNSHIP_A_OWN) | EXTRA
    county = build(rolled.client("county_a"), region_code="420322")
    whole = expected(VILLAGE_A, VILLAGE_B, TOWNSHIP_A_OWN, TOWNSHIP_B_OWN, COUNTY_OWN)
    assert county["figures"] == whole | EXTRA


def test_a_figure_traces_down_to_reports_and_rows(rolled):
    town = rolled.extra["reports"]["town"]
    response = rolled.client("county_a").get(f"{BASE}/reports/{town['id']}/trace/items")
    assert response.status_code == 200
    trace = response.json()
    assert trace["total"] == 7
    assert {c["name"]: c["value"] for c in trace["children"]} == {"东岭村": 4, "西岭村": 1}
    assert trace["own_count"] == 2
    assert sorted(trace["own"]) == ["城关镇文件1", "城关镇文件2"]
    village = rolled.extra["reports"]["a"]
    rows = rolled.client("village_a").get(f"{BASE}/reports/{village['id']}/trace/households")
    assert rows.json()["own_count"] == 2


def test_ledger_shows_change_since_last_quarter(rolled):
    village_a = rolled.client("village_a")
    build(village_a, "2016Q3", region_code="420322100201")
    unit = rolled.units["committee_a"]
    file_item(unit, unit.class_codes.get(code="BGS"), level="village", title="第四季度文件")
    after = build(village_a, "2016Q4", region_code="420322100201")
    lines = {line["key"]: line for line in after["lines"]}
    assert (lines["items"]["value"], lines["items"]["previous"], lines["items"]["delta"]) == (
        5, 4, 1,
    )  # fmt: skip
    assert lines["digitised_share"]["previous"] == "50.0%"
    assert lines["digitised_share"]["value"] == "40.0%"
