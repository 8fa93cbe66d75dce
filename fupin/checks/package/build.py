"""Building the transfer package: a BagIt bag (RFC 8493) that any archives can read without
this system.

    <bag>/bagit.txt, bag-info.txt
    <bag>/manifest-sha256.txt, manifest-sm3.txt       every payload file, both digests
    <bag>/tagmanifest-sha256.txt, tagmanifest-sm3.txt every tag file
    <bag>/metadata/mets.xml                           METS 1.12.1 + PREMIS 3: the whole package
    <bag>/metadata/catalogue.xlsx                     归档文件目录 and 案卷目录
    <bag>/metadata/four-property-report.json|.pdf     the transfer-stage 四性检测 report
    <bag>/metadata/说明.txt                           what is where, in Chinese
    <bag>/data/records/<档号>/metadata.json           each record's description and provenance
    <bag>/data/records/<档号>/NNN-<file name>         its original files, byte for byte
    <bag>/data/volumes/<档号>/volume.json             each volume (案卷) and its entries
    <bag>/data/households/<户编号>/household.json     each household file (一户一档)

Every original is streamed from storage (1 MiB at a time, two files at once) and its SHA-256
recomputed while it is copied: bytes that differ from the stored digest stop the build with the
record named. The SM3 line of a file is its stored SM3 value, which the SHA-256 match proves to
belong to these very bytes. The bag is made in a hidden sibling directory and renamed into
place at the end, so a build that is killed leaves no half-made package, and the next build
clears what it left."""

import json
import os
import shutil
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import Min, Prefetch
from django.utils import timezone

from fupin.checks.models import CheckRun, Stage
from fupin.checks.package.fixity import WORKERS, hash_stream
from fupin.checks.package.mets import Event, PackedFile, PackedGroup, PackedRecord, write_mets
from fupin.checks.printed import run_pdf
from fupin.checks.selectors import run_as_dict, run_blocking_reasons
from fupin.core.tabular import Book
from fupin.objects.digests import new_hasher
from fupin.objects.models import CaptureEvent, DigestAlgorithm
from fupin.records.models import ItemFile, RecordItem, Volume
from fupin.schedule import retention

ALGORITHMS = (DigestAlgorithm.SHA256, DigestAlgorithm.SM3)
# File names of the manifests, by algorithm (BagIt names them in lower case).
MANIFEST_NAME: dict[str, str] = {DigestAlgorithm.SHA256: "sha256", DigestAlgorithm.SM3: "sm3"}
BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
_UNSAFE = str.maketrans({c: "_" for c in '/\\:*?"<>|'})


class PackageError(ValidationError):
    """The package could not be built; the message names the record and the reason."""


def safe_name(text: str) -> str:
    """A path component that is the same on every system: no separators, no characters
    Windows refuses, no control characters, never '.' or '..'."""
    name = "".join(ch for ch in text if ch.isprintable()).translate(_UNSAFE).strip(" .")
    return name[:150] or "_"


def manifest_path(path: str) -> str:
    # RFC 8493 §2.1.3: CR, LF and % are percent-encoded in manifest lines.
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


@dataclass
class _Copy:
    record: RecordItem
    item_file: ItemFile
    target: Path
    packed: PackedFile


def _pk(value: Any) -> int:
    return int(value if isinstance(value, int) else value.pk)


def _records(
    items: Iterable[RecordItem | int], volumes: Iterable[Volume | int], households: Iterable[Any]
) -> tuple[list[RecordItem], list[Volume], list[Any]]:
    from fupin.households.models import Household

    household_list = list(
        Household.objects.filter(pk__in=[_pk(h) for h in households])
        .select_related("village", "file__volume")
        .prefetch_related("file__documents")
        .order_by("household_no")
    )
    volume_ids = {_pk(v) for v in volumes}
    volume_ids |= {h.file.volume_id for h in household_list if hasattr(h, "file")}
    volume_list = list(
        Volume.objects.filter(pk__in=volume_ids)
        .select_related("unit")
        .prefetch_related("entries__item")
        .order_by("reference_code")
    )
    ids = {_pk(i) for i in items}
    ids |= {e.item_id for v in volume_list for e in v.entries.all()}
    ids |= {d.item_id for h in household_list if hasattr(h, "file") for d in h.file.documents.all()}
    files = ItemFile.objects.select_related("object").prefetch_related("object__digests")
    records = list(
        RecordItem.objects.filter(pk__in=ids)
        .select_related("unit", "class_code", "box", "issued", "photo__group")
        .prefetch_related(Prefetch("files", queryset=files.order_by("position")), "parts")
        .order_by("unit_id", "year", "category", "retention", "class_code_id", "item_number", "pk")
    )
    return records, volume_list, household_list


