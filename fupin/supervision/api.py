import datetime
from typing import Any

from django.http import Http404
from ninja import Router, Schema
from ninja.responses import Status

from fupin.accounts.access import access_region
from fupin.supervision import services
from fupin.supervision.models import Inspection, QuarterReport, RectificationOrder
from fupin.supervision.present import report_lines, trace
from fupin.supervision.quarters import Quarter
from fupin.supervision.selectors import (
    access_inspection,
    access_report,
    overdue_orders,
    subordinates,
    visible_orders,
    visible_reports,
)

router = Router(tags=["季报与监督检查"])


class BuildIn(Schema):
    quarter: str
    region_code: str | None = None
    unit_id: int | None = None


class LineOut(Schema):
    key: str
    label: str
    measure: str
    value: Any
    previous: Any
    delta: int | None


class ReportOut(Schema):
    id: int
    quarter: str
    region_code: str | None
    unit_id: int | None
    subject: str
    status: str
    round: int
    figures: dict[str, int]
    entered: dict[str, Any]
    return_reason: str
    submitted_at: datetime.datetime | None
    submitted_without: list[dict[str, Any]]
    sender: str
    lines: list[LineOut]


class EnterIn(Schema):
    archive_staff: int = 0
    training_sessions: int = 0
    storage: str = ""


class SubmitIn(Schema):
    # Going up without some subordinates (or with late ones) is confirmed explicitly.
    confirm: bool = False


class DecideIn(Schema):
    accept: bool
    reason: str = ""


class TraceOut(Schema):
    key: str
    label: str
    total: int
    children: list[dict[str, Any]]
    own: list[str]
    own_count: int


class SubordinateOut(Schema):
    name: str
    kind: str
    code: str
    unit_id: int | None
    report_id: int | None
    status: str | None
    timeliness: str


class PackageOut(Schema):
    format: str
    payload: dict[str, Any]
    digest: str
    signature: str


class PackageIn(Schema):
    format: str
    payload: dict[str, Any]
    digest: str = ""
    signature: str = ""


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


def _report(report: QuarterReport) -> dict:
    return {
        "id": report.pk,
        "quarter": report.quarter,
        "region_code": report.region_id,
        "unit_id": report.unit_id,
        "subject": report.subject_name,
        "status": report.status,
        "round": report.round,
        "figures": report.figures,
        "entered": report.entered,
        "return_reason": report.return_reason,
        "submitted_at": report.submitted_at,
        "submitted_without": report.submitted_without,
        "sender": report.sender,
        "lines": [vars(line) | {"delta": line.delta} for line in report_lines(report)],
    }


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


@router.get("/reports", response=list[ReportOut], summary="我辖区内的季报")
def reports(request, quarter: str | None = None, region_code: str | None = None) -> list[dict]:
    found = visible_reports(request.user)
    if quarter:
        found = found.filter(quarter=str(Quarter.parse(quarter)))
    if region_code:
        found = found.filter(region_id=region_code)
    return [_report(r) for r in found[:500]]


@router.post("/reports", response={201: ReportOut}, summary="生成（或重新计算）季报")
def report_build(request, payload: BuildIn) -> Status:
    report = services.report_build(actor=request.user, **payload.dict())
    return Status(201, _report(report))


@router.get("/reports/{report_id}", response=ReportOut, summary="季报详情")
def report_detail(request, report_id: int) -> dict:
    return _report(access_report(request.user, report_id))


@router.post("/reports/{report_id}/entered", response=ReportOut, summary="填报人工数据")
def report_enter(request, report_id: int, payload: EnterIn) -> dict:
    access_report(request.user, report_id)
    return _report(
        services.report_enter(actor=request.user, report_id=report_id, values=payload.dict())
    )


@router.post("/reports/{report_id}/submit", response=ReportOut, summary="报送上一级")
def report_submit(request, report_id: int, payload: SubmitIn | None = None) -> dict:
    access_report(request.user, report_id)
    confirmed = bool(payload and payload.confirm)
    report = services.report_submit(actor=request.user, report_id=report_id, confirmed=confirmed)
    return _report(report)


@router.post("/reports/{report_id}/decide", response=ReportOut, summary="审核通过或退回")
def report_decide(request, report_id: int, payload: DecideIn) -> dict:
    access_report(request.user, report_id)
    report = services.report_decide(actor=request.user, report_id=report_id, **payload.dict())
    return _report(report)


@router.get("/reports/{report_id}/trace/{key}", response=TraceOut, summary="数据溯源")
def report_trace(request, report_id: int, key: str) -> dict:
    report = access_report(request.user, report_id)
    try:
        return vars(trace(report, key))
    except KeyError as exc:
        raise Http404(f"季报中没有“{key}”这一项。") from exc


@router.get("/reports/{report_id}/package", response=PackageOut, summary="导出签名数据包")
def report_package(request, report_id: int) -> dict:
    return services.report_export(actor=request.user, report_id=report_id)


@router.post("/packages", response={201: ReportOut}, summary="导入下级系统的季报数据包")
def package_import(request, payload: PackageIn) -> Status:
    report = services.report_import(actor=request.user, package=payload.dict())
    return Status(201, _report(report))


@router.get("/subordinates", response=list[SubordinateOut], summary="下级报送情况")
def subordinate_status(request, region_code: str, quarter: str) -> list[dict]:
    region = access_region(request.user, region_code)
    return [
        {
            "name": s.name,
            "kind": s.kind,
            "code": s.code,
            "unit_id": s.unit_id,
            "report_id": s.report.pk if s.report else None,
            "status": s.report.status if s.report else None,
            "timeliness": s.timeliness,
        }
        for s in subordinates(region, Quarter.parse(quarter))
    ]


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
