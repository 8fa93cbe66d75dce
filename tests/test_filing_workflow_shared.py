"""Schedule refinements and local rules follow the one filing workflow: the same moves are
refused the same way for both (no answer before filing, one answer per office and round, nothing
filed twice, nothing moves once accepted)."""

import pytest

from fupin.schedule.services import schedule_load_annex


def _refinement(world) -> str:
    schedule_load_annex(actor=None)
    client = world.client("county_a")
    rid = client.post(
        "/api/v1/schedule/refinements",
        {"title": "郧西县细化方案", "effective_from": "2017-01-01", "owner_region": "420322"},
        content_type="application/json",
    ).json()["id"]
    rows = client.get("/api/v1/schedule/rows", {"level": "village", "category": "专业"}).json()
    row = next(r for r in rows if r["number"] == "3")
    client.post(
        f"/api/v1/schedule/refinements/{rid}/items",
        {"parent_row_id": row["id"], "scope_text": "贫困户申请书", "retention_options": ["Y"]},
        content_type="application/json",
    )
    return f"/api/v1/schedule/refinements/{rid}"


def _rule(world) -> str:
    rule = {
        "owner_region": "420322",
        "title": "郧西县精准扶贫档案管理实施细则",
        "body": "第一条 ……",
        "effective_from": "2016-10-01",
    }
    made = world.client("county_a").post(
        "/api/v1/supervision/rules", rule, content_type="application/json"
    )
    return f"/api/v1/supervision/rules/{made.json()['id']}"


def _post(world, persona: str, path: str, data=None):
    return world.client(persona).post(path, data or {}, content_type="application/json")


@pytest.mark.parametrize("make", [_refinement, _rule], ids=["refinement", "local_rule"])
def test_both_kinds_move_the_same_way(world, make):
    base = make(world)

    def decide(persona, office, accept=True, reason=""):
        data = {"office": office, "accept": accept, "reason": reason}
        return _post(world, persona, f"{base}/decide", data)

    # A draft is not yet filed: no office answers it.
    early = decide("office_city", "poverty")
    assert early.status_code == 400 and "不在待备案状态" in early.json()["detail"]
    filed = _post(world, "county_a", f"{base}/submit").json()
    assert (filed["status"], filed["round"]) == ("submitted", 1)
    assert _post(world, "county_a", f"{base}/submit").status_code == 400
    assert decide("office_city", "poverty").json()["status"] == "submitted"
    again = decide("office_city", "poverty")
    assert again.status_code == 400 and "扶贫办已对本次报送作出答复" in again.json()["detail"]
    assert decide("bureau_city", "archive").json()["status"] == "accepted"
    # Accepted is final.
    assert _post(world, "county_a", f"{base}/submit").status_code == 400
    assert decide("bureau_city", "archive", False, "再议").status_code == 400
    assert world.client("county_a").get(base).json()["status"] == "accepted"