def _record_folder(record: RecordItem) -> str:
    return f"data/records/{safe_name(record.reference_code or f'未编号-{record.pk}')}"


def _record_metadata(record: RecordItem, copies: list[_Copy]) -> dict[str, Any]:
    unit = record.unit
    photo = getattr(record, "photo", None)
    return {
        "档号": record.reference_code,
        "全宗号": unit.fonds_code,
        "全宗名称": unit.fonds_name,
        "立档单位": unit.name,
        "行政区划代码": unit.region_id,
        "门类": record.get_category_display(),
        "门类代码": record.category,
        "年度": record.year,
        "保管期限": retention.label(record.retention),
        "保管期限代码": record.retention,
        "机构（问题）": f"{record.class_code.code} {record.class_code.name}",
        "件号": record.item_number,
        "题名": record.title,
        "自拟题名": record.title_by_archivist,
        "文号": record.doc_number,
        "责任者": record.responsible,
        "日期": record.date.strftime("%Y%m%d"),
        "页数": record.pages,
        "密级": record.get_secrecy_display() if record.secrecy else "",
        "开放/控制": record.get_access_marking_display() if record.access_marking else "",
        "开放/控制理由": record.access_marking_reason or "",
        "事由": record.matter,
        "备注": record.notes,
        "盒号": record.box.box_number if record.box else None,
        "状态": record.get_status_display(),
        "归档时间": record.issued.issued_at.isoformat()
        if getattr(record, "issued", None)
        else None,
        "组成部分": [
            {"类型": p.get_kind_display(), "名称": p.title, "页数": p.pages}
            for p in record.parts.all()
        ],
        "照片": (
            {
                "组号": photo.group.group_number,
                "张号": photo.photo_number,
                "摄影者": photo.photographer,
                "摄影时间": photo.taken_at.isoformat() if photo.taken_at else None,
                "地点": photo.place,
                "人物": photo.people,
                "背景": photo.background,
                "文字说明": photo.caption,
            }
            if photo is not None
            else None
        ),
        "电子文件": [
            {
                "计算机文件名": c.item_file.filename,
                "包内路径": c.packed.path,
                "顺序": c.item_file.position,
                "格式": c.packed.format,
                "大小": c.packed.size,
                "页数": c.item_file.pages,
                "摘要": c.packed.digests,
            }
            for c in copies
        ],
    }


def _copy_one(copy: _Copy) -> None:
    """Stream one stored object into the bag, recomputing its SHA-256 on the way."""
    obj = copy.item_file.object
    label = f"{copy.record.reference_code or copy.record.title} 的 {copy.item_file.filename}"
    if not default_storage.exists(obj.storage_name):
        raise PackageError(f"{label} 在存储中找不到，不能打包。")
    copy.target.parent.mkdir(parents=True, exist_ok=True)
    with default_storage.open(obj.storage_name, "rb") as source, copy.target.open("wb") as out:
        digests, size = hash_stream(source, (DigestAlgorithm.SHA256,), out.write)
    if digests[DigestAlgorithm.SHA256] != obj.sha256 or size != obj.size:
        raise PackageError(
            f"{label} 的内容与登记的摘要不符（SHA-256 重新计算为 "
            f"{digests[DigestAlgorithm.SHA256]}，{size} 字节），已停止打包。"
        )


def _json_file(root: Path, path: str, data: Any, digests: dict[str, dict[str, str]]) -> int:
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    digests[path] = {alg: _digest(body, alg) for alg in ALGORITHMS}
    return len(body)


def _digest(body: bytes, algorithm: str) -> str:
    hasher = new_hasher(algorithm)
    hasher.update(body)
    return str(hasher.hexdigest())


