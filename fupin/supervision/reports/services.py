"""Writes of quarterly reports: build (or rebuild) from the data, enter the figures people
count, submit one level up, accept or return; a whole tree of drafts at once."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fupin.accounts.access import user_scope
from fupin.audit.services import audit_record
from fupin.regions.models import Region, Unit
from fupin.supervision.models import (
    QuarterReport,
    ReportStatus,
    actor_name,
    signed_in,
)
from fupin.supervision.reports.figures import ENTERED
from fupin.supervision.reports.quarters import Quarter
from fupin.supervision.reports.rollup import entered_numbers, subtree, unit_figures
from fupin.supervision.reports.selectors import (
    can_decide,
    can_file,
    can_file_region,
    can_file_unit,
    not_reported,
)

FROZEN = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


def _compute(report: QuarterReport, quarter: Quarter) -> dict[str, int]:
    span = quarter.span()
    if report.unit_id:
        figures = unit_figures(span, [report.unit_id])[report.unit_id]
        return figures | entered_numbers(report.entered)
    code = report.region_id or ""
    return subtree(quarter, code, entered={code: report.entered}).totals[code]


def _subject(
    actor: Any, region_code: str | None, unit_id: int | None
) -> tuple[Region | None, Unit | None]:
    if bool(region_code) == bool(unit_id):
        raise ValidationError("请指定一个区划或一个单位（二者选一）。")
    if unit_id:
        unit = Unit.objects.select_related("region").filter(pk=unit_id).first()
        if unit is None or not can_file_unit(actor, unit):
            raise PermissionDenied("您不能编报这个单位的季报。")
        return None, unit
    region = Region.objects.filter(code=region_code).first()
    if region is None or not can_file_region(actor, region.code):
        raise PermissionDenied("您不能编报这个区划的季报。")
    return region, None


def report_build(
    *,
    actor: Any,
    quarter: str,
    region_code: str | None = None,
    unit_id: int | None = None,
) -> QuarterReport:
    """Compute (or recompute) the figures of a draft or returned report from the data."""
    q = Quarter.parse(quarter)
    region, unit = _subject(actor, region_code, unit_id)
    with transaction.atomic():
        report, _ = QuarterReport.objects.select_for_update().get_or_create(
            quarter=str(q),
            region=region,
            unit=unit,
            defaults={"status": ReportStatus.DRAFT, "built_at": timezone.now()},
        )
        if report.status in FROZEN:
            raise ValidationError("该季报已报送，数据已固定，不能重新生成。")
        report.figures = _compute(report, q)
        report.built_at = timezone.now()
        report.save(update_fields=["figures", "built_at"])
        audit_record(
            actor=actor,
            action="supervision.report_build",
            obj=report,
            after={"quarter": report.quarter, "figures": report.figures},
            summary=f"生成{report.subject_name}{q.label}季报",
        )
    return report


def _editable(actor: Any, report_id: int) -> QuarterReport:
    report = (
        QuarterReport.objects.select_for_update(of=("self",))
        .select_related("region", "unit", "unit__region")
        .filter(pk=report_id)
        .first()
    )
    if report is None or not can_file(actor, report):
        raise PermissionDenied("您不能修改这份季报。")
    if report.status in FROZEN:
        raise ValidationError("该季报已报送，不能再修改。")
    return report


def report_enter(*, actor: Any, report_id: int, values: dict[str, Any]) -> QuarterReport:
    """The figures only people know (staff, training, storage), typed into a draft."""
    entered: dict[str, Any] = {}
    for field in ENTERED:
        raw = str(values.get(field.key, "") or "").strip()
        if field.numeric:
            if raw and not raw.isdigit():
                raise ValidationError(f"“{field.label}”应填写不小于 0 的整数。")
            entered[field.key] = int(raw or 0)
        else:
            entered[field.key] = raw[:200]
    with transaction.atomic():
        report = _editable(actor, report_id)
        before = dict(report.entered)
        report.entered = entered
        report.figures = _compute(report, Quarter.parse(report.quarter))
        report.save(update_fields=["entered", "figures"])
        audit_record(
            actor=actor,
            action="supervision.report_enter",
            obj=report,
            before=before,
            after=entered,
            summary=f"填报{report.subject_name}{report.quarter}季报人工数据",
        )
    return report


def report_submit(*, actor: Any, report_id: int, confirmed: bool = False) -> QuarterReport:
    """Send up: the figures are recomputed one last time and frozen. Submitting is final, so
    going up without some subordinates (or with late ones) needs `confirmed`, and the report
    keeps their names."""
    with transaction.atomic():
        report = _editable(actor, report_id)
        if not report.parent_code:
            raise ValidationError("省级季报没有上一级可报送。")
        without = [{"name": s.name, "kind": s.kind, "state": s.state} for s in not_reported(report)]
        if without and not confirmed:
            names = "、".join(f"{w['name']}（{w['state']}）" for w in without)
            raise ValidationError(
                f"以下下级尚未报送或逾期报送：{names}。报送后数据固定、不能更改；"
                "如确认不等待，请勾选“确认报送”后再报送。"
            )
        now = timezone.now()
        report.figures = _compute(report, Quarter.parse(report.quarter))
        report.status = ReportStatus.SUBMITTED
        report.round += 1
        report.first_submitted_at = report.first_submitted_at or now
        report.submitted_at = now
        report.return_reason = ""
        report.submitted_without = without
        report.submitted_by = signed_in(actor)
        report.save()
        audit_record(
            actor=actor,
            action="supervision.report_submit",
            obj=report,
            after={
                "round": report.round,
                "to": report.parent_code,
                "figures": report.figures,
                "without": without,
            },
            summary=f"报送{report.subject_name}{report.quarter}季报（第{report.round}次）"
            + (f"，未等待 {len(without)} 个下级" if without else ""),
        )
    return report


def report_decide(*, actor: Any, report_id: int, accept: bool, reason: str = "") -> QuarterReport:
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError("退回时必须说明理由。")
    with transaction.atomic():
        report = (
            QuarterReport.objects.select_for_update(of=("self",))
            .select_related("region", "unit", "unit__region")
            .filter(pk=report_id)
            .first()
        )
        if report is None or not (user_scope(actor).everything or can_decide(actor, report)):
            raise PermissionDenied("只有上一级可以审核这份季报。")
        if report.status != ReportStatus.SUBMITTED:
            raise ValidationError("该季报不在待审核状态。")
        report.status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
        report.return_reason = "" if accept else reason[:500]
        report.decided_at = timezone.now()
        report.decided_by_name = actor_name(actor)
        report.decided_by = signed_in(actor)
        report.save()
        audit_record(
            actor=actor,
            action="supervision.report_decide",
            obj=report,
            after={"accept": accept, "reason": reason, "status": report.status},
            summary=f"{'审核通过' if accept else '退回'}{report.subject_name}{report.quarter}季报"
            + ("" if accept else f"：{reason[:60]}"),
        )
    return report


def reports_build_tree(*, actor: Any, quarter: str, region_code: str) -> dict[str, int]:
    """Build the draft reports of a region and of every region below it, bottom-up, with one
    aggregate query per figure for the whole subtree (the command line's batch job)."""
    q = Quarter.parse(quarter)
    if not user_scope(actor).everything:
        raise PermissionDenied("整棵区划树的批量生成只能在服务器命令行执行。")
    if not Region.objects.filter(code=region_code).exists():
        raise ValidationError(f"区划 {region_code} 不存在。")
    tree = subtree(q, region_code)
    codes = list(tree.totals)
    in_tree = QuarterReport.objects.filter(quarter=str(q), region__code__startswith=region_code)
    existing = {r.region_id: r for r in in_tree}
    now = timezone.now()
    new: list[QuarterReport] = []
    changed: list[QuarterReport] = []
    for code in codes:
        report = existing.get(code)
        if report is not None and report.status in FROZEN:
            continue
        figures = tree.totals[code]
        if report is None:
            new.append(
                QuarterReport(
                    quarter=str(q),
                    region_id=code,
                    status=ReportStatus.DRAFT,
                    figures=figures,
                    built_at=now,
                )
            )
        # Rewriting a draft whose figures did not move would only cost time on a province.
        elif report.figures != figures:
            report.figures, report.built_at = figures, now
            changed.append(report)
    with transaction.atomic():
        QuarterReport.objects.bulk_create(new, batch_size=2000)
        QuarterReport.objects.bulk_update(changed, ["figures", "built_at"], batch_size=2000)
        audit_record(
            actor=actor,
            action="supervision.reports_build_tree",
            region_code=region_code,
            object_type="supervision.quarterreport",
            after={"quarter": str(q), "created": len(new), "updated": len(changed)},
            summary=f"批量生成 {region_code} 及以下{q.label}季报："
            f"新建 {len(new)}，更新 {len(changed)}",
        )
    frozen = sum(1 for r in existing.values() if r.status in FROZEN)
    return {
        "created": len(new),
        "updated": len(changed),
        "unchanged": len(codes) - len(new) - len(changed) - frozen,
        "frozen": frozen,
    }
