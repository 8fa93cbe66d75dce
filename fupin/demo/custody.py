"""The demo's storage: the county poverty office's archive room with two shelves, its boxes
on them, a week of readings (one day too damp) and one finished inventory check."""

import datetime
from typing import Any

from django.utils import timezone

from fupin.custody.models import Room
from fupin.custody.services import (
    check_finish,
    check_found_all_at,
    check_plan,
    reading_record,
    room_create,
    shelf_create,
    thing_place,
)
from fupin.records.codes import box_label
from fupin.records.models import Box
from fupin.regions.models import Unit

# (days ago, temperature, relative humidity, failed 八防 checks, note)
READINGS = (
    (6, "18.5", "52", [], ""),
    (5, "19.0", "55", [], ""),
    (4, "19.5", "68", ["damp"], "连日阴雨，除湿机故障，已报修"),
    (3, "19.0", "58", [], "除湿机修复"),
    (1, "18.0", "50", [], ""),
)


def load_demo_custody(actor: Any, office: Unit) -> None:
    if Room.objects.filter(unit=office).exists():
        return
    room = room_create(
        actor=actor, unit_id=office.pk, name="档案室", location="县扶贫办办公楼三楼 302 室"
    )
    shelf = shelf_create(actor=actor, room_id=room.pk, code="A", levels=5, columns=4)
    shelf_create(actor=actor, room_id=room.pk, code="B", levels=4, columns=2, kind="cabinet")
    positions = list(shelf.positions.order_by("level", "column"))
    for box, position in zip(
        Box.objects.filter(unit=office).order_by("pk"), positions, strict=False
    ):
        thing_place(actor=actor, code=box_label(box.pk), position_id=position.pk, reason="新盒上架")
    now = timezone.now()
    for days, temperature, humidity, failed, note in READINGS:
        reading_record(
            actor=actor,
            room_id=room.pk,
            temperature=temperature,
            humidity=humidity,
            failed_checks=failed,
            note=note,
            taken_at=now - datetime.timedelta(days=days, hours=-9),
        )
    check = check_plan(actor=actor, room_id=room.pk, planned_on=timezone.localdate())
    for position in positions:
        check_found_all_at(actor=actor, check_id=check.pk, position_id=position.pk)
    check_finish(actor=actor, check_id=check.pk)