def _clear_leftovers(dest: Path) -> None:
    """Remove what an earlier, killed build of this package left (its process is gone)."""
    for stale in dest.parent.glob(f".{dest.name}.building-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def package_build(
    *,
    items: Iterable[RecordItem | int],
    volumes: Iterable[Volume | int] = (),
    households: Iterable[Any] = (),
    meta: dict[str, Any],
    dest: Path | str,
) -> Path:
    """Build the package of these records (with the items of the volumes and household files)
    at `dest`, a directory that must not exist yet. `meta` carries "sender" (the transferring
    unit's name), optionally "receiver", "batch" (the batch's name, used as the package id),
    "note", and "check_run": the transfer-stage CheckRun of these records — when absent, the
    checks are run here with meta["actor"]. A failed check, a missing file or bytes differing
    from their digest refuse the build (PackageError, in Chinese); nothing is left behind."""
    dest = Path(dest)
    if dest.exists():
        raise PackageError(f"目标位置 {dest} 已存在，请换一个位置或先移走原有数据包。")
    records, volume_list, household_list = _records(items, volumes, households)
    if not records:
        raise PackageError("没有要打包的文件。")
    run = meta.get("check_run")
    if run is None:
        from fupin.checks.services import checks_run

        run = checks_run(actor=meta.get("actor"), stage=Stage.TRANSFER, items=records)
    if not isinstance(run, CheckRun):
        run = CheckRun.objects.get(pk=run)
    if not run.passed:
        reasons = "；".join(run_blocking_reasons(run))
        raise PackageError(f"四性检测未通过，不能打包：{reasons}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    _clear_leftovers(dest)
    work = dest.parent / f".{dest.name}.building-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        _build(work, records, volume_list, household_list, meta, run)
        work.rename(dest)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return dest


def _build(
    work: Path,
    records: list[RecordItem],
    volumes: list[Volume],
    households: list[Any],
    meta: dict[str, Any],
    run: CheckRun,
) -> None:
    now = timezone.now()
    captured = dict(
        CaptureEvent.objects.filter(
            object_id__in={f.object_id for r in records for f in r.files.all()}
        )
        .values("object_id")
        .annotate(first=Min("at"))
        .values_list("object_id", "first")
    )
    copies: dict[int, list[_Copy]] = {}
    folders: dict[int, str] = {}
    serial = 0
    for record in records:
        folder = _record_folder(record)
        if folder in folders.values():
            folder = f"{folder}-{record.pk}"
        folders[record.pk] = folder
        copies[record.pk] = []
        for item_file in record.files.all():
            serial += 1
            obj = item_file.object
            path = f"{folder}/{item_file.position:03d}-{safe_name(item_file.filename)}"
            stored = {d.algorithm: d.value for d in obj.digests.all()}
            if set(stored) != set(ALGORITHMS):
                raise PackageError(
                    f"{record.reference_code} 的 {item_file.filename} 没有完整的 SHA-256 与 SM3 "
                    "摘要记录，不能打包。"
                )
            events = [
                Event("fixity check", now, "打包时重新计算 SHA-256，与登记的摘要一致"),
            ]
            if obj.pk in captured:
                events.insert(
                    0, Event("capture", captured[obj.pk], f"系统接收电子文件 {item_file.filename}")
                )
            packed = PackedFile(
                id=f"F{serial}",
                path=path,
                filename=item_file.filename,
                size=obj.size,
                format=obj.format,
                mime=obj.mime,
                digests={alg: stored[alg] for alg in ALGORITHMS},
                events=events,
            )
            copies[record.pk].append(_Copy(record, item_file, work / path, packed))
    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="package") as pool:
        for _ in pool.map(_copy_one, [c for cs in copies.values() for c in cs]):
            pass
    payload: dict[str, dict[str, str]] = {
        c.packed.path: c.packed.digests for cs in copies.values() for c in cs
    }
    sizes = sum(c.packed.size for cs in copies.values() for c in cs)
    packed_records: list[PackedRecord] = []
    record_ids: dict[int, str] = {}
    for record in records:
        metadata_path = f"{folders[record.pk]}/metadata.json"
        sizes += _json_file(
            work, metadata_path, _record_metadata(record, copies[record.pk]), payload
        )
        events = []
        issued = getattr(record, "issued", None)
        if issued is not None:
            events.append(Event("accession", issued.issued_at, f"归档，档号 {issued.code} 固定"))
        events.append(
            Event(
                "transfer",
                now,
                f"由 {meta.get('sender', record.unit.name)} 移交"
                + (f"至 {meta['receiver']}" if meta.get("receiver") else ""),
            )
        )
        record_ids[record.pk] = f"R{record.pk}"
        packed_records.append(
            PackedRecord(
                id=f"R{record.pk}",
                label=record.reference_code or f"未编号-{record.pk}",
                title=record.display_title,
                creator=record.responsible,
                date=record.date.isoformat(),
                kind=record.get_category_display(),
                metadata_path=metadata_path,
                metadata_id=f"M{record.pk}",
                files=[c.packed for c in copies[record.pk]],
                events=events,
            )
        )
    groups = _groups(work, volumes, households, record_ids, payload)
    sizes += sum((work / g.metadata_path).stat().st_size for g in groups)
    _write_manifests(work, payload)
    metadata = work / "metadata"
    metadata.mkdir()
    sender = str(meta.get("sender") or records[0].unit.name)
    batch = str(meta.get("batch") or f"{records[0].unit.fonds_code}-{now:%Y%m%d%H%M%S}")
    with (metadata / "mets.xml").open("w", encoding="utf-8") as out:
        write_mets(
            out,
            objid=batch,
            label=f"{sender}移交的精准扶贫档案",
            sender=sender,
            created=now,
            records=packed_records,
            groups=groups,
        )
    _write_catalogue(metadata / "catalogue.xlsx", records, volumes)
    (metadata / "four-property-report.json").write_text(
        json.dumps(run_as_dict(run), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    (metadata / "four-property-report.pdf").write_bytes(run_pdf(run))
    (metadata / "说明.txt").write_text(README.format(sender=sender, batch=batch), encoding="utf-8")
    (work / "bagit.txt").write_text(BAGIT_TXT, encoding="utf-8")
    years = sorted({r.year for r in records})
    fonds = sorted({r.unit.fonds_code for r in records})
    info = [
        ("Source-Organization", sender),
        ("Bagging-Date", now.date().isoformat()),
        ("External-Identifier", batch),
        ("External-Description", f"{sender}移交的精准扶贫档案（{len(records)} 件）"),
        ("Payload-Oxum", f"{sizes}.{len(payload)}"),
        ("Bag-Software-Agent", "精准扶贫档案管理系统"),
        ("Fonds-Code", "、".join(fonds)),
        ("Record-Years", f"{years[0]}-{years[-1]}"),
        ("Record-Count", str(len(records))),
        ("Volume-Count", str(len(volumes))),
        ("Household-File-Count", str(len(households))),
        ("Original-File-Count", str(sum(len(c) for c in copies.values()))),
        ("Digest-Algorithms", "SHA-256, SM3 (GB/T 32905)"),
        (
            "Four-Property-Check",
            f"{run.get_stage_display()} #{run.pk}: {'passed' if run.passed else 'failed'}",
        ),
    ]
    if meta.get("receiver"):
        info.insert(1, ("Contact-Name", str(meta["receiver"])))
    if meta.get("note"):
        info.append(("Internal-Sender-Description", " ".join(str(meta["note"]).split())))
    (work / "bag-info.txt").write_text(
        "".join(f"{label}: {' '.join(value.split())}\n" for label, value in info), encoding="utf-8"
    )
    _write_tag_manifests(work)


def _groups(
    work: Path,
    volumes: list[Volume],
    households: list[Any],
    record_ids: dict[int, str],
    payload: dict[str, dict[str, str]],
) -> list[PackedGroup]:
    groups = []
    household_volumes = {h.file.volume_id: h for h in households if hasattr(h, "file")}
    for volume in volumes:
        entries = list(volume.entries.all())
        household = household_volumes.get(volume.pk)
        if household is not None:
            path = f"data/households/{safe_name(household.household_no)}/household.json"
            data: dict[str, Any] = {
                "户编号": household.household_no,
                "户主姓名": household.head_name,
                "村": f"{household.village_id} {household.village.name}",
                "人数": household.size,
                "贫困户属性": household.attribute,
                "主要致贫原因": household.main_cause,
                "状态": household.get_status_display(),
                "识别年度": household.identified_year,
                "脱贫年度": household.exit_year,
                "案卷档号": volume.reference_code,
                "材料": [
                    {"材料类型": d.number, "年度": d.year, "档号": d.item.reference_code}
                    for d in household.file.documents.select_related("item")
                ],
            }
            kind, label, group_id = (
                "household",
                f"{household.head_name}户（{household.household_no}）",
                f"H{household.pk}",
            )
        else:
            path = f"data/volumes/{safe_name(volume.reference_code)}/volume.json"
            data = {}
            kind, label, group_id = (
                "volume",
                f"{volume.reference_code} {volume.title}",
                f"V{volume.pk}",
            )
        data.update(
            {
                "案卷档号": volume.reference_code,
                "案卷题名": volume.title,
                "项目（或户）名称": volume.project,
                "门类": volume.get_category_display(),
                "年度": volume.year,
                "保管期限": retention.label(volume.retention),
                "案卷号": volume.volume_number,
                "全宗号": volume.unit.fonds_code,
                "本卷情况说明": volume.description,
                "立卷人": volume.arranger,
                "检查人": volume.checker,
                "开放/控制": volume.get_access_marking_display() if volume.access_marking else "",
                "卷内文件": [
                    {
                        "序号": e.seq,
                        "档号": e.item.reference_code,
                        "起页": e.first_page,
                        "止页": e.last_page,
                    }
                    for e in entries
                ],
            }
        )
        _json_file(work, path, data, payload)
        groups.append(
            PackedGroup(
                kind=kind,
                label=label,
                metadata_path=path,
                metadata_id=group_id,
                record_ids=[record_ids[e.item_id] for e in entries if e.item_id in record_ids],
            )
        )
    return groups


def _write_manifests(work: Path, payload: dict[str, dict[str, str]]) -> None:
    for algorithm in ALGORITHMS:
        with (work / f"manifest-{MANIFEST_NAME[algorithm]}.txt").open("w", encoding="utf-8") as out:
            for path in sorted(payload):
                out.write(f"{payload[path][algorithm]}  {manifest_path(path)}\n")


def _write_tag_manifests(work: Path) -> None:
    tags = sorted(
        p.relative_to(work).as_posix()
        for p in work.rglob("*")
        if p.is_file() and not p.relative_to(work).as_posix().startswith(("data/", "tagmanifest-"))
    )
    lines: dict[str, list[str]] = {alg: [] for alg in ALGORITHMS}
    for path in tags:
        body = (work / path).read_bytes()
        for algorithm in ALGORITHMS:
            lines[algorithm].append(f"{_digest(body, algorithm)}  {manifest_path(path)}\n")
    for algorithm in ALGORITHMS:
        (work / f"tagmanifest-{MANIFEST_NAME[algorithm]}.txt").write_text(
            "".join(lines[algorithm]), encoding="utf-8"
        )


def _write_catalogue(path: Path, records: list[RecordItem], volumes: list[Volume]) -> None:
    book = Book(streaming=True)
    sheet = book.sheet("归档文件目录")
    sheet.append(
        ["序号", "档号", "文号", "责任者", "题名", "日期", "密级", "页数", "备注",
         "全宗号", "年度", "保管期限", "门类", "开放/控制", "电子文件数"]
    )  # fmt: skip
    for n, r in enumerate(records, start=1):
        sheet.append(
            [
                n, r.reference_code, r.doc_number, r.responsible, r.display_title,
                r.date.strftime("%Y%m%d"), r.get_secrecy_display() if r.secrecy else "", r.pages,
                r.notes, r.unit.fonds_code, r.year, retention.label(r.retention),
                r.get_category_display(),
                r.get_access_marking_display() if r.access_marking else "", len(r.files.all()),
            ]
        )  # fmt: skip
    sheet = book.sheet("案卷目录")
    sheet.append(
        ["序号", "案卷档号", "案卷题名", "项目（或户）名称", "年度", "保管期限", "卷内件数"]
    )
    for n, v in enumerate(volumes, start=1):
        sheet.append(
            [n, v.reference_code, v.title, v.project, v.year, retention.label(v.retention),
             len(v.entries.all())]
        )  # fmt: skip
    book.save(path)


README = """精准扶贫档案移交数据包（{batch}）
移交单位：{sender}

本数据包按 BagIt（RFC 8493）组织，不需要本系统即可读取和核验：
- data/records/<档号>/ 下是每件文件的原始电子文件（逐字节原样）和 metadata.json
  （著录项、来源、摘要）；
- data/volumes/、data/households/ 下是案卷和一户一档的说明及卷内目录；
- metadata/mets.xml 是描述整个数据包的 METS 1.12.1 文档，内含每个电子文件的 PREMIS 3 对象
  （SHA-256 与 SM3 摘要、格式、大小）和事件（接收、固定性检查、归档、移交）；
- metadata/catalogue.xlsx 是归档文件目录和案卷目录；
- metadata/four-property-report.json 与 .pdf 是移交环节的四性检测报告；
- manifest-sha256.txt、manifest-sm3.txt 列出 data/ 下每个文件的摘要，
  tagmanifest-*.txt 列出其余文件的摘要；
- bag-info.txt 记载移交单位、全宗号、年度、数量和 Payload-Oxum（字节数.文件数）。
"""
