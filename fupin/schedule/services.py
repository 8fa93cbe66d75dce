"""Writes to the schedule: loading the annex, refining it, filing refinements one level up."""

from dataclasses import asdict
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from fupin.accounts.access import access_region, access_unit, user_scope
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_record
from fupin.filing.models import EDITABLE, FilingStatus
from fupin.filing.services import FilingKind, filing_decide, filing_submit
from fupin.regions.models import Level, Region
from fupin.schedule import retention
from fupin.schedule.annex import shipped
from fupin.schedule.models import ScheduleRow, ScheduleVersion
from fupin.schedule.selectors import BASE_REGION, can_author, rows_in_force, version_in_force

BASE_TITLE = "湖北省精准扶贫文件材料归档范围和保管期限表（鄂档〔2016〕25号附件）"
BASE_EFFECTIVE = date(2016, 3, 18)
REFINEMENT = FilingKind(
    noun="细化方案",
    submit_action="schedule.refinement_submit",
    decide_action="schedule.refinement_decide",
)


def annex_rows() -> list[dict[str, Any]]:
    return [asdict(row) for row in shipped()]


def schedule_load_annex(*, actor: Any) -> ScheduleVersion:
    """Load the provincial table once; later calls return the version already there."""
    if actor is not None and not user_scope(actor).everything:
        raise PermissionDenied("只有服务器管理员可以载入省级归档范围表。")
    base = {"owner_region_id": BASE_REGION, "parent": None, "effective_from": BASE_EFFECTIVE}
    existing = ScheduleVersion.objects.filter(**base).first()
    if existing is not None:
        return existing
    if not Region.objects.filter(code=BASE_REGION).exists():
        raise ValidationError(
            "请先导入行政区划：数据库中没有湖北省（42），无法载入省级归档范围表。"
        )
    try:
        with transaction.atomic():
            version = ScheduleVersion.objects.create(
                title=BASE_TITLE, status=FilingStatus.ACCEPTED, **base
            )
            fields = {f.name for f in ScheduleRow._meta.get_fields()}
            created = ScheduleRow.objects.bulk_create(
                [
                    ScheduleRow(version=version, **{k: v for k, v in row.items() if k in fields})
                    for row in annex_rows()
                ]
            )
            audit_record(
                actor=actor,
                action="schedule.load",
                obj=version,
                after={"rows": len(created), "effective_from": BASE_EFFECTIVE},
                summary=f"载入{BASE_TITLE}，共 {len(created)} 条",
            )
    except IntegrityError:
        # Another process loaded it at the same moment (schedule_one_base_per_date).
        return ScheduleVersion.objects.get(**base)
    return version


def _owner(actor: Any, owner_region: str, owner_unit: int | None) -> dict[str, Any]:
    scope = user_scope(actor)
    if owner_unit:
        unit = access_unit(actor, owner_unit, Cap.SCHEDULE_REFINE)
        if not scope.everything and unit.pk not in scope.unit_ids(Cap.SCHEDULE_REFINE):
            raise PermissionDenied("只有本单位的档案员可以细化本单位的归档范围。")
        return {"owner_unit": unit}
    region = access_region(actor, owner_region, Cap.SCHEDULE_REFINE)
    if region.level not in (Level.CITY, Level.COUNTY):
        raise ValidationError("只有市（州）、县（市、区）或单位可以细化归档范围。")
    if not scope.everything and region.code not in scope.prefixes(Cap.SCHEDULE_REFINE):
        raise PermissionDenied("只有本级扶贫办或档案局可以细化本地区的归档范围。")
    return {"owner_region": region}


def refinement_create(
    *,
    actor: Any,
    title: str,
    effective_from: date,
    owner_region: str = "",
    owner_unit: int | None = None,
) -> ScheduleVersion:
    owner = _owner(actor, owner_region, owner_unit)
    if not title.strip():
        raise ValidationError("请填写细化方案名称。")
    unit = owner.get("owner_unit")
    region_code = owner["owner_region"].code if "owner_region" in owner else ""
    parent = version_in_force(region_code=region_code, unit=unit, on=effective_from)
    if parent is None:
        raise ValidationError("省级归档范围表尚未载入，无法细化。")
    with transaction.atomic():
        version = ScheduleVersion.objects.create(
            title=title.strip(),
            parent=parent,
            effective_from=effective_from,
            status=FilingStatus.DRAFT,
            created_by=actor,
            **owner,
        )
        audit_record(
            actor=actor,
            action="schedule.refinement_create",
            obj=version,
            after={"title": version.title, "parent": parent.pk, "effective_from": effective_from},
            summary=f"新建归档范围细化方案“{version.title}”",
        )
    return version


