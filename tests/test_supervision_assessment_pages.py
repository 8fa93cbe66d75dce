"""目标管理考评 pages apply the policy's rules where people can see them: a unit whose own or
stationed villages' archives are not managed to the rules cannot be rated that year, and a
serious security hazard cancels the existing rating and opens an order."""

import datetime

import pytest

from fupin.supervision.models import Assessment, RectificationOrder
from tests.supervision_api import post

PAGE = "/supervision/assessments/"
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


def inspect(world, client, unit: str, scores, hazard: bool = False) -> dict:
    items = world.extra["checklist"]["items"]
    findings = [
        {"item_id": i["id"], "score": s, "note": "库房漏水" if hazard and n == 0 else "",
         "serious_hazard": hazard and n == 0}
        for n, (i, s) in enumerate(zip(items, scores, strict=True))
    ]  # fmt: skip
    today = datetime.date.today().isoformat()
    body = {"unit_id": world.units[unit].pk, "checklist_id": world.extra["checklist"]["id"],
            "inspected_on": today, "findings": findings}  # fmt: skip
    return post(client, "/inspections", body, 201)


def rows(client, year: int | None = None) -> dict[str, tuple]:
    page = client.get(PAGE, {"year": year} if year else {})
    assert page.status_code == 200
    return {u.name: (a, why) for u, a, why in page.context["rows"]}


def test_the_rule_is_shown_and_a_stationed_village_bars_its_work_team(world, inspector):
    inspect(world, inspector, "committee_a", [10, 10])
    page = inspector.get(PAGE).content.decode()
    assert "不得组织该单位当年档案工作目标管理考评工作" in page
    found = rows(inspector)
    assert "东岭村委会" in found["郧西县驻东岭村工作队"][1]  # stationed in 东岭村
    assert found["郧西县扶贫办"][1] == ""
    assert "不得参加考评" in page and 'aria-label="郧西县扶贫办考评等次"' in page
    assert 'aria-label="郧西县驻东岭村工作队考评等次"' not in page
    # Last year is another matter: nothing failed then.
    assert rows(inspector, datetime.date.today().year - 1)["郧西县驻东岭村工作队"][1] == ""


def test_rating_from_the_page_and_refused_when_barred(world, inspector):
    year = datetime.date.today().year
    office, team = world.units["office_a"], world.units["team_a"]
    done = inspector.post(
        f"{PAGE}rate/", {"unit_id": office.pk, "year": year, "rating": "good"}, follow=True
    )
    assert f"已评定郧西县扶贫办{year}年度考评等次：良好" in done.content.decode()
    rating, _ = rows(inspector)["郧西县扶贫办"]
    assert rating.get_rating_display() == "良好"
    assert rating.rater_label == "bureau_city（bureau_city）"
    inspect(world, inspector, "committee_a", [10, 10])
    refused = inspector.post(
        f"{PAGE}rate/", {"unit_id": team.pk, "year": year, "rating": "excellent"}, follow=True
    ).content.decode()
    assert "不得参加考评" in refused and "东岭村委会" in refused
    assert not Assessment.objects.filter(unit=team).exists()
    county = world.client("county_a")
    forbidden = county.post(f"{PAGE}rate/", {"unit_id": office.pk, "year": year - 1,
                                            "rating": "good"}, follow=True)  # fmt: skip
    assert "没有检查这个单位的权限" in forbidden.content.decode()
    assert 'name="rating"' not in county.get(PAGE).content.decode()


def test_a_serious_hazard_cancels_the_rating_visibly(world, inspector):
    year = datetime.date.today().year
    inspector.post(f"{PAGE}rate/", {"unit_id": world.units["office_a"].pk, "year": year,
                                     "rating": "excellent"})  # fmt: skip
    done = inspect(world, inspector, "office_a", [45, 50], hazard=True)
    rating, why = rows(inspector)["郧西县扶贫办"]
    assert rating.cancelled and rating.cancelled_by_id == done["id"]
    assert "发现严重安全隐患" in why
    page = inspector.get(PAGE).content.decode()
    assert "已取消" in page and f"/supervision/inspections/{done['id']}/" in page
    order = RectificationOrder.objects.get(inspection_id=done["id"])
    assert order.requirement == "消除严重安全隐患：库房漏水"
