"""Capturing electronic files: one streaming pass computes SHA-256 and SM3 while the bytes go
to a temporary file; the format is identified from content; the bytes are stored once under
their digest and never overwritten. Each capture, accepted or refused, leaves a CaptureEvent
and an audit row; a refused file leaves nothing else."""

import io
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath
from typing import IO, Any, BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import transaction

from fupin.accounts.access import access_unit, require_cap
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_record
from fupin.objects.digests import CHUNK, StreamDigests
from fupin.objects.formats import (
    EXTENSIONS,
    LABELS,
    MIME,
    declared_extension,
    identify,
    is_executable,
)
from fupin.objects.integrity import check_integrity
from fupin.objects.models import (
    CaptureEvent,
    CaptureOutcome,
    Category,
    Derivative,
    DerivativeKind,
    Digest,
    DigestAlgorithm,
    FormatPolicy,
    PolicyAction,
    StoredObject,
)
from fupin.objects.photos import PHOTO_FORMATS, thumbnail_jpeg
from fupin.objects.selectors import FixityResult, object_verify, visible_objects
from fupin.regions.models import Unit

DEFAULT_MAX_BYTES = 4 * 1024**3
DUPLICATE_NOTE = "与已存文件内容相同，未重复保存。"


@dataclass
class CaptureResult:
    object: StoredObject
    outcome: str
    filename: str
    event: CaptureEvent
    notes: list[str] = field(default_factory=list)

    @property
    def duplicate(self) -> bool:
        return self.outcome == CaptureOutcome.DUPLICATE


def safe_filename(filename: str) -> str:
    """Only the last path component survives: '../x.pdf', 'a/b.pdf' and 'C:\\x.pdf' keep 'x.pdf'."""
    name = PureWindowsPath(PurePosixPath(filename or "").name).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if name in ("", ".", ".."):
        raise ValidationError("文件名无效：去掉路径后文件名为空。")
    return name[-255:]


def size_text(size: int) -> str:
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.4g} {unit}"
    return f"{size} 字节"


class _MovableFile(File):
    """A spooled file FileSystemStorage moves into place (a rename) instead of copying;
    other storages (S3) simply read it."""

    def temporary_file_path(self) -> str:
        return str(getattr(self.file, "name", ""))


@dataclass
class _Spool:
    file: IO[bytes]
    digests: dict[str, str]
    size: int

    @property
    def sha256(self) -> str:
        return self.digests[DigestAlgorithm.SHA256]

    def discard(self) -> None:
        self.file.close()
        if os.path.exists(self.file.name):
            os.unlink(self.file.name)


def _temp_dir() -> str | None:
    # Beside the stored files, so that storing is a rename on the same filesystem.
    if isinstance(default_storage, FileSystemStorage):
        path = os.path.join(default_storage.location, "tmp")
        os.makedirs(path, exist_ok=True)
        return path
    return None


def _spool(stream: BinaryIO, limit: int) -> _Spool:
    """Copy the stream to a temporary file, hashing as it goes; stop as soon as it passes
    `limit`, so a huge upload is never written out in full."""
    digests = StreamDigests()
    # Removed by the caller through _Spool.discard once stored or refused.
    tmp = tempfile.NamedTemporaryFile(dir=_temp_dir(), delete=False, prefix="capture-")  # noqa: SIM115
    spool = _Spool(tmp, {}, 0)
    try:
        while chunk := stream.read(CHUNK):
            if digests.size + len(chunk) > limit:
                raise ValidationError(f"文件超过允许的大小上限（{size_text(limit)}），已中止接收。")
            digests.update(chunk)
            tmp.write(chunk)
        if digests.size == 0:
            raise ValidationError("文件是空的（0 字节），请检查后重新上传。")
        tmp.flush()
        tmp.seek(0)
        spool.digests, spool.size = digests.finish(), digests.size
    except BaseException:
        digests.abandon()
        spool.discard()
        raise
    return spool


