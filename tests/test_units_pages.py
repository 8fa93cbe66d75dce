"""Units through the pages: the county's sysadmin creates and edits; others are refused."""

from django.urls import reverse

from fupin.audit.models import AuditEvent
from fupin.regions.models import Unit

NEW_UNIT = {
    "region": "420322",
    "kind": "department",
    "name": "郧西县教育局",
    "fonds_code": "J101",
    "fonds_name": "",
    "leader": "张副局长",
    "responsible_department": "办公室",
    "archivists": "李四、王五",
}


def test_sysadmin_creates_a_unit_with_its_people(world):
    client = world.client("sysadmin_a")
    form = client.get(reverse("regions:unit_create"), {"region": "420322"})
    assert form.status_code == 200
    assert "分管领导" in form.content.decode() and "档案工作人员" in form.content.decode()
    response = client.post(reverse("regions:unit_create"), NEW_UNIT)
    unit = Unit.objects.get(fonds_code="J101")
    assert response.status_code == 302
    assert response["Location"] == reverse("regions:unit_detail", args=[unit.pk])
    assert (unit.fonds_name, unit.leader, unit.archivists) == (
        "郧西县教育局",
        "张副局长",
        "李四、王五",
    )
    event = AuditEvent.objects.get(action="unit.create", object_id=str(unit.pk))
    assert (event.actor_name, event.region_code) == ("sysadmin_a", "420322")
    page = client.get(reverse("regions:unit_detail", args=[unit.pk])).content.decode()
    assert "张副局长" in page and "办公室" in page


def test_duplicate_fonds_code_is_a_clear_form_error(world):
    response = world.client("sysadmin_a").post(
        reverse("regions:unit_create"), {**NEW_UNIT, "fonds_code": "F001"}
    )
    assert response.status_code == 200
    assert "全宗号“F001”已被其他单位使用" in response.content.decode()
    assert not Unit.objects.filter(name="郧西县教育局").exists()


def test_sysadmin_edits_a_unit_and_the_change_is_audited(world):
    unit = world.units["office_a"]
    url = reverse("regions:unit_edit", args=[unit.pk])
    client = world.client("sysadmin_a")
    assert client.get(url).status_code == 200
    data = {
        "kind": unit.kind,
        "name": unit.name,
        "fonds_code": unit.fonds_code,
        "fonds_name": unit.fonds_name,
        "leader": "赵主任",
        "responsible_department": "综合股",
        "archivists": "钱六",
    }
    assert client.post(url, data).status_code == 302
    event = AuditEvent.objects.get(action="unit.update", object_id=str(unit.pk))
    assert event.before == {"leader": "", "responsible_department": "", "archivists": ""}
    assert event.after == {
        "leader": "赵主任",
        "responsible_department": "综合股",
        "archivists": "钱六",
    }


def test_sysadmin_deactivates_a_unit(world):
    unit = world.units["committee_b"]
    client = world.client("sysadmin_a")
    client.post(reverse("regions:unit_active", args=[unit.pk]), {"active": "0"})
    unit.refresh_from_db()
    assert not unit.active
    assert AuditEvent.objects.filter(action="unit.deactivate", object_id=str(unit.pk)).exists()


def test_other_county_sysadmin_is_refused(world):
    client = world.client("sysadmin_b")
    unit = world.units["office_a"]
    assert client.get(reverse("regions:unit_edit", args=[unit.pk])).status_code == 404
    assert client.get(reverse("regions:unit_detail", args=[unit.pk])).status_code == 404
    active = client.post(reverse("regions:unit_active", args=[unit.pk]), {"active": "0"})
    assert active.status_code == 404
    response = client.post(reverse("regions:unit_create"), NEW_UNIT)
    assert "该区划不存在，或不在您的管辖范围内" in response.content.decode()
    assert not Unit.objects.filter(fonds_code="J101").exists()


def test_village_clerk_reads_its_units_but_may_not_manage(world):
    client = world.client("village_a")
    mine = world.units["committee_a"]
    listing = client.get(reverse("regions:units")).content.decode()
    assert "东岭村委会" in listing and "西岭村委会" not in listing
    assert "修改" not in client.get(reverse("regions:unit_detail", args=[mine.pk])).content.decode()
    assert client.get(reverse("regions:unit_create")).status_code == 403
    assert client.get(reverse("regions:unit_edit", args=[mine.pk])).status_code == 404
    other = world.units["committee_b"]
    assert client.get(reverse("regions:unit_detail", args=[other.pk])).status_code == 404


def test_units_list_filters(world):
    client = world.client("county_a")
    teams = client.get(reverse("regions:units"), {"kind": "work_team"}).content.decode()
    assert "郧西县驻东岭村工作队" in teams and "郧西县扶贫办" not in teams
    found = client.get(reverse("regions:units"), {"q": "西岭"}).content.decode()
    assert "西岭村委会" in found and "东岭村委会" not in found
    village = client.get(reverse("regions:units"), {"region": "420322100201"}).content.decode()
    assert "东岭村委会" in village and "郧西县扶贫办" not in village
