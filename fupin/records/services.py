"""Capturing, describing, arranging, boxing and archiving record items (DA/T 22-2015)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q

from fupin.accounts.access import access_unit, refuse_held
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_record
from fupin.records.codes import check_template, render_code
from fupin.records.models import (
    SCHEDULE_CATEGORY,
    AccessMarking,
    Box,
    CategoryCode,
    ClassCode,
    Facet,
    FondsSettings,
    IssuedCode,
    ItemStatus,
    RecordItem,
    Secrecy,
    Volume,
)
from fupin.regions.models import Level, Unit
from fupin.schedule import retention as retention_rule
from fupin.schedule.models import ScheduleLevel, ScheduleRow
from fupin.schedule.selectors import row_in_force, version_in_force

# The schedule level whose rows a unit files under.
UNIT_SCHEDULE_LEVEL = {
    Level.PROVINCE: ScheduleLevel.COUNTY,
    Level.CITY: ScheduleLevel.COUNTY,
    Level.COUNTY: ScheduleLevel.COUNTY,
    Level.TOWNSHIP: ScheduleLevel.TOWNSHIP,
    Level.VILLAGE: ScheduleLevel.VILLAGE,
}
DESCRIPTION_FIELDS = (
    "year",
    "category",
    "schedule_row_id",
    "retention",
    "class_code_id",
    "title",
    "title_by_archivist",
    "doc_number",
    "responsible",
    "date",
    "pages",
    "secrecy",
    "notes",
    "matter",
    "importance",
)
# Changing any of these moves the item to another class: its number no longer holds.
CLASS_FIELDS = ("year", "category", "retention", "class_code_id")


def _writable_unit(actor: Any, unit_id: int) -> Unit:
    return access_unit(actor, unit_id, Cap.DATA_WRITE)


def fonds_configure(*, actor: Any, unit_id: int, facet: str, code_template: str) -> FondsSettings:
    unit = _writable_unit(actor, unit_id)
    if facet not in Facet.values:
        raise ValidationError("分类方法只能是“机构”或“问题”。")
    check_template(code_template)
    with transaction.atomic():
        settings, _ = FondsSettings.objects.select_for_update().get_or_create(
            unit=unit, defaults={"facet": facet, "code_template": code_template}
        )
        used = RecordItem.objects.filter(unit=unit).exclude(class_code__facet=facet).exists()
        if settings.facet != facet and used:
            raise ValidationError("本全宗已有按另一种方法分类的文件，不能同时按机构和问题分类。")
        before = {"facet": settings.facet, "code_template": settings.code_template}
        settings.facet, settings.code_template = facet, code_template
        settings.save()
        audit_record(
            actor=actor,
            action="records.fonds_configure",
            obj=unit,
            before=before,
            after={"facet": facet, "code_template": code_template},
            summary=f"设置全宗 {unit.fonds_code} 的分类方法与档号格式",
        )
    return settings


def fonds_settings(unit: Unit) -> FondsSettings:
    found = FondsSettings.objects.filter(unit=unit).first()
    if found is None:
        raise ValidationError(f"请先为全宗 {unit.fonds_code} 设置分类方法（机构或问题）。")
    return found


def class_code_add(*, actor: Any, unit_id: int, code: str, name: str) -> ClassCode:
    unit = _writable_unit(actor, unit_id)
    settings = fonds_settings(unit)
    code, name = code.strip().upper(), name.strip()
    if not code.isascii() or not code.isalnum() or not name:
        raise ValidationError("代码只能由字母和数字组成，名称不能为空。")
    with transaction.atomic():
        try:
            with transaction.atomic():
                klass = ClassCode.objects.create(
                    unit=unit, facet=settings.facet, code=code, name=name
                )
        except IntegrityError as exc:
            raise ValidationError(f"代码 {code} 在本全宗已存在。") from exc
        audit_record(
            actor=actor,
            action="records.class_add",
            obj=unit,
            after={"code": code, "name": name, "facet": settings.facet},
            summary=f"全宗 {unit.fonds_code} 新增{settings.get_facet_display()} {code} {name}",
        )
    return klass


def _check_description(unit: Unit, data: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise a description; returns the model field values."""
    errors: list[str] = []
    title = " ".join(str(data.get("title", "")).split())
    if not title:
        errors.append("请填写题名。")
    if not str(data.get("responsible", "")).strip():
        errors.append("请填写责任者。")
    category = data.get("category")
    if category not in CategoryCode.values:
        errors.append("请选择门类。")
    date = data.get("date")
    if not isinstance(date, datetime.date):
        errors.append("请填写有效的日期。")
    year = int(data.get("year") or (date.year if isinstance(date, datetime.date) else 0))
    if isinstance(date, datetime.date) and year != date.year:
        errors.append(f"年度（{year}）与文件日期的年份（{date.year}）不一致。")
    pages = data.get("pages")
    if not isinstance(pages, int) or pages < 1:
        errors.append("页数必须是大于 0 的整数。")
    if data.get("secrecy", "") not in Secrecy.values:
        errors.append("密级无效。")
    klass = ClassCode.objects.filter(unit=unit, pk=int(data.get("class_code_id") or 0)).first()
    if klass is None:
        errors.append("请选择本全宗的机构（问题）。")
    version = version_in_force(unit=unit, on=date if isinstance(date, datetime.date) else None)
    row = _schedule_row(unit, version, data.get("schedule_row_id"), category, errors)
    retention = data.get("retention")
    if row is not None and (message := retention_rule.allowed_error(row, retention)):
        errors.append(message)
    if errors:
        raise ValidationError(errors)
    return {
        "year": year,
        "category": category,
        "schedule_row": row,
        "schedule_version": version,
        "retention": retention,
        "class_code": klass,
        "title": title,
        "title_by_archivist": bool(data.get("title_by_archivist")),
        "doc_number": str(data.get("doc_number", "")).strip(),
        "responsible": str(data["responsible"]).strip(),
        "date": date,
        "pages": pages,
        "secrecy": data.get("secrecy", ""),
        "notes": str(data.get("notes", "")).strip(),
        "matter": str(data.get("matter", "")).strip(),
        "importance": int(data.get("importance") or 0),
    }


