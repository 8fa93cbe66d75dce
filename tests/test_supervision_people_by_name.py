"""Supervision pages name people as 姓名（登录名）, not by login alone: who inspected, who
opened and closed an order, who rated, who submitted and decided a report, who answered a
local rule's filing."""

import datetime

from fupin.accounts.models import User
from tests.supervision_api import BASE, build, decide, post, submit


def _named(world) -> None:
    for login, name in [("bureau_city", "周丽"), ("township_a", "王芳"), ("village_a", "李强")]:
        User.objects.filter(username=login).update(full_name=name)


def test_inspection_order_and_rating_name_people(world):
    _named(world)
    inspector = world.client("bureau_city")
    checklist = post(inspector, "/checklists", {"name": "检查表", "pass_score": 5,
                                                 "items": [{"text": "档案安全", "max_score": 10}]},
                     201)  # fmt: skip
    today = datetime.date.today().isoformat()
    done = post(inspector, "/inspections", {
        "unit_id": world.units["office_a"].pk, "checklist_id": checklist["id"],
        "inspected_on": today, "findings": [{"item_id": checklist["items"][0]["id"], "score": 8}],
        "orders": [{"requirement": "整理库房", "deadline": today}]}, 201)  # fmt: skip
    post(inspector, f"/orders/{done['orders'][0]['id']}/close", {"note": "已整理"})
    page = inspector.get(f"/supervision/inspections/{done['id']}/").content.decode()
    assert "检查人：周丽（bureau_city）" in page and "销号：周丽（bureau_city）" in page
    listing = inspector.get("/supervision/inspections/").content.decode()
    assert "开具：周丽（bureau_city）；销号：周丽（bureau_city）" in listing
    year = datetime.date.today().year - 1
    inspector.post(
        "/supervision/assessments/rate/",
        {"unit_id": world.units["office_a"].pk, "year": year, "rating": "good"},
    )
    rated = inspector.get("/supervision/assessments/", {"year": year}).content.decode()
    assert "评定人：周丽（bureau_city）" in rated


def test_report_names_who_submitted_and_decided(world):
    _named(world)
    village = world.client("village_a")
    report = build(village, region_code="420322100201")
    submit(village, report["id"])
    decide(world.client("township_a"), report["id"], True)
    page = village.get(f"/supervision/reports/{report['id']}/").content.decode()
    assert "报送人：李强（village_a）" in page and "审核人：王芳（township_a）" in page
    assert world.client("county_a").get(f"{BASE}/reports/{report['id']}").status_code == 200
