"""Storage rooms over the API: rooms and their shelves, placing boxes and volumes, readings,
thresholds and inventory checks. The dicts built here are also what `fupin custody --json`
prints."""

import datetime
from decimal import Decimal
from typing import Any

from ninja import Router, Schema
from ninja.responses import Status

from fupin.custody import services
from fupin.custody.conditions import GUARD_LABELS
from fupin.custody.models import InventoryCheck, Reading, Room
from fupin.custody.selectors import (
    access_check,
    access_room,
    check_result,
    find_thing,
    history,
    latest_readings,
    placement_of,
    room_layout,
    thresholds_for,
    visible_checks,
    visible_rooms,
)

router = Router(tags=["库房管理"])


class RoomIn(Schema):
    unit_id: int
    name: str
    location: str = ""


class ShelfIn(Schema):
    code: str
    levels: int
    columns: int
    kind: str = "shelf"


class PlaceIn(Schema):
    code: str
    position_id: int
    reason: str


class UnplaceIn(Schema):
    code: str
    reason: str


class ReadingIn(Schema):
    temperature: Decimal
    humidity: Decimal
    failed_checks: list[str] = []
    note: str = ""
    taken_at: datetime.datetime | None = None


class LimitsIn(Schema):
    region_code: str
    temperature_min: Decimal
    temperature_max: Decimal
    humidity_min: Decimal
    humidity_max: Decimal


class CheckIn(Schema):
    shelf_id: int | None = None
    planned_on: datetime.date | None = None


class FoundIn(Schema):
    code: str
    position_id: int
    by: str = "scan"


class ReadingOut(Schema):
    id: int
    room_id: int
    taken_at: datetime.datetime
    temperature: Decimal
    humidity: Decimal
    failed_checks: list[str]
    failed_labels: list[str]
    note: str
    alerts: list[str]
    out_of_range: bool


class ThingOut(Schema):
    code: str
    label: str
    box_id: int | None
    volume_id: int | None
    lent: int


class PositionOut(Schema):
    id: int
    code: str
    label: str
    things: list[ThingOut]


class ShelfOut(Schema):
    id: int
    code: str
    kind: str
    kind_label: str
    levels: int
    columns: int
    positions: list[PositionOut]


class RoomOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    name: str
    location: str
    latest_reading: ReadingOut | None


class RoomDetailOut(RoomOut):
    shelves: list[ShelfOut]
    thresholds: dict[str, Any]


class MoveOut(Schema):
    at: datetime.datetime
    kind: str
    what: str
    reason: str
    who: str


class PlaceOut(Schema):
    code: str
    label: str
    placed: bool
    room_id: int | None
    position_id: int | None
    where: str
    history: list[MoveOut]


class CheckRowOut(Schema):
    code: str
    label: str
    expected_at: str
    found_at: str


class CheckOut(Schema):
    id: int
    room_id: int
    room: str
    shelf: str
    planned_on: datetime.date
    status: str
    status_label: str
    finished_at: datetime.datetime | None
    counts: dict[str, int]
    in_place: list[CheckRowOut]
    misplaced: list[CheckRowOut]
    missing: list[CheckRowOut]
    lent: list[CheckRowOut]
    unexpected: list[CheckRowOut]


def reading_out(reading: Reading) -> dict[str, Any]:
    return {
        "id": reading.pk,
        "room_id": reading.room_id,
        "taken_at": reading.taken_at,
        "temperature": reading.temperature,
        "humidity": reading.humidity,
        "failed_checks": reading.failed_checks,
        "failed_labels": [GUARD_LABELS.get(k, k) for k in reading.failed_checks],
        "note": reading.note,
        "alerts": reading.alerts,
        "out_of_range": reading.out_of_range,
    }


def room_out(room: Room, latest: Reading | None) -> dict[str, Any]:
    return {
        "id": room.pk,
        "unit_id": room.unit_id,
        "unit_name": room.unit.name,
        "name": room.name,
        "location": room.location,
        "latest_reading": reading_out(latest) if latest else None,
    }


def room_detail_out(room: Room) -> dict[str, Any]:
    latest = latest_readings([room]).get(room.pk)
    limits = thresholds_for(room.unit.region_id)
    shelves = [
        {
            "id": shelf.pk,
            "code": shelf.code,
            "kind": shelf.kind,
            "kind_label": shelf.get_kind_display(),
            "levels": shelf.levels,
            "columns": shelf.columns,
            "positions": [
                {
                    "id": slot.position.pk,
                    "code": slot.position.code,
                    "label": str(slot.position),
                    "things": [
                        {k: t[k] for k in ("code", "label", "box_id", "volume_id", "lent")}
                        for t in slot.things
                    ],
                }
                for slot in slots
            ],
        }
        for shelf, slots in room_layout(room)
    ]
    return room_out(room, latest) | {
        "shelves": shelves,
        "thresholds": {
            "temperature_min": limits.temperature_min,
            "temperature_max": limits.temperature_max,
            "humidity_min": limits.humidity_min,
            "humidity_max": limits.humidity_max,
            "source": limits.source,
        },
    }


