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

Every original is streamed from storage into the bag (each in one buffer fitted to it, up to 4
MiB; as many files at once as there are cores, largest first; a chunk of records at a time) and
its SHA-256 recomputed while it is copied: bytes that differ from the stored digest stop the
build with the record named. The SM3 line of a file is its stored SM3 value, which the SHA-256
match proves to belong to these very bytes. The originals are copied, never hard-linked to
storage: a package is handed on and may be changed where it lies (a tampered copy is how receipt
is tried out), and through a link the change would reach the kept original. The bag is made in a
hidden sibling directory and renamed into place at the end, so a build that is killed leaves no
half-made package, and the next build clears what it left."""

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
from django.db.models import Min
from django.db.models.functions import Coalesce
from django.utils import timezone

from fupin.checks.models import CheckRun, Stage
from fupin.checks.package.fixity import WORKERS, fitted_chunk, hash_file, hash_stream
from fupin.checks.package.mets import Event, MetsWriter, PackedFile, PackedGroup, PackedRecord
from fupin.checks.printed import run_pdf
from fupin.checks.selectors import run_as_dict, run_blocking_reasons
from fupin.core.tabular import Book
from fupin.objects.digests import new_hasher
from fupin.objects.models import CaptureEvent, Category, Digest, DigestAlgorithm
from fupin.records.models import (
    AccessMarking,
    ItemFile,
    ItemPart,
    ItemStatus,
    PartKind,
    RecordItem,
    Secrecy,
    Volume,
)
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


# The fields of a record the package carries, read as plain values: building for ten thousand
# records must not spend its time making model instances.
RECORD_FIELDS = (
    "id", "reference_code", "title", "title_by_archivist", "doc_number", "responsible", "date",
    "pages", "secrecy", "access_marking", "access_marking_reason", "matter", "notes",
    "category", "year", "retention", "item_number", "status", "unit_id", "unit__fonds_code",
    "unit__fonds_name", "unit__name", "unit__region_id", "class_code__code", "class_code__name",
    "box__box_number", "issued__issued_at", "issued__code", "photo__group__group_number",
    "photo__photo_number", "photo__photographer", "photo__taken_at", "photo__place",
    "photo__people", "photo__background", "photo__caption", "unit__kind", "class_code__facet",
    "schedule_row__level", "schedule_row__number", "schedule_row__category",
)  # fmt: skip
FILE_FIELDS = (
    "item_id", "position", "filename", "pages", "object_id", "object__sha256", "object__size",
    "object__format", "object__mime", "object__storage_name",
)  # fmt: skip
_CATEGORY = dict(Category.choices)
_SECRECY = dict(Secrecy.choices)
_MARKING = dict(AccessMarking.choices)
_STATUS = dict(ItemStatus.choices)
_PART = dict(PartKind.choices)


class _Record:
    """One record as values, with its files and parts."""

    def __init__(self, row: dict[str, Any]) -> None:
        self.row = row
        self.pk: int = row["id"]
        self.code: str = row["reference_code"] or ""
        self.files: list[dict[str, Any]] = []
        self.parts: list[dict[str, Any]] = []

    def __getitem__(self, key: str) -> Any:
        return self.row[key]

    @property
    def title(self) -> str:
        title = self.row["title"]
        return f"[{title}]" if self.row["title_by_archivist"] else title

    @property
    def label(self) -> str:
        return self.code or f"未编号-{self.pk}"


@dataclass
class _Copy:
    record: _Record
    file: dict[str, Any]
    target: Path
    packed: PackedFile


# Records are packed this many at a time: each chunk is read, copied, described and let go, so
# the build's memory does not grow with the batch (a large chunk size buys nothing but memory).
CHUNK_RECORDS = 500


def _pk(value: Any) -> int:
    return int(value if isinstance(value, int) else value.pk)


def _chunks(ids: list[int], size: int = CHUNK_RECORDS) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _selection(
    items: Iterable[RecordItem | int], volumes: Iterable[Volume | int], households: Iterable[Any]
) -> tuple[list[int], list[Volume], list[Any]]:
    """The records to pack (with the items of the volumes and household files), as their ids in
    the package's order, and the volumes and household files themselves."""
    from fupin.households.models import Household

    household_list = list(
        Household.objects.filter(pk__in=[_pk(h) for h in households])
        .select_related("village", "file__volume")
        .prefetch_related("file__documents__item")
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
    keys: list[tuple[Any, ...]] = []
    for chunk in _chunks(sorted(ids)):
        keys.extend(
            RecordItem.objects.filter(pk__in=chunk)
            .annotate(number=Coalesce("item_number", 0))
            .values_list(
                "unit_id", "year", "category", "retention", "class_code__code", "number", "id"
            )
        )
    keys.sort()
    return [key[-1] for key in keys], volume_list, household_list


def _load(chunk: list[int]) -> list[_Record]:
    """These records as values, in this order, with their files (and the files' stored digests
    and first capture) and parts."""
    records: dict[int, _Record] = {}
    for row in RecordItem.objects.filter(pk__in=chunk).values(*RECORD_FIELDS):
        records[row["id"]] = _Record(row)
    by_object: dict[int, list[dict[str, Any]]] = {}
    for row in ItemFile.objects.filter(item_id__in=chunk).values(*FILE_FIELDS):
        row["digests"] = {}
        records[row["item_id"]].files.append(row)
        by_object.setdefault(row["object_id"], []).append(row)
    for part in ItemPart.objects.filter(item_id__in=chunk).values(
        "item_id", "position", "kind", "title", "pages"
    ):
        records[part["item_id"]].parts.append(dict(part))
    for object_id, algorithm, value in Digest.objects.filter(
        object_id__in=list(by_object)
    ).values_list("object_id", "algorithm", "value"):
        for row in by_object[object_id]:
            row["digests"][algorithm] = value
    for object_id, first in (
        CaptureEvent.objects.filter(object_id__in=list(by_object))
        .values("object_id")
        .annotate(first=Min("at"))
        .values_list("object_id", "first")
    ):
        for row in by_object[object_id]:
            row["captured"] = first
    for record in records.values():
        record.files.sort(key=lambda f: f["position"])
        record.parts.sort(key=lambda p: p["position"])
    return [records[pk] for pk in chunk]


def _record_folder(record: _Record) -> str:
    return f"data/records/{safe_name(record.label)}"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _record_metadata(record: _Record, copies: list[_Copy]) -> dict[str, Any]:
    r = record
    photo = None
    if r["photo__photo_number"] is not None:
        photo = {
            "组号": r["photo__group__group_number"],
            "张号": r["photo__photo_number"],
            "摄影者": r["photo__photographer"],
            "摄影时间": _iso(r["photo__taken_at"]),
            "地点": r["photo__place"],
            "人物": r["photo__people"],
            "背景": r["photo__background"],
            "文字说明": r["photo__caption"],
        }
    return {
        "档号": r.code or None,
        "全宗号": r["unit__fonds_code"],
        "全宗名称": r["unit__fonds_name"],
        "立档单位": r["unit__name"],
        "立档单位类别代码": r["unit__kind"],
        "行政区划代码": r["unit__region_id"],
        "门类": _CATEGORY.get(r["category"], r["category"]),
        "门类代码": r["category"],
        "年度": r["year"],
        "保管期限": retention.label(r["retention"]),
        "保管期限代码": r["retention"],
        "机构（问题）": f"{r['class_code__code']} {r['class_code__name']}",
        "分类方法代码": r["class_code__facet"],
        # The schedule row (归档范围条目) by its level, 门类 and number in the annex.
        "归档范围条目": {
            "层级代码": r["schedule_row__level"],
            "门类代码": r["schedule_row__category"],
            "序号": r["schedule_row__number"],
        },
        "件号": r["item_number"],
        "题名": r["title"],
        "自拟题名": r["title_by_archivist"],
        "文号": r["doc_number"],
        "责任者": r["responsible"],
        "日期": r["date"].strftime("%Y%m%d"),
        "页数": r["pages"],
        "密级": _SECRECY.get(r["secrecy"], "") if r["secrecy"] else "",
        "开放/控制": _MARKING.get(r["access_marking"], "") if r["access_marking"] else "",
        "开放/控制理由": r["access_marking_reason"] or "",
        "事由": r["matter"],
        "备注": r["notes"],
        "盒号": r["box__box_number"],
        "状态": _STATUS.get(r["status"], r["status"]),
        "归档时间": _iso(r["issued__issued_at"]),
        "组成部分": [
            {"类型": _PART.get(p["kind"], p["kind"]), "名称": p["title"], "页数": p["pages"]}
            for p in r.parts
        ],
        "照片": photo,
        "电子文件": [
            {
                "计算机文件名": c.file["filename"],
                "包内路径": c.packed.path,
                "顺序": c.file["position"],
                "格式": c.packed.format,
                "大小": c.packed.size,
                "页数": c.file["pages"],
                "摘要": c.packed.digests,
            }
            for c in copies
        ],
    }


def _copy_one(copy: _Copy) -> None:
    """Stream one stored object into the bag, recomputing its SHA-256 on the way."""
    row = copy.file
    label = f"{copy.record.code or copy.record.title} 的 {row['filename']}"
    try:
        source = default_storage.open(row["object__storage_name"], "rb")
    except (FileNotFoundError, OSError) as exc:
        raise PackageError(f"{label} 在存储中找不到，不能打包。") from exc
    with source, copy.target.open("wb") as out:
        digests, size = hash_stream(
            source,
            (DigestAlgorithm.SHA256,),
            out.write,
            chunk_size=fitted_chunk(row["object__size"]),
        )
    if digests[DigestAlgorithm.SHA256] != row["object__sha256"] or size != row["object__size"]:
        raise PackageError(
            f"{label} 的内容与登记的摘要不符（SHA-256 重新计算为 "
            f"{digests[DigestAlgorithm.SHA256]}，{size} 字节），已停止打包。"
        )


def _copy_all(copies: list[_Copy]) -> None:
    """Copy the originals on every core, largest first so no core is left alone with a large
    file at the end. Nothing else runs meanwhile: the records' metadata, written after, is
    Python work that would keep the copying threads waiting for the GIL at every chunk."""
    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="package") as pool:
        copying = [
            pool.submit(_copy_one, c)
            for c in sorted(copies, key=lambda c: c.packed.size, reverse=True)
        ]
        try:
            for future in copying:
                future.result()
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise


