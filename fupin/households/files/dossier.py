"""The household file (一户一档): documents filed by checklist type, completeness kept current,
the exit acceptance that checks the archive, assistance officers, measures and yearly income."""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fupin.accounts.access import require_cap
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_record
from fupin.households.files import checklist
from fupin.households.files.checklist import BY_NUMBER, MeasureKind
from fupin.households.files.completeness import exit_lacking, files_refresh, this_year
from fupin.households.models import (
    AssistanceMeasure,
    AssistanceOfficer,
    Household,
    HouseholdDocument,
    HouseholdFile,
    OfficerLevel,
    RelocationLink,
    YearlyIncome,
)
from fupin.households.registry.selectors import access_household
from fupin.records.files import item_attach
from fupin.records.models import IMPLIED_CATEGORY, ClassCode, RecordItem
from fupin.records.services import item_create, item_delete
from fupin.records.volumes import volume_open, volume_paginate
from fupin.regions.models import Unit, UnitKind
from fupin.schedule import retention
from fupin.schedule.models import Category, ScheduleLevel, ScheduleRow
from fupin.schedule.selectors import rows_matching, version_in_force

RELOCATION_ROW = (ScheduleLevel.COUNTY, Category.PROFESSIONAL, "1")


def _writable_household(actor: Any, household_id: int) -> Household:
    household = access_household(actor, household_id)
    require_cap(actor, Cap.DATA_WRITE, household.village_id)
    return household


def _village_unit(household: Household) -> Unit:
    unit = (
        Unit.objects.filter(region_id=household.village_id, kind=UnitKind.VILLAGE_COMMITTEE)
        .order_by("pk")
        .first()
    )
    if unit is None:
        raise ValidationError("该村尚未登记村委会立档单位，请先由管理员登记单位后再建档。")
    return unit


def _annex_rows(unit: Unit, on: datetime.date) -> dict[int, ScheduleRow]:
    """The household file's rows (by checklist number) in the schedule in force for the village's
    unit: each document is filed under its row, and keeps and is classed as the row says."""
    rows = rows_matching(
        version_in_force(unit=unit, on=on), parent_row__isnull=True, **checklist.ANNEX_SECTION
    )
    return {int(r.number): r for r in rows if r.number.isdigit() and int(r.number) in BY_NUMBER}


def _file_of(
    actor: Any, household: Household, unit: Unit, year: int, rows: dict[int, ScheduleRow]
) -> HouseholdFile:
    found = HouseholdFile.objects.select_for_update().filter(household=household).first()
    if found:
        return found
    # One volume holds every type, so it keeps as long as the longest of their rows.
    volume = volume_open(
        unit=unit,
        category=IMPLIED_CATEGORY[checklist.ANNEX_SECTION["category"]],
        year=household.identified_year or year,
        retention=retention.unchosen(rows.values()),
        project=f"{household.head_name}户",
        title=f"{household.village.name}{household.head_name}户精准扶贫档案",
    )
    made = HouseholdFile.objects.create(household=household, volume=volume)
    audit_record(
        actor=actor,
        action="households.file_open",
        obj=household,
        after={"volume": volume.reference_code},
        summary=f"建立一户一档：{household.head_name}户 {volume.reference_code}",
    )
    return made


def _class_code_id(unit: Unit) -> int:
    klass = ClassCode.objects.filter(unit=unit).order_by("code").first()
    if klass is None:
        raise ValidationError(
            f"{unit.name}的全宗尚未设置机构（问题）分类，请先在“文件整理”中添加后再挂接材料。"
        )
    return klass.pk


def _repaginate(file: HouseholdFile) -> None:
    """Checklist order inside the volume: by type as printed in the annex, then by year."""
    items = [d.item for d in file.documents.select_related("item").order_by("number", "year", "pk")]
    volume_paginate(file.volume, items)


