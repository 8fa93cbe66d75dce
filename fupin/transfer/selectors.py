"""Reads of transfer batches and holdings, through the access layer; what blocks a record
from being transferred."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from fupin.accounts.access import user_scope, visible_units
from fupin.accounts.roles import Cap
from fupin.checks.selectors import failing_items
from fupin.objects.selectors import object_verify
from fupin.records.models import ItemFile, ItemStatus, RecordItem, Volume, VolumeEntry
from fupin.regions.models import Unit, UnitKind
from fupin.scans.models import JobStatus, ScanJob
from fupin.transfer.models import OPEN_STATUSES, Batch, BatchItem, BatchVolume, Holding
from fupin.use.selectors import items_in_use, items_on_loan

SENDER = ("unit", "unit__region__code")
RECEIVER = ("archives", "archives__region__code")


def held_item_ids_q(kind: str, field: str = "pk") -> Q:
    """The custody source the access layer consults: rows an archives has taken in."""
    column = "item_id" if kind == "item" else "volume_id"
    held = Holding.objects.filter(**{f"{column}__isnull": False}).values(column)
    return Q(**{f"{field}__in": held})


def items_in_open_transfer(item_ids: Iterable[int] | None = None) -> QuerySet:
    """Ids of items in unfinished batches (planned, built or sent), optionally of these items.
    Destruction refuses them (fupin.disposal.blockers)."""
    rows = BatchItem.objects.filter(batch__status__in=OPEN_STATUSES)
    if item_ids is not None:
        rows = rows.filter(item_id__in=list(item_ids))
    return rows.values_list("item_id", flat=True).distinct()


def visible_batches(actor: Any) -> QuerySet[Batch]:
    """Batches the actor sends (their unit in write scope) or receives (the archives in
    receiving scope)."""
    scope = user_scope(actor)
    found = Batch.objects.select_related("unit", "archives", "unit__region")
    if scope.everything:  # an empty Q would vanish from the `|` below
        return found
    q = scope.unit_q(Cap.DATA_WRITE, *SENDER) | scope.unit_q(Cap.RECEIVE, *RECEIVER)
    q |= scope.unit_q(Cap.DATA_READ, *SENDER) & Q(status__in=["accepted", "returned"])
    return found.filter(q)


def incoming_batches(actor: Any) -> QuerySet[Batch]:
    q = user_scope(actor).unit_q(Cap.RECEIVE, *RECEIVER)
    return Batch.objects.filter(q).select_related("unit", "archives")


def access_batch(actor: Any, batch_id: int) -> Batch:
    batch = visible_batches(actor).filter(pk=batch_id).first()
    if batch is None:
        raise Http404("未找到该移交批次，或不在您的管辖范围内。")
    return batch


def can_send(actor: Any, batch: Batch) -> bool:
    return user_scope(actor).covers_unit(Cap.DATA_WRITE, batch.unit)


def can_receive(actor: Any, batch: Batch) -> bool:
    return user_scope(actor).covers_unit(Cap.RECEIVE, batch.archives)


def batch_items(batch: Batch) -> QuerySet[RecordItem]:
    return RecordItem.objects.filter(pk__in=batch.items.values("item_id")).select_related(
        "unit", "class_code", "box"
    )


def batch_volumes(batch: Batch) -> QuerySet[Volume]:
    return Volume.objects.filter(pk__in=batch.volumes.values("volume_id")).select_related("unit")


@dataclass
class Blockers:
    """Per record, each reason it cannot go yet, in Chinese."""

    items: dict[int, list[str]] = field(default_factory=dict)
    volumes: dict[int, list[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.items or self.volumes)

    def add(self, item_id: int, reason: str) -> None:
        self.items.setdefault(item_id, []).append(reason)

    def count(self) -> int:
        return len(self.items) + len(self.volumes)


def transfer_blockers(
    item_ids: list[int],
    volume_ids: list[int],
    *,
    batch_id: int | None = None,
    fixity: bool = True,
    checks: bool = True,
) -> Blockers:
    """What keeps each record from going: not locked, files missing or failing fixity, open
    loans or use grants, OCR still running, no open/controlled marking, a failed four-property
    check, already in another unfinished batch or already in an archives. `checks=False` leaves
    out the last run's failures (the build runs the checks afresh)."""
    found = Blockers()
    items = list(RecordItem.objects.filter(pk__in=item_ids))
    for item in items:
        if item.status != ItemStatus.LOCKED:
            found.add(item.pk, "尚未归档（未锁定）")
        if item.destroyed_at:
            found.add(item.pk, "已销毁")
        if not item.access_marking:
            found.add(item.pk, "未划定开放或控制")
    files = ItemFile.objects.filter(item_id__in=item_ids).select_related("object")
    for f in files.prefetch_related("object__digests"):
        if fixity:
            result = object_verify(f.object)
            if not result.ok:
                found.add(f.item_id, f"电子文件《{f.filename}》：{result.reason}")
    for item_id, why in items_on_loan(item_ids).items():
        found.add(item_id, why)
    for item_id, why in items_in_use(item_ids, timezone.now()).items():
        found.add(item_id, why)
    running = ScanJob.objects.filter(
        item_id__in=item_ids, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
    ).values_list("item_id", flat=True)
    for item_id in set(running):
        found.add(item_id, "扫描件正在进行文字识别，请待完成后再移交")
    others = BatchItem.objects.filter(item_id__in=item_ids, batch__status__in=OPEN_STATUSES)
    if batch_id is not None:
        others = others.exclude(batch_id=batch_id)
    for item_id, number in others.values_list("item_id", "batch__number"):
        found.add(item_id, f"已在未完成的移交批次 {number} 中")
    for item_id in Holding.objects.filter(item_id__in=item_ids).values_list("item_id", flat=True):
        found.add(item_id, "已移交进馆")
    for item_id, why in (failing_items(item_ids) if checks else {}).items():
        found.add(item_id, why)
    for volume in Volume.objects.filter(pk__in=volume_ids):
        reasons = []
        if not volume.access_marking:
            reasons.append("案卷未划定开放或控制")
        if Holding.objects.filter(volume=volume).exists():
            reasons.append("案卷已移交进馆")
        if not VolumeEntry.objects.filter(volume=volume).exists():
            reasons.append("案卷内没有文件")
        if reasons:
            found.volumes[volume.pk] = reasons
    return found


