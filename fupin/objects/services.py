"""Capturing electronic files: one streaming pass computes SHA-256 and SM3 while the bytes go
to a temporary file; the format is identified from content; the bytes are stored once under
their digest and never overwritten."""

import hashlib
import os
import tempfile
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import transaction

from fupin.audit.services import audit_record
from fupin.objects.formats import EXTENSIONS, LABELS, MIME, identify
from fupin.objects.integrity import check_integrity
from fupin.objects.models import CaptureEvent, CaptureOutcome, Digest, FormatPolicy, StoredObject

CHUNK = 1 << 20
# One thread for the whole process: SM3 updates of different captures never interleave
# within one digest, and captures in parallel requests share it fairly.
_SM3_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sm3")


def new_sm3() -> Any:
    try:
        return hashlib.new("sm3")
    except ValueError as exc:
        raise ImproperlyConfigured(
            "本机 Python 的 OpenSSL 不支持 SM3 摘要（GB/T 32905），请使用带 OpenSSL 3 的 Python。"
        ) from exc


@dataclass
class CaptureResult:
    object: StoredObject
    outcome: str
    filename: str
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


class _Spooled(File):
    """A temporary file that FileSystemStorage can move into place instead of copying."""

    def temporary_file_path(self) -> str:
        return str(getattr(self.file, "name", ""))


def _temp_dir() -> str | None:
    if isinstance(default_storage, FileSystemStorage):
        path = os.path.join(default_storage.location, "tmp")
        os.makedirs(path, exist_ok=True)
        return path
    return None


def _spool(stream: BinaryIO, limit: int) -> tuple[Any, str, str, int]:
    """Copy the stream to a temporary file, hashing as it goes; refuse past `limit` bytes.

    SM3 is the slow digest, so it runs on a second thread (hashlib releases the GIL on large
    buffers) while this one computes SHA-256 and writes; at most two chunks wait for it."""
    sha, sm3, size = hashlib.sha256(), new_sm3(), 0
    pending: deque[Future[None]] = deque()
    # Closed and removed by object_capture once the bytes are stored (or refused).
    tmp = tempfile.NamedTemporaryFile(dir=_temp_dir(), delete=False, prefix="capture-")  # noqa: SIM115
    try:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                mb = limit // (1024 * 1024)
                raise ValidationError(f"文件超过允许的大小上限（{mb} MB），已中止接收。")
            pending.append(_SM3_THREAD.submit(sm3.update, chunk))
            sha.update(chunk)
            tmp.write(chunk)
            while len(pending) > 2:
                pending.popleft().result()
        while pending:
            pending.popleft().result()
        if size == 0:
            raise ValidationError("文件是空的（0 字节），请检查后重新上传。")
        tmp.flush()
        tmp.seek(0)
    except BaseException:
        wait(pending)
        tmp.close()
        os.unlink(tmp.name)
        raise
    return tmp, sha.hexdigest(), sm3.hexdigest(), size


def _notes(name: str, kind: str, category: str) -> list[str]:
    notes = []
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS.get(kind, set()):
        notes.append(
            f"扩展名 .{extension or '（无）'} 与实际格式（{LABELS[kind]}）不符，已按实际格式保存。"
        )
    policy = FormatPolicy.objects.filter(category=category).first()
    if policy is not None and kind not in policy.allowed:
        message = f"{LABELS[kind]}不在本门类长期保存格式之列"
        if policy.on_other == "reject":
            raise ValidationError(
                f"{message}，拒收。请转换为{'、'.join(LABELS[k] for k in policy.allowed)}。"
            )
        notes.append(f"{message}，请尽快转换。")
    return notes


def object_capture(
    *, actor: Any, stream: BinaryIO, filename: str, category: str, max_bytes: int | None = None
) -> CaptureResult:
    name = safe_filename(filename)
    limit = max_bytes or settings.FUPIN_MAX_UPLOAD_BYTES
    tmp, sha256, sm3, size = _spool(stream, limit)
    stored_here = ""
    try:
        kind = identify(tmp)
        check_integrity(tmp, kind)
        notes = _notes(name, kind, category)
        with transaction.atomic():
            obj = StoredObject.objects.select_for_update().filter(sha256=sha256).first()
            outcome = (
                CaptureOutcome.DUPLICATE
                if obj
                else (CaptureOutcome.FLAGGED if notes else CaptureOutcome.STORED)
            )
            if obj is None:
                storage_name = f"objects/{sha256[:2]}/{sha256[2:4]}/{sha256}"
                if not default_storage.exists(storage_name):
                    tmp.close()
                    with open(tmp.name, "rb") as handle:
                        stored_here = default_storage.save(storage_name, _Spooled(handle))
                obj = StoredObject.objects.create(
                    sha256=sha256,
                    size=size,
                    format=kind,
                    mime=MIME.get(kind, "application/octet-stream"),
                    storage_name=storage_name,
                )
                Digest.objects.bulk_create(
                    [
                        Digest(object=obj, algorithm="SHA-256", value=sha256),
                        Digest(object=obj, algorithm="SM3", value=sm3),
                    ]
                )
            else:
                notes.insert(0, "与已存文件内容相同，未重复保存。")
            CaptureEvent.objects.create(
                object=obj,
                actor_name=actor.get_username() if actor else "",
                filename=name,
                category=category,
                outcome=outcome,
                message="；".join(notes)[:500],
            )
            audit_record(
                actor=actor,
                action="object.capture",
                obj=obj,
                after={
                    "filename": name,
                    "size": size,
                    "sha256": sha256,
                    "sm3": sm3,
                    "format": kind,
                    "outcome": outcome,
                },
                summary=f"接收电子文件 {name}（{size} 字节，{LABELS[kind]}）",
            )
    except BaseException:
        if stored_here:
            default_storage.delete(stored_here)
        raise
    finally:
        tmp.close()
        if os.path.exists(tmp.name):
            os.unlink(tmp.name)
    return CaptureResult(object=obj, outcome=outcome, filename=name, notes=notes)


def object_verify(obj: StoredObject) -> bool:
    """Recompute both digests from storage, streaming; False if either differs."""
    sha, sm3 = hashlib.sha256(), new_sm3()
    with default_storage.open(obj.storage_name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            sha.update(chunk)
            sm3.update(chunk)
    expected = dict(obj.digests.values_list("algorithm", "value"))
    return expected == {"SHA-256": sha.hexdigest(), "SM3": sm3.hexdigest()}