def household_document_add(
    *,
    actor: Any,
    household_id: int,
    number: int,
    date: datetime.date,
    pages: int,
    title: str = "",
    responsible: str = "",
    stream: BinaryIO | None = None,
    filename: str = "",
) -> HouseholdDocument:
    """File a document of checklist type `number` (its year is the document's year)."""
    household = _writable_household(actor, household_id)
    if number not in BY_NUMBER:
        raise ValidationError("请选择一户一档材料类型（1–15）。")
    if not isinstance(date, datetime.date):
        raise ValidationError("请填写有效的文件日期。")
    unit = _village_unit(household)
    doc_type = BY_NUMBER[number]
    rows = _annex_rows(unit, date)
    if number not in rows:
        raise ValidationError("现行归档范围中找不到该类材料的条目，请先载入归档范围表。")
    row = rows[number]
    with transaction.atomic():
        Household.objects.select_for_update().filter(pk=household.pk).first()
        file = _file_of(actor, household, unit, date.year, rows)
        item = item_create(
            actor=actor,
            unit_id=unit.pk,
            category=IMPLIED_CATEGORY[row.category],
            schedule_row_id=row.pk,
            retention=retention.unchosen([row]),
            class_code_id=_class_code_id(unit),
            title=title.strip() or f"{household.head_name}户{doc_type.name}",
            responsible=responsible.strip() or unit.name,
            date=date,
            pages=pages,
            matter=f"{household.household_no}",
        )
        if stream is not None:
            item_attach(actor=actor, item_id=item.pk, stream=stream, filename=filename)
        document = HouseholdDocument.objects.create(
            file=file, item=item, number=number, year=date.year
        )
        _repaginate(file)
        files_refresh([household.pk])
        audit_record(
            actor=actor,
            action="households.document_add",
            obj=household,
            after={"type": number, "year": date.year, "item": item.pk},
            summary=f"{household.head_name}户档案挂接：{doc_type.name}（{date.year}年）",
        )
    return document


def household_document_remove(*, actor: Any, household_id: int, document_id: int) -> None:
    """Take a wrongly filed document out again (undo); an archived (locked) one stays."""
    household = _writable_household(actor, household_id)
    with transaction.atomic():
        document = (
            HouseholdDocument.objects.select_related("item", "file")
            .filter(pk=document_id, file__household=household)
            .first()
        )
        if document is None:
            raise ValidationError("该材料不在本户档案中。")
        file, item_id = document.file, document.item_id
        number, year = document.number, document.year
        document.delete()
        item = RecordItem.objects.get(pk=item_id)
        item.volume_entry.delete()
        item_delete(actor=actor, item_id=item_id)
        _repaginate(file)
        files_refresh([household.pk])
        audit_record(
            actor=actor,
            action="households.document_remove",
            obj=household,
            before={"type": number, "year": year, "item": item_id},
            summary=f"{household.head_name}户档案撤下：{BY_NUMBER[number].name}（{year}年）",
        )


def household_exit_accept(*, actor: Any, household_id: int) -> HouseholdFile:
    """脱贫验收 with the archive check (同步验收): refused while exit documents are missing."""
    household = access_household(actor, household_id)
    require_cap(actor, Cap.EXIT_ACCEPT, household.village_id)
    if household.status not in checklist.EXITED_STATUSES:
        raise ValidationError("该户尚未脱贫，不能进行脱贫验收。")
    lacking = exit_lacking(household)
    if lacking:
        names = "、".join(n.label for n in lacking)
        raise ValidationError(f"脱贫档案不全，不能验收。缺少：{names}。")
    with transaction.atomic():
        file = HouseholdFile.objects.select_for_update().get(household=household)
        if file.exit_accepted_year:
            raise ValidationError(f"该户已于{file.exit_accepted_year}年通过脱贫验收。")
        file.exit_accepted_year = household.exit_year or this_year()
        file.exit_accepted_at = timezone.now()
        file.exit_accepted_by = actor
        file.save()
        audit_record(
            actor=actor,
            action="households.exit_accept",
            obj=household,
            after={"year": file.exit_accepted_year},
            summary=f"{household.head_name}户脱贫验收（档案齐全）",
        )
    return file


def household_relocation_link(*, actor: Any, household_id: int, item_id: int) -> RelocationLink:
    """Link the county's relocation file (县级专业 1) of this household's county."""
    household = _writable_household(actor, household_id)
    item = (
        RecordItem.objects.select_related("schedule_row", "unit")
        .filter(pk=item_id, unit__region__code__startswith=household.village_id[:6])
        .first()
    )
    row = item.schedule_row if item else None
    if item is None or row is None or (row.level, row.category, row.number) != RELOCATION_ROW:
        raise ValidationError("只能关联本县的易地扶贫搬迁户档案（县级专业文件材料第1条）。")
    if not AssistanceMeasure.objects.filter(
        household=household, kind=MeasureKind.RELOCATION
    ).exists():
        raise ValidationError("该户没有易地扶贫搬迁措施，不能关联搬迁档案。")
    with transaction.atomic():
        link, made = RelocationLink.objects.get_or_create(household=household, item=item)
        if not made:
            raise ValidationError("该搬迁档案已关联到本户。")
        audit_record(
            actor=actor,
            action="households.relocation_link",
            obj=household,
            after={"item": item_id},
            summary=f"{household.head_name}户关联易地搬迁档案：{item.display_title[:60]}",
        )
    return link