def _schedule_row(
    unit: Unit, version: Any, row_id: Any, category: Any, errors: list[str]
) -> ScheduleRow | None:
    if version is None:
        errors.append("归档范围表尚未载入。")
        return None
    level = UNIT_SCHEDULE_LEVEL[Level(unit.region.level)]
    row = row_in_force(version, pk=row_id) if str(row_id or "").isdigit() else None
    if row is None:
        errors.append("请选择现行归档范围中的条目。")
    elif row.level != level:
        errors.append(f"本单位应使用“{ScheduleLevel(level).label}”的归档范围条目。")
    elif (
        category in CategoryCode.values
        and SCHEDULE_CATEGORY[CategoryCode(category)] != row.category
    ):
        errors.append(f"门类与归档范围条目（{row.get_category_display()}）不符。")
    return row


def _state(item: RecordItem) -> dict[str, Any]:
    return {f: getattr(item, f) for f in DESCRIPTION_FIELDS} | {
        "item_number": item.item_number,
        "reference_code": item.reference_code,
        "status": item.status,
    }


def item_create(*, actor: Any, unit_id: int, **data: Any) -> RecordItem:
    unit = _writable_unit(actor, unit_id)
    fonds_settings(unit)
    values = _check_description(unit, data)
    with transaction.atomic():
        item = RecordItem.objects.create(unit=unit, **values)
        audit_record(
            actor=actor,
            action="records.item_create",
            obj=item,
            after=_state(item),
            summary=f"著录：{item.display_title[:80]}",
        )
    return item


def _item_for_write(actor: Any, item_id: int) -> RecordItem:
    item = RecordItem.objects.select_for_update().select_related("unit").filter(pk=item_id).first()
    if item is None:
        raise ValidationError("该文件不存在。")
    _writable_unit(actor, item.unit_id)
    if item.status == ItemStatus.LOCKED:
        raise ValidationError(f"文件 {item.reference_code} 已归档，著录项和档号不能再修改。")
    return item


def item_update(*, actor: Any, item_id: int, **data: Any) -> RecordItem:
    with transaction.atomic():
        item = _item_for_write(actor, item_id)
        before = _state(item)
        values = _check_description(item.unit, before | data)
        for name, value in values.items():
            setattr(item, name, value)
        if any(before[f] != getattr(item, f) for f in CLASS_FIELDS):
            # Another class: the old number and code are free again (they were never locked).
            item.item_number, item.reference_code, item.status = None, None, ItemStatus.DRAFT
        item.save()
        audit_record(
            actor=actor,
            action="records.item_update",
            obj=item,
            before=before,
            after=_state(item),
            summary=f"修改著录：{item.display_title[:80]}",
        )
    return item