def _store(spool: _Spool, kind: str) -> tuple[StoredObject, bool, str]:
    """The object with these bytes: found, or stored now with its row. Runs in the caller's
    transaction; returns (object, created, storage name written now)."""
    obj = StoredObject.objects.select_for_update().filter(sha256=spool.sha256).first()
    if obj is not None:
        return obj, False, ""
    name = f"objects/{spool.sha256[:2]}/{spool.sha256[2:4]}/{spool.sha256}"
    written = ""
    # Bytes already under this name are these bytes (the name is their digest), e.g. left by a
    # capture whose transaction failed after the move; they are not written twice.
    if not default_storage.exists(name):
        spool.file.close()
        with open(spool.file.name, "rb") as handle:
            saved = default_storage.save(name, _MovableFile(handle))
        if saved != name:
            # A parallel capture stored the same bytes between exists() and save(): keep theirs.
            default_storage.delete(saved)
        else:
            written = name
    obj = StoredObject.objects.create(
        sha256=spool.sha256,
        size=spool.size,
        format=kind,
        mime=MIME.get(kind, "application/octet-stream"),
        storage_name=name,
    )
    Digest.objects.bulk_create(
        [Digest(object=obj, algorithm=alg, value=value) for alg, value in spool.digests.items()]
    )
    return obj, True, written


@contextmanager
def _storing(spool: _Spool, kind: str) -> Iterator[tuple[StoredObject, bool]]:
    """Store and write the caller's rows in one transaction; if it fails, the bytes stored by
    it are removed again."""
    written = ""
    try:
        with transaction.atomic():
            obj, created, written = _store(spool, kind)
            yield obj, created
    except BaseException:
        if written:
            default_storage.delete(written)
        raise


def _policy_notes(name: str, kind: str, category: str, strict: bool = False) -> list[str]:
    notes = []
    extension = declared_extension(name)
    if kind != "unknown" and extension not in EXTENSIONS.get(kind, set()):
        notes.append(
            f"扩展名 .{extension or '（无）'} 与实际格式（{LABELS[kind]}）不符，已按实际格式保存。"
        )
    policy = FormatPolicy.objects.filter(category=category).first()
    if policy is not None and kind not in policy.allowed:
        message = f"{LABELS[kind]}不在“{Category(category).label}”门类的长期保存格式之列"
        if policy.on_other == PolicyAction.REJECT or strict:
            raise ValidationError(
                f"{message}，拒收。请转换为{'、'.join(LABELS[k] for k in policy.allowed)}。"
            )
        notes.append(f"{message}，请尽快转换。")
    return notes


def _record(
    *,
    actor: Any,
    obj: StoredObject | None,
    filename: str,
    category: str,
    unit: Unit | None,
    outcome: str,
    notes: list[str],
    summary: str,
    after: dict[str, Any],
) -> CaptureEvent:
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    event = CaptureEvent.objects.create(
        object=obj,
        unit=unit,
        actor=actor if signed_in else None,
        actor_name=actor.get_username() if signed_in else "",
        filename=filename,
        extension=declared_extension(filename)[:20],
        category=category,
        outcome=outcome,
        message="；".join(notes)[:500],
    )
    audit_record(
        actor=actor,
        action="object.capture",
        obj=event,
        summary=summary,
        after={"filename": filename, "category": category, "outcome": outcome, **after},
    )
    return event


def _require_write(actor: Any, unit: Unit | None) -> None:
    if unit is not None:
        access_unit(actor, unit.pk, Cap.DATA_WRITE)
    else:
        require_cap(actor, Cap.DATA_WRITE)


