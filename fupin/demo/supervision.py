"""The demo county's quarterly reports and inspections: last quarter's reports came up from
the villages of one township and from every township; the county returned one township's
report and accepted the rest; an inspection found a serious hazard at the poverty office."""

import datetime
from typing import Any

from django.utils import timezone

from fupin.accounts.models import User
from fupin.regions.models import Region, Unit
from fupin.supervision.inspections.services import (
    assessment_rate,
    checklist_create,
    inspection_record,
)
from fupin.supervision.models import Checklist, QuarterReport
from fupin.supervision.reports.quarters import Quarter
from fupin.supervision.reports.services import (
    report_build,
    report_decide,
    report_enter,
    report_submit,
)

CHECKLIST = "扶贫档案工作执法检查表"
CHECKLIST_ITEMS = [
    ("明确分管领导、责任部门和档案工作人员", 20),
    ("按归档范围和保管期限表收集归档", 30),
    ("档案整理符合 DA/T 22 等标准", 20),
    ("档案保管安全（防火、防潮、防盗）", 20),
    ("建档立卡户档案一户一档", 10),
]


def _submit(actor: Any, quarter: str, region: Region, staff: int) -> QuarterReport:
    report = report_build(actor=actor, quarter=quarter, region_code=region.code)
    report_enter(
        actor=actor,
        report_id=report.pk,
        values={"archive_staff": staff, "training_sessions": 1, "storage": "专用档案柜"},
    )
    # The demo's units never file reports of their own: each level goes up without them.
    return report_submit(actor=actor, report_id=report.pk, confirmed=True)


def load_demo_reports(township: Region, county: Region) -> None:
    """Idempotent: nothing is done when last quarter's county report already exists."""
    quarter = str(Quarter.of(timezone.localdate()).previous())
    if QuarterReport.objects.filter(quarter=quarter, region=county).exists():
        return
    zhen, fupinban = User.objects.get(username="zhen1"), User.objects.get(username="fupinban")
    for village in Region.objects.filter(parent=township):
        report = _submit(None, quarter, village, 1)
        report_decide(actor=zhen, report_id=report.pk, accept=True)
    townships = list(Region.objects.filter(parent=county).order_by("code"))
    reports = [_submit(None, quarter, t, 2) for t in townships]
    returned = next(r for r in reports if r.region_id != township.code)
    for report in reports:
        if report == returned:
            reason = "档案工作人员人数与花名册不符，请核实后重报"
            report_decide(actor=fupinban, report_id=report.pk, accept=False, reason=reason)
        else:
            report_decide(actor=fupinban, report_id=report.pk, accept=True)
    report_build(actor=fupinban, quarter=quarter, region_code=county.code)


def load_demo_inspection(office: Unit) -> None:
    """A rated poverty office loses its rating to a serious hazard; the order stays open."""
    if Checklist.objects.filter(name=CHECKLIST).exists():
        return
    inspector = User.objects.get(username="danganju")
    checklist = checklist_create(
        actor=inspector, name=CHECKLIST, pass_score=60, items=CHECKLIST_ITEMS
    )
    today = timezone.localdate()
    assessment_rate(actor=inspector, unit_id=office.pk, year=today.year, rating="excellent")
    scores = [20, 28, 18, 5, 10]
    findings = [
        {"item_id": item.pk, "score": score, "evidence": "现场照片 2 张" if score == 5 else ""}
        | ({"note": "档案柜紧邻电暖器，线路老化", "serious_hazard": True} if score == 5 else {})
        for item, score in zip(checklist.items.all(), scores, strict=True)
    ]
    inspection_record(
        actor=inspector,
        unit_id=office.pk,
        checklist_id=checklist.pk,
        inspected_on=today - datetime.timedelta(days=3),
        findings=findings,
        notes="总体较好，存在严重安全隐患一处，须限期整改。",
    )