def place_out(actor: Any, code: str) -> dict[str, Any]:
    thing = find_thing(actor, code)
    placed = placement_of(thing)
    where = ""
    if placed is not None:
        position = placed.position
        where = f"{position.shelf.room.unit.name} {position.shelf.room} {position}"
    return {
        "code": thing.code,
        "label": thing.label,
        "placed": placed is not None,
        "room_id": placed.position.shelf.room_id if placed else None,
        "position_id": placed.position_id if placed else None,
        "where": where,
        "history": history(thing),
    }


def _check_rows(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {
            "code": r["code"],
            "label": r["label"],
            "expected_at": r["expected_at"].code if r["expected_at"] else "",
            "found_at": r["found_at"].code if r.get("found_at") else "",
        }
        for r in rows
    ]


def check_out(check: InventoryCheck) -> dict[str, Any]:
    result = check_result(check)
    return {
        "id": check.pk,
        "room_id": check.room_id,
        "room": str(check.room),
        "shelf": str(check.shelf) if check.shelf_id else "",
        "planned_on": check.planned_on,
        "status": check.status,
        "status_label": check.get_status_display(),
        "finished_at": check.finished_at,
        "counts": result.counts,
        "in_place": _check_rows(result.in_place),
        "misplaced": _check_rows(result.misplaced),
        "missing": _check_rows(result.missing),
        "lent": _check_rows(result.lent),
        "unexpected": _check_rows(result.unexpected),
    }


@router.get("/rooms", response=list[RoomOut], summary="库房列表（辖区内）")
def rooms(request) -> list[dict]:
    found = list(visible_rooms(request.user))
    latest = latest_readings(found)
    return [room_out(r, latest.get(r.pk)) for r in found]


@router.post("/rooms", response={201: RoomDetailOut}, summary="新建库房")
def room_create(request, payload: RoomIn) -> Status:
    room = services.room_create(actor=request.user, **payload.dict())
    return Status(201, room_detail_out(access_room(request.user, room.pk)))


@router.get("/rooms/{room_id}", response=RoomDetailOut, summary="一个库房：架、位置与在架档案")
def room_detail(request, room_id: int) -> dict:
    return room_detail_out(access_room(request.user, room_id))


@router.post("/rooms/{room_id}/shelves", response={201: RoomDetailOut}, summary="新增架（柜）")
def shelf_create(request, room_id: int, payload: ShelfIn) -> Status:
    services.shelf_create(actor=request.user, room_id=room_id, **payload.dict())
    return Status(201, room_detail_out(access_room(request.user, room_id)))


@router.get("/rooms/{room_id}/readings", response=list[ReadingOut], summary="温湿度与八防记录")
def readings(request, room_id: int, limit: int = 50) -> list[dict]:
    room = access_room(request.user, room_id)
    return [reading_out(r) for r in room.readings.all()[: max(1, min(limit, 500))]]


@router.post(
    "/rooms/{room_id}/readings", response={201: ReadingOut}, summary="记录温湿度与八防检查"
)
def reading_create(request, room_id: int, payload: ReadingIn) -> Status:
    reading = services.reading_record(actor=request.user, room_id=room_id, **payload.dict())
    return Status(201, reading_out(reading))


@router.post("/places", response=PlaceOut, summary="上架或移动档案盒、案卷（扫码或输入标签）")
def place(request, payload: PlaceIn) -> dict:
    services.thing_place(actor=request.user, **payload.dict())
    return place_out(request.user, payload.code)


@router.post("/places/remove", response=PlaceOut, summary="下架档案盒、案卷")
def unplace(request, payload: UnplaceIn) -> dict:
    services.thing_unplace(actor=request.user, **payload.dict())
    return place_out(request.user, payload.code)


@router.get("/places", response=PlaceOut, summary="档案盒、案卷的存放位置与移动记录")
def where(request, code: str) -> dict:
    return place_out(request.user, code)


@router.post("/limits", response=dict[str, Any], summary="设置库房温湿度阈值（系统管理员）")
def limits(request, payload: LimitsIn) -> dict:
    services.limits_set(actor=request.user, **payload.dict())
    found = thresholds_for(payload.region_code)
    return {k: str(getattr(found, k)) for k in ("temperature_min", "temperature_max")} | {
        k: str(getattr(found, k)) for k in ("humidity_min", "humidity_max")
    }


@router.get("/checks", response=list[CheckOut], summary="盘点记录")
def checks(request) -> list[dict]:
    return [check_out(c) for c in visible_checks(request.user)[:100]]


@router.post("/rooms/{room_id}/checks", response={201: CheckOut}, summary="计划一次盘点")
def check_plan(request, room_id: int, payload: CheckIn) -> Status:
    check = services.check_plan(actor=request.user, room_id=room_id, **payload.dict())
    return Status(201, check_out(access_check(request.user, check.pk)))


@router.get("/checks/{check_id}", response=CheckOut, summary="一次盘点及其结果")
def check_detail(request, check_id: int) -> dict:
    return check_out(access_check(request.user, check_id))


@router.post("/checks/{check_id}/found", response=CheckOut, summary="登记盘点中找到的盒（卷）")
def check_found(request, check_id: int, payload: FoundIn) -> dict:
    services.check_found(actor=request.user, check_id=check_id, **payload.dict())
    return check_out(access_check(request.user, check_id))


@router.post("/checks/{check_id}/finish", response=CheckOut, summary="完成盘点")
def check_finish(request, check_id: int) -> dict:
    services.check_finish(actor=request.user, check_id=check_id)
    return check_out(access_check(request.user, check_id))
