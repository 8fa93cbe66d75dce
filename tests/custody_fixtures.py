"""A storage room of 东岭村委会 (committee_a) with one shelf, and boxes of its fonds."""

from fupin.custody.services import room_create, shelf_create
from fupin.records.codes import box_label
from fupin.records.services import items_arrange, items_box
from tests.records_fixtures import file_item, set_up_fonds


def village_boxes(world, count: int = 3, unit_key: str = "committee_a") -> list:
    """`count` boxes of the unit (盒号 1, 2, …), one numbered item in each."""
    unit = world.units[unit_key]
    classes = set_up_fonds(unit)
    items = [
        file_item(unit, classes["BGS"], level="village", title=f"第{n + 1}盒的文件")
        for n in range(count)
    ]
    items_arrange(actor=None, unit_id=unit.pk, year=2016)
    boxes = []
    for n, item in enumerate(items):
        boxes.append(items_box(actor=None, unit_id=unit.pk, item_ids=[item.pk], box_number=n + 1))
    return boxes


def village_room(world, unit_key: str = "committee_a", name: str = "一号库房"):
    room = room_create(actor=None, unit_id=world.units[unit_key].pk, name=name)
    shelf = shelf_create(actor=None, room_id=room.pk, code="A", levels=2, columns=2)
    positions = {p.code: p for p in shelf.positions.select_related("shelf")}
    return room, positions


def label(box) -> str:
    return box_label(box.pk)
