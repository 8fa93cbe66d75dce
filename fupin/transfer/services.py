"""The transfer workflow (移交与接收进馆): plan, build, sign and send, accept or return.
Every write is atomic and audited; a build writes its package aside and renames it, so a
killed build or receipt leaves no half-made batch and can simply be run again."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from fupin.accounts.access import access_unit, user_scope
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_record
from fupin.core.problems import Problem, ProblemError
from fupin.households.models import HouseholdDocument, HouseholdFile, RelocationLink
from fupin.records.models import AccessMarking, RecordItem, Volume, VolumeEntry
from fupin.records.services import records_mark_access
from fupin.regions.models import Unit, UnitKind
from fupin.regions.selectors import campaign_end
from fupin.transfer.models import (
    OPEN_STATUSES,
    Batch,
    BatchItem,
    BatchStatus,
    BatchVolume,
    Nature,
    SyncReceiving,
)
from fupin.transfer.selectors import (
    access_batch,
    can_send,
    held_item_ids_q,
    transfer_blockers,
)

PERSONAL_REASON = "含个人信息（一户一档），默认控制"


def archives_for(unit: Unit) -> Unit:
    """The county's 综合档案馆 that receives a unit's records."""
    county = unit.region_id[:6]
    found = list(
        Unit.objects.filter(kind=UnitKind.ARCHIVES, active=True, region_id=county).order_by("pk")
    )
    if not found:
        raise ValidationError(
            f"{unit.name}所在县尚未登记综合档案馆（立档单位类别为“综合档案馆”），无法移交。"
        )
    return found[0]


def is_early(unit: Unit, today: date | None = None) -> bool:
    """提前移交: before the campaign has ended where the unit is (policy section 四)."""
    end = campaign_end(unit.region_id)
    return end is None or end.ended_on > (today or timezone.localdate())


def _personal_q() -> Q:
    return Exists(HouseholdDocument.objects.filter(item=OuterRef("pk"))) | Exists(
        RelocationLink.objects.filter(item=OuterRef("pk"))
    )


def _selected(
    unit: Unit,
    years: tuple[int, int] | None,
    categories: list[str],
    retentions: list[str],
    class_codes: list[str],
    households: bool,
) -> tuple[list[int], list[int]]:
    # Records already taken in, or in another unfinished batch, are not offered again.
    moving = BatchItem.objects.filter(batch__status__in=OPEN_STATUSES)
    volumes = Volume.objects.filter(unit=unit).exclude(held_item_ids_q("volume"))
    volumes = volumes.exclude(
        pk__in=BatchVolume.objects.filter(batch__status__in=OPEN_STATUSES).values("volume_id")
    )
    items = RecordItem.objects.filter(unit=unit, destroyed_at__isnull=True)
    items = items.exclude(held_item_ids_q("item")).exclude(pk__in=moving.values("item_id"))
    if years:
        volumes = volumes.filter(year__gte=years[0], year__lte=years[1])
        items = items.filter(year__gte=years[0], year__lte=years[1])
    if categories:
        volumes = volumes.filter(category__in=categories)
        items = items.filter(category__in=categories)
    if retentions:
        volumes = volumes.filter(retention__in=retentions)
        items = items.filter(retention__in=retentions)
    if class_codes:
        items = items.filter(class_code__code__in=class_codes)
        volumes = volumes.filter(entries__item__class_code__code__in=class_codes).distinct()
    if not households:
        volumes = volumes.exclude(Exists(HouseholdFile.objects.filter(volume=OuterRef("pk"))))
    volume_ids = list(volumes.values_list("pk", flat=True))
    in_volumes = VolumeEntry.objects.filter(volume_id__in=volume_ids).values_list("item_id")
    loose = items.exclude(Exists(VolumeEntry.objects.filter(item=OuterRef("pk"))))
    item_ids = sorted(
        set(loose.values_list("pk", flat=True))
        | set(RecordItem.objects.filter(pk__in=in_volumes).values_list("pk", flat=True))
    )
    return item_ids, volume_ids


def _default_controlled(actor: Any, unit: Unit, item_ids: list[int], volume_ids: list[int]) -> None:
    """Household files and records holding personal data go 控制 unless already marked."""
    items = list(
        RecordItem.objects.filter(pk__in=item_ids, access_marking__isnull=True)
        .filter(_personal_q())
        .values_list("pk", flat=True)
    )
    volumes = list(
        Volume.objects.filter(pk__in=volume_ids, access_marking__isnull=True)
        .filter(Exists(HouseholdFile.objects.filter(volume=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )
    if items or volumes:
        records_mark_access(
            actor=actor,
            unit_id=unit.pk,
            marking=AccessMarking.CONTROLLED,
            reason=PERSONAL_REASON,
            item_ids=items,
            volume_ids=volumes,
        )


def _number(unit: Unit) -> str:
    stem = f"YJ-{unit.fonds_code}-{timezone.localdate():%Y%m%d}"
    taken = Batch.objects.filter(number__startswith=stem).count()
    return f"{stem}-{taken + 1:02d}"


def batch_plan(
    *,
    actor: Any,
    unit_id: int,
    years: tuple[int, int] | None = None,
    categories: Iterable[str] = (),
    retentions: Iterable[str] = (),
    class_codes: Iterable[str] = (),
    households: bool = True,
    early_reason: str = "",
    nature: str = Nature.TRANSFER,
    synchronous: bool = False,
) -> Batch:
    """Plan a transfer of a unit's records (by year, 门类, retention and class; household files
    whole). The plan lists what blocks each record; building refuses while any is blocked."""
    unit = access_unit(actor, unit_id, Cap.DATA_WRITE)
    early_reason = " ".join(early_reason.split())
    if nature not in Nature.values:
        raise ValidationError("交接性质应为移交、寄存、征购或捐赠。")
    if years and years[0] > years[1]:
        raise ValidationError("起始年度不能晚于截止年度。")
    if is_early(unit) and not early_reason and not synchronous:
        raise ValidationError(
            "精准扶贫工作尚未结束（或上级尚未设定结束日期），提前移交须填写理由。"
        )
    archives = archives_for(unit)
    with transaction.atomic():
        item_ids, volume_ids = _selected(
            unit, years, list(categories), list(retentions), list(class_codes), households
        )
        if not item_ids and not volume_ids:
            raise ValidationError("按所选条件没有可移交的档案。")
        _default_controlled(actor, unit, item_ids, volume_ids)
        selection = {
            "years": list(years) if years else None,
            "categories": sorted(categories),
            "retentions": sorted(retentions),
            "class_codes": sorted(class_codes),
            "households": households,
        }
        batch = Batch.objects.create(
            number=_number(unit),
            unit=unit,
            archives=archives,
            nature=nature,
            selection=selection,
            early_reason=early_reason,
            synchronous=synchronous,
            planned_by=actor if getattr(actor, "pk", None) else None,
        )
        BatchItem.objects.bulk_create(BatchItem(batch=batch, item_id=i) for i in item_ids)
        BatchVolume.objects.bulk_create(BatchVolume(batch=batch, volume_id=v) for v in volume_ids)
        audit_record(
            actor=actor,
            action="transfer.plan",
            obj=batch,
            after={"items": len(item_ids), "volumes": len(volume_ids), **selection},
            summary=f"{unit.name}拟向{archives.name}移交：{len(item_ids)} 件、{len(volume_ids)} 卷"
            + (f"（提前移交：{early_reason}）" if early_reason else ""),
        )
    return batch


def _sender_batch(actor: Any, batch_id: int, *statuses: str) -> Batch:
    batch = access_batch(actor, batch_id)
    if not can_send(actor, batch):
        raise PermissionDenied("只有移交单位的档案员可以办理移交。")
    batch = Batch.objects.select_for_update().select_related("unit", "archives").get(pk=batch.pk)
    if statuses and batch.status not in statuses:
        raise ValidationError(
            f"移交批次 {batch.number} {batch.get_status_display()}，不能再办理此项。"
        )
    return batch


def batch_drop_blocked(*, actor: Any, batch_id: int) -> int:
    """Take the blocked records out of a plan (a volume's documents go with it)."""
    with transaction.atomic():
        batch = _sender_batch(actor, batch_id, BatchStatus.PLANNED)
        item_ids = list(batch.items.values_list("item_id", flat=True))
        volume_ids = list(batch.volumes.values_list("volume_id", flat=True))
        found = transfer_blockers(item_ids, volume_ids, batch_id=batch.pk)
        bad_volumes = set(found.volumes) | set(
            VolumeEntry.objects.filter(
                volume_id__in=volume_ids, item_id__in=list(found.items)
            ).values_list("volume_id", flat=True)
        )
        dropped_items = set(found.items) | set(
            VolumeEntry.objects.filter(volume_id__in=bad_volumes).values_list("item_id", flat=True)
        )
        batch.items.filter(item_id__in=dropped_items).delete()
        batch.volumes.filter(volume_id__in=bad_volumes).delete()
        audit_record(
            actor=actor,
            action="transfer.drop_blocked",
            obj=batch,
            after={"items": sorted(dropped_items), "volumes": sorted(bad_volumes)},
            summary=f"移交批次 {batch.number} 移出受阻档案 "
            f"{len(dropped_items)} 件、{len(bad_volumes)} 卷",
        )
    return len(dropped_items) + len(bad_volumes)


def batch_cancel(*, actor: Any, batch_id: int, reason: str) -> Batch:
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError("请填写撤销理由。")
    with transaction.atomic():
        batch = _sender_batch(actor, batch_id, BatchStatus.PLANNED, BatchStatus.BUILT)
        batch.status = BatchStatus.CANCELLED
        batch.save(update_fields=["status"])
        audit_record(
            actor=actor, action="transfer.cancel", obj=batch, after={"reason": reason},
            summary=f"撤销移交批次 {batch.number}：{reason}",
        )  # fmt: skip
    return batch


def batch_build_check(batch: Batch) -> None:
    """Refuse (with every record and reason) a batch that has blocked records."""
    item_ids = list(batch.items.values_list("item_id", flat=True))
    volume_ids = list(batch.volumes.values_list("volume_id", flat=True))
    found = transfer_blockers(item_ids, volume_ids, batch_id=batch.pk)
    if not found:
        return
    codes = dict(
        RecordItem.objects.filter(pk__in=list(found.items)).values_list("pk", "reference_code")
    )
    vcodes = dict(
        Volume.objects.filter(pk__in=list(found.volumes)).values_list("pk", "reference_code")
    )
    problems = [
        Problem("transfer.blocked", f"{codes.get(i) or '未编号'}：{'；'.join(r)}", "档号")
        for i, r in found.items.items()
    ] + [
        Problem("transfer.blocked", f"{vcodes.get(v)}：{'；'.join(r)}", "档号")
        for v, r in found.volumes.items()
    ]
    raise ProblemError(
        [
            Problem(
                "transfer.refused", f"有 {found.count()} 件（卷）档案不能移交，请处理或移出后重试："
            ),
            *problems,
        ]
    )


def sync_receiving_set(*, actor: Any, unit_id: int, enabled: bool) -> SyncReceiving:
    """同步接收: switch on for a unit, so each year's locked records are offered automatically."""
    unit = access_unit(actor, unit_id, Cap.DATA_READ)
    scope = user_scope(actor)
    if not (scope.covers_unit(Cap.DATA_WRITE, unit) or scope.has(Cap.RECEIVE)):
        raise PermissionDenied("只有本单位档案员或综合档案馆接收员可以设定同步接收。")
    archives = archives_for(unit)
    with transaction.atomic():
        setting, _ = SyncReceiving.objects.update_or_create(
            unit=unit, defaults={"archives": archives, "enabled": enabled}
        )
        audit_record(
            actor=actor, action="transfer.sync", obj=setting, after={"enabled": enabled},
            summary=f"{unit.name}{'开启' if enabled else '关闭'}同步接收（{archives.name}）",
        )  # fmt: skip
    return setting


def sync_offer(*, actor: Any = None, year: int | None = None) -> list[Batch]:
    """Offer each synchronous unit's locked records of a year (last year by default) to its
    archives: one planned batch per unit, skipped when nothing of that year is left."""
    year = year or timezone.localdate().year - 1
    made = []
    for setting in SyncReceiving.objects.filter(enabled=True).select_related("unit"):
        try:
            made.append(
                batch_plan(
                    actor=actor, unit_id=setting.unit_id, years=(year, year), synchronous=True
                )
            )
        except ValidationError:
            continue
    return made