def _editable(actor: Any, refinement_id: int) -> ScheduleVersion:
    version = ScheduleVersion.objects.select_for_update().filter(pk=refinement_id).first()
    if (
        version is None
        or version.parent_id is None
        or not (user_scope(actor).everything or can_author(actor, version))
    ):
        raise PermissionDenied("您不能修改这个细化方案。")
    if version.status not in EDITABLE:
        raise ValidationError("细化方案已报备案或已备案，不能再修改。")
    return version


def refinement_item_add(
    *,
    actor: Any,
    refinement_id: int,
    parent_row_id: int,
    scope_text: str,
    retention_options: list[str],
) -> ScheduleRow:
    scope_text = " ".join(scope_text.split())
    if not scope_text:
        raise ValidationError("请填写细化条目的归档范围。")
    with transaction.atomic():
        version = _editable(actor, refinement_id)
        in_force = rows_in_force(version.parent)
        row = next((r for r in in_force if r.pk == parent_row_id and not r.parent_row_id), None)
        if row is None:
            raise ValidationError("所选原条目不在该方案细化的版本中。")
        retention.require_not_shorter(row.retention_options, retention_options)
        options = retention.by_length(retention_options)
        # Numbering goes on after the sub-items already in force under the row (a city's 3.1
        # stays 3.1 in the county's table), so no two sub-items of a row share a number.
        siblings = [r.number for r in in_force if r.parent_row_id == row.pk]
        siblings += version.rows.filter(parent_row=row).values_list("number", flat=True)
        suffix = max((int(n.rpartition(".")[2]) for n in siblings), default=0) + 1
        last = version.rows.aggregate(m=Max("position"))["m"] or 0
        item = ScheduleRow.objects.create(
            version=version,
            parent_row=row,
            level=row.level,
            category=row.category,
            category_heading=row.category_heading,
            number=f"{row.number or '—'}.{suffix}",
            scope_text=scope_text,
            retention_text=retention.labels(options),
            retention_options=options,
            responsible_units=row.responsible_units,
            position=last + 1,
        )
        audit_record(
            actor=actor,
            action="schedule.item_add",
            obj=version,
            after={"row": item.pk, "under": row.pk, "scope": scope_text, "retention": options},
            summary=f"细化条目 {item.number}：{scope_text[:60]}",
        )
    return item


def refinement_item_remove(*, actor: Any, refinement_id: int, item_id: int) -> None:
    with transaction.atomic():
        version = _editable(actor, refinement_id)
        item = version.rows.filter(pk=item_id).first()
        if item is None:
            raise ValidationError("该条目不属于这个细化方案。")
        before = {"row": item.pk, "number": item.number, "scope": item.scope_text}
        item.delete()
        audit_record(
            actor=actor,
            action="schedule.item_remove",
            obj=version,
            before=before,
            summary=f"删除细化条目 {before['number']}",
        )


def refinement_submit(*, actor: Any, refinement_id: int) -> ScheduleVersion:
    with transaction.atomic():
        version = _editable(actor, refinement_id)
        if not version.rows.exists():
            raise ValidationError("细化方案至少要有一个条目才能报备案。")
        return filing_submit(actor=actor, filed=version, kind=REFINEMENT)


def refinement_decide(
    *, actor: Any, refinement_id: int, office: str, accept: bool, reason: str = ""
) -> ScheduleVersion:
    with transaction.atomic():
        version = ScheduleVersion.objects.select_for_update().filter(pk=refinement_id).first()
        return filing_decide(
            actor=actor, filed=version, kind=REFINEMENT, office=office, accept=accept, reason=reason
        )
