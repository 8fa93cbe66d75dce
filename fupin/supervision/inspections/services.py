"""Writes of inspections: checklists, inspections with findings and evidence, rectification
orders, assessments."""

import datetime
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fupin.accounts.access import user_scope
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_record
from fupin.objects.services import object_capture
from fupin.regions.models import Unit
from fupin.supervision.inspections.selectors import rating_bars
from fupin.supervision.models import (
    Assessment,
    Checklist,
    ChecklistItem,
    Finding,
    FindingEvidence,
    Inspection,
    OrderStatus,
    Rating,
    RectificationOrder,
    actor_name,
    signed_in,
)


def _inspectable_unit(actor: Any, unit_id: int) -> Unit:
    unit = Unit.objects.select_related("region").filter(pk=unit_id).first()
    if unit is None or not user_scope(actor).covers_unit(Cap.INSPECT, unit):
        raise PermissionDenied("您没有检查这个单位的权限。")
    return unit


def checklist_create(
    *, actor: Any, name: str, pass_score: int, items: list[tuple[str, int]]
) -> Checklist:
    name = " ".join((name or "").split())
    if not name or not items:
        raise ValidationError("检查表要有名称和至少一个检查项。")
    if any(not text.strip() or score <= 0 for text, score in items):
        raise ValidationError("每个检查项都要有内容和大于 0 的分值。")
    if not 0 < pass_score <= sum(score for _, score in items):
        raise ValidationError("合格分应大于 0 且不超过各项分值之和。")
    if not user_scope(actor).has(Cap.INSPECT):
        raise PermissionDenied("您没有“监督检查”的权限。")
    with transaction.atomic():
        if Checklist.objects.filter(name=name).exists():
            raise ValidationError(f"已有名为“{name}”的检查表。")
        checklist = Checklist.objects.create(name=name, pass_score=pass_score)
        ChecklistItem.objects.bulk_create(
            ChecklistItem(checklist=checklist, position=i, text=text.strip(), max_score=score)
            for i, (text, score) in enumerate(items, start=1)
        )
        audit_record(
            actor=actor,
            action="supervision.checklist_create",
            obj=checklist,
            after={"pass_score": pass_score, "items": items},
            summary=f"新建检查表“{name}”",
        )
    return checklist


def _order_open(
    actor: Any, unit: Unit, requirement: str, deadline: datetime.date, inspection: Any = None
) -> RectificationOrder:
    order = RectificationOrder.objects.create(
        unit=unit,
        inspection=inspection,
        requirement=requirement[:500],
        deadline=deadline,
        opened_at=timezone.now(),
        opened_by=signed_in(actor),
    )
    audit_record(
        actor=actor,
        action="supervision.order_open",
        obj=order,
        after={"requirement": requirement, "deadline": deadline.isoformat()},
        summary=f"{unit.name}限 {deadline:%Y-%m-%d} 前整改：{requirement[:60]}",
    )
    return order


def _cancel_rating(
    actor: Any, unit: Unit, reason: str, inspection: Inspection
) -> Assessment | None:
    current = (
        Assessment.objects.select_for_update()
        .filter(unit=unit, cancelled=False)
        .order_by("-year")
        .first()
    )
    if current is not None:
        current.cancelled, current.cancel_reason = True, reason[:500]
        current.cancelled_by = inspection
        current.save(update_fields=["cancelled", "cancel_reason", "cancelled_by"])
        audit_record(
            actor=actor,
            action="supervision.rating_cancel",
            obj=current,
            after={"year": current.year, "reason": reason},
            summary=f"取消{unit.name}{current.year}年度考评等次：{reason[:60]}",
        )
    return current


# Evidence files of a finding, by checklist item: (file name, stream) pairs.
Evidence = dict[int, list[tuple[str, BinaryIO]]]
_PICTURES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")


def _check_inspection(
    checklist: Checklist | None,
    inspected_on: datetime.date,
    findings: list[dict[str, Any]],
    orders: list[tuple[str, datetime.date]],
    evidence: Evidence,
) -> dict[int, dict[str, Any]]:
    if checklist is None:
        raise ValidationError("请选择有效的检查表。")
    if inspected_on > timezone.localdate():
        raise ValidationError("检查日期不能晚于今天。")
    items = {i.pk: i for i in checklist.items.all()}
    given = {int(f["item_id"]): f for f in findings}
    if set(given) != set(items) or len(given) != len(findings):
        raise ValidationError("请为检查表的每一项打分（不多也不少）。")
    for item_id, f in given.items():
        if not 0 <= int(f.get("score", -1)) <= items[item_id].max_score:
            raise ValidationError(
                f"“{items[item_id].text}”的得分应在 0 到 {items[item_id].max_score} 之间。"
            )
        if f.get("serious_hazard") and not str(f.get("note", "")).strip():
            raise ValidationError("发现严重安全隐患时必须写明问题。")
    if set(evidence) - set(items):
        raise ValidationError("证据文件只能附在本检查表的检查项下。")
    for requirement, deadline in orders:
        if not requirement.strip():
            raise ValidationError("请写明每一项整改要求。")
        if deadline < inspected_on:
            raise ValidationError(f"整改期限 {deadline:%Y-%m-%d} 不能早于检查日期。")
    return given


def _attach_evidence(actor: Any, unit: Unit, finding: Finding, files: list) -> None:
    for filename, stream in files:
        category = "ZP" if filename.lower().endswith(_PICTURES) else "WS"
        captured = object_capture(
            actor=actor, stream=stream, filename=filename, category=category, unit=unit,
            cap=Cap.INSPECT,
        )  # fmt: skip
        FindingEvidence.objects.create(
            finding=finding, object=captured.object, filename=captured.filename
        )


