"""API of inspections, rectification orders and assessments."""

import datetime
from typing import Any

from django.http import Http404
from ninja import Router, Schema
from ninja.responses import Status

from fupin.supervision.inspections import services
from fupin.supervision.inspections.selectors import (
    access_inspection,
    overdue_orders,
    visible_orders,
)
from fupin.supervision.models import Inspection, RectificationOrder

router = Router(tags=["监督检查"])


class FindingIn(Schema):
    item_id: int
    score: int
    note: str = ""
    serious_hazard: bool = False
    evidence: str = ""


class OrderIn(Schema):
    requirement: str
    deadline: datetime.date


class InspectionIn(Schema):
    unit_id: int
    checklist_id: int
    inspected_on: datetime.date
    findings: list[FindingIn]
    notes: str = ""
    orders: list[OrderIn] = []


class OrderOut(Schema):
    id: int
    unit_id: int
    inspection_id: int | None
    requirement: str
    deadline: datetime.date
    status: str
    closing_note: str


class InspectionOut(Schema):
    id: int
    unit_id: int
    checklist_id: int
    inspected_on: datetime.date
    total_score: int
    passed: bool
    serious_hazard: bool
    conclusion: str
    inspector: str
    orders: list[OrderOut]


class CloseIn(Schema):
    note: str


class ChecklistItemIn(Schema):
    text: str
    max_score: int


class ChecklistIn(Schema):
    name: str
    pass_score: int
    items: list[ChecklistItemIn]


class ChecklistOut(Schema):
    id: int
    name: str
    pass_score: int
    items: list[dict[str, Any]]


class AssessmentIn(Schema):
    unit_id: int
    year: int
    rating: str


class AssessmentOut(Schema):
    id: int
    unit_id: int
    year: int
    rating: str
    cancelled: bool
    cancel_reason: str


def _order(order: RectificationOrder) -> dict:
    fields = ("id", "unit_id", "inspection_id", "requirement", "deadline", "status")
    return {f: getattr(order, f) for f in fields} | {"closing_note": order.closing_note}


def _inspection(inspection: Inspection) -> dict:
    fields = ("id", "unit_id", "checklist_id", "inspected_on", "total_score")
    return {f: getattr(inspection, f) for f in fields} | {
        "passed": inspection.qualified,
        "serious_hazard": inspection.serious_hazard,
        "conclusion": inspection.conclusion,
        "inspector": inspection.inspector_name,
        "orders": [_order(o) for o in inspection.orders.all()],
    }


@router.post("/checklists", response={201: ChecklistOut}, summary="新建检查表")
def checklist_create(request, payload: ChecklistIn) -> Status:
    checklist = services.checklist_create(
        actor=request.user,
        name=payload.name,
        pass_score=payload.pass_score,
        items=[(i.text, i.max_score) for i in payload.items],
    )
    items = [{"id": i.pk, "text": i.text, "max_score": i.max_score} for i in checklist.items.all()]
    return Status(
        201,
        {
            "id": checklist.pk,
            "name": checklist.name,
            "pass_score": checklist.pass_score,
            "items": items,
        },
    )


@router.post("/inspections", response={201: InspectionOut}, summary="记录一次执法检查")
def inspection_create(request, payload: InspectionIn) -> Status:
    data = payload.dict()
    data["orders"] = [(o["requirement"], o["deadline"]) for o in data["orders"]]
    inspection = services.inspection_record(actor=request.user, **data)
    return Status(201, _inspection(inspection))


@router.get("/inspections/{inspection_id}", response=InspectionOut, summary="检查详情")
def inspection_detail(request, inspection_id: int) -> dict:
    return _inspection(access_inspection(request.user, inspection_id))


@router.get("/orders", response=list[OrderOut], summary="整改通知（overdue=true 只列逾期）")
def orders(request, overdue: bool = False) -> list[dict]:
    found = overdue_orders(request.user) if overdue else visible_orders(request.user)
    return [_order(o) for o in found[:500]]


@router.post("/orders/{order_id}/close", response=OrderOut, summary="确认整改完成（销号）")
def order_close(request, order_id: int, payload: CloseIn) -> dict:
    visible = visible_orders(request.user).filter(pk=order_id).exists()
    if not visible:
        raise Http404("未找到该整改通知，或不在您的管辖范围内。")
    return _order(services.order_close(actor=request.user, order_id=order_id, note=payload.note))


@router.post("/assessments", response={201: AssessmentOut}, summary="目标管理考评定等次")
def assessment_create(request, payload: AssessmentIn) -> Status:
    a = services.assessment_rate(actor=request.user, **payload.dict())
    fields = ("id", "unit_id", "year", "rating", "cancelled", "cancel_reason")
    return Status(201, {f: getattr(a, f) for f in fields})
