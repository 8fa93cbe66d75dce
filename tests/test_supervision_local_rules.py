"""A county's implementation rules (实施细则) are filed with the city's poverty office and archive
bureau, who accept or return them with a reason; a return goes back for another round."""

from fupin.audit.models import AuditEvent
from fupin.supervision.models import LocalRule

RULE = {
    "owner_region": "420322",
    "title": "郧西县精准扶贫档案管理实施细则",
    "body": "第一条 为规范全县精准扶贫档案工作……",
    "effective_from": "2016-10-01",
}


def post(client, path, data=None):
    return client.post(
        f"/api/v1/supervision/rules{path}", data or {}, content_type="application/json"
    )


def test_rules_are_filed_one_level_up(world):
    county, poverty, archive = (world.client(p) for p in ("county_a", "office_city", "bureau_city"))
    made = post(county, "", RULE)
    assert made.status_code == 201, made.json()
    rule = made.json()["id"]
    assert post(county, f"/{rule}/submit").json()["status"] == "submitted"
    # The county itself cannot file its own rules.
    assert post(county, f"/{rule}/decide", {"office": "poverty", "accept": True}).status_code == 403
    assert (
        post(poverty, f"/{rule}/decide", {"office": "poverty", "accept": True}).json()["status"]
        == "submitted"
    )
    bare = post(archive, f"/{rule}/decide", {"office": "archive", "accept": False})
    assert bare.status_code == 400 and "理由" in bare.json()["detail"]
    returned = post(
        archive, f"/{rule}/decide", {"office": "archive", "accept": False, "reason": "缺保管期限"}
    )
    assert returned.json()["status"] == "returned"
    assert post(county, f"/{rule}/submit").json()["round"] == 2
    post(poverty, f"/{rule}/decide", {"office": "poverty", "accept": True})
    done = post(archive, f"/{rule}/decide", {"office": "archive", "accept": True})
    assert done.json()["status"] == "accepted"
    assert AuditEvent.objects.filter(action="supervision.rule_decide").count() == 4
    page = world.client("bureau_city").get(f"/supervision/rules/{rule}/").content.decode()
    assert "缺保管期限" in page and "已备案" in page


def test_others_neither_see_nor_write_rules(world):
    rule = post(world.client("county_a"), "", RULE).json()["id"]
    assert world.client("county_b").get(f"/api/v1/supervision/rules/{rule}").status_code == 404
    assert post(world.client("county_b"), f"/{rule}/submit").status_code == 404
    assert post(world.client("village_a"), "", RULE).status_code in (403, 404)
    other = post(world.client("county_b"), "", RULE)
    assert other.status_code == 404
    assert LocalRule.objects.count() == 1