def inspection_record(
    *,
    actor: Any,
    unit_id: int,
    checklist_id: int,
    inspected_on: datetime.date,
    findings: list[dict[str, Any]],
    notes: str = "",
    orders: list[tuple[str, datetime.date]] | None = None,
    hazard_days: int = 30,
    evidence: Evidence | None = None,
) -> Inspection:
    """Record an inspection with one finding per checklist item and the files that show it.
    A serious security hazard fails the inspection whatever the score, cancels the unit's
    existing rating and opens an order to put it right within the time. A refused file or
    any bad input leaves nothing behind."""
    orders, evidence = orders or [], evidence or {}
    checklist = Checklist.objects.filter(pk=checklist_id, active=True).first()
    given = _check_inspection(checklist, inspected_on, findings, orders, evidence)
    assert checklist is not None
    items = {i.pk: i for i in checklist.items.all()}
    with transaction.atomic():
        unit = _inspectable_unit(actor, unit_id)
        total = sum(int(f["score"]) for f in given.values())
        hazard = any(bool(f.get("serious_hazard")) for f in given.values())
        inspection = Inspection.objects.create(
            unit=unit,
            checklist=checklist,
            inspected_on=inspected_on,
            inspector_name=actor_name(actor),
            inspector=signed_in(actor),
            notes=notes.strip(),
            total_score=total,
            passed=total >= checklist.pass_score,
            serious_hazard=hazard,
        )
        rows = [
            Finding(
                inspection=inspection,
                item=items[item_id],
                score=int(f["score"]),
                note=str(f.get("note", "")).strip()[:500],
                serious_hazard=bool(f.get("serious_hazard")),
                evidence=str(f.get("evidence", "")).strip()[:500],
            )
            for item_id, f in sorted(given.items(), key=lambda kv: items[kv[0]].position)
        ]
        Finding.objects.bulk_create(rows)
        for row in rows:
            _attach_evidence(actor, unit, row, evidence.get(row.item_id, []))
        audit_record(
            actor=actor,
            action="supervision.inspection_record",
            obj=inspection,
            after={
                "checklist": checklist.pk,
                "score": total,
                "passed": inspection.qualified,
                "serious_hazard": hazard,
                "files": sum(len(f) for f in evidence.values()),
            },
            summary=f"检查{unit.name}：得分 {total}，{inspection.conclusion}",
        )
        for requirement, deadline in orders:
            _order_open(actor, unit, requirement.strip(), deadline, inspection)
        for found in (r for r in rows if r.serious_hazard):
            reason = f"{inspected_on:%Y-%m-%d} 检查发现严重安全隐患：{found.note}"
            _cancel_rating(actor, unit, reason, inspection)
            deadline = inspected_on + datetime.timedelta(days=hazard_days)
            _order_open(actor, unit, f"消除严重安全隐患：{found.note}", deadline, inspection)
    return inspection


def order_open(
    *, actor: Any, unit_id: int, requirement: str, deadline: datetime.date
) -> RectificationOrder:
    requirement = requirement.strip()
    if not requirement:
        raise ValidationError("请写明整改要求。")
    with transaction.atomic():
        unit = _inspectable_unit(actor, unit_id)
        return _order_open(actor, unit, requirement, deadline)


def order_close(*, actor: Any, order_id: int, note: str) -> RectificationOrder:
    note = (note or "").strip()
    if not note:
        raise ValidationError("请写明整改情况。")
    with transaction.atomic():
        order = (
            RectificationOrder.objects.select_for_update()
            .select_related("unit", "unit__region")
            .filter(pk=order_id)
            .first()
        )
        if order is None or not user_scope(actor).covers_unit(Cap.INSPECT, order.unit):
            raise PermissionDenied("只有检查机关可以确认整改完成。")
        if order.status == OrderStatus.CLOSED:
            raise ValidationError("该整改通知已经销号。")
        order.status, order.closed_at, order.closing_note = (
            OrderStatus.CLOSED,
            timezone.now(),
            note[:500],
        )
        order.closed_by = signed_in(actor)
        order.save(update_fields=["status", "closed_at", "closing_note", "closed_by"])
        audit_record(
            actor=actor,
            action="supervision.order_close",
            obj=order,
            after={"note": note},
            summary=f"{order.unit.name}整改完成：{note[:60]}",
        )
    return order


def assessment_rate(*, actor: Any, unit_id: int, year: int, rating: str) -> Assessment:
    if rating not in Rating.values:
        raise ValidationError("请选择考评等次（优秀、良好、合格、不合格）。")
    with transaction.atomic():
        unit = _inspectable_unit(actor, unit_id)
        if why := rating_bars([unit], year)[unit.pk]:
            raise ValidationError(
                f"{unit.name}的扶贫档案未按规定管理（{why}），{year}年度不得参加考评。"
            )
        if Assessment.objects.filter(unit=unit, year=year).exists():
            raise ValidationError(f"{unit.name}{year}年度已有考评结果。")
        assessment = Assessment.objects.create(
            unit=unit,
            year=year,
            rating=rating,
            rated_by_name=actor_name(actor),
            rated_by=signed_in(actor),
            rated_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="supervision.assessment_rate",
            obj=assessment,
            after={"year": year, "rating": rating},
            summary=f"{unit.name}{year}年度考评：{Rating(rating).label}",
        )
    return assessment
