"""The transfer workflow (移交与接收进馆): plan, build, sign and send, accept or return.
Every write is atomic and audited; a build writes its package aside and renames it, so a
killed build or receipt leaves no half-made batch and can simply be run again."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from fupin.accounts.access import access_unit, user_scope
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_record
from fupin.checks.models import CheckRun, Outcome, Stage
from fupin.checks.package.build import PackageError
from fupin.checks.package.verify import package_verify
from fupin.checks.selectors import run_as_dict, run_blocking_reasons
from fupin.checks.services import checks_run
from fupin.core.problems import Problem, ProblemError
from fupin.households.models import HouseholdDocument, HouseholdFile, RelocationLink
from fupin.records.codes import render_code
from fupin.records.models import AccessMarking, ItemStatus, RecordItem, Volume, VolumeEntry
from fupin.records.services import records_mark_access
from fupin.regions.models import Unit, UnitKind
from fupin.regions.selectors import campaign_end
from fupin.transfer import package
from fupin.transfer.models import (
    OPEN_STATUSES,
    ArchivesFonds,
    Batch,
    BatchItem,
    BatchStatus,
    BatchVolume,
    Holding,
    Nature,
    SyncReceiving,
)
from fupin.transfer.selectors import (
    access_batch,
    can_receive,
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
    locked_only: bool = False,
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
    if locked_only:
        items = items.filter(status=ItemStatus.LOCKED)
        unlocked = VolumeEntry.objects.filter(volume=OuterRef("pk")).exclude(
            item__status=ItemStatus.LOCKED
        )
        volumes = volumes.exclude(Exists(unlocked))
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
    locked_only: bool = False,
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
            unit,
            years,
            list(categories),
            list(retentions),
            list(class_codes),
            households,
            locked_only,
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


def batch_mark(
    *,
    actor: Any,
    batch_id: int,
    marking: str,
    reason: str,
    item_ids: Iterable[int] = (),
    volume_ids: Iterable[int] = (),
) -> int:
    """Mark records of a planned batch 开放 or 控制 with the reason (records_mark_access)."""
    items, volumes = list(item_ids), list(volume_ids)
    if not items and not volumes:
        raise ValidationError("请勾选要划定开放或控制的档案。")
    with transaction.atomic():
        batch = _sender_batch(actor, batch_id, BatchStatus.PLANNED)
        if not set(items) <= set(batch.items.values_list("item_id", flat=True)) or not set(
            volumes
        ) <= set(batch.volumes.values_list("volume_id", flat=True)):
            raise ValidationError("所选档案中有不属于本批次的。")
        return records_mark_access(
            actor=actor, unit_id=batch.unit_id, marking=marking, reason=reason,
            item_ids=items, volume_ids=volumes,
        )  # fmt: skip


def batch_build_check(batch: Batch) -> None:
    """Refuse (with every record and reason) a batch that has blocked records."""
    item_ids = list(batch.items.values_list("item_id", flat=True))
    volume_ids = list(batch.volumes.values_list("volume_id", flat=True))
    found = transfer_blockers(item_ids, volume_ids, batch_id=batch.pk, checks=False)
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
    """同步接收: offer each synchronous unit's locked records to its archives — of `year`, or
    of every year up to last year not yet offered — as one planned batch per unit; a unit with
    nothing new is skipped. The workers run it daily (apps.py), so a year is offered as soon
    as its records are locked, and offered again only if its batch was cancelled or returned."""
    years = (year, year) if year else (0, timezone.localdate().year - 1)
    made = []
    for setting in SyncReceiving.objects.filter(enabled=True).select_related("unit"):
        try:
            made.append(
                batch_plan(
                    actor=actor,
                    unit_id=setting.unit_id,
                    years=years,
                    synchronous=True,
                    locked_only=True,
                )
            )
        except ValidationError:
            continue
    return made


def run_summary(run: CheckRun) -> list[dict[str, Any]]:
    """A run's results in short, kept on the batch for the 交接文据 (the full report stays in
    the run)."""
    return [
        {
            "code": r["code"],
            "property": r["property"],
            "label": r["title"],
            "ok": r["outcome"] != Outcome.FAILED,
            "outcome": r["outcome_label"],
            "failures": r["failures"][:50],
        }
        for r in run_as_dict(run)["results"]
    ]


def _run_problems(run: CheckRun, code: str, head: str) -> ProblemError:
    failures = [
        Problem(code, f"{f['record']}：{f['reason']}", "档号")
        for r in run_as_dict(run)["results"]
        for f in r["failures"]
    ]
    reasons = [Problem(code, line) for line in run_blocking_reasons(run)]
    return ProblemError(
        [Problem(code, f"{head}（检测记录 #{run.pk}）："), *reasons, *failures[:200]]
    )


def batch_build(*, actor: Any, batch_id: int) -> Batch:
    """Build the batch's package: the transfer-stage four-property checks run first (their
    report is kept even when they fail, and a failure refuses the build with every reason);
    then every file is copied and checked against its stored digests. The package is written
    aside and renamed, the batch saved in the same transaction: a killed build leaves the batch
    as it was, and building again clears what it left."""
    with transaction.atomic():
        batch = _sender_batch(actor, batch_id, BatchStatus.PLANNED, BatchStatus.BUILT)
        batch_build_check(batch)
        item_ids = list(batch.items.values_list("item_id", flat=True))
    run = checks_run(actor=actor, stage=Stage.TRANSFER, items=item_ids, unit=batch.unit)
    if not run.passed:
        raise _run_problems(run, "transfer.check_failed", "四性检测未通过，不能移交")
    with transaction.atomic():
        batch = _sender_batch(actor, batch_id, BatchStatus.PLANNED, BatchStatus.BUILT)
        if set(batch.items.values_list("item_id", flat=True)) != set(item_ids):
            raise ValidationError("检测期间批次内容有变动，请重新生成移交包。")
        try:
            path, digest, payload = package.batch_package_build(batch, run)
        except PackageError as exc:
            raise ProblemError(
                [Problem("transfer.package", m, "档号") for m in exc.messages]
            ) from exc
        batch.status = BatchStatus.BUILT
        batch.package_name = path.name
        batch.package_sha256 = digest
        batch.package_bytes = payload
        batch.digest_algorithms = "SHA-256、SM3"
        batch.checks = run_summary(run)
        batch.transfer_run = run
        batch.built_at = timezone.now()
        batch.save()
        audit_record(
            actor=actor,
            action="transfer.build",
            obj=batch,
            after={"package": batch.package_name, "sha256": digest, "bytes": payload,
                   "check_run": run.pk},
            summary=f"生成移交包 {batch.number}：{len(item_ids)} 件，{payload} 字节",
        )  # fmt: skip
    return batch


def _signature(leader: str, name: str, opinion: str) -> tuple[str, str, str]:
    leader, name, opinion = (" ".join(v.split()) for v in (leader, name, opinion))
    if not leader or not name:
        raise ValidationError("请填写单位负责人和经办人姓名。")
    return leader[:50], name[:50], opinion


def batch_send(*, actor: Any, batch_id: int, leader: str, name: str, opinion: str = "") -> Batch:
    """The sender signs the handover record (names, date, notes) and sends the built batch."""
    leader, name, opinion = _signature(leader, name, opinion)
    with transaction.atomic():
        batch = _sender_batch(actor, batch_id, BatchStatus.BUILT)
        batch.sender_leader, batch.sender_name, batch.sender_opinion = leader, name, opinion
        batch.sender_signed_at = batch.sent_at = timezone.now()
        batch.status = BatchStatus.SENT
        batch.save()
        audit_record(
            actor=actor,
            action="transfer.send",
            obj=batch,
            after={"leader": leader, "name": name, "opinion": opinion},
            summary=f"{batch.unit.name}签署并移交 {batch.number}（移交人 {name}）",
        )
    return batch


def _receiver_batch(actor: Any, batch_id: int) -> Batch:
    batch = access_batch(actor, batch_id)
    if not can_receive(actor, batch):
        raise PermissionDenied("只有接收档案馆的接收员可以办理接收。")
    batch = Batch.objects.select_for_update().select_related("unit", "archives").get(pk=batch.pk)
    if batch.status != BatchStatus.SENT:
        raise ValidationError(
            f"移交批次 {batch.number} {batch.get_status_display()}，不能再办理接收。"
        )
    return batch


@dataclass
class Receipt:
    """What the receipt check found: the stored run and each problem, in Chinese."""

    run: CheckRun
    problems: list[str]

    @property
    def ok(self) -> bool:
        return self.run.passed and not self.problems


def batch_receipt_check(*, actor: Any, batch_id: int) -> Receipt:
    """Re-run the receipt-stage checks on what actually arrived, trusting nothing in the
    package: package_verify recomputes both digests of every byte and compares the package
    digest recorded at sending; the catalogue must hold exactly the batch's records. The run
    is kept (and its short form on the batch) whatever it found."""
    batch = access_batch(actor, batch_id)
    if not can_receive(actor, batch):
        raise PermissionDenied("只有接收档案馆的接收员可以办理接收。")
    if batch.status != BatchStatus.SENT:
        raise ValidationError(
            f"移交批次 {batch.number} {batch.get_status_display()}，不能再办理接收。"
        )
    bag = package.package_path(batch.package_name)
    report = package_verify(bag, expected_digest=batch.package_sha256)
    problems = [p.message for p in report.problems]
    item_ids = list(batch.items.values_list("item_id", flat=True))
    if report.ok:
        expected = {
            str(code)
            for code in RecordItem.objects.filter(pk__in=item_ids).values_list(
                "reference_code", flat=True
            )
        }
        arrived = {str(r.get("档号")) for r in package.package_records(bag)}
        missing, extra = sorted(expected - arrived), sorted(arrived - expected)
        if missing:
            problems.append(f"移交包缺少批次中的档案：{'、'.join(missing[:20])}")
        if extra:
            problems.append(f"移交包含有批次以外的档案：{'、'.join(extra[:20])}")
    run = checks_run(
        actor=actor, stage=Stage.RECEIPT, items=item_ids, package=bag, unit=batch.archives,
        verified=report,
    )  # fmt: skip
    found = Receipt(run, problems)
    with transaction.atomic():
        Batch.objects.filter(pk=batch.pk).update(receipt_checks=run_summary(run), receipt_run=run)
        audit_record(
            actor=actor,
            action="transfer.receipt_check",
            obj=batch,
            after={"ok": found.ok, "check_run": run.pk, "problems": problems[:50]},
            summary=f"接收检测 {batch.number}：{'通过' if found.ok else '未通过'}",
        )
    return found


def archives_fonds(archives: Unit, *, actor: Any) -> ArchivesFonds:
    """The archives' independent fonds (精准扶贫档案), made on its first acceptance."""
    found = ArchivesFonds.objects.filter(archives=archives, is_default=True).first()
    if found:
        return found
    fonds = ArchivesFonds.objects.create(archives=archives, fonds_code=f"{archives.fonds_code}-JF")
    audit_record(
        actor=actor, action="transfer.fonds", obj=fonds,
        summary=f"{archives.name}设立独立全宗 {fonds.fonds_code} {fonds.name}",
    )  # fmt: skip
    return fonds


