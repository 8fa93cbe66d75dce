"""The one retention rule at its edges, through the API: a 2016 record kept 10 years is kept
through 31 December 2026. On 30 December it is not yet expired and a proposal to destroy it
is refused whole, naming it with its last day; on 31 December it is listed and may go; on
1 January 2027 a 2017 record is still kept."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from fupin.records.services import items_arrange, items_lock
from tests.disposal_fixtures import expired_fonds
from tests.records_fixtures import file_item


@pytest.fixture
def clock(monkeypatch):
    def at(day: date) -> None:
        noon = timezone.make_aware(datetime(day.year, day.month, day.day, 12))
        monkeypatch.setattr(timezone, "now", lambda: noon)

    return at


def ended(world) -> set[int]:
    listed = world.client("unit_a").get("/api/v1/disposal/expiring", {"months": 0}).json()
    return {i["id"] for i in listed["items"]}


def propose(world, appraisal: int, items) -> object:
    decisions = [{"item_id": i.pk, "decision": "destroy", "reason": "无价值"} for i in items]
    return world.client("unit_a").post(
        f"/api/v1/disposal/appraisals/{appraisal}/decisions",
        {"decisions": decisions},
        content_type="application/json",
    )


def test_ten_years_end_on_31_december_not_a_day_before(world, clock):
    fonds = expired_fonds(world, scans=False)
    bgs = fonds.permanent[0].class_code
    later = file_item(
        fonds.unit, bgs, title="2017年值班安排表", day=date(2017, 2, 1), retention="D10",
        number="49",
    )  # fmt: skip
    items_arrange(actor=None, unit_id=fonds.unit.pk, year=2017)
    items_lock(actor=None, unit_id=fonds.unit.pk, item_ids=[later.pk])
    expired = {i.pk for i in fonds.expired}
    soon = {i.pk for i in fonds.soon}

    clock(date(2026, 12, 30))
    assert ended(world) == expired
    made = world.client("unit_a").post(
        "/api/v1/disposal/appraisals",
        {"unit_id": fonds.unit.pk, "item_ids": sorted(soon | {later.pk})},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content.decode()
    appraisal = made.json()["id"]
    refused = propose(world, appraisal, fonds.soon)
    assert refused.status_code == 400
    problems = refused.json()["problems"]
    not_ended = [p["message"] for p in problems if p["code"] == "disposal.not_ended"]
    assert len(not_ended) == 2 and all("至 2026年12月31日，尚未到期" in m for m in not_ended)
    assert all(i.reference_code in "".join(not_ended) for i in fonds.soon)

    clock(date(2026, 12, 31))
    assert ended(world) == expired | soon
    assert propose(world, appraisal, fonds.soon).status_code == 200

    clock(date(2027, 1, 1))
    assert ended(world) == expired | soon
    refused = propose(world, appraisal, [later])
    assert refused.status_code == 400 and "至 2027年12月31日，尚未到期" in refused.json()["detail"]
    soon_list = world.client("unit_a").get("/api/v1/disposal/expiring", {"months": 12}).json()
    assert later.pk in {i["id"] for i in soon_list["items"]}
