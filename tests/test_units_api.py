"""Units through /api/v1/regions/units: scoped reads; writes by the county's sysadmin only."""

import json

from fupin.audit.models import AuditEvent
from fupin.regions.models import Unit

URL = "/api/v1/regions/units"
NEW_UNIT = {
    "region_code": "420322",
    "kind": "school",
    "name": "郧西县第一中学",
    "fonds_code": "X201",
    "leader": "陈校长",
}


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def patch(client, url, data):
    return client.patch(url, json.dumps(data), content_type="application/json")


def test_list_is_scoped(world):
    names = [u["name"] for u in world.client("village_a").get(URL).json()["items"]]
    assert names == ["东岭村委会"]
    county = world.client("county_a").get(URL, {"kind": "village_committee"}).json()
    assert county["count"] == 2
    assert world.client("county_b").get(URL).json()["items"][0]["name"] == "竹山县扶贫办"


def test_sysadmin_creates_and_patches(world):
    client = world.client("sysadmin_a")
    created = post(client, URL, NEW_UNIT)
    assert created.status_code == 201
    body = created.json()
    assert (body["fonds_name"], body["leader"], body["kind_label"]) == (
        "郧西县第一中学",
        "陈校长",
        "学校",
    )
    changed = patch(client, f"{URL}/{body['id']}", {"archivists": "周老师", "active": False})
    assert changed.status_code == 200
    assert (changed.json()["archivists"], changed.json()["active"]) == ("周老师", False)
    event = AuditEvent.objects.get(action="unit.update", object_id=str(body["id"]))
    assert (event.before, event.after) == ({"archivists": ""}, {"archivists": "周老师"})
    assert AuditEvent.objects.filter(action="unit.deactivate", object_id=str(body["id"])).exists()
    assert client.get(f"{URL}/{body['id']}").json()["archivists"] == "周老师"


def test_clear_errors(world):
    client = world.client("sysadmin_a")
    duplicate = post(client, URL, {**NEW_UNIT, "fonds_code": "F002"})
    assert duplicate.status_code == 400
    assert "全宗号“F002”已被其他单位使用" in duplicate.json()["detail"]
    wrong_level = post(client, URL, {**NEW_UNIT, "kind": "village_committee"})
    assert wrong_level.status_code == 400
    assert "只能设在村（居）一级" in wrong_level.json()["detail"]
    unit = world.units["office_a"]
    same_name = patch(client, f"{URL}/{unit.pk}", {"name": "郧西县驻东岭村工作队"})
    assert "已有名为“郧西县驻东岭村工作队”的单位" in same_name.json()["detail"]


def test_refused_outside_the_sysadmins_county(world):
    unit = world.units["office_a"]
    for persona in ("sysadmin_b", "village_a", "county_a"):
        client = world.client(persona)
        assert patch(client, f"{URL}/{unit.pk}", {"leader": "某人"}).status_code == 404
        assert post(client, URL, NEW_UNIT).status_code == 404
    assert world.client("sysadmin_b").get(f"{URL}/{unit.pk}").status_code == 404
    assert not Unit.objects.filter(fonds_code="X201").exists()
    assert not AuditEvent.objects.filter(action__startswith="unit.").exists()