def _next_number(fonds: ArchivesFonds, kind: str, year: int, category: str, retention: str) -> int:
    taken = Holding.objects.filter(
        fonds=fonds, year=year, category=category, retention=retention,
        **{f"{kind}__isnull": False},
    ).aggregate(top=Max("number"))["top"]  # fmt: skip
    return (taken or 0) + 1


def take_in(batch: Batch, fonds: ArchivesFonds, now: Any) -> list[Holding]:
    """The batch's records into the archives' fonds: each gets the archives' 档号 (numbered on
    from what the fonds holds) and keeps its original 档号, fonds and unit."""
    holdings = []
    items = RecordItem.objects.filter(pk__in=batch.items.values("item_id")).select_related(
        "unit", "class_code"
    )
    counters: dict[tuple[str, int, str, str], int] = {}

    def number(kind: str, year: int, category: str, retention: str) -> int:
        key = (kind, year, category, retention)
        if key not in counters:
            counters[key] = _next_number(fonds, kind, year, category, retention) - 1
        counters[key] += 1
        return counters[key]

    for item in items.order_by("year", "category", "retention", "reference_code"):
        n = number("item", item.year, item.category, item.retention)
        holdings.append(
            Holding(
                fonds=fonds,
                batch=batch,
                item=item,
                year=item.year,
                category=item.category,
                retention=item.retention,
                number=n,
                archives_code=render_code(
                    fonds.code_template,
                    fonds=fonds.fonds_code,
                    category=item.category,
                    year=item.year,
                    retention=item.retention,
                    klass=item.class_code.code,
                    number=n,
                ),
                original_code=item.reference_code or "",
                original_fonds_code=item.unit.fonds_code,
                original_unit=item.unit,
                access_marking=item.access_marking or "controlled",
                accepted_at=now,
            )
        )
    for volume in Volume.objects.filter(pk__in=batch.volumes.values("volume_id")).order_by(
        "year", "category", "retention", "volume_number"
    ):
        n = number("volume", volume.year, volume.category, volume.retention)
        code = render_code(
            fonds.code_template.replace("{件号}", "J{件号}"), fonds=fonds.fonds_code,
            category=volume.category, year=volume.year, retention=volume.retention,
            klass="", number=n,
        )  # fmt: skip
        holdings.append(
            Holding(
                fonds=fonds,
                batch=batch,
                volume=volume,
                year=volume.year,
                category=volume.category,
                retention=volume.retention,
                number=n,
                archives_code=code,
                original_code=volume.reference_code,
                original_fonds_code=batch.unit.fonds_code,
                original_unit=batch.unit,
                access_marking=volume.access_marking or "controlled",
                accepted_at=now,
            )
        )
    return Holding.objects.bulk_create(holdings)