def item_delete(*, actor: Any, item_id: int) -> None:
    with transaction.atomic():
        item = _item_for_write(actor, item_id)
        before = _state(item)
        region, pk = item.unit.region_id, item.pk
        item.delete()
        audit_record(
            actor=actor,
            action="records.item_delete",
            object_type="records.recorditem",
            object_id=pk,
            region_code=region,
            before=before,
            summary=f"删除未归档文件：{before['title'][:80]}",
        )


@dataclass
class ArrangeReport:
    classes: int
    numbered: int
    kept: int

    def as_dict(self) -> dict[str, int]:
        return {"classes": self.classes, "numbered": self.numbered, "kept": self.kept}


def _in_filing_order(items: list[RecordItem]) -> list[RecordItem]:
    """Items of one matter (事由) stay together, matters in order of their first document;
    inside a matter by date, then importance. An item without a matter is a matter alone."""
    first: dict[str, datetime.date] = {}
    for item in items:
        if item.matter and (item.matter not in first or item.date < first[item.matter]):
            first[item.matter] = item.date

    def key(item: RecordItem) -> tuple:
        group = (first[item.matter], item.matter) if item.matter else (item.date, f"#{item.pk}")
        return (*group, item.date, -item.importance, item.pk)

    return sorted(items, key=key)


def items_arrange(*, actor: Any, unit_id: int, year: int) -> ArrangeReport:
    """Number every unlocked item of one year, class by class; archived items keep theirs and
    later additions take the numbers after the highest archived one."""
    unit = _writable_unit(actor, unit_id)
    template = fonds_settings(unit).code_template
    with transaction.atomic():
        # Photos are numbered by group and photo (DA/T 50) when they are captured, not here.
        items = list(
            RecordItem.objects.select_for_update()
            .filter(unit=unit, year=year)
            .exclude(category="ZP")
            .select_related("class_code")
        )
        classes: dict[tuple, list[RecordItem]] = defaultdict(list)
        for item in items:
            classes[(item.category, item.retention, item.class_code_id)].append(item)
        changed: list[RecordItem] = []
        kept = 0
        for members in classes.values():
            locked = [i for i in members if i.status == ItemStatus.LOCKED]
            kept += len(locked)
            start = max((i.item_number or 0 for i in locked), default=0)
            loose = _in_filing_order([i for i in members if i.status != ItemStatus.LOCKED])
            for number, item in enumerate(loose, start=start + 1):
                code = render_code(
                    template,
                    fonds=unit.fonds_code,
                    category=item.category,
                    year=year,
                    retention=item.retention,
                    klass=item.class_code.code,
                    number=number,
                )
                if (item.item_number, item.reference_code) != (number, code):
                    item.item_number, item.reference_code = number, code
                    item.status = ItemStatus.ARRANGED
                    changed.append(item)
        _renumber(changed)
        audit_record(
            actor=actor,
            action="records.arrange",
            obj=unit,
            after={"year": year, "classes": len(classes), "numbered": len(changed), "kept": kept},
            summary=f"全宗 {unit.fonds_code} {year} 年度整理编号：{len(changed)} 件重新编号",
        )
    return ArrangeReport(classes=len(classes), numbered=len(changed), kept=kept)


def _renumber(items: list[RecordItem]) -> None:
    """Two steps, so that swapping numbers never trips the uniqueness constraints midway; the
    second is one prepared UPDATE run for every item (bulk_update's CASE form is quadratic)."""
    if not items:
        return
    codes = [str(i.reference_code) for i in items]
    for start in range(0, len(codes), 5000):
        taken = IssuedCode.objects.filter(code__in=codes[start : start + 5000]).first()
        if taken is not None:
            raise ValidationError(f"档号 {taken.code} 已被归档文件使用过，不能重复使用。")
    ids = [i.pk for i in items]
    for start in range(0, len(ids), 5000):
        RecordItem.objects.filter(pk__in=ids[start : start + 5000]).update(
            item_number=None, reference_code=None
        )
    table = connection.ops.quote_name(RecordItem._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET item_number = %s, reference_code = %s, status = %s WHERE id = %s",
            [(i.item_number, i.reference_code, i.status, i.pk) for i in items],
        )


