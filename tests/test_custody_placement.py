"""Boxes and volumes are placed and moved on a room's shelves: every move is logged (who,
when, from, to, why) and audited, read back on the box's page, the API and the CLI; the
other village's clerk neither sees nor moves them; loans show as items out of the box."""

import json
from datetime import timedelta

from django.utils import timezone

from fupin.audit.models import AuditEvent
from fupin.cli import main
from fupin.custody.models import Movement, Placement
from fupin.use.services import loan_create, loan_return
from tests.custody_fixtures import label, village_boxes, village_room


def test_a_clerk_shelves_a_box_by_scanning_and_moves_it(world):
    box, other, _ = village_boxes(world)
    room, at = village_room(world)
    clerk = world.client("village_a")
    page = clerk.post(
        f"/custody/rooms/{room.pk}/shelve/",
        {"position": at["A-1-1"].pk, "code": label(box), "reason": "新盒上架"},
        follow=True,
    )
    assert page.status_code == 200 and "已放到所选位置" in page.content.decode()
    # The scanner types lower case or a short number as well.
    clerk.post(
        f"/custody/rooms/{room.pk}/shelve/",
        {"position": at["A-1-1"].pk, "code": f"box-{other.pk}", "reason": "新盒上架"},
    )
    assert Placement.objects.filter(position=at["A-1-1"]).count() == 2
    moved = clerk.post(
        f"/custody/boxes/{box.pk}/",
        {"position": at["A-2-2"].pk, "reason": "调整库位"},
        follow=True,
    ).content.decode()
    assert "已放到新位置" in moved and "A-2-2" in moved
    assert "移动：一号库房 A架第1层第1格 → 一号库房 A架第2层第2格" in moved
    first, last = Movement.objects.filter(box=box).order_by("at", "pk")
    assert (first.from_position, first.to_position) == (None, at["A-1-1"])
    assert (last.from_position, last.to_position, last.reason) == (
        at["A-1-1"],
        at["A-2-2"],
        "调整库位",
    )
    assert last.actor == world.users["village_a"]
    events = AuditEvent.objects.filter(action="custody.place").order_by("seq")
    assert events.count() == 3 and "调整库位" in events.last().summary
    assert events.last().region_code == "420322100201"


def test_refusals_leave_everything_as_it_was(world):
    (box,) = village_boxes(world, 1)
    room, at = village_room(world)
    clerk = world.client("village_a")
    url = f"/custody/rooms/{room.pk}/shelve/"
    for code, words in [
        ("BOX-99999999", "未找到标签为“BOX-99999999”的档案盒或案卷"),
        ("", "这个字段是必填项"),
    ]:
        page = clerk.post(url, {"position": at["A-1-1"].pk, "code": code, "reason": "上架"})
        assert words in page.content.decode()
    clerk.post(url, {"position": at["A-1-1"].pk, "code": label(box), "reason": "上架"})
    again = clerk.post(
        url, {"position": at["A-1-1"].pk, "code": label(box), "reason": "上架"}, follow=True
    )
    assert "已在" in again.content.decode()
    assert Movement.objects.count() == 1


def test_the_other_village_neither_sees_nor_moves_the_box(world):
    (box,) = village_boxes(world, 1)
    room, at = village_room(world)
    village_room(world, "committee_b", "西岭库房")
    other = world.client("village_b")
    assert other.get(f"/custody/rooms/{room.pk}/").status_code == 404
    assert other.get(f"/custody/boxes/{box.pk}/").status_code == 404
    assert other.post(f"/custody/rooms/{room.pk}/shelve/", {}).status_code == 404
    answer = other.post(
        "/api/v1/custody/places",
        {"code": label(box), "position_id": at["A-1-1"].pk, "reason": "x"},
        content_type="application/json",
    )
    assert answer.status_code == 404
    assert not Movement.objects.exists()
    assert "一号库房" not in other.get("/custody/").content.decode()


def test_loans_take_items_out_and_returns_bring_them_back(world):
    (box,) = village_boxes(world, 1)
    room, at = village_room(world)
    clerk = world.client("village_a")
    clerk.post(
        "/api/v1/custody/places",
        {"code": label(box), "position_id": at["A-1-2"].pk, "reason": "上架"},
        content_type="application/json",
    )
    item = box.items.get()
    loan = loan_create(
        actor=None,
        unit_id=box.unit_id,
        borrower_name="张三",
        codes=[item.reference_code],
        purpose="核对原件",
        lent_on=timezone.localdate() - timedelta(days=3),
        due_on=timezone.localdate() + timedelta(days=3),
    )
    room_page = clerk.get(f"/custody/rooms/{room.pk}/").content.decode()
    assert "盒内 1 件借出" in room_page
    detail = clerk.get(f"/api/v1/custody/rooms/{room.pk}").json()
    things = [t for s in detail["shelves"] for p in s["positions"] for t in p["things"]]
    assert things == [
        {
            "code": label(box),
            "label": f"东岭村委会 {box}",
            "box_id": box.pk,
            "volume_id": None,
            "lent": 1,
        }
    ]
    loan_return(actor=None, loan_id=loan.pk)
    assert (
        "借出"
        not in clerk.get(f"/custody/rooms/{room.pk}/")
        .content.decode()
        .split("在架档案")[1]
        .split("温湿度与八防记录")[0]
    )
    history = clerk.get(f"/custody/boxes/{box.pk}/").content.decode()
    assert (
        "借出给 张三" in history and "归还" in history and "上架：一号库房 A架第1层第2格" in history
    )


def test_the_operator_places_and_asks_where_at_the_command_line(world, capsys):
    (box,) = village_boxes(world, 1)
    room, _ = village_room(world)
    capsys.readouterr()
    assert main(["custody", "place", label(box), "--room", str(room.pk), "--at", "a-2-1",
                 "--reason", "新盒上架", "--json"]) == 0  # fmt: skip
    placed = json.loads(capsys.readouterr().out)["place"]
    assert placed["where"] == "东岭村委会 一号库房 A架第2层第1格"
    assert main(["custody", "unplace", label(box), "--reason", "移交县档案馆", "--json"]) == 0
    capsys.readouterr()
    assert main(["custody", "where", label(box), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)["place"]
    assert data["placed"] is False
    assert [h["what"] for h in data["history"]] == [
        "下架：离开 一号库房 A架第2层第1格",
        "上架：一号库房 A架第2层第1格",
    ]
    assert main(["custody", "place", label(box), "--room", str(room.pk), "--at", "Z-9-9",
                 "--reason", "x"]) == 2  # fmt: skip
    assert "没有位置“Z-9-9”" in capsys.readouterr().err