def household_officer_add(
    *,
    actor: Any,
    household_id: int,
    name: str,
    unit_name: str,
    unit_level: str,
    start_date: datetime.date,
    phone: str = "",
) -> AssistanceOfficer:
    """A new officer ends the current one the day before (a change adds a row)."""
    household = _writable_household(actor, household_id)
    if not name.strip() or not unit_name.strip():
        raise ValidationError("请填写帮扶责任人姓名和工作单位。")
    if unit_level not in OfficerLevel.values:
        raise ValidationError("请选择帮扶责任人的单位层级。")
    with transaction.atomic():
        current = household.officers.filter(end_date__isnull=True).select_for_update()
        for officer in current:
            if officer.start_date >= start_date:
                raise ValidationError("新帮扶责任人的开始日期须晚于现任责任人的开始日期。")
            officer.end_date = start_date - datetime.timedelta(days=1)
            officer.save(update_fields=["end_date"])
        officer = AssistanceOfficer.objects.create(
            household=household,
            name=name.strip(),
            unit_name=unit_name.strip(),
            unit_level=unit_level,
            phone=phone.strip(),
            start_date=start_date,
        )
        audit_record(
            actor=actor,
            action="households.officer_add",
            obj=household,
            after={"name": officer.name, "unit": officer.unit_name, "from": str(start_date)},
            summary=f"{household.head_name}户帮扶责任人：{officer.name}（{officer.unit_name}）",
        )
    return officer


def _money(value: Any, label: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else 0))
    except InvalidOperation:
        raise ValidationError(f"{label}必须是数字。") from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(f"{label}必须是不小于 0、最多两位小数的金额。")
    return amount


def household_measure_add(
    *,
    actor: Any,
    household_id: int,
    kind: str,
    year: int,
    project: str,
    scale: str = "",
    funds: Any = 0,
    deadline: datetime.date | None = None,
) -> AssistanceMeasure:
    household = _writable_household(actor, household_id)
    if kind not in {k.value for k in MeasureKind}:
        raise ValidationError("请选择帮扶措施类别。")
    if not project.strip():
        raise ValidationError("请填写帮扶项目。")
    if not 2000 <= int(year) <= this_year() + 1:
        raise ValidationError("措施年度无效。")
    with transaction.atomic():
        measure = AssistanceMeasure.objects.create(
            household=household,
            kind=kind,
            year=int(year),
            project=project.strip(),
            scale=scale.strip(),
            funds=_money(funds, "资金"),
            deadline=deadline,
        )
        files_refresh([household.pk])
        audit_record(
            actor=actor,
            action="households.measure_add",
            obj=household,
            after={"kind": kind, "year": measure.year, "project": measure.project},
            summary=f"{household.head_name}户帮扶措施：{checklist.MEASURE_LABELS[MeasureKind(kind)]}"
            f" {measure.project}",
        )
    return measure


INCOME_FIELDS = {
    "wages": "工资性收入",
    "business": "经营性收入",
    "transfers": "转移性收入",
    "property": "财产性收入",
    "expenses": "生产经营性支出",
}


def household_income_set(
    *, actor: Any, household_id: int, year: int, **amounts: Any
) -> YearlyIncome:
    """Record (or correct) a year's income accounting; the net and per-capita follow from it."""
    household = _writable_household(actor, household_id)
    values = {name: _money(amounts.get(name), label) for name, label in INCOME_FIELDS.items()}
    net = values["wages"] + values["business"] + values["transfers"] + values["property"]
    net = (net - values["expenses"]).quantize(Decimal("0.01"))
    per_capita = (net / household.size).quantize(Decimal("0.01"))
    with transaction.atomic():
        before = YearlyIncome.objects.filter(household=household, year=year).first()
        income, _ = YearlyIncome.objects.update_or_create(
            household=household,
            year=year,
            defaults={**values, "net_income": net, "per_capita": per_capita},
        )
        audit_record(
            actor=actor,
            action="households.income_set",
            obj=household,
            before={"net": str(before.net_income)} if before else None,
            after={"year": year, "net": str(net), "per_capita": str(per_capita)},
            summary=f"{household.head_name}户{year}年收入核算：人均纯收入 {per_capita} 元",
        )
    return income