_JSON = json.JSONEncoder(ensure_ascii=False, default=str)


def _json_body(data: dict[str, Any]) -> bytes:
    """One field a line, each value in compact form: as easy to read, and several times faster
    to make than json's indent= (which leaves its C encoder for a Python one)."""
    fields = ",\n".join(f"  {_JSON.encode(k)}: {_JSON.encode(v)}" for k, v in data.items())
    return f"{{\n{fields}\n}}\n".encode()


class _Manifests:
    """Both payload manifests, a line each as every file is written, and the payload's count
    and bytes for the Payload-Oxum."""

    def __init__(self, work: Path) -> None:
        self.out = {
            alg: (work / f"manifest-{MANIFEST_NAME[alg]}.txt").open("w", encoding="utf-8")
            for alg in ALGORITHMS
        }
        self.files = 0
        self.bytes = 0

    def add(self, path: str, digests: dict[str, str], size: int) -> None:
        for algorithm, out in self.out.items():
            out.write(f"{digests[algorithm]}  {manifest_path(path)}\n")
        self.files += 1
        self.bytes += size

    def close(self) -> None:
        for out in self.out.values():
            out.close()


def _json_file(root: Path, path: str, data: Any, manifests: _Manifests) -> None:
    """Write one metadata file (its folder made if new) and list it in the manifests."""
    body = _json_body(data)
    target = root / path
    try:
        target.write_bytes(body)
    except FileNotFoundError:
        target.parent.mkdir(parents=True)
        target.write_bytes(body)
    manifests.add(path, {alg: _digest(body, alg) for alg in ALGORITHMS}, len(body))


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
    ids, volume_list, household_list = _selection(items, volumes, households)
    if not ids:
        raise PackageError("没有要打包的文件。")
    run = meta.get("check_run")
    if run is None:
        from fupin.checks.services import checks_run

        run = checks_run(actor=meta.get("actor"), stage=Stage.TRANSFER, items=ids)
    if not isinstance(run, CheckRun):
        run = CheckRun.objects.get(pk=run)
    # The run must be of this batch: a passed run of other records proves nothing.
    if run.stage != Stage.TRANSFER or run.records != len(ids):
        raise PackageError(
            f"四性检测记录 #{run.pk} 不是本批 {len(ids)} 件文件的移交环节检测，不能据以打包。"
        )
    if not run.passed:
        reasons = "；".join(run_blocking_reasons(run))
        raise PackageError(f"四性检测未通过，不能打包：{reasons}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    _clear_leftovers(dest)
    work = dest.parent / f".{dest.name}.building-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        _build(work, ids, volume_list, household_list, meta, run)
        work.rename(dest)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return dest


def _build(
    work: Path,
    ids: list[int],
    volumes: list[Volume],
    households: list[Any],
    meta: dict[str, Any],
    run: CheckRun,
) -> None:
    """The records go through a chunk at a time (_load): their originals copied, then their
    metadata.json, manifest lines, METS sections and catalogue rows written, so that what is in
    memory is one chunk, whatever the size of the batch."""
    now = timezone.now()
    manifests = _Manifests(work)
    metadata = work / "metadata"
    metadata.mkdir()
    mets = MetsWriter(
        metadata / "mets.xml", {f"R{e.item_id}" for v in volumes for e in v.entries.all()}
    )
    catalogue = _Catalogue()
    serial = 0
    first: _Record | None = None
    years: set[int] = set()
    fonds: set[str] = set()
    try:
        for chunk in _chunks(ids):
            records = _load(chunk)
            first = first or records[0]
            folders: list[str] = []
            copies: list[list[_Copy]] = []
            for record in records:
                years.add(record["year"])
                fonds.add(record["unit__fonds_code"])
                folder = _record_folder(record)
                try:
                    (work / folder).mkdir(parents=True)
                except FileExistsError:  # another record's 档号 gives the same folder name
                    folder = f"{folder}-{record.pk}"
                    (work / folder).mkdir()
                folders.append(folder)
                copies.append([])
                for row in record.files:
                    serial += 1
                    packed = _packed_file(record, row, f"F{serial}", folder, now)
                    copies[-1].append(_Copy(record, row, work / packed.path, packed))
            _copy_all([c for cs in copies for c in cs])
            for record, folder, record_copies in zip(records, folders, copies, strict=True):
                for c in record_copies:
                    manifests.add(c.packed.path, c.packed.digests, c.packed.size)
                metadata_path = f"{folder}/metadata.json"
                _json_file(work, metadata_path, _record_metadata(record, record_copies), manifests)
                mets.add(_packed_record(record, record_copies, metadata_path, meta, now))
                catalogue.record(record)
        assert first is not None
        groups = _groups(work, volumes, households, manifests)
    except BaseException:
        mets.discard()
        catalogue.discard()
        raise
    finally:
        manifests.close()
    sender = str(meta.get("sender") or first["unit__name"])
    batch = str(meta.get("batch") or f"{first['unit__fonds_code']}-{now:%Y%m%d%H%M%S}")
    mets.finish(
        objid=batch, label=f"{sender}移交的精准扶贫档案", sender=sender, created=now, groups=groups
    )
    catalogue.save(metadata / "catalogue.xlsx", volumes)
    (metadata / "four-property-report.json").write_text(
        json.dumps(run_as_dict(run), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    (metadata / "four-property-report.pdf").write_bytes(run_pdf(run))
    (metadata / "说明.txt").write_text(README.format(sender=sender, batch=batch), encoding="utf-8")
    (work / "bagit.txt").write_text(BAGIT_TXT, encoding="utf-8")
    info = [
        ("Source-Organization", sender),
        ("Bagging-Date", now.date().isoformat()),
        ("External-Identifier", batch),
        ("External-Description", f"{sender}移交的精准扶贫档案（{len(ids)} 件）"),
        ("Payload-Oxum", f"{manifests.bytes}.{manifests.files}"),
        ("Bag-Software-Agent", "精准扶贫档案管理系统"),
        ("Fonds-Code", "、".join(sorted(fonds))),
        ("Record-Years", f"{min(years)}-{max(years)}"),
        ("Record-Count", str(len(ids))),
        ("Volume-Count", str(len(volumes))),
        ("Household-File-Count", str(len(households))),
        ("Original-File-Count", str(serial)),
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


def _packed_file(
    record: _Record, row: dict[str, Any], file_id: str, folder: str, now: Any
) -> PackedFile:
    stored = row["digests"]
    if set(stored) != set(ALGORITHMS):
        raise PackageError(
            f"{record.label} 的 {row['filename']} 没有完整的 SHA-256 与 SM3 摘要记录，不能打包。"
        )
    events = [Event("fixity check", now, "打包时重新计算 SHA-256，与登记的摘要一致")]
    if row.get("captured") is not None:
        events.insert(0, Event("capture", row["captured"], f"系统接收电子文件 {row['filename']}"))
    return PackedFile(
        id=file_id,
        path=f"{folder}/{row['position']:03d}-{safe_name(row['filename'])}",
        filename=row["filename"],
        size=row["object__size"],
        format=row["object__format"],
        mime=row["object__mime"],
        digests={alg: stored[alg] for alg in ALGORITHMS},
        events=events,
    )


def _packed_record(
    record: _Record, copies: list[_Copy], metadata_path: str, meta: dict[str, Any], now: Any
) -> PackedRecord:
    events = []
    if record["issued__issued_at"] is not None:
        events.append(
            Event(
                "accession",
                record["issued__issued_at"],
                f"归档，档号 {record['issued__code']} 固定",
            )
        )
    events.append(
        Event(
            "transfer",
            now,
            f"由 {meta.get('sender', record['unit__name'])} 移交"
            + (f"至 {meta['receiver']}" if meta.get("receiver") else ""),
        )
    )
    return PackedRecord(
        id=f"R{record.pk}",
        label=record.label,
        title=record.title,
        creator=record["responsible"],
        date=record["date"].isoformat(),
        kind=_CATEGORY.get(record["category"], record["category"]),
        metadata_path=metadata_path,
        metadata_id=f"M{record.pk}",
        files=[c.packed for c in copies],
        events=events,
    )


def _groups(
    work: Path,
    volumes: list[Volume],
    households: list[Any],
    manifests: _Manifests,
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
        _json_file(work, path, data, manifests)
        groups.append(
            PackedGroup(
                kind=kind,
                label=label,
                metadata_path=path,
                metadata_id=group_id,
                record_ids=[f"R{e.item_id}" for e in entries],
            )
        )
    return groups


def _write_tag_manifests(work: Path) -> None:
    # Every file outside data/ (whose thousands of folders need no walk) but the tag manifests.
    found: list[Path] = []
    for entry in work.iterdir():
        if entry.is_dir() and entry.name != "data":
            found.extend(p for p in entry.rglob("*") if p.is_file())
        elif entry.is_file() and not entry.name.startswith("tagmanifest-"):
            found.append(entry)
    tags = sorted(p.relative_to(work).as_posix() for p in found)
    lines: dict[str, list[str]] = {alg: [] for alg in ALGORITHMS}
    for path in tags:
        # Streamed: the METS of a large batch is tens of MB, and is not read into memory whole.
        digests, _size = hash_file(work / path, ALGORITHMS)
        for algorithm in ALGORITHMS:
            lines[algorithm].append(f"{digests[algorithm]}  {manifest_path(path)}\n")
    for algorithm in ALGORITHMS:
        (work / f"tagmanifest-{MANIFEST_NAME[algorithm]}.txt").write_text(
            "".join(lines[algorithm]), encoding="utf-8"
        )


class _Catalogue:
    """The catalogue (归档文件目录, then 案卷目录), its rows written as the records come."""

    def __init__(self) -> None:
        self.book = Book(streaming=True)
        self.items = self.book.sheet("归档文件目录")
        self.items.append(
            ["序号", "档号", "文号", "责任者", "题名", "日期", "密级", "页数", "备注",
             "全宗号", "年度", "保管期限", "门类", "开放/控制", "电子文件数"]
        )  # fmt: skip
        self.count = 0

    def record(self, r: _Record) -> None:
        self.count += 1
        self.items.append(
            [
                self.count, r.code, r["doc_number"], r["responsible"], r.title,
                r["date"].strftime("%Y%m%d"),
                _SECRECY.get(r["secrecy"], "") if r["secrecy"] else "", r["pages"], r["notes"],
                r["unit__fonds_code"], r["year"],
                retention.label(r["retention"]), _CATEGORY.get(r["category"], r["category"]),
                _MARKING.get(r["access_marking"], "") if r["access_marking"] else "", len(r.files),
            ]
        )  # fmt: skip

    def discard(self) -> None:
        self.book.discard()

    def save(self, path: Path, volumes: list[Volume]) -> None:
        sheet = self.book.sheet("案卷目录")
        sheet.append(
            ["序号", "案卷档号", "案卷题名", "项目（或户）名称", "年度", "保管期限", "卷内件数"]
        )
        for n, v in enumerate(volumes, start=1):
            sheet.append(
                [n, v.reference_code, v.title, v.project, v.year, retention.label(v.retention),
                 len(v.entries.all())]
            )  # fmt: skip
        self.book.save(path)


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
