"""Reads of the supervision data, all through the access layer."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from fupin.accounts.access import user_scope
from fupin.accounts.roles import Cap
from fupin.regions.models import Region, Unit
from fupin.supervision.models import (
    Assessment,
    Inspection,
    OrderStatus,
    QuarterReport,
    RectificationOrder,
    ReportStatus,
)
from fupin.supervision.quarters import Quarter

SENT = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)

# Who compiles and decides reports: archivists (data.write) and the poverty offices.
FILE_CAPS = (Cap.DATA_WRITE, Cap.FILING_POVERTY)


def can_file_region(actor: Any, code: str) -> bool:
    scope = user_scope(actor)
    return any(scope.covers_region(cap, code) for cap in FILE_CAPS)


def can_file_unit(actor: Any, unit: Unit) -> bool:
    scope = user_scope(actor)
    return any(scope.covers_unit(cap, unit) for cap in FILE_CAPS)


def can_file(actor: Any, report: QuarterReport) -> bool:
    if report.unit_id:
        return can_file_unit(actor, report.unit)  # type: ignore[arg-type]
    return can_file_region(actor, report.region_id)  # type: ignore[arg-type]


def can_decide(actor: Any, report: QuarterReport) -> bool:
    """The level above decides: whoever compiles the reports of the receiving region."""
    return bool(report.parent_code) and can_file_region(actor, report.parent_code)


def visible_reports(actor: Any) -> QuerySet[QuarterReport]:
    scope = user_scope(actor)
    q = scope.region_q(Cap.DATA_READ, "region__code") | scope.unit_q(
        Cap.DATA_READ, "unit", "unit__region__code"
    )
    return QuarterReport.objects.filter(q).select_related(
        "region", "unit", "unit__region", "submitted_by", "decided_by"
    )


def access_report(actor: Any, report_id: int) -> QuarterReport:
    report = visible_reports(actor).filter(pk=report_id).first()
    if report is None:
        raise Http404("未找到该季报，或不在您的管辖范围内。")
    return report


def timeliness(report: QuarterReport | None, quarter: Quarter, today: Any = None) -> str:
    """按时 / 逾期 / 未报 / 待报 for the level above."""
    today = today or timezone.localdate()
    first = report.first_submitted_at if report else None
    if first is None:
        return "未报" if today > quarter.deadline else "待报"
    return "按时" if timezone.localdate(first) <= quarter.deadline else "逾期"


@dataclass
class Subordinate:
    name: str
    kind: str
    code: str
    unit_id: int | None
    report: QuarterReport | None
    timeliness: str

    @property
    def sent(self) -> bool:
        return self.report is not None and self.report.status in SENT

    @property
    def state(self) -> str:
        """未报送 / 逾期报送 / "" — what the level above is told when it goes up without it."""
        if not self.sent:
            return "未报送"
        return "逾期报送" if self.timeliness == "逾期" else ""


def subordinates(region: Region, quarter: Quarter) -> list[Subordinate]:
    """The regions directly below and the units located at this region, with their reports."""
    children = list(Region.objects.filter(parent=region).order_by("code"))
    units = list(Unit.objects.filter(region=region, active=True).order_by("name"))
    reports = QuarterReport.objects.filter(quarter=str(quarter)).filter(
        Q(region__in=children) | Q(unit__in=units)
    )
    by_region = {r.region_id: r for r in reports if r.region_id}
    by_unit = {r.unit_id: r for r in reports if r.unit_id}
    rows = [
        Subordinate(c.name, c.get_level_display(), c.code, None, by_region.get(c.code), "")
        for c in children
    ] + [Subordinate(u.name, "单位", region.code, u.pk, by_unit.get(u.pk), "") for u in units]
    for row in rows:
        row.timeliness = timeliness(row.report, quarter)
    return rows


def not_reported(report: QuarterReport) -> list[Subordinate]:
    """The subordinates a region report would go up without (not sent) or with late."""
    if not report.region_id:
        return []
    below = subordinates(report.region, Quarter.parse(report.quarter))  # type: ignore[arg-type]
    return [s for s in below if s.state]


def awaiting_decision(actor: Any) -> QuerySet[QuarterReport]:
    """Submitted reports this person's level has to accept or return."""
    scope = user_scope(actor)
    prefixes = {p for cap in FILE_CAPS for p in scope.prefixes(cap)}
    q = Q(pk__in=[])
    for p in prefixes:
        q |= Q(region__parent_id=p) | Q(unit__region_id=p)
    if scope.everything:
        q = Q()
    return visible_reports(actor).filter(q, status=ReportStatus.SUBMITTED)


