"""The transfer list (移交清单) and the handover record (档案交接文据) of a batch, as plain
values for fupin.printing (PDF) and its XLSX twins."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils import timezone

from fupin.objects.models import Category
from fupin.printing.forms import HandoverCount, TransferRow
from fupin.printing.lists import handover_pdf, transfer_list_pdf
from fupin.printing.pdf import chinese_date
from fupin.printing.xlsx import handover_xlsx, transfer_list_xlsx
from fupin.records.models import AccessMarking, ItemFile, RecordItem, Volume, VolumeEntry
from fupin.schedule import retention
from fupin.transfer.models import Batch, Holding


def _files(item_ids: list[int]) -> dict[int, tuple[int, int]]:
    rows = (
        ItemFile.objects.filter(item_id__in=item_ids)
        .values("item_id")
        .annotate(n=Count("pk"), size=Sum("object__size"))
    )
    return {r["item_id"]: (r["n"], r["size"] or 0) for r in rows}


def _marking(value: str | None) -> str:
    return AccessMarking(value).label if value else "未划定"


def transfer_rows(batch: Batch) -> list[TransferRow]:
    """Loose items one line each; a volume one line with its documents' files and bytes."""
    items = list(
        RecordItem.objects.filter(pk__in=batch.items.values("item_id")).order_by(
            "year", "category", "retention", "reference_code"
        )
    )
    files = _files([i.pk for i in items])
    in_volume = dict(VolumeEntry.objects.filter(item__in=items).values_list("item_id", "volume_id"))
    codes = dict(
        Holding.objects.filter(batch=batch, item__isnull=False).values_list(
            "item_id", "archives_code"
        )
    )
    rows: list[TransferRow] = []
    for item in items:
        if item.pk in in_volume:
            continue
        n, size = files.get(item.pk, (0, 0))
        note = f"馆藏档号 {codes[item.pk]}" if item.pk in codes else ""
        rows.append(
            TransferRow(
                len(rows) + 1,
                item.reference_code or "",
                "件",
                item.title,
                item.year,
                Category(item.category).label,
                retention.label(item.retention),
                item.pages,
                n,
                size,
                _marking(item.access_marking),
                note,
            )
        )
    for volume in Volume.objects.filter(pk__in=batch.volumes.values("volume_id")).order_by(
        "year", "category", "volume_number"
    ):
        inside = [i for i, v in in_volume.items() if v == volume.pk]
        n = sum(files.get(i, (0, 0))[0] for i in inside)
        size = sum(files.get(i, (0, 0))[1] for i in inside)
        pages = sum(i.pages for i in items if i.pk in inside)
        rows.append(
            TransferRow(
                len(rows) + 1,
                volume.reference_code,
                "卷",
                volume.title,
                volume.year,
                Category(volume.category).label,
                retention.label(volume.retention),
                pages,
                n,
                size,
                _marking(volume.access_marking),
                f"卷内 {len(inside)} 件",
            )
        )
    return rows


@dataclass
class _Tally:
    items: int = 0
    volumes: int = 0
    photos: int = 0
    size: int = 0
    boxes: set[int] = field(default_factory=set)


def handover_counts(batch: Batch) -> list[HandoverCount]:
    """件, 卷, 盒, 张 (photos) and bytes per 门类 and retention."""
    items = RecordItem.objects.filter(pk__in=batch.items.values("item_id"))
    sizes = _files(list(items.values_list("pk", flat=True)))
    found: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
    for pk, category, kept, box in items.values_list("pk", "category", "retention", "box_id"):
        line = found[(category, kept)]
        line.items += 1
        line.photos += category == Category.ZP
        line.size += sizes.get(pk, (0, 0))[1]
        if box:
            line.boxes.add(box)
    volumes = Volume.objects.filter(pk__in=batch.volumes.values("volume_id"))
    for category, kept in volumes.values_list("category", "retention"):
        found[(category, kept)].volumes += 1
    return [
        HandoverCount(
            Category(category).label,
            retention.label(kept),
            t.items,
            t.volumes,
            len(t.boxes),
            t.photos,
            t.size,
        )
        for (category, kept), t in sorted(found.items())
    ]


def _checks_text(checks: list[dict]) -> str:
    if not checks:
        return "尚未检测"
    return "；".join(
        f"{c['property']}·{c['label']}：{'通过' if c['ok'] else '未通过'}" for c in checks
    )


def handover_fields(batch: Batch) -> list[tuple[str, str]]:
    """Every field of the 档案交接文据 (DA/T 9, with the electronic records' additions)."""
    counts = handover_counts(batch)
    years = list(
        RecordItem.objects.filter(pk__in=batch.items.values("item_id")).values_list(
            "year", flat=True
        )
    )
    span = f"{min(years)}—{max(years)}年" if years else "—"
    total = (
        f"{sum(c.items for c in counts)} 件、{sum(c.volumes for c in counts)} 卷、"
        f"{sum(c.boxes for c in counts)} 盒、{sum(c.photos for c in counts)} 张，"
        f"电子文件 {sum(c.size for c in counts)} 字节"
    )
    sent = timezone.localtime(batch.sender_signed_at).date() if batch.sender_signed_at else None
    taken = (
        timezone.localtime(batch.receiver_signed_at).date() if batch.receiver_signed_at else None
    )
    fields = [
        ("移交单位", f"{batch.unit.name}（全宗号 {batch.unit.fonds_code}）"),
        ("接收单位", batch.archives.name),
        ("批次号", batch.number),
        ("交接性质", batch.nature),
        ("档案所属年度", span),
        ("门类与数量", total),
        ("所附目录", f"档案移交清单 {len(transfer_rows(batch))} 条"),
        ("载体与方式", "电子档案以 BagIt 移交包在线移交；纸质档案、照片随清单实体移交"),
        ("数据量", f"{batch.package_bytes} 字节"),
        ("摘要算法", batch.digest_algorithms or "SHA-256、SM3"),
        ("移交包摘要值", f"SHA-256 {batch.package_sha256}" if batch.package_sha256 else "尚未生成"),
        ("四性检测（移交）", _checks_text(batch.checks)),
        ("四性检测（接收）", _checks_text(batch.receipt_checks)),
    ]
    if batch.early_reason:
        fields.append(("提前移交理由", batch.early_reason))
    fields += [
        ("移交单位负责人", batch.sender_leader),
        ("移交人", batch.sender_name),
        ("移交说明", batch.sender_opinion or "—"),
        ("移交日期", chinese_date(sent)),
        ("接收单位负责人", batch.receiver_leader),
        ("接收人", batch.receiver_name),
        (
            "接收意见",
            batch.receiver_opinion
            or (batch.return_reason and f"退回：{batch.return_reason}")
            or "—",
        ),
        ("接收日期", chinese_date(taken)),
    ]
    return fields


def list_pdf(batch: Batch) -> bytes:
    head = f"批次号：{batch.number}　移交单位：{batch.unit.name}　接收单位：{batch.archives.name}"
    return transfer_list_pdf(head, transfer_rows(batch))


def list_xlsx(batch: Batch) -> bytes:
    head = f"批次号：{batch.number}　移交单位：{batch.unit.name}　接收单位：{batch.archives.name}"
    return transfer_list_xlsx(head, transfer_rows(batch))


def record_pdf(batch: Batch) -> bytes:
    return handover_pdf(handover_fields(batch), handover_counts(batch))


def record_xlsx(batch: Batch) -> bytes:
    return handover_xlsx(handover_fields(batch), handover_counts(batch))