def object_capture(
    *,
    actor: Any,
    stream: BinaryIO,
    filename: str,
    category: str,
    unit: Unit | None = None,
    max_bytes: int | None = None,
    strict: bool = False,
) -> CaptureResult:
    """Take one file in. A refused file raises ValidationError with the reason in Chinese,
    after its refusal is recorded; no bytes and no object of it are kept. A program is
    refused whatever its name; `strict` (files of record items) also refuses every format
    the category's policy does not allow, where the policy would only flag it."""
    if category not in Category.values:
        raise ValidationError(f"未知的门类代码“{category}”，应为 {'、'.join(Category.values)}。")
    _require_write(actor, unit)
    limit = max_bytes or int(getattr(settings, "FUPIN_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES))
    name = ""
    spool = None
    try:
        name = safe_filename(filename)
        spool = _spool(stream, limit)
        if is_executable(spool.file):
            raise ValidationError(f"{name} 的内容是可执行程序，拒收（与扩展名无关）。")
        kind = identify(spool.file)
        check_integrity(spool.file, kind)
        notes = _policy_notes(name, kind, category, strict)
        return _accept(actor, spool, name, kind, category, unit, notes)
    except ValidationError as exc:
        reason = "；".join(exc.messages)
        with transaction.atomic():
            _record(
                actor=actor,
                obj=None,
                filename=name,
                category=category,
                unit=unit,
                outcome=CaptureOutcome.REJECTED,
                notes=[reason],
                summary=f"拒收电子文件 {name or '（无有效文件名）'}：{reason}",
                after={"reason": reason},
            )
        raise
    finally:
        if spool is not None:
            spool.discard()


def _accept(
    actor: Any,
    spool: _Spool,
    name: str,
    kind: str,
    category: str,
    unit: Unit | None,
    notes: list[str],
) -> CaptureResult:
    with _storing(spool, kind) as (obj, created):
        if not created:
            notes.insert(0, DUPLICATE_NOTE)
        outcome = (
            CaptureOutcome.DUPLICATE
            if not created
            else (CaptureOutcome.FLAGGED if notes else CaptureOutcome.STORED)
        )
        event = _record(
            actor=actor,
            obj=obj,
            filename=name,
            category=category,
            unit=unit,
            outcome=outcome,
            notes=notes,
            summary=(
                f"接收电子文件 {name}（{spool.size} 字节，{LABELS[kind]}，"
                f"SHA-256 {spool.sha256}）：{CaptureOutcome(outcome).label}"
            ),
            after={"size": spool.size, "format": kind, **spool.digests},
        )
    return CaptureResult(object=obj, outcome=outcome, filename=name, event=event, notes=notes)


def derivative_store(
    *, actor: Any, source: StoredObject, make: Callable[[], bytes], fmt: str, page: int = 0
) -> StoredObject:
    """The source's thumbnail (of page `page`, 0 for the whole object): made by `make` once and
    kept as its own content-addressed object; the source is only read."""
    require_cap(actor, Cap.DATA_WRITE)
    kind = DerivativeKind.THUMBNAIL
    made = Derivative.objects.filter(source=source, kind=kind, page=page).first()
    if made is not None:
        return made.object
    spool = _spool(io.BytesIO(make()), DEFAULT_MAX_BYTES)
    try:
        with _storing(spool, fmt) as (thumb, _created):
            Derivative.objects.create(source=source, kind=kind, page=page, object=thumb)
            where = f"第{page}页" if page else ""
            audit_record(
                actor=actor,
                action="object.thumbnail",
                obj=source,
                summary=f"生成{where}缩略图 {source.sha256[:12]}… → {thumb.sha256[:12]}…",
                after={"source": source.sha256, "thumbnail": thumb.sha256, "page": page},
            )
    finally:
        spool.discard()
    return thumb


def photo_thumbnail(*, actor: Any, obj: StoredObject) -> StoredObject:
    """The photo's thumbnail (JPEG, 320 px on the long side)."""
    if obj.format not in PHOTO_FORMATS:
        raise ValidationError(f"{LABELS.get(obj.format, obj.format)}不是照片，不生成缩略图。")
    return derivative_store(actor=actor, source=obj, make=lambda: thumbnail_jpeg(obj), fmt="jpeg")


@dataclass
class FixityReport:
    checked: int
    bad: list[FixityResult]

    @property
    def ok(self) -> bool:
        return not self.bad

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "mismatched": [{"sha256": r.sha256, "reason": r.reason} for r in self.bad],
        }


def objects_fixity_check(*, actor: Any) -> FixityReport:
    """Recompute both digests of every stored object the actor may inspect (DA/T 70, periodic
    check in long-term keeping); the run itself is audited."""
    require_cap(actor, Cap.INSPECT)
    checked, bad = 0, []
    objects = visible_objects(actor).order_by("pk").prefetch_related("digests")
    for obj in objects.iterator(chunk_size=200):
        checked += 1
        result = object_verify(obj)
        if not result.ok:
            bad.append(result)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="object.verify",
            summary=f"固定性检查：{checked} 个文件，{len(bad)} 个与摘要不符",
            after={"checked": checked, "mismatched": [r.sha256 for r in bad]},
        )
    return FixityReport(checked, bad)
