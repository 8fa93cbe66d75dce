"""Writes of the storage rooms: rooms and shelves, placing and moving boxes and volumes,
inventory checks and storage conditions. Each is atomic and audited."""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from fupin.accounts.access import access_region, access_unit, require_cap
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_record
from fupin.custody.conditions import GUARD_LABELS, judge
from fupin.custody.models import (
    CheckStatus,
    Expected,
    Found,
    FoundBy,
    InventoryCheck,
    Limits,
    Movement,
    Placement,
    Position,
    Reading,
    Room,
    Shelf,
    ShelfKind,
)
from fupin.custody.selectors import (
    Thing,
    access_check,
    access_position,
    access_room,
    check_result,
    find_thing,
    placement_of,
    thresholds_for,
)


def _signed_in(actor: Any) -> Any:
    """The user to name on a row; None for the operator at the command line."""
    return actor if getattr(actor, "is_authenticated", False) else None


def _text(value: str, label: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(f"请填写{label}。")
    if len(text) > limit:
        raise ValidationError(f"{label}不能超过 {limit} 个字。")
    return text


@transaction.atomic
def room_create(*, actor: Any, unit_id: int, name: str, location: str = "") -> Room:
    unit = access_unit(actor, unit_id, Cap.DATA_WRITE)
    name = _text(name, "库房名称", 60)
    if Room.objects.filter(unit=unit, name=name).exists():
        raise ValidationError(f"{unit.name}已有名为“{name}”的库房。")
    room = Room.objects.create(unit=unit, name=name, location=(location or "").strip()[:200])
    audit_record(
        actor=actor,
        action="custody.room_create",
        obj=room,
        summary=f"新建库房：{unit.name} {name}",
        after={"unit": unit.pk, "name": name, "location": room.location},
    )
    return room


@transaction.atomic
def shelf_create(
    *, actor: Any, room_id: int, code: str, levels: int, columns: int, kind: str = ShelfKind.SHELF
) -> Shelf:
    """A shelf or cabinet with its positions, 第1层第1格 up to levels × columns."""
    room = access_room(actor, room_id, Cap.DATA_WRITE)
    code = _text(code, "架（柜）编号", 20).upper()
    if "-" in code or " " in code:
        raise ValidationError("架（柜）编号不能含“-”或空格（位置编号写作 架号-层-格）。")
    if kind not in ShelfKind.values:
        raise ValidationError("类型只能是“架”或“柜”。")
    if not (1 <= levels <= 30 and 1 <= columns <= 30):
        raise ValidationError("层数和每层格数应在 1 到 30 之间。")
    if Shelf.objects.filter(room=room, code=code).exists():
        raise ValidationError(f"{room}已有编号为 {code} 的架（柜）。")
    shelf = Shelf.objects.create(room=room, kind=kind, code=code, levels=levels, columns=columns)
    Position.objects.bulk_create(
        Position(shelf=shelf, level=level, column=column)
        for level in range(1, levels + 1)
        for column in range(1, columns + 1)
    )
    audit_record(
        actor=actor,
        action="custody.shelf_create",
        obj=room,
        summary=f"{room}新增{shelf}：{levels} 层，每层 {columns} 格",
        after={"shelf": code, "kind": kind, "levels": levels, "columns": columns},
    )
    return shelf


def _where(position: Position | None) -> str:
    return f"{position.shelf.room.unit.name} {position.shelf.room} {position}" if position else ""


@transaction.atomic
def thing_place(*, actor: Any, code: str, position_id: int, reason: str) -> Movement:
    """Put a box or volume at a position (first placement or a move); logged and audited."""
    thing = find_thing(actor, code, Cap.DATA_WRITE)
    position = access_position(actor, position_id, Cap.DATA_WRITE)
    reason = _text(reason, "原因", 200)
    current = placement_of(thing)
    if current is not None and current.position_id == position.pk:
        raise ValidationError(f"{thing.label} 已在 {_where(position)}。")
    now = timezone.now()
    if current is None:
        Placement.objects.create(**thing.filter(), position=position, placed_at=now)
    else:
        Placement.objects.filter(pk=current.pk).update(position=position, placed_at=now)
    move = Movement.objects.create(
        **thing.filter(),
        from_position=current.position if current else None,
        to_position=position,
        reason=reason,
        at=now,
        actor=_signed_in(actor),
    )
    _audit_move(actor, thing, move)
    return move


@transaction.atomic
def thing_unplace(*, actor: Any, code: str, reason: str) -> Movement:
    """Take a box or volume off the shelves (transferred, destroyed, sent for repair)."""
    thing = find_thing(actor, code, Cap.DATA_WRITE)
    reason = _text(reason, "原因", 200)
    current = placement_of(thing)
    if current is None:
        raise ValidationError(f"{thing.label} 尚未上架。")
    access_position(actor, current.position_id, Cap.DATA_WRITE)
    current.delete()
    move = Movement.objects.create(
        **thing.filter(),
        from_position=current.position,
        to_position=None,
        reason=reason,
        at=timezone.now(),
        actor=_signed_in(actor),
    )
    _audit_move(actor, thing, move)
    return move


def _audit_move(actor: Any, thing: Thing, move: Movement) -> None:
    source, target = _where(move.from_position), _where(move.to_position)
    words = (
        f"上架 {thing.label} 到 {target}"
        if not source
        else f"{thing.label} 下架（原在 {source}）"
        if not target
        else f"移动 {thing.label}：{source} → {target}"
    )
    audit_record(
        actor=actor,
        action="custody.place" if target else "custody.unplace",
        obj=thing.box or thing.volume,
        summary=f"{words}；原因：{move.reason}"[:300],
        after={
            "code": thing.code,
            "from": move.from_position_id,
            "to": move.to_position_id,
            "reason": move.reason,
        },
    )


def _decimal(value: Any, label: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(f"{label}应是数字，收到“{value}”。") from exc
    if not number.is_finite():
        raise ValidationError(f"{label}应是数字，收到“{value}”。")
    return number.quantize(Decimal("0.1"))


@transaction.atomic
def reading_record(
    *,
    actor: Any,
    room_id: int,
    temperature: Any,
    humidity: Any,
    failed_checks: list[str] | None = None,
    note: str = "",
    taken_at: datetime.datetime | None = None,
) -> Reading:
    """Log a room's conditions; what is out of order is judged against the thresholds in
    force now, kept with the reading."""
    room = access_room(actor, room_id, Cap.DATA_WRITE)
    temp = _decimal(temperature, "温度")
    hum = _decimal(humidity, "相对湿度")
    if not Decimal(-40) <= temp <= Decimal(80):
        raise ValidationError(f"温度 {temp}℃ 不合常理，请检查读数（-40 至 80℃）。")
    if not Decimal(0) <= hum <= Decimal(100):
        raise ValidationError(f"相对湿度 {hum}% 不合常理，请检查读数（0 至 100%）。")
    failed = list(dict.fromkeys(failed_checks or []))
    unknown = [k for k in failed if k not in GUARD_LABELS]
    if unknown:
        raise ValidationError(
            f"未知的检查项：{'、'.join(unknown)}。可选：{'、'.join(GUARD_LABELS)}"
        )
    moment = taken_at or timezone.now()
    if moment > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError("记录时间不能晚于现在。")
    alerts = judge(thresholds_for(room.unit.region_id), temp, hum, failed)
    reading = Reading.objects.create(
        room=room,
        taken_at=moment,
        temperature=temp,
        humidity=hum,
        failed_checks=failed,
        note=(note or "").strip()[:300],
        alerts=alerts,
        out_of_range=bool(alerts),
        actor=_signed_in(actor),
    )
    audit_record(
        actor=actor,
        action="custody.reading",
        obj=room,
        summary=f"{room}温湿度 {temp}℃ / {hum}%"
        + (f"；异常：{'；'.join(alerts)}" if alerts else "；正常"),
        after={"temperature": str(temp), "humidity": str(hum), "failed": failed},
    )
    return reading


@transaction.atomic
def limits_set(
    *,
    actor: Any,
    region_code: str,
    temperature_min: Any,
    temperature_max: Any,
    humidity_min: Any,
    humidity_max: Any,
) -> Limits:
    """Set the thresholds for the rooms of a region and below (system administrators)."""
    require_cap(actor, Cap.USERS_MANAGE, region_code)
    region = access_region(actor, region_code, Cap.USERS_MANAGE)
    values = {
        "temperature_min": _decimal(temperature_min, "最低温度"),
        "temperature_max": _decimal(temperature_max, "最高温度"),
        "humidity_min": _decimal(humidity_min, "最低相对湿度"),
        "humidity_max": _decimal(humidity_max, "最高相对湿度"),
    }
    if values["temperature_min"] >= values["temperature_max"]:
        raise ValidationError("最低温度应低于最高温度。")
    if not 0 <= values["humidity_min"] < values["humidity_max"] <= 100:
        raise ValidationError("相对湿度应在 0 到 100% 之间，且下限低于上限。")
    before = Limits.objects.filter(region=region).values(*values).first()
    limits, _ = Limits.objects.update_or_create(
        region=region, defaults=values | {"updated_at": timezone.now()}
    )
    audit_record(
        actor=actor,
        action="custody.limits",
        object_type="custody.limits",
        object_id=limits.pk,
        region_code=region.code,
        summary=f"{region.name}库房阈值：{_limits_words(values)}",
        before={k: str(v) for k, v in before.items()} if before else None,
        after={k: str(v) for k, v in values.items()},
    )
    return limits


def _limits_words(values: dict[str, Decimal]) -> str:
    temperature = f"{values['temperature_min']}–{values['temperature_max']}℃"
    return f"温度 {temperature}，相对湿度 {values['humidity_min']}–{values['humidity_max']}%"


@transaction.atomic
def check_plan(
    *,
    actor: Any,
    room_id: int,
    shelf_id: int | None = None,
    planned_on: datetime.date | None = None,
) -> InventoryCheck:
    """Plan an inventory check of a room (or one shelf): what stands where now is what the
    checker is to find."""
    room = access_room(actor, room_id, Cap.DATA_WRITE)
    shelf = None
    if shelf_id is not None:
        shelf = Shelf.objects.filter(room=room, pk=shelf_id).first()
        if shelf is None:
            raise ValidationError("所选架（柜）不在这个库房。")
    if InventoryCheck.objects.filter(room=room, status=CheckStatus.OPEN).exists():
        raise ValidationError(f"{room}有一次盘点尚未完成，请先完成它。")
    check = InventoryCheck.objects.create(
        room=room,
        shelf=shelf,
        planned_on=planned_on or timezone.localdate(),
        created_by=_signed_in(actor),
        created_at=timezone.now(),
    )
    placed = Placement.objects.filter(position__shelf__room=room)
    if shelf is not None:
        placed = placed.filter(position__shelf=shelf)
    Expected.objects.bulk_create(
        Expected(check_run=check, box_id=p.box_id, volume_id=p.volume_id, position_id=p.position_id)
        for p in placed
    )
    count = check.expected.count()
    InventoryCheck.objects.filter(pk=check.pk).update(expected_count=count)
    check.expected_count = count
    audit_record(
        actor=actor,
        action="custody.check_plan",
        obj=check,
        summary=f"计划{check}：应在架 {count} 盒（卷）",
        after={"room": room.pk, "shelf": shelf.pk if shelf else None, "expected": count},
    )
    return check


def _open_check(actor: Any, check_id: int) -> InventoryCheck:
    check = access_check(actor, check_id, Cap.DATA_WRITE)
    if check.status != CheckStatus.OPEN:
        raise ValidationError(f"{check}已完成，不能再登记。")
    return check


def _check_position(check: InventoryCheck, position_id: int) -> Position:
    found = Position.objects.filter(pk=position_id, shelf__room=check.room_id)
    if check.shelf_id:
        found = found.filter(shelf=check.shelf_id)
    position = found.select_related("shelf__room__unit").first()
    if position is None:
        raise ValidationError("所选位置不在本次盘点的范围内。")
    return position


@transaction.atomic
def check_found(
    *, actor: Any, check_id: int, code: str, position_id: int, by: str = FoundBy.SCAN
) -> Found:
    """The checker found this box or volume at this position (scanned, or typed by hand).
    Found again elsewhere, the later place counts."""
    check = _open_check(actor, check_id)
    position = _check_position(check, position_id)
    thing = find_thing(actor, code)
    if by not in FoundBy.values:
        raise ValidationError("登记方式只能是扫码或手工。")
    found = Found.objects.filter(check_run=check, **thing.filter()).first()
    if found is not None and found.position_id == position.pk:
        raise ValidationError(f"{thing.label} 已登记在 {position}，无需重复扫描。")
    moved_from = found.position if found else None
    if found is None:
        found = Found(check_run=check, **thing.filter())
    found.position, found.by, found.at = position, by, timezone.now()
    found.actor = _signed_in(actor)
    found.save()
    audit_record(
        actor=actor,
        action="custody.check_found",
        obj=check,
        summary=f"{check}：{thing.label} 在 {position}（{found.get_by_display()}）"
        + (f"，更正原登记的 {moved_from}" if moved_from else ""),
        after={"code": thing.code, "position": position.pk, "by": by},
    )
    return found


@transaction.atomic
def check_found_all_at(*, actor: Any, check_id: int, position_id: int) -> int:
    """Everything expected at a position and not yet registered, confirmed by hand."""
    check = _open_check(actor, check_id)
    position = _check_position(check, position_id)
    done_boxes = set(check.found.exclude(box=None).values_list("box_id", flat=True))
    done_volumes = set(check.found.exclude(volume=None).values_list("volume_id", flat=True))
    now = timezone.now()
    rows = [
        Found(
            check_run=check,
            box_id=e.box_id,
            volume_id=e.volume_id,
            position=position,
            by=FoundBy.HAND,
            at=now,
            actor=_signed_in(actor),
        )
        for e in check.expected.filter(position=position)
        if (e.box_id and e.box_id not in done_boxes)
        or (e.volume_id and e.volume_id not in done_volumes)
    ]
    try:
        Found.objects.bulk_create(rows)
    except IntegrityError as exc:  # a scan of the same box landed at the same moment
        raise ValidationError("登记冲突，请刷新页面后重试。") from exc
    audit_record(
        actor=actor,
        action="custody.check_found",
        obj=check,
        summary=f"{check}：{position} 应在架的 {len(rows)} 盒（卷）手工确认在位",
        after={"position": position.pk, "count": len(rows), "by": FoundBy.HAND},
    )
    return len(rows)


@transaction.atomic
def check_finish(*, actor: Any, check_id: int) -> InventoryCheck:
    """Close the check: its result (missing, misplaced, unexpected, out on loan) is fixed."""
    check = _open_check(actor, check_id)
    InventoryCheck.objects.select_for_update().filter(pk=check.pk).first()
    counts = check_result(check).counts
    check.status = CheckStatus.FINISHED
    check.finished_at = timezone.now()
    check.finished_by = _signed_in(actor)
    for key, value in counts.items():
        setattr(check, f"{key}_count", value)
    check.save()
    audit_record(
        actor=actor,
        action="custody.check_finish",
        obj=check,
        summary=(
            f"完成{check}：应在架 {counts['expected']}，缺失 {counts['missing']}，"
            f"错位 {counts['misplaced']}，多出 {counts['unexpected']}，借出 {counts['lent']}"
        ),
        after=counts,
    )
    return check