def items_lock(*, actor: Any, unit_id: int, item_ids: list[int]) -> int:
    """Archive (归档) items: their reference codes are fixed for ever and never issued again."""
    unit = _writable_unit(actor, unit_id)
    with transaction.atomic():
        items = list(RecordItem.objects.select_for_update().filter(unit=unit, pk__in=item_ids))
        if len(items) != len(set(item_ids)):
            raise ValidationError("所选文件中有不属于本全宗的文件。")
        unnumbered = [i for i in items if i.status == ItemStatus.DRAFT]
        if unnumbered:
            raise ValidationError(f"有 {len(unnumbered)} 件文件尚未整理编号，请先整理编号再归档。")
        todo = [i for i in items if i.status == ItemStatus.ARRANGED]
        IssuedCode.objects.bulk_create(IssuedCode(code=str(i.reference_code), item=i) for i in todo)
        RecordItem.objects.filter(pk__in=[i.pk for i in todo]).update(status=ItemStatus.LOCKED)
        audit_record(
            actor=actor,
            action="records.lock",
            obj=unit,
            after={"items": len(todo), "codes": [i.reference_code for i in todo][:200]},
            summary=f"全宗 {unit.fonds_code} 归档 {len(todo)} 件",
        )
    return len(todo)


def records_mark_access(
    *,
    actor: Any,
    unit_id: int,
    marking: str,
    reason: str,
    item_ids: list[int] | None = None,
    volume_ids: list[int] | None = None,
) -> int:
    """Mark items and volumes of one fonds 开放 or 控制, with the reason; returns how many."""
    unit = _writable_unit(actor, unit_id)
    reason = " ".join(reason.split())
    if marking not in AccessMarking.values:
        raise ValidationError("请选择“开放”或“控制”。")
    if not reason:
        raise ValidationError(f"请填写划为“{AccessMarking(marking).label}”的理由。")
    item_ids, volume_ids = list(item_ids or []), list(volume_ids or [])
    with transaction.atomic():
        items = RecordItem.objects.select_for_update().filter(unit=unit, pk__in=item_ids)
        volumes = Volume.objects.select_for_update().filter(unit=unit, pk__in=volume_ids)
        if items.count() != len(set(item_ids)) or volumes.count() != len(set(volume_ids)):
            raise ValidationError("所选档案中有不属于本全宗的。")
        refuse_held(items, "item")
        refuse_held(volumes, "volume")
        fields = {"access_marking": marking, "access_marking_reason": reason[:300]}
        marked = items.update(**fields) + volumes.update(**fields)
        label = AccessMarking(marking).label
        audit_record(
            actor=actor,
            action="records.mark_access",
            obj=unit,
            after={"marking": marking, "reason": reason, "items": item_ids, "volumes": volume_ids},
            summary=f"全宗 {unit.fonds_code} {marked} 件（卷）划为{label}：{reason}",
        )
    return marked


def items_box(
    *, actor: Any, unit_id: int, item_ids: list[int], box_number: int | None = None
) -> Box:
    """Put numbered items into a box; a box never mixes years, retention or classes."""
    unit = _writable_unit(actor, unit_id)
    with transaction.atomic():
        items = list(RecordItem.objects.select_for_update().filter(unit=unit, pk__in=item_ids))
        if not items or len(items) != len(set(item_ids)):
            raise ValidationError("请选择本全宗的文件装盒。")
        refuse_held(RecordItem.objects.filter(pk__in=item_ids), "item")
        if any(i.item_number is None for i in items):
            raise ValidationError("只有已编号的文件才能装盒。")
        keys = {(i.year, i.category, i.retention, i.class_code_id) for i in items}
        if len(keys) > 1:
            raise ValidationError("同一盒内不能混装不同年度、门类、保管期限或机构（问题）的文件。")
        year, category, retention, class_id = keys.pop()
        same_class = Q(
            unit=unit, year=year, category=category, retention=retention, class_code_id=class_id
        )
        if box_number is None:
            box_number = (
                Box.objects.filter(same_class).aggregate(m=Max("box_number"))["m"] or 0
            ) + 1
        box, _ = Box.objects.get_or_create(
            unit=unit,
            year=year,
            category=category,
            retention=retention,
            class_code_id=class_id,
            box_number=box_number,
        )
        RecordItem.objects.filter(pk__in=[i.pk for i in items]).update(box=box)
        audit_record(
            actor=actor,
            action="records.box",
            obj=box,
            after={"box": box_number, "items": sorted(i.item_number for i in items)},
            summary=f"装盒：{box}（{len(items)} 件）",
        )
    return box
