"""Reads of quarterly reports, all through the access layer: who files and decides, the
ledger, the subordinates' reporting."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from fupin.accounts.access import user_scope
from fupin.accounts.roles import Cap
from fupin.regions.models import Region, Unit
from fupin.supervision.models import (
    QuarterReport,
    ReportStatus,
)
from fupin.supervision.reports.quarters import Quarter

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
