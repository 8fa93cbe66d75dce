"""Writes of the supervision app: reports and their flow, inspections, orders, assessments."""

import datetime
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fupin.accounts.access import user_scope
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_record
from fupin.objects.services import object_capture
from fupin.regions.models import Region, Unit
from fupin.supervision import federation
from fupin.supervision.figures import ENTERED
from fupin.supervision.models import (
    Assessment,
    Checklist,
    ChecklistItem,
    Finding,
    FindingEvidence,
    Inspection,
    OrderStatus,
    QuarterReport,
    Rating,
    RectificationOrder,
    ReportStatus,
)
from fupin.supervision.quarters import Quarter
from fupin.supervision.rollup import entered_numbers, subtree, unit_figures
from fupin.supervision.selectors import (
    can_decide,
    can_file,
    can_file_region,
    can_file_unit,
    not_reported,
    rating_bars,
)

FROZEN = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


def _actor_name(actor: Any) -> str:
    return actor.get_username() if actor is not None else "系统"


def _signed_in(actor: Any) -> Any:
    """The user behind an action, or None for the operator at the command line."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


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
        report.submitted_by = _signed_in(actor)
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
        report.decided_by_name = _actor_name(actor)
        report.decided_by = _signed_in(actor)
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
        opened_by=_signed_in(actor),
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
            inspector_name=_actor_name(actor),
            inspector=_signed_in(actor),
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
        order.closed_by = _signed_in(actor)
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
            rated_by_name=_actor_name(actor),
            rated_by=_signed_in(actor),
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


def report_export(*, actor: Any, report_id: int) -> dict[str, Any]:
    """A submitted or accepted region report as a signed package for another installation."""
    from fupin.supervision.selectors import access_report

    report = access_report(actor, report_id)
    if report.status not in FROZEN or not report.region_id:
        raise ValidationError("只有已报送或已审核通过的区划季报才能导出数据包。")
    sender, _key = federation.own_identity()
    region = report.region
    payload = {
        "quarter": report.quarter,
        "region": report.region_id,
        "region_name": region.name,  # type: ignore[union-attr]
        "figures": report.figures,
        "entered": report.entered,
        "sender": sender,
        "created": timezone.now().isoformat(),
    }
    package = federation.seal(payload)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="supervision.report_export",
            obj=report,
            after={"digest": package["digest"], "sender": sender},
            summary=f"导出{report.subject_name}{report.quarter}季报数据包",
        )
    return package


def report_import(*, actor: Any, package: bytes | str | dict[str, Any]) -> QuarterReport:
    """Take in a signed package from a trusted installation as a submitted report, for the
    receiving level to accept or return like any other."""
    payload = federation.open_package(package)
    q = Quarter.parse(str(payload.get("quarter", "")))
    code = str(payload.get("region", ""))
    figures = payload.get("figures")
    if not isinstance(figures, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in figures.values()
    ):
        raise ValidationError("数据包中的报表数据不是整数。")
    with transaction.atomic():
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise ValidationError(f"本系统没有区划 {code}，不能导入其季报。")
        if not (user_scope(actor).everything or can_file_region(actor, region.parent_id or "")):
            raise PermissionDenied("只有接收该季报的上一级可以导入数据包。")
        if QuarterReport.objects.filter(package_digest=payload["digest"]).exists():
            raise ValidationError("该数据包已经导入过，不能重复导入。")
        report = QuarterReport.objects.select_for_update().filter(quarter=str(q), region=region)
        existing = report.first()
        if existing is not None and existing.status in FROZEN:
            raise ValidationError(f"{region.name}{q.label}季报已报送或已审核通过，不能再导入。")
        now = timezone.now()
        values = {
            "status": ReportStatus.SUBMITTED,
            "figures": figures,
            "entered": payload.get("entered") or {},
            "built_at": now,
            "first_submitted_at": (existing.first_submitted_at if existing else None) or now,
            "submitted_at": now,
            "round": (existing.round if existing else 0) + 1,
            "return_reason": "",
            "sender": str(payload["sender"])[:100],
            "package_digest": payload["digest"],
        }
        imported, _ = QuarterReport.objects.update_or_create(
            quarter=str(q), region=region, defaults=values
        )
        audit_record(
            actor=actor,
            action="supervision.report_import",
            obj=imported,
            after={"sender": payload["sender"], "digest": payload["digest"]},
            summary=f"导入{payload['sender']}报送的{region.name}{q.label}季报数据包",
        )
    return imported
