"""Reads of storage rooms, places, checks and conditions, always through the access layer.
Rooms belong to units: a room is in one's scope when its unit is."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from fupin.accounts.access import user_scope
from fupin.accounts.roles import Cap
from fupin.custody.conditions import DEFAULT, Thresholds
from fupin.custody.models import (
    CheckStatus,
    Expected,
    Found,
    InventoryCheck,
    Limits,
    Movement,
    Placement,
    Position,
    Reading,
    Room,
    Shelf,
)
from fupin.records.codes import box_label, parse_box_label
from fupin.records.models import Box, RecordItem, Volume
from fupin.use.models import Loan

HOLDER = ("unit", "unit__region__code")
ROOM_HOLDER = ("room__unit", "room__unit__region__code")


def visible_rooms(actor: Any, cap: str = Cap.DATA_READ) -> QuerySet[Room]:
    q = user_scope(actor).unit_q(cap, *HOLDER)
    return Room.objects.filter(q).select_related("unit", "unit__region")


def access_room(actor: Any, room_id: int, cap: str = Cap.DATA_READ) -> Room:
    room = visible_rooms(actor, cap).filter(pk=room_id).first()
    if room is None:
        raise Http404("未找到该库房，或不在您的管辖范围内。")
    return room


def access_position(actor: Any, position_id: int, cap: str = Cap.DATA_WRITE) -> Position:
    q = user_scope(actor).unit_q(cap, "shelf__room__unit", "shelf__room__unit__region__code")
    found = Position.objects.filter(q, pk=position_id).select_related("shelf__room__unit").first()
    if found is None:
        raise Http404("未找到该位置，或不在您的管辖范围内。")
    return found


def find_position(room: Room, code: str) -> Position:
    """A position of the room by its code 架号-层-格 (as on the shelf label)."""
    shelf_code, _, rest = code.strip().upper().rpartition("-")
    shelf_code, _, level = shelf_code.rpartition("-")
    found = Position.objects.filter(
        shelf__room=room,
        shelf__code__iexact=shelf_code,
        level=int(level) if level.isdigit() else 0,
        column=int(rest) if rest.isdigit() else 0,
    ).select_related("shelf__room__unit")
    position = found.first()
    if position is None:
        raise Http404(f"{room}没有位置“{code}”（格式：架号-层-格，例如 A-2-3）。")
    return position


def visible_checks(actor: Any, cap: str = Cap.DATA_READ) -> QuerySet[InventoryCheck]:
    q = user_scope(actor).unit_q(cap, *ROOM_HOLDER)
    return InventoryCheck.objects.filter(q).select_related("room__unit", "shelf")


def access_check(actor: Any, check_id: int, cap: str = Cap.DATA_READ) -> InventoryCheck:
    found = visible_checks(actor, cap).filter(pk=check_id).first()
    if found is None:
        raise Http404("未找到该盘点，或不在您的管辖范围内。")
    return found


@dataclass(frozen=True)
class Thing:
    """A box or a volume, as the shelves know it."""

    box: Box | None = None
    volume: Volume | None = None

    @property
    def unit_id(self) -> int:
        return (self.box or self.volume).unit_id  # type: ignore[union-attr]

    @property
    def code(self) -> str:
        return box_label(self.box.pk) if self.box else self.volume.reference_code  # type: ignore[union-attr]

    @property
    def label(self) -> str:
        if self.box:
            return f"{self.box.unit.name} {self.box}"
        return f"{self.volume.reference_code} {self.volume.title}"  # type: ignore[union-attr]

    def filter(self) -> dict[str, Any]:
        return {"box": self.box} if self.box else {"volume": self.volume}


def find_thing(actor: Any, code: str, cap: str = Cap.DATA_READ) -> Thing:
    """The box (by its spine label) or volume (by its 档号) a scanner or a clerk typed."""
    text = (code or "").strip()
    if not text:
        raise Http404("请扫描盒脊上的条码，或输入盒标签、案卷档号。")
    q = user_scope(actor).unit_q(cap, *HOLDER)
    box_id = parse_box_label(text)
    if box_id is not None:
        box = Box.objects.filter(q, pk=box_id).select_related("unit", "class_code").first()
        if box is not None:
            return Thing(box=box)
    else:
        volume = Volume.objects.filter(q, reference_code=text).select_related("unit").first()
        if volume is not None:
            return Thing(volume=volume)
        if RecordItem.objects.filter(q, reference_code=text).exists():
            raise Http404(f"“{text}”是一件文件的档号：请扫描它所在档案盒盒脊上的条码。")
    raise Http404(f"未找到标签为“{text}”的档案盒或案卷，或不在您的管辖范围内。")


def placement_of(thing: Thing) -> Placement | None:
    return (
        Placement.objects.filter(**thing.filter())
        .select_related("position__shelf__room__unit")
        .first()
    )


def open_loans() -> QuerySet[Loan]:
    return Loan.objects.filter(returned_on__isnull=True)


def lent_volume_ids(volume_ids: list[int]) -> set[int]:
    """Volumes out on a loan not yet returned: out of their place, not missing."""
    lent = open_loans().filter(volumes__in=volume_ids).values_list("volumes", flat=True)
    return {v for v in lent if v in set(volume_ids)}


def lent_items_by_box(box_ids: list[int]) -> dict[int, int]:
    """How many items of each box are out on loans not yet returned."""
    out = RecordItem.objects.filter(box__in=box_ids).filter(
        Exists(open_loans().filter(items=OuterRef("pk")))
    )
    grouped = out.order_by().values("box").annotate(n=Count("pk"))
    return {row["box"]: row["n"] for row in grouped}


def history(thing: Thing) -> list[dict[str, Any]]:
    """Every placement and move, and the loans that took its contents out and brought them
    back, newest first."""
    moves = Movement.objects.filter(**thing.filter()).select_related(
        "from_position__shelf__room", "to_position__shelf__room", "actor"
    )
    rows = [
        {
            "at": m.at,
            "kind": "move",
            "what": _move_words(m),
            "reason": m.reason,
            "who": m.actor.get_username() if m.actor else "系统操作员",
        }
        for m in moves
    ]
    if thing.box:
        loans = Loan.objects.filter(items__box=thing.box).distinct()
    else:
        loans = Loan.objects.filter(volumes=thing.volume)
    for loan in loans.select_related("lender"):
        who = loan.lender.get_username() if loan.lender else "系统操作员"
        start = datetime.datetime.combine(loan.lent_on, datetime.time.min)
        rows.append(
            {
                "at": start,
                "kind": "loan",
                "what": f"借出给 {loan.borrower_name}（{loan}）",
                "reason": loan.purpose,
                "who": who,
            }
        )
        if loan.returned_on:
            rows.append(
                {
                    "at": datetime.datetime.combine(loan.returned_on, datetime.time.max),
                    "kind": "return",
                    "what": f"{loan}归还",
                    "reason": "",
                    "who": who,
                }
            )
    return sorted(rows, key=lambda r: _naive(r["at"]), reverse=True)


def _naive(moment: datetime.datetime) -> datetime.datetime:
    """Loans are kept by day, moves by the moment: compared on the local clock."""
    return moment if moment.tzinfo is None else timezone.localtime(moment).replace(tzinfo=None)


def _where(position: Position | None) -> str:
    return f"{position.shelf.room} {position}" if position else ""


def _move_words(move: Movement) -> str:
    if move.from_position is None:
        return f"上架：{_where(move.to_position)}"
    if move.to_position is None:
        return f"下架：离开 {_where(move.from_position)}"
    return f"移动：{_where(move.from_position)} → {_where(move.to_position)}"


@dataclass
class Slot:
    position: Position
    things: list[dict[str, Any]] = field(default_factory=list)


def room_layout(room: Room) -> list[tuple[Shelf, list[Slot]]]:
    """Each shelf of the room with its positions and what stands on each, with loan state."""
    shelves = list(room.shelves.all())
    positions = Position.objects.filter(shelf__room=room).select_related("shelf")
    slots = {p.pk: Slot(p) for p in positions}
    placed = list(
        Placement.objects.filter(position__shelf__room=room).select_related(
            "box__unit", "box__class_code", "volume__unit"
        )
    )
    box_ids = [p.box_id for p in placed if p.box_id]
    volume_ids = [p.volume_id for p in placed if p.volume_id]
    items_out = lent_items_by_box(box_ids)
    volumes_out = lent_volume_ids(volume_ids)
    for p in placed:
        thing = Thing(box=p.box, volume=p.volume)
        lent = items_out.get(p.box_id, 0) if p.box_id else int(p.volume_id in volumes_out)
        slots[p.position_id].things.append(
            {
                "thing": thing,
                "code": thing.code,
                "label": thing.label,
                "box_id": p.box_id,
                "volume_id": p.volume_id,
                "lent": lent,
            }
        )
    by_shelf: dict[int, list[Slot]] = defaultdict(list)
    for slot in slots.values():
        by_shelf[slot.position.shelf_id].append(slot)
    return [(s, by_shelf[s.pk]) for s in shelves]


def unplaced_boxes(actor: Any) -> QuerySet[Box]:
    q = user_scope(actor).unit_q(Cap.DATA_WRITE, *HOLDER)
    placed = Placement.objects.filter(box=OuterRef("pk"))
    return Box.objects.filter(q).exclude(Exists(placed)).select_related("unit", "class_code")


def thresholds_for(region_code: str) -> Thresholds:
    """The thresholds of the nearest region up the tree that has its own, else the default."""
    prefixes = [region_code[:n] for n in (12, 9, 6, 4, 2) if len(region_code) >= n]
    rows = {
        row.region_id: row
        for row in Limits.objects.filter(region_id__in=prefixes).select_related("region")
    }
    for code in prefixes:
        row = rows.get(code)
        if row is not None:
            return Thresholds(
                row.temperature_min,
                row.temperature_max,
                row.humidity_min,
                row.humidity_max,
                source=f"{row.region.name}（{row.region_id}）",
            )
    return DEFAULT


def latest_readings(rooms: list[Room]) -> dict[int, Reading]:
    """The newest reading of each room, in one query."""
    newest = Reading.objects.filter(room=OuterRef("room")).order_by("-taken_at", "-pk")
    rows = Reading.objects.filter(
        room__in=[r.pk for r in rooms], pk=newest.values("pk")[:1]
    ).select_related("actor")
    return {r.room_id: r for r in rows}


def conditions(rooms: list[Room]) -> list[dict[str, Any]]:
    """Each room with its newest reading and what was out of order then; rooms first whose
    newest reading raised an alert, then those never checked."""
    latest = latest_readings(rooms)
    last_checks = {
        c.room_id: c
        for c in InventoryCheck.objects.filter(
            room__in=[r.pk for r in rooms], status=CheckStatus.FINISHED
        ).order_by("room_id", "finished_at")
    }
    rows = [
        {
            "room": room,
            "reading": latest.get(room.pk),
            "alerts": latest[room.pk].alerts if room.pk in latest else [],
            "last_check": last_checks.get(room.pk),
        }
        for room in rooms
    ]
    return sorted(rows, key=lambda r: (not r["alerts"], r["reading"] is not None, r["room"].name))


@dataclass
class Result:
    """An inventory check's outcome: each expected box or volume found in place, found
    elsewhere (misplaced), not found (missing, or out on loan), and those found that were
    not expected there (unexpected)."""

    in_place: list[dict[str, Any]] = field(default_factory=list)
    misplaced: list[dict[str, Any]] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)
    lent: list[dict[str, Any]] = field(default_factory=list)
    unexpected: list[dict[str, Any]] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "expected": len(self.in_place) + len(self.misplaced) + len(self.missing)
            + len(self.lent),
            "found": len(self.in_place) + len(self.misplaced) + len(self.unexpected),
            "missing": len(self.missing),
            "misplaced": len(self.misplaced),
            "unexpected": len(self.unexpected),
            "lent": len(self.lent),
        }  # fmt: skip


def _key(row: Expected | Found) -> tuple[str, int]:
    return ("box", row.box_id) if row.box_id else ("volume", row.volume_id)  # type: ignore[return-value]


def check_result(check: InventoryCheck) -> Result:
    related = ("box__unit", "box__class_code", "volume__unit", "position__shelf")
    expected = {_key(e): e for e in check.expected.select_related(*related)}
    found = {_key(f): f for f in check.found.select_related(*related)}
    volumes_out = lent_volume_ids([e.volume_id for e in expected.values() if e.volume_id])
    result = Result()
    for key, e in expected.items():
        row = _row(e, expected_at=e.position)
        f = found.get(key)
        if f is None:
            out = e.volume_id in volumes_out
            (result.lent if out else result.missing).append(row)
        elif f.position_id == e.position_id:
            result.in_place.append(row | {"found_at": f.position, "by": f.get_by_display()})
        else:
            result.misplaced.append(row | {"found_at": f.position, "by": f.get_by_display()})
    for key, f in found.items():
        if key not in expected:
            result.unexpected.append(
                _row(f, expected_at=None) | {"found_at": f.position, "by": f.get_by_display()}
            )
    return result


def _row(row: Expected | Found, expected_at: Position | None) -> dict[str, Any]:
    thing = Thing(box=row.box, volume=row.volume)
    return {"code": thing.code, "label": thing.label, "expected_at": expected_at}


def unit_storage(unit_id: int) -> dict[str, Any]:
    """What an inspection of a unit reads of its storage: each room's latest conditions and
    last finished inventory check, and how many of its boxes stand on no shelf."""
    rooms = list(Room.objects.filter(unit_id=unit_id).select_related("unit"))
    placed = Placement.objects.filter(box=OuterRef("pk"))
    loose = Box.objects.filter(unit_id=unit_id).exclude(Exists(placed)).count()
    return {
        "rooms": conditions(rooms),
        "unplaced": loose,
        "boxes": Box.objects.filter(unit_id=unit_id).count(),
    }