def ledger(actor: Any, region_code: str) -> list[QuarterReport]:
    """Every quarter's report of a region, oldest first: the ledger (动态台账)."""
    return list(visible_reports(actor).filter(region_id=region_code).order_by("quarter"))


def can_inspect(actor: Any) -> bool:
    """Whether this person inspects anywhere (档案局监督检查员)."""
    return user_scope(actor).has(Cap.INSPECT)


def visible_inspections(actor: Any) -> QuerySet[Inspection]:
    q = user_scope(actor).unit_q(Cap.DATA_READ, "unit", "unit__region__code")
    return Inspection.objects.filter(q).select_related("unit", "checklist", "inspector")


def access_inspection(actor: Any, inspection_id: int) -> Inspection:
    found = visible_inspections(actor).filter(pk=inspection_id).first()
    if found is None:
        raise Http404("未找到该检查记录，或不在您的管辖范围内。")
    return found


def visible_orders(actor: Any) -> QuerySet[RectificationOrder]:
    q = user_scope(actor).unit_q(Cap.DATA_READ, "unit", "unit__region__code")
    return RectificationOrder.objects.filter(q).select_related("unit", "opened_by", "closed_by")


def overdue_orders(actor: Any, today: Any = None) -> QuerySet[RectificationOrder]:
    today = today or timezone.localdate()
    return visible_orders(actor).filter(status=OrderStatus.OPEN, deadline__lt=today)


def rating_bars(units: list[Unit], year: int) -> dict[int, str]:
    """Why each unit may not be rated that year ("" when it may): its own archives or those
    of the villages it is stationed in were not managed to the rules — an inspection that
    year failed or found a serious hazard, or an order is past its deadline. The policy: 未规范
    管理本单位和驻点村精准扶贫档案工作的单位，不得组织该单位当年档案工作目标管理考评。"""
    ids = [u.pk for u in units]
    stationed = Unit.stationed_villages.through.objects.filter(unit_id__in=ids)
    villages_of: dict[int, set[str]] = {}
    for unit_id, code in stationed.values_list("unit_id", "region_id"):
        villages_of.setdefault(unit_id, set()).add(code)
    codes = {c for found in villages_of.values() for c in found}
    in_village = dict(Unit.objects.filter(region_id__in=codes).values_list("pk", "region_id"))
    related = set(ids) | set(in_village)
    failed = (
        Inspection.objects.filter(unit_id__in=related, inspected_on__year=year)
        .filter(Q(passed=False) | Q(serious_hazard=True))
        .select_related("unit")
        .order_by("inspected_on", "pk")
    )
    overdue = (
        RectificationOrder.objects.filter(
            unit_id__in=related, status=OrderStatus.OPEN, deadline__lt=timezone.localdate()
        )
        .select_related("unit")
        .order_by("deadline", "pk")
    )
    why: dict[int, str] = {}
    for i in failed:
        word = "发现严重安全隐患" if i.serious_hazard else "检查不合格"
        why.setdefault(i.unit_id, f"{i.unit.name} {i.inspected_on:%Y-%m-%d} {word}")
    for o in overdue:
        why.setdefault(o.unit_id, f"{o.unit.name} 有逾期未整改事项（限 {o.deadline:%Y-%m-%d}）")
    found = {}
    for unit in units:
        mine = [unit.pk] + [u for u, c in in_village.items() if c in villages_of.get(unit.pk, ())]
        found[unit.pk] = next((why[u] for u in mine if u in why), "")
    return found


def visible_assessments(actor: Any) -> QuerySet[Assessment]:
    q = user_scope(actor).unit_q(Cap.DATA_READ, "unit", "unit__region__code")
    return Assessment.objects.filter(q).select_related("unit", "cancelled_by", "rated_by")
