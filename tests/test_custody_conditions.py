"""Storage conditions: temperature, humidity and the 八防 checks are logged per room and
judged against thresholds an administrator keeps as data (the nearest region's, else the
JGJ 25 defaults); readings out of range are flagged on the room page and the custodian's
home, read by inspections, and counted in the quarterly report."""

import datetime
import json

from django.utils import timezone

from fupin.audit.models import AuditEvent
from fupin.cli import main
from fupin.custody.models import Limits, Reading
from fupin.custody.services import check_finish, check_plan, reading_record, thing_place
from fupin.supervision.inspections.services import checklist_create, inspection_record
from tests.custody_fixtures import label, village_boxes, village_room


def test_a_reading_out_of_range_is_flagged_on_the_room_page_and_the_home(world):
    room, _ = village_room(world)
    clerk = world.client("village_a")
    page = clerk.post(
        f"/custody/rooms/{room.pk}/readings/",
        {"temperature": "27.5", "humidity": "52", "failed_checks": ["pests"], "note": "发现虫迹"},
        follow=True,
    ).content.decode()
    assert "超出阈值或检查不合格：温度 27.5℃ 高于上限 24℃；防虫检查不合格" in page
    assert '<span class="badge bad">异常</span>' in page
    home = clerk.get("/").content.decode()
    assert "1 个库房最近一次记录超出阈值或检查不合格" in home and "一号库房" in home
    clerk.post(f"/custody/rooms/{room.pk}/readings/", {"temperature": "20", "humidity": "50"})
    assert "超出阈值" not in clerk.get("/").content.decode()
    assert "正常" in clerk.get(f"/custody/rooms/{room.pk}/").content.decode()
    assert AuditEvent.objects.filter(action="custody.reading").count() == 2


def test_nonsense_readings_are_refused_and_nothing_is_kept(world):
    room, _ = village_room(world)
    clerk = world.client("village_a")
    for values, words in [
        ({"temperature": "abc", "humidity": "50"}, "温度（℃）：输入一个数字"),
        ({"temperature": "20", "humidity": "150"}, "相对湿度 150.0% 不合常理"),
        ({"temperature": "95", "humidity": "50"}, "温度 95.0℃ 不合常理"),
    ]:
        page = clerk.post(f"/custody/rooms/{room.pk}/readings/", values, follow=True)
        assert words in page.content.decode()
    answer = clerk.post(
        f"/api/v1/custody/rooms/{room.pk}/readings",
        {"temperature": 20, "humidity": 50, "failed_checks": ["ghosts"]},
        content_type="application/json",
    )
    assert answer.status_code == 400 and "未知的检查项：ghosts" in answer.json()["detail"]
    assert not Reading.objects.exists()


def test_an_administrator_changes_the_thresholds_for_their_region(world, capsys):
    room, _ = village_room(world)
    admin = world.client("sysadmin_a")
    page = admin.post(
        "/custody/limits/",
        {"region": "420322", "temperature_min": "10", "temperature_max": "28",
         "humidity_min": "40", "humidity_max": "65"},
        follow=True,
    ).content.decode()  # fmt: skip
    assert "郧西县的库房阈值已保存" in page
    assert Limits.objects.get().region_id == "420322"
    # 27.5 ℃ is within the county's own limits now.
    assert (
        reading_record(actor=None, room_id=room.pk, temperature="27.5", humidity="60").alerts == []
    )
    # The other county's administrator cannot set 郧西's, nor can a village clerk.
    refused = world.client("sysadmin_b").post(
        "/api/v1/custody/limits",
        {"region_code": "420322", "temperature_min": 0, "temperature_max": 40,
         "humidity_min": 0, "humidity_max": 100},
        content_type="application/json",
    )  # fmt: skip
    assert refused.status_code in (403, 404)
    assert world.client("village_a").get("/custody/limits/").status_code == 404
    bad = admin.post(
        "/custody/limits/",
        {"region": "420322", "temperature_min": "30", "temperature_max": "20",
         "humidity_min": "40", "humidity_max": "65"},
        follow=True,
    ).content.decode()  # fmt: skip
    assert "最低温度应低于最高温度" in bad
    assert main(["custody", "limits", "--region", "420322100201", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)["limits"]
    assert (data["temperature_max"], data["source"]) == ("28.0", "郧西县（420322）")
    assert main(["custody", "reading", "--room", str(room.pk), "--temperature", "12",
                 "--humidity", "70", "--failed", "damp", "--json"]) == 0  # fmt: skip
    alerts = json.loads(capsys.readouterr().out)["reading"]["alerts"]
    assert alerts == ["相对湿度 70.0% 高于上限 65.0%", "防潮检查不合格"]


def test_inspections_and_the_quarterly_report_read_the_storage(world):
    boxes = village_boxes(world, 2)
    room, at = village_room(world)
    thing_place(actor=None, code=label(boxes[0]), position_id=at["A-1-1"].pk, reason="上架")
    reading_record(actor=None, room_id=room.pk, temperature="30", humidity="50")
    check = check_plan(actor=None, room_id=room.pk)
    check_finish(actor=None, check_id=check.pk)
    checklist = checklist_create(actor=None, name="检查表", pass_score=5, items=[("档案安全", 10)])
    inspection = inspection_record(
        actor=None,
        unit_id=world.units["committee_a"].pk,
        checklist_id=checklist.pk,
        inspected_on=datetime.date(2016, 9, 1),
        findings=[{"item_id": checklist.items.get().pk, "score": 8}],
    )
    page = world.client("bureau_city").get(f"/supervision/inspections/{inspection.pk}/")
    text = page.content.decode()
    assert "库房保管情况" in text and "档案盒 2 个，其中未上架 1 个" in text
    assert "温度 30.0℃ 高于上限 24℃" in text and "缺失 1" in text
    quarter = f"{timezone.localdate().year}Q{(timezone.localdate().month - 1) // 3 + 1}"
    report = (
        world.client("village_a")
        .post(
            "/api/v1/supervision/reports",
            {"quarter": quarter, "region_code": "420322100201"},
            content_type="application/json",
        )
        .json()
    )
    figures = report["figures"]
    assert (figures["rooms"], figures["boxes_shelved"], figures["boxes_unshelved"]) == (1, 1, 1)
    assert (figures["readings_out"], figures["inventory_checks"]) == (1, 1)
