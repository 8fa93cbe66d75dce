"""An inventory check (盘点) lists what should stand where; the checker scans box labels (or
confirms a place by hand); the result names the missing, misplaced and unexpected boxes,
and a volume out on loan is not missing. Pages, API and CLI give the same result."""

import json

from django.utils import timezone

from fupin.audit.models import AuditEvent
from fupin.cli import main
from fupin.custody.models import InventoryCheck
from fupin.custody.services import thing_place
from fupin.records.volumes import volume_create
from fupin.use.services import loan_create
from tests.custody_fixtures import label, village_boxes, village_room
from tests.records_fixtures import file_item


def shelved(world):
    """Four boxes on the shelf, a fifth box placed in another room, and a volume."""
    boxes = village_boxes(world, 5)
    room, at = village_room(world)
    _, other_at = village_room(world, name="二号库房")
    for box, code in zip(boxes[:4], ["A-1-1", "A-1-1", "A-1-2", "A-2-1"], strict=True):
        thing_place(actor=None, code=label(box), position_id=at[code].pk, reason="上架")
    thing_place(actor=None, code=label(boxes[4]), position_id=other_at["A-1-1"].pk, reason="上架")
    unit = world.units["committee_a"]
    klass = unit.class_codes.get(code="YWK")
    item = file_item(unit, klass, level="village", title="村道硬化项目", category="ZY", number="8")
    volume = volume_create(
        actor=None, unit_id=unit.pk, category="ZY", year=2016, retention="Y",
        project="村道硬化", title="村道硬化项目案卷", item_ids=[item.pk],
    )  # fmt: skip
    thing_place(actor=None, code=volume.reference_code, position_id=at["A-2-2"].pk, reason="上架")
    return boxes, volume, room, at


def test_a_check_by_scanner_finds_missing_misplaced_unexpected_and_lent(world):
    boxes, volume, room, at = shelved(world)
    loan_create(
        actor=None, unit_id=volume.unit_id, borrower_name="李四", codes=[volume.reference_code],
        purpose="项目审计", due_on=timezone.localdate(),
    )  # fmt: skip
    clerk = world.client("village_a")
    planned = clerk.post(f"/custody/rooms/{room.pk}/checks/", {}, follow=True)
    check = InventoryCheck.objects.get()
    assert planned.redirect_chain[-1][0] == f"/custody/checks/{check.pk}/"
    assert check.expected_count == 5
    url = f"/custody/checks/{check.pk}/"
    # A-1-1 confirmed by hand; box 3 scanned at the wrong place; box 5 (of the other room)
    # turns up on this shelf; box 4 is not found; the volume is out on loan.
    clerk.post(f"{url}all-here/", {"position": at["A-1-1"].pk})
    page = clerk.post(url, {"position": at["A-2-2"].pk, "code": label(boxes[2]), "by": "scan"})
    assert "已登记" in page.content.decode()
    clerk.post(url, {"position": at["A-1-2"].pk, "code": label(boxes[4]).lower(), "by": "scan"})
    twice = clerk.post(
        url, {"position": at["A-1-2"].pk, "code": label(boxes[4]), "by": "scan"}, follow=True
    )
    assert "无需重复扫描" in twice.content.decode()
    clerk.post(f"{url}finish/")
    check.refresh_from_db()
    assert check.status == "finished"
    counts = (check.expected_count, check.found_count, check.missing_count,
              check.misplaced_count, check.unexpected_count, check.lent_count)  # fmt: skip
    assert counts == (5, 4, 1, 1, 1, 1)
    text = clerk.get(url).content.decode()
    for words in ("缺失", label(boxes[3]), "错位", "多出", label(boxes[4]), "借出未还"):
        assert words in text
    api = clerk.get(f"/api/v1/custody/checks/{check.pk}").json()
    assert [r["code"] for r in api["missing"]] == [label(boxes[3])]
    assert api["misplaced"] == [
        {"code": label(boxes[2]), "label": f"东岭村委会 {boxes[2]}",
         "expected_at": "A-1-2", "found_at": "A-2-2"}
    ]  # fmt: skip
    assert [r["code"] for r in api["lent"]] == [volume.reference_code]
    # Finished is final.
    late = clerk.post(url, {"position": at["A-2-1"].pk, "code": label(boxes[3])}, follow=True)
    assert "已完成，不能再登记" in late.content.decode() and check.found.count() == 4
    assert AuditEvent.objects.filter(action="custody.check_finish").count() == 1


def test_the_operator_checks_one_shelf_at_the_command_line(world, capsys):
    boxes, _, room, _ = shelved(world)
    capsys.readouterr()
    assert main(["custody", "check", "plan", str(room.pk), "--shelf", "a", "--json"]) == 0
    check_id = json.loads(capsys.readouterr().out)["check"]["id"]
    for box, at in zip(boxes[:4], ["A-1-1", "A-1-1", "A-1-2", "A-2-1"], strict=True):
        assert main(["custody", "check", "found", str(check_id), label(box), "--at", at]) == 0
    assert main(["custody", "check", "found", str(check_id), "BOX-1", "--at", "A-1-1"]) == 2
    assert main(["custody", "check", "plan", str(room.pk)]) == 2
    assert "有一次盘点尚未完成" in capsys.readouterr().err
    assert main(["custody", "check", "finish", str(check_id), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)["check"]
    assert result["counts"] == {
        "expected": 5, "found": 4, "missing": 1, "misplaced": 0, "unexpected": 0, "lent": 0
    }  # fmt: skip
    assert result["missing"][0]["expected_at"] == "A-2-2"


def test_the_other_village_cannot_see_or_scan_into_the_check(world):
    boxes, _, room, at = shelved(world)
    clerk = world.client("village_a")
    clerk.post(f"/custody/rooms/{room.pk}/checks/", {})
    check = InventoryCheck.objects.get()
    other = world.client("village_b")
    assert other.get(f"/custody/checks/{check.pk}/").status_code == 404
    answer = other.post(
        f"/api/v1/custody/checks/{check.pk}/found",
        {"code": label(boxes[0]), "position_id": at["A-1-1"].pk},
        content_type="application/json",
    )
    assert answer.status_code == 404 and not check.found.exists()
    # The inspector of the city reads it, but cannot scan.
    inspector = world.client("bureau_city")
    assert inspector.get(f"/custody/checks/{check.pk}/").status_code == 200
    assert inspector.post(f"/custody/checks/{check.pk}/finish/").status_code in (302, 404)
    check.refresh_from_db()
    assert check.status == "open"
