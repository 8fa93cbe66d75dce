"""Writes to regions and units. Each is atomic and leaves its audit rows in the same transaction."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from fupin.accounts.access import access_region, access_unit, require_cap, user_scope
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_record
from fupin.regions.importing import ImportIssue, RegionRow, check_exit_year, parse_files
from fupin.regions.models import (
    CODE_LENGTH,
    LEVEL_ORDER,
    Level,
    Region,
    RegionNameChange,
    Unit,
    UnitKind,
)

# Keeps each IN (...) list well under SQLite's bound-parameter limit.
CHUNK = 500
COUNT_KEYS = ("added", "renamed", "flagged", "unchanged")


@dataclass
class ImportReport:
    files: list[str]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: list[ImportIssue] = field(default_factory=list)
    renames: list[dict[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "files": self.files,
            "counts": self.counts,
            "renames": self.renames,
            "errors": [{"file": e.file, "line": e.line, "reason": e.reason} for e in self.errors],
        }


def _existing(codes: Iterable[str]) -> dict[str, Region]:
    codes = sorted(set(codes))
    found: dict[str, Region] = {}
    for start in range(0, len(codes), CHUNK):
        for region in Region.objects.filter(code__in=codes[start : start + CHUNK]):
            found[region.code] = region
    return found


def _common_region(codes: list[str]) -> str:
    """The deepest division containing every code: where an auditor finds the batch event."""
    for length in sorted(CODE_LENGTH.values(), reverse=True):
        head = codes[0][:length]
        if all(len(code) >= length and code.startswith(head) for code in codes):
            return head
    return ""


def _missing_parents(rows: list[RegionRow], existing: dict[str, Region]) -> list[ImportIssue]:
    in_batch = {row.code for row in rows}
    wanted = {row.parent_code for row in rows if row.parent_code} - in_batch - set(existing)
    known = set(_existing(wanted)) | in_batch | set(existing)
    return [
        ImportIssue(
            row.file, row.line, f"上级区划 {row.parent_code} 不存在（数据库和本批文件中都没有）"
        )
        for row in rows
        if row.parent_code and row.parent_code not in known
    ]


def regions_import(*, actor: Any, paths: list[Path]) -> ImportReport:
    """Import official division CSVs. With any error nothing is written and `errors` says why."""
    batch = parse_files(paths)
    report = ImportReport(files=[Path(p).name for p in paths], errors=batch.errors)
    if not batch.rows and not report.errors:
        report.errors.append(ImportIssue("、".join(report.files) or "（无文件）", 0, "没有数据行"))
    if report.errors:
        return report
    scope = user_scope(actor)
    outside = [r.code for r in batch.rows if not scope.covers_region(Cap.USERS_MANAGE, r.code)]
    if outside:
        raise PermissionDenied(f"区划 {outside[0]} 等 {len(outside)} 个不在您的管辖范围内。")
    with transaction.atomic():
        existing = _existing(row.code for row in batch.rows)
        report.errors = _missing_parents(batch.rows, existing)
        if report.errors:
            return report
        _apply(actor, batch.rows, existing, report)
    return report


def _apply(
    actor: Any, rows: list[RegionRow], existing: dict[str, Region], report: ImportReport
) -> None:
    counts = {lvl.value: dict.fromkeys(COUNT_KEYS, 0) for lvl in LEVEL_ORDER}
    new: list[Region] = []
    changed: list[Region] = []
    history: list[RegionNameChange] = []
    flagged: list[str] = []
    for row in rows:
        level_counts = counts[row.level]
        region = existing.get(row.code)
        if region is None:
            new.append(
                Region(
                    code=row.code,
                    name=row.name,
                    level=row.level,
                    parent_id=row.parent_code,
                    is_poor=bool(row.is_poor),
                    exit_year=row.exit_year,
                )
            )
            level_counts["added"] += 1
            continue
        renamed = region.name != row.name
        flags = (region.is_poor, region.exit_year)
        if row.is_poor is not None:
            flags = (row.is_poor, row.exit_year or (region.exit_year if row.is_poor else None))
        reflagged = flags != (region.is_poor, region.exit_year)
        if renamed:
            history.append(
                RegionNameChange(
                    region=region, old_name=region.name, new_name=row.name, source=row.file
                )
            )
            region.name = row.name
            level_counts["renamed"] += 1
        if reflagged:
            region.is_poor, region.exit_year = flags
            flagged.append(row.code)
            level_counts["flagged"] += 1
        if renamed or reflagged:
            changed.append(region)
        else:
            level_counts["unchanged"] += 1
    Region.objects.bulk_create(new, batch_size=CHUNK)
    Region.objects.bulk_update(changed, ["name", "is_poor", "exit_year"], batch_size=CHUNK)
    RegionNameChange.objects.bulk_create(history, batch_size=CHUNK)
    for change in history:
        report.renames.append(
            {"code": change.region_id, "old": change.old_name, "new": change.new_name}
        )
        audit_record(
            actor=actor,
            action="region.rename",
            obj=change.region,
            before={"name": change.old_name},
            after={"name": change.new_name},
            summary=f"区划 {change.region_id} 更名：{change.old_name} → {change.new_name}",
        )
    report.counts = {level: c for level, c in counts.items() if any(c.values())}
    totals = {key: sum(c[key] for c in report.counts.values()) for key in COUNT_KEYS}
    audit_record(
        actor=actor,
        action="region.import",
        object_type="regions.region",
        region_code=_common_region([row.code for row in rows]),
        after={"files": report.files, "counts": report.counts, "flagged": flagged},
        summary="导入区划：新增 {added}，更名 {renamed}，贫困标记变更 {flagged}，"
        "未变 {unchanged}".format(**totals),
    )


def _poverty_state(region: Region) -> dict[str, Any]:
    return {"is_poor": region.is_poor, "exit_year": region.exit_year}


def region_set_poverty(
    *, actor: Any, code: str, is_poor: bool, exit_year: int | None = None
) -> Region:
    """贫困县/摘帽年度 for counties, 贫困村/出列年度 for villages."""
    with transaction.atomic():
        region = access_region(actor, code, Cap.USERS_MANAGE)
        if region.level not in (Level.COUNTY, Level.VILLAGE):
            raise ValidationError(
                f"只有县（市、区）和村可以标记贫困，{region.name}是{region.get_level_display()}。"
            )
        try:
            check_exit_year(is_poor, exit_year)
        except ValueError as exc:
            raise ValidationError(f"{exc}。") from exc
        before = _poverty_state(region)
        region.is_poor, region.exit_year = is_poor, exit_year
        region.save(update_fields=["is_poor", "exit_year"])
        audit_record(
            actor=actor,
            action="region.poverty",
            obj=region,
            before=before,
            after=_poverty_state(region),
            summary=f"{region.name}：{region.poverty_label or '非贫困'}",
        )
    return region


CAMPAIGN_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY)

# Apps above this one keep data derived from the campaign's end (the household files'
# completeness): they register here at start-up, so this module never imports upward.
_campaign_end_listeners: list[Callable[[str], object]] = []


def register_campaign_end_listener(listener: Callable[[str], object]) -> None:
    if listener not in _campaign_end_listeners:
        _campaign_end_listeners.append(listener)


def region_campaign_end_set(
    *, actor: Any, code: str, ended_on: date | None, transfer_due_on: date | None = None
) -> Region:
    """Record (or clear, with None) the date poverty-alleviation work ended in a province, city
    or county, and the date by which its records are to be transferred to the archives."""
    with transaction.atomic():
        region = access_region(actor, code, Cap.CAMPAIGN_END)
        if region.level not in CAMPAIGN_LEVELS:
            raise ValidationError(
                f"精准扶贫工作结束日期由省、市（州）或县（市、区）设定，{region.name}是"
                f"{region.get_level_display()}，随上级设定。"
            )
        if ended_on is None and transfer_due_on is not None:
            raise ValidationError("请先填写精准扶贫工作结束日期，再填写移交期限。")
        if ended_on and transfer_due_on and transfer_due_on < ended_on:
            raise ValidationError("移交进馆期限不能早于精准扶贫工作结束日期。")
        before = {"ended_on": region.campaign_ended_on, "transfer_due_on": region.transfer_due_on}
        region.campaign_ended_on, region.transfer_due_on = ended_on, transfer_due_on
        region.save(update_fields=["campaign_ended_on", "transfer_due_on"])
        for listener in _campaign_end_listeners:
            listener(region.code)
        what = f"{ended_on:%Y年%m月%d日}结束" if ended_on else "结束日期已清除"
        due = f"，{transfer_due_on:%Y年%m月%d日}前移交进馆" if transfer_due_on else ""
        audit_record(
            actor=actor,
            action="region.campaign_end",
            obj=region,
            before=before,
            after={"ended_on": ended_on, "transfer_due_on": transfer_due_on},
            summary=f"{region.name}精准扶贫工作{what}{due}",
        )
    return region


UNIT_FIELDS = (
    "kind",
    "name",
    "fonds_code",
    "fonds_name",
    "leader",
    "responsible_department",
    "archivists",
)
# Kinds that exist only at one level: the village committee of a village, and so on.
KIND_LEVEL = {
    UnitKind.VILLAGE_COMMITTEE: Level.VILLAGE,
    UnitKind.TOWNSHIP_GOV: Level.TOWNSHIP,
}


def _unit_state(unit: Unit) -> dict[str, Any]:
    state: dict[str, Any] = {name: getattr(unit, name) for name in UNIT_FIELDS}
    state.update(region=unit.region_id, active=unit.active)
    return state


def _clean_unit(unit: Unit) -> None:
    """Fill defaults and check what the database cannot say in Chinese."""
    for name in UNIT_FIELDS:
        setattr(unit, name, str(getattr(unit, name) or "").strip())
    unit.fonds_name = unit.fonds_name or unit.name
    if unit.kind not in UnitKind.values:
        raise ValidationError(f"未知的单位类别：{unit.kind}")
    if not unit.name:
        raise ValidationError("单位名称不能为空。")
    if not unit.fonds_code:
        raise ValidationError("全宗号不能为空。")
    needed = KIND_LEVEL.get(UnitKind(unit.kind))
    if needed and unit.region.level != needed:
        raise ValidationError(
            f"“{UnitKind(unit.kind).label}”只能设在{Level(needed).label}一级，"
            f"{unit.region.name}是{unit.region.get_level_display()}。"
        )
    others = Unit.objects.exclude(pk=unit.pk)
    if others.filter(fonds_code=unit.fonds_code).exists():
        raise ValidationError(f"全宗号“{unit.fonds_code}”已被其他单位使用，请换一个。")
    if others.filter(region=unit.region, name=unit.name).exists():
        raise ValidationError(f"{unit.region.name}已有名为“{unit.name}”的单位。")


def _save_unit(unit: Unit) -> None:
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError as exc:
        # A concurrent writer took the name or fonds code between the check and the save.
        raise ValidationError("全宗号或单位名称已被占用，请刷新后重试。") from exc


def unit_create(
    *,
    actor: Any,
    region: Region,
    kind: str,
    name: str,
    fonds_code: str,
    fonds_name: str = "",
    leader: str = "",
    responsible_department: str = "",
    archivists: str = "",
) -> Unit:
    require_cap(actor, Cap.USERS_MANAGE, region.code)
    unit = Unit(
        region=region,
        kind=kind,
        name=name,
        fonds_code=fonds_code,
        fonds_name=fonds_name,
        leader=leader,
        responsible_department=responsible_department,
        archivists=archivists,
    )
    with transaction.atomic():
        _clean_unit(unit)
        _save_unit(unit)
        audit_record(
            actor=actor,
            action="unit.create",
            obj=unit,
            after=_unit_state(unit),
            summary=f"新建立档单位 {unit.name}（全宗号 {unit.fonds_code}）",
        )
    return unit


def unit_update(*, actor: Any, unit_id: int, **fields: Any) -> Unit:
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise ValidationError(f"不能修改这些字段：{'、'.join(sorted(unknown))}")
    with transaction.atomic():
        unit = access_unit(actor, unit_id, Cap.USERS_MANAGE)
        before = _unit_state(unit)
        for name, value in fields.items():
            setattr(unit, name, value)
        _clean_unit(unit)
        after = _unit_state(unit)
        if after == before:
            return unit
        _save_unit(unit)
        audit_record(
            actor=actor,
            action="unit.update",
            obj=unit,
            before={k: v for k, v in before.items() if after[k] != v},
            after={k: v for k, v in after.items() if before[k] != v},
            summary=f"修改立档单位 {unit.name}",
        )
    return unit


def unit_set_active(*, actor: Any, unit_id: int, active: bool) -> Unit:
    with transaction.atomic():
        unit = access_unit(actor, unit_id, Cap.USERS_MANAGE)
        if unit.active == active:
            return unit
        unit.active = active
        unit.save(update_fields=["active"])
        audit_record(
            actor=actor,
            action="unit.activate" if active else "unit.deactivate",
            obj=unit,
            before={"active": not active},
            after={"active": active},
            summary=f"{'启用' if active else '停用'}立档单位 {unit.name}",
        )
    return unit


def unit_set_stationed_villages(*, actor: Any, unit_id: int, village_codes: list[str]) -> Unit:
    """驻点村 of a work team: villages of the team's own county (or its region, if higher)."""
    codes = sorted({c.strip() for c in village_codes if c.strip()})
    with transaction.atomic():
        unit = access_unit(actor, unit_id, Cap.USERS_MANAGE)
        if unit.kind != UnitKind.WORK_TEAM:
            raise ValidationError("只有驻村工作队可以设置驻点村。")
        area = unit.region_id[: CODE_LENGTH[Level.COUNTY]]
        strays = [c for c in codes if not c.startswith(area)]
        if strays:
            raise ValidationError(
                f"驻点村必须在本县范围内（{area}），以下不是：{'、'.join(strays)}"
            )
        villages = list(Region.objects.filter(code__in=codes, level=Level.VILLAGE))
        missing = sorted(set(codes) - {v.code for v in villages})
        if missing:
            raise ValidationError(f"以下代码不是已登记的村：{'、'.join(missing)}")
        before = sorted(unit.stationed_villages.values_list("code", flat=True))
        if before == codes:
            return unit
        unit.stationed_villages.set(villages)
        audit_record(
            actor=actor,
            action="unit.stationed_villages",
            obj=unit,
            before={"villages": before},
            after={"villages": codes},
            summary=f"设置 {unit.name} 的驻点村：{'、'.join(v.name for v in villages) or '无'}",
        )
    return unit
