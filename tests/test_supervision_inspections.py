"""Inspections with scored checklists; a serious hazard cancels the rating and opens an order
with a deadline, followed to closure; units not managed to the rules cannot be assessed."""

import datetime

import pytest

from fupin.supervision.models import Assessment
from tests.supervision_api import BASE, post

CHECKLIST = {
    "name": "扶贫档案执法检查表",
    "pass_score": 60,
    "items": [{"text": "档案安全保管", "max_score": 50}, {"text": "归档范围完整", "max_score": 50}],
}


@pytest.fixture
def inspector(world):
    client = world.client("bureau_city")
    world.extra["checklist"] = post(client, "/checklists", CHECKLIST, 201)
    return client


def inspect(world, client, unit: str, scores, hazard: bool = False, status: int = 201, **extra):
    items = world.extra["checklist"]["items"]
    findings = [
        {"item_id": i["id"], "score": s, "note": "库房漏水" if hazard and n == 0 else "",
         "serious_hazard": hazard and n == 0, "evidence": "照片 3 张"}
        for n, (i, s) in enumerate(zip(items, scores, strict=True))
    ]  # fmt: skip
    body = {
        "unit_id": world.units[unit].pk,
        "checklist_id": world.extra["checklist"]["id"],
        "inspected_on": "2026-03-10",
        "findings": findings,
        **extra,
    }
    return post(client, "/inspections", body, status)


def rate(world, client, unit: str, status: int = 201, year: int = 2026):
    body = {"unit_id": world.units[unit].pk, "year": year, "rating": "good"}
    return post(client, "/assessments", body, status)


def test_scores_and_orders_with_deadlines(world, inspector):
    done = inspect(
        world, inspector, "office_a", [40, 45],
        orders=[{"requirement": "补充整理 2016 年文件", "deadline": "2026-04-30"}],
    )  # fmt: skip
    assert (done["total_score"], done["passed"]) == (85, True)
    assert [o["requirement"] for o in done["orders"]] == ["补充整理 2016 年文件"]
    low = inspect(world, inspector, "town_a", [20, 30])
    assert (low["total_score"], low["passed"]) == (50, False)
    refused = inspect(world, inspector, "town_a", [60, 30], status=400)
    assert "0 到 50" in refused["detail"]


def test_serious_hazard_cancels_rating_and_order_is_tracked_to_closure(world, inspector):
    rated = rate(world, inspector, "office_a")
    assert rated["cancelled"] is False
    done = inspect(world, inspector, "office_a", [10, 50], hazard=True)
    assessment = Assessment.objects.get(pk=rated["id"])
    assert assessment.cancelled and "库房漏水" in assessment.cancel_reason
    [order] = done["orders"]
    assert order["deadline"] == str(datetime.date(2026, 3, 10) + datetime.timedelta(days=30))
    overdue = world.client("county_a").get(f"{BASE}/orders", {"overdue": "true"}).json()
    assert [o["id"] for o in overdue] == [order["id"]]
    # The unit's office cannot close it; the inspector confirms with a note.
    post(world.client("county_a"), f"/orders/{order['id']}/close", {"note": "已修缮"}, 403)
    post(inspector, f"/orders/{order['id']}/close", {"note": ""}, 400)
    closed = post(inspector, f"/orders/{order['id']}/close", {"note": "库房已修缮，复查合格"})
    assert closed["status"] == "closed"
    assert world.client("county_a").get(f"{BASE}/orders", {"overdue": "true"}).json() == []


def test_unit_not_managed_to_the_rules_cannot_be_assessed(world, inspector):
    # The work team is stationed in 东岭村: that village's failing inspection bars it too.
    inspect(world, inspector, "committee_a", [10, 10])
    refused = rate(world, inspector, "team_a", status=400)
    assert "东岭村委会" in refused["detail"] and "不得参加考评" in refused["detail"]
    assert rate(world, inspector, "team_a", year=2025)["rating"] == "good"
    assert rate(world, inspector, "office_a")["rating"] == "good"
    assert "已有考评结果" in rate(world, inspector, "office_a", status=400)["detail"]


def test_only_inspectors_in_scope(world, inspector):
    items = world.extra["checklist"]["items"]
    body = {
        "unit_id": world.units["office_b"].pk,
        "checklist_id": world.extra["checklist"]["id"],
        "inspected_on": "2026-03-10",
        "findings": [{"item_id": i["id"], "score": 1} for i in items],
    }
    post(world.client("county_a"), "/inspections", body, 403)
    body["unit_id"] = world.units["office_a"].pk
    post(world.client("county_a"), "/inspections", body, 403)