def batch_accept(*, actor: Any, batch_id: int, leader: str, name: str, opinion: str = "") -> Batch:
    """Accept a sent batch after re-checking what arrived: the records join the archives'
    independent fonds under its own 档号, keeping their original 档号, fonds and unit as
    provenance; custody moves (the sender reads them still, changes them no more)."""
    leader, name, opinion = _signature(leader, name, opinion)
    found = batch_receipt_check(actor=actor, batch_id=batch_id)
    if not found.ok:
        refused = _run_problems(
            found.run, "transfer.receipt_failed", "接收检测未通过，不能接收，请退回"
        )
        raise ProblemError(
            refused.problems[:1]
            + [Problem("transfer.receipt_failed", p) for p in found.problems[:200]]
            + refused.problems[1:]
        )
    with transaction.atomic():
        batch = _receiver_batch(actor, batch_id)
        fonds = archives_fonds(batch.archives, actor=actor)
        now = timezone.now()
        holdings = take_in(batch, fonds, now)
        batch.receiver_leader, batch.receiver_name, batch.receiver_opinion = leader, name, opinion
        batch.receiver_signed_at = batch.decided_at = now
        batch.status = BatchStatus.ACCEPTED
        batch.receipt_checks = run_summary(found.run)
        batch.receipt_run = found.run
        batch.save()
        after = {"fonds": fonds.fonds_code, "records": len(holdings), "receiver": name}
        audit_record(
            actor=actor, action="transfer.accept", obj=batch, after=after,
            summary=f"{batch.archives.name}接收 {batch.number}：{len(holdings)} 件（卷）进馆，"
            f"归入 {fonds.fonds_code} {fonds.name}",
        )  # fmt: skip
        audit_record(
            actor=actor, action="transfer.accept", object_type="transfer.batch",
            object_id=batch.pk, region_code=batch.archives.region_id, after=after,
            summary=f"接收{batch.unit.name}移交的 {batch.number}：{len(holdings)} 件（卷）",
        )  # fmt: skip
    return batch


