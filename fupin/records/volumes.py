"""Volumes (案卷) after GB/T 11822: project documents bound together, listed and noted."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from fupin.accounts.access import access_unit
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_record
from fupin.records.models import RecordItem, Volume, VolumeEntry
from fupin.schedule import retention as retention_rule

VOLUME_CATEGORIES = ("KJ", "ZY")


def volume_create(
    *,
    actor: Any,
    unit_id: int,
    category: str,
    year: int,
    retention: str,
    project: str,
    title: str,
    item_ids: list[int],
) -> Volume:
    """Make a volume from items of one fonds; its retention is never shorter than theirs."""
    unit = access_unit(actor, unit_id, Cap.DATA_WRITE)
    if category not in VOLUME_CATEGORIES:
        raise ValidationError("只有科技、专业档案按卷整理。")
    if not project.strip() or not title.strip():
        raise ValidationError("请填写项目名称和案卷题名。")
    with transaction.atomic():
        items = list(
            RecordItem.objects.select_for_update()
            .filter(unit=unit, pk__in=item_ids)
            .order_by("date", "pk")
        )
        if not items or len(items) != len(set(item_ids)):
            raise ValidationError("请选择本全宗的文件组卷。")
        if any(i.category != category for i in items):
            raise ValidationError("案卷内的文件必须与案卷同一门类。")
        if VolumeEntry.objects.filter(item__in=items).exists():
            raise ValidationError("所选文件中有的已在其他案卷中。")
        longest = retention_rule.longest(i.retention for i in items)
        if (
            retention not in retention_rule.CODES
            or retention_rule.longer(retention, longest) != retention
        ):
            raise ValidationError("案卷的保管期限不能短于卷内文件的保管期限。")
        volume = volume_open(
            unit=unit,
            category=category,
            year=year,
            retention=retention,
            project=project.strip(),
            title=title.strip(),
        )
        page = volume_paginate(volume, items)
        code = volume.reference_code
        audit_record(
            actor=actor,
            action="records.volume_create",
            obj=volume,
            after={"code": code, "items": [i.pk for i in items], "pages": page},
            summary=f"组卷：{code} {volume.title}（{len(items)} 件，{page} 页）",
        )
    return volume


def volume_open(
    *, unit: Any, category: str, year: int, retention: str, project: str, title: str
) -> Volume:
    """The next volume number of its class, and its code. Callers check access and audit."""
    number = (
        Volume.objects.filter(
            unit=unit, category=category, year=year, retention=retention
        ).aggregate(m=Max("volume_number"))["m"]
        or 0
    ) + 1
    return Volume.objects.create(
        unit=unit,
        category=category,
        year=year,
        retention=retention,
        project=project,
        title=title,
        volume_number=number,
        reference_code=f"{unit.fonds_code}-{category}·{year}-{retention}-{number:04d}",
    )


def volume_paginate(volume: Volume, items: list[RecordItem]) -> int:
    """(Re)write the volume list in the given order with running page numbers; total pages."""
    VolumeEntry.objects.filter(volume=volume).delete()
    page = 1
    entries = []
    for seq, item in enumerate(items, start=1):
        entries.append(
            VolumeEntry(
                volume=volume, item=item, seq=seq, first_page=page, last_page=page + item.pages - 1
            )
        )
        page += item.pages
    VolumeEntry.objects.bulk_create(entries)
    return page - 1
