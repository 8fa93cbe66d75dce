"""API of quarterly reports: list, build, enter, submit, decide, trace, subordinates."""

import datetime
from typing import Any

from django.http import Http404
from ninja import Router, Schema
from ninja.responses import Status

from fupin.accounts.access import access_region
from fupin.supervision.models import QuarterReport
from fupin.supervision.reports import services
from fupin.supervision.reports.present import report_lines, trace
from fupin.supervision.reports.quarters import Quarter
from fupin.supervision.reports.selectors import access_report, subordinates, visible_reports

router = Router(tags=["季报"])


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


def report_out(report: QuarterReport) -> dict:
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


@router.get("/reports", response=list[ReportOut], summary="我辖区内的季报")
def reports(request, quarter: str | None = None, region_code: str | None = None) -> list[dict]:
    found = visible_reports(request.user)
    if quarter:
        found = found.filter(quarter=str(Quarter.parse(quarter)))
    if region_code:
        found = found.filter(region_id=region_code)
    return [report_out(r) for r in found[:500]]


@router.post("/reports", response={201: ReportOut}, summary="生成（或重新计算）季报")
def report_build(request, payload: BuildIn) -> Status:
    report = services.report_build(actor=request.user, **payload.dict())
    return Status(201, report_out(report))


@router.get("/reports/{report_id}", response=ReportOut, summary="季报详情")
def report_detail(request, report_id: int) -> dict:
    return report_out(access_report(request.user, report_id))


@router.post("/reports/{report_id}/entered", response=ReportOut, summary="填报人工数据")
def report_enter(request, report_id: int, payload: EnterIn) -> dict:
    access_report(request.user, report_id)
    return report_out(
        services.report_enter(actor=request.user, report_id=report_id, values=payload.dict())
    )


@router.post("/reports/{report_id}/submit", response=ReportOut, summary="报送上一级")
def report_submit(request, report_id: int, payload: SubmitIn | None = None) -> dict:
    access_report(request.user, report_id)
    confirmed = bool(payload and payload.confirm)
    report = services.report_submit(actor=request.user, report_id=report_id, confirmed=confirmed)
    return report_out(report)


@router.post("/reports/{report_id}/decide", response=ReportOut, summary="审核通过或退回")
def report_decide(request, report_id: int, payload: DecideIn) -> dict:
    access_report(request.user, report_id)
    report = services.report_decide(actor=request.user, report_id=report_id, **payload.dict())
    return report_out(report)


@router.get("/reports/{report_id}/trace/{key}", response=TraceOut, summary="数据溯源")
def report_trace(request, report_id: int, key: str) -> dict:
    report = access_report(request.user, report_id)
    try:
        return vars(trace(report, key))
    except KeyError as exc:
        raise Http404(f"季报中没有“{key}”这一项。") from exc


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