def batch_return(
    *, actor: Any, batch_id: int, reason: str, record_reasons: dict[int, str] | None = None
) -> Batch:
    """Return a sent batch to its unit with a reason (and per record where needed)."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError("请填写退回理由。")
    with transaction.atomic():
        batch = _receiver_batch(actor, batch_id)
        per_record = {
            int(k): " ".join(str(v).split())[:300] for k, v in (record_reasons or {}).items()
        }
        rows = {r.item_id: r for r in batch.items.filter(item_id__in=list(per_record))}
        if set(rows) != set(per_record):
            raise ValidationError("逐件退回理由中有不属于本批次的文件。")
        for item_id, row in rows.items():
            row.return_reason = per_record[item_id]
        BatchItem.objects.bulk_update(rows.values(), ["return_reason"])
        batch.status = BatchStatus.RETURNED
        batch.return_reason = reason[:500]
        batch.decided_at = timezone.now()
        batch.save()
        for region in (batch.unit.region_id, batch.archives.region_id):
            audit_record(
                actor=actor, action="transfer.return", object_type="transfer.batch",
                object_id=batch.pk, region_code=region,
                after={"reason": reason, "records": per_record},
                summary=f"{batch.archives.name}退回 {batch.number}：{reason}",
            )  # fmt: skip
    return batch