def transfer_status(actor: Any, unit_ids: Iterable[int] | None = None) -> QuerySet[Batch]:
    """Batches of the units an actor reads (for the sender's overview)."""
    q = user_scope(actor).unit_q(Cap.DATA_READ, *SENDER)
    found = Batch.objects.filter(q)
    if unit_ids is not None:
        found = found.filter(unit_id__in=list(unit_ids))
    return found


def holdings_of(batch: Batch) -> QuerySet[Holding]:
    return batch.holdings.select_related("item", "volume", "original_unit", "fonds")


def batch_volume_rows(batch: Batch) -> QuerySet[BatchVolume]:
    return batch.volumes.select_related("volume")


def visible_holdings(actor: Any) -> QuerySet[Holding]:
    """Records taken in: the archives' receivers see their fonds, the sending units (and those
    reading their region) their own records' place in it."""
    scope = user_scope(actor)
    found = Holding.objects.select_related("fonds", "batch", "item", "volume", "original_unit")
    if scope.everything:
        return found
    q = scope.unit_q(Cap.RECEIVE, "fonds__archives", "fonds__archives__region__code")
    q |= scope.unit_q(Cap.DATA_READ, "original_unit", "original_unit__region__code")
    return found.filter(q)


def sendable_units(actor: Any) -> QuerySet[Unit]:
    """Units whose records the actor may plan to transfer."""
    return (
        visible_units(actor, Cap.DATA_WRITE)
        .exclude(kind=UnitKind.ARCHIVES)
        .order_by("region_id", "name")
    )


@dataclass
class PlanRow:
    """One record of a batch as the batch page shows it."""

    kind: str  # "件" or "卷"
    pk: int
    code: str
    title: str
    year: int
    marking: str
    marking_reason: str
    in_volume: str
    blockers: list[str]
    return_reason: str


def batch_rows(batch: Batch, *, blockers: bool) -> list[PlanRow]:
    """The batch's records with, while it is being prepared, what blocks each."""
    item_rows = {r.item_id: r for r in batch.items.all()}
    volume_rows = {r.volume_id: r for r in batch.volumes.all()}
    found = (
        transfer_blockers(list(item_rows), list(volume_rows), batch_id=batch.pk)
        if blockers
        else Blockers()
    )
    in_volume = dict(
        VolumeEntry.objects.filter(item_id__in=list(item_rows)).values_list(
            "item_id", "volume__reference_code"
        )
    )
    rows = [
        PlanRow("卷", v.pk, v.reference_code, v.title, v.year, v.access_marking or "",
                v.access_marking_reason or "", "", found.volumes.get(v.pk, []),
                volume_rows[v.pk].return_reason)
        for v in Volume.objects.filter(pk__in=list(volume_rows)).order_by("year", "reference_code")
    ]  # fmt: skip
    rows += [
        PlanRow("件", i.pk, i.reference_code or "未编号", i.display_title, i.year,
                i.access_marking or "", i.access_marking_reason or "", in_volume.get(i.pk, ""),
                found.items.get(i.pk, []), item_rows[i.pk].return_reason)
        for i in RecordItem.objects.filter(pk__in=list(item_rows)).order_by(
            "year", "category", "retention", "reference_code", "pk"
        )
    ]  # fmt: skip
    return rows
