"""Capturing electronic files: one streaming pass computes SHA-256 and SM3 while the bytes go
to a temporary file; the format is identified from content; the bytes are stored once under
their digest and never overwritten. Each capture, accepted or refused, leaves a CaptureEvent
and an audit row; a refused file leaves nothing else."""

import contextlib
import datetime
import io
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath
from typing import IO, Any, BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from fupin.accounts.access import access_unit, require_cap, user_scope
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
    EventOutcome,
    EventType,
    FormatPolicy,
    PolicyAction,
    PreservationEvent,
    StoredObject,
)
from fupin.objects.photos import PHOTO_FORMATS, thumbnail_jpeg
from fupin.objects.selectors import Leftover, object_expected, objects_leftovers, visible_objects
from fupin.objects.stores import (
    PRIMARY,
    REPLICA,
    STORE_LABELS,
    CopyFailed,
    CopyState,
    Expected,
    MovableFile,
    copy_between,
    copy_check,
    copy_delete,
    copy_put,
    replica_configured,
    store_keys,
    temp_dir,
)
from fupin.regions.models import Unit

DEFAULT_MAX_BYTES = 4 * 1024**3
DUPLICATE_NOTE = "与已存文件内容相同，未重复保存。"
log = logging.getLogger("fupin.objects")


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


def _spool(stream: BinaryIO, limit: int) -> _Spool:
    """Copy the stream to a temporary file, hashing as it goes; stop as soon as it passes
    `limit`, so a huge upload is never written out in full."""
    digests = StreamDigests()
    # Removed by the caller through _Spool.discard once stored or refused.
    tmp = tempfile.NamedTemporaryFile(dir=temp_dir(), delete=False, prefix="capture-")  # noqa: SIM115
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
            saved = default_storage.save(name, MovableFile(handle))
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


def _require_write(actor: Any, unit: Unit | None, cap: str = Cap.DATA_WRITE) -> None:
    if unit is not None:
        access_unit(actor, unit.pk, cap)
    else:
        require_cap(actor, cap)


def object_capture(
    *,
    actor: Any,
    stream: BinaryIO,
    filename: str,
    category: str,
    unit: Unit | None = None,
    max_bytes: int | None = None,
    strict: bool = False,
    cap: str = Cap.DATA_WRITE,
) -> CaptureResult:
    """Take one file in. A refused file raises ValidationError with the reason in Chinese,
    after its refusal is recorded; no bytes and no object of it are kept. A program is
    refused whatever its name; `strict` (files of record items) also refuses every format
    the category's policy does not allow, where the policy would only flag it. `cap` is what
    entitles the actor to bring files to this unit: writing its records, or inspecting it
    (an inspector's evidence)."""
    if category not in Category.values:
        raise ValidationError(f"未知的门类代码“{category}”，应为 {'、'.join(Category.values)}。")
    _require_write(actor, unit, cap)
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
        repaired = "" if created else _repair_from_offer(actor, obj, spool)
        if repaired:
            notes.insert(0, f"已存的同一文件已损坏（{repaired}），已用本次提交的内容修复。")
        elif not created:
            notes.insert(0, DUPLICATE_NOTE)
        if repaired:
            outcome = CaptureOutcome.REPAIRED
        elif not created:
            outcome = CaptureOutcome.DUPLICATE
        else:
            outcome = CaptureOutcome.FLAGGED if notes else CaptureOutcome.STORED
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
        if created or repaired:
            _replicate_after_commit(obj)
    return CaptureResult(object=obj, outcome=outcome, filename=name, event=event, notes=notes)


def _repair_from_offer(actor: Any, obj: StoredObject, spool: _Spool) -> str:
    """The same bytes offered again: if the kept copy is damaged or gone, the offered bytes
    (whose digests match every record) replace it. Returns what was wrong, or ''."""
    expected = object_expected(obj)
    state = copy_check(PRIMARY, expected)
    if state.ok:
        return ""
    offered = CopyState(PRIMARY, True, digests=spool.digests)
    for _source, digests in expected.sources:
        if any(spool.digests.get(alg) != value for alg, value in digests.items()):
            offered.ok = False
    if not offered.ok or spool.size != obj.size:
        # The records disagree with bytes whose SHA-256 is the address: leave it to a person.
        return ""
    spool.file.close()
    try:
        copy_put(spool.file.name, PRIMARY, expected)
    except CopyFailed as exc:
        _event(obj, EventType.REPAIR, False, PRIMARY, str(exc), actor=actor)
        return ""
    detail = f"{state.reason}；已用再次提交的相同内容修复"
    _event(obj, EventType.REPAIR, True, PRIMARY, detail, actor=actor)
    StoredObject.objects.filter(pk=obj.pk).update(fixity_problem="")
    return state.reason


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


# —— Keeping: the second copy, fixity checks, repairs (PREMIS-style events, audited) ——

FIXITY_AGENT = "固定性巡检（后台）"
READ_AGENT = "读取时自动修复"
CAPTURE_AGENT = "接收后自动复制"


def _agent(actor: Any, agent: str) -> str:
    if agent:
        return agent
    if actor is not None and getattr(actor, "is_authenticated", False):
        return str(actor.get_username())
    return "命令行操作员"


def _region(obj: StoredObject) -> str:
    found = (
        CaptureEvent.objects.filter(object=obj, unit__isnull=False)
        .order_by("pk")
        .values_list("unit__region_id", flat=True)
        .first()
    )
    return found or ""


_ACTIONS = {
    EventType.FIXITY: "object.fixity",
    EventType.REPLICATION: "object.replicate",
    EventType.REPAIR: "object.repair",
}


def _event(
    obj: StoredObject,
    type: str,
    ok: bool,
    store: str,
    detail: str,
    *,
    actor: Any = None,
    agent: str = "",
    audit: bool = True,
) -> PreservationEvent:
    """One preservation event and, unless it is a passed fixity check (too many to audit one
    by one; the run is audited), its audit row, in one transaction."""
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    with transaction.atomic():
        event = PreservationEvent.objects.create(
            object=obj,
            type=type,
            outcome=EventOutcome.SUCCESS if ok else EventOutcome.FAILURE,
            store=store,
            detail=detail[:500],
            actor=actor if signed_in else None,
            agent=_agent(actor, agent),
        )
        if audit:
            outcome = EventOutcome.SUCCESS.label if ok else EventOutcome.FAILURE.label
            where = STORE_LABELS.get(store, "")
            audit_record(
                actor=actor,
                actor_name=_agent(actor, agent) if not signed_in else "",
                action=_ACTIONS[EventType(type)],
                obj=obj,
                region_code=_region(obj),
                summary=(
                    f"{EventType(type).label}{where and '（' + where + '）'}"
                    f" {obj.sha256[:12]}…：{outcome}{detail and '，' + detail}"
                ),
                after={"sha256": obj.sha256, "store": store, "ok": ok, "detail": detail},
            )
    return event


@dataclass
class Healed:
    """What one object's copies were found to be, and what was done about it."""

    sha256: str
    states: list[CopyState]
    repaired: list[str] = field(default_factory=list)
    # Stores whose copy is still missing or damaged, with the reason.
    unrepaired: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.unrepaired

    def as_dict(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "ok": self.ok,
            "found": {s.store: s.reason or "完好" for s in self.states},
            "repaired": self.repaired,
            "unrepaired": self.unrepaired,
        }


def _heal(
    obj: StoredObject,
    *,
    actor: Any,
    agent: str,
    check: list[str],
    fixity: bool,
) -> Healed:
    """Check the copies in `check`; each bad one is replaced from a good copy (verified on
    both ends). With `fixity`, every check is kept as a fixity-check event."""
    expected = object_expected(obj)
    states = [copy_check(key, expected) for key in check]
    healed = Healed(obj.sha256, states)
    if fixity:
        for state in states:
            _event(
                obj,
                EventType.FIXITY,
                state.ok,
                state.store,
                state.reason,
                actor=actor,
                agent=agent,
                audit=not state.ok,
            )
    for state in states:
        if state.ok:
            continue
        sources = [k for k in store_keys() if k != state.store]
        healed_from = _copy_from_any(obj, expected, sources, state, actor=actor, agent=agent)
        if healed_from:
            healed.repaired.append(state.store)
        else:
            healed.unrepaired[state.store] = state.reason
    if fixity:
        problem = "；".join(healed.unrepaired.values())[:500]
        StoredObject.objects.filter(pk=obj.pk).update(
            fixity_checked_at=timezone.now(), fixity_problem=problem
        )
    return healed


def _copy_from_any(
    obj: StoredObject,
    expected: Expected,
    sources: list[str],
    state: CopyState,
    *,
    actor: Any,
    agent: str,
) -> str:
    # A replica that was never written is a replication; anything else is a repair.
    kind = EventType.REPLICATION if state.store == REPLICA and state.missing else EventType.REPAIR
    failures = []
    for source in sources:
        try:
            copy_between(source, state.store, expected)
        except CopyFailed as exc:
            failures.append(str(exc))
            continue
        detail = f"{state.reason}；已从{STORE_LABELS[source]}复制并核对"
        if kind == EventType.REPLICATION:
            detail = f"已从{STORE_LABELS[source]}复制并核对"
        _event(obj, kind, True, state.store, detail, actor=actor, agent=agent)
        return source
    if not sources:
        failures.append("未配置第二存储，没有可用于修复的副本")
    _event(
        obj,
        kind,
        False,
        state.store,
        "；".join([state.reason, *failures]),
        actor=actor,
        agent=agent,
    )
    return ""


def object_replicate(*, actor: Any, obj: StoredObject, agent: str = "") -> Healed | None:
    """Make sure the second store holds a good copy: read it through, and write it from the
    first store (verified both ways) if it is missing or damaged. None: no second store."""
    if not replica_configured():
        return None
    return _heal(obj, actor=actor, agent=agent, check=[REPLICA], fixity=False)


def _replicate_after_commit(obj: StoredObject) -> None:
    """Copy a newly kept object to the second store once its row is committed (a rolled-back
    import leaves nothing there). A failure is recorded, never raised: the capture stands and
    the fixity cycle copies it later."""
    if not replica_configured():
        return

    def replicate() -> None:
        try:
            object_replicate(actor=None, obj=obj, agent=CAPTURE_AGENT)
        except Exception:
            log.exception("复制到第二存储失败：%s", obj.sha256)

    transaction.on_commit(replicate)


def object_repair_on_read(*, obj: StoredObject) -> bool:
    """The first store's copy could not be opened: repair it from the second, if that one is
    good. True when the first store holds a good copy again."""
    if not replica_configured():
        return False
    return _heal(obj, actor=None, agent=READ_AGENT, check=[PRIMARY], fixity=False).ok


@dataclass
class ReplicateReport:
    configured: bool
    checked: int = 0
    copied: list[str] = field(default_factory=list)
    failed: list[Healed] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.configured and not self.failed

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "replica_configured": self.configured,
            "checked": self.checked,
            "copied": self.copied,
            "failed": [h.as_dict() for h in self.failed],
        }


def objects_replicate(
    *, actor: Any, progress: Callable[[int, int], None] | None = None
) -> ReplicateReport:
    """Every object the actor may inspect, given a good copy in the second store."""
    require_cap(actor, Cap.INSPECT)
    if not replica_configured():
        raise ValidationError(
            "未配置第二存储：请设置 FUPIN_REPLICA_DIR（目录）或 FUPIN_REPLICA_S3_BUCKET"
            "（S3 兼容存储桶）或 FUPIN_REPLICA_URL。"
        )
    report = ReplicateReport(True)
    objects = visible_objects(actor, Cap.INSPECT).order_by("pk").prefetch_related("digests")
    total = objects.count()
    for obj in objects.iterator(chunk_size=200):
        healed = _heal(obj, actor=actor, agent="", check=[REPLICA], fixity=False)
        report.checked += 1
        if healed.repaired:
            report.copied.append(obj.sha256)
        if not healed.ok:
            report.failed.append(healed)
        if progress is not None:
            progress(report.checked, total)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="object.replicate_all",
            summary=(
                f"复制到第二存储：核对 {report.checked} 个文件，复制 {len(report.copied)} 个，"
                f"失败 {len(report.failed)} 个"
            ),
            after={
                "checked": report.checked,
                "copied": report.copied,
                "failed": [h.sha256 for h in report.failed],
            },
        )
    return report


@dataclass
class FixityReport:
    checked: int
    bad: list[Healed]
    repaired: list[Healed] = field(default_factory=list)
    replica: bool = False
    bytes_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.bad

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "replica_configured": self.replica,
            "mismatched": [
                {"sha256": h.sha256, "reason": "；".join(h.unrepaired.values())} for h in self.bad
            ],
            "repaired": [
                {"sha256": h.sha256, "stores": h.repaired, "found": h.as_dict()["found"]}
                for h in self.repaired
            ],
        }


def objects_fixity_check(
    *,
    actor: Any,
    objects: Any = None,
    agent: str = "",
    rate: float = 0,
    progress: Callable[[int, int], None] | None = None,
    budget_bytes: int | None = None,
    overdue_before: Any = None,
    seconds: float | None = None,
    audit_quiet_runs: bool = True,
) -> FixityReport:
    """Read every copy of each object through (DA/T 70, periodic check in long-term keeping):
    content against its address, both digests against the digest rows and against the ones
    audited at capture. Each check is a fixity event; bad copies are repaired from good ones.
    `rate` (bytes/s, 0 for no limit) paces the reading so users do not notice it. A cycle's
    run stops once it has read `budget_bytes` and the next object is not overdue (checked
    before `overdue_before`), or after `seconds`."""
    require_cap(actor, Cap.INSPECT)
    if objects is None:
        objects = visible_objects(actor, Cap.INSPECT).order_by("pk")
    report = FixityReport(0, [], replica=replica_configured())
    started = time.monotonic()
    total = objects.count() if progress is not None else 0
    for obj in objects.prefetch_related("digests").iterator(chunk_size=200):
        if seconds is not None and time.monotonic() - started >= seconds:
            break
        if budget_bytes is not None and report.bytes_read >= budget_bytes:
            last = obj.fixity_checked_at or obj.created_at
            if overdue_before is None or last >= overdue_before:
                break
        healed = _heal(obj, actor=actor, agent=agent, check=store_keys(), fixity=True)
        report.checked += 1
        report.bytes_read += obj.size * len(healed.states)
        if not healed.ok:
            report.bad.append(healed)
        elif healed.repaired:
            report.repaired.append(healed)
        if progress is not None:
            progress(report.checked, total)
        if rate > 0:
            ahead = report.bytes_read / rate - (time.monotonic() - started)
            if ahead > 0:
                time.sleep(ahead)
    if not audit_quiet_runs and report.ok and not report.repaired:
        return report  # each object's check is its event; a run that found nothing is not audited
    with transaction.atomic():
        audit_record(
            actor=actor,
            actor_name=_agent(actor, agent) if actor is None else "",
            action="object.verify",
            summary=(
                f"固定性检查：{report.checked} 个文件，{len(report.bad)} 个与摘要不符且无法修复，"
                f"{len(report.repaired)} 个已自动修复"
            ),
            after={
                "checked": report.checked,
                "mismatched": [h.sha256 for h in report.bad],
                "repaired": [h.sha256 for h in report.repaired],
            },
        )
    return report


# The fixity cycle: a beat of the workers (fupin/worker/beats.py) every FIXITY_EVERY reads
# its share of the store, so that every object is read at least every FUPIN_FIXITY_DAYS.
# (FUPIN_FIXITY_EVERY_SECONDS, default 15 min; the test cluster runs it every few seconds so
# that its runs spread over the workers within minutes.)
FIXITY_EVERY = datetime.timedelta(seconds=settings.FUPIN_FIXITY_EVERY_SECONDS)


def objects_fixity_cycle(*, now: datetime.datetime | None = None) -> FixityReport:
    """One run of the background fixity cycle: the objects checked longest ago (never checked
    first), at least this run's share of all bytes (all bytes ÷ runs per cycle) and every
    overdue object, at FUPIN_FIXITY_RATE bytes/s, for at most FUPIN_FIXITY_RUN_SECONDS."""
    now = now or timezone.now()
    days = datetime.timedelta(days=settings.FUPIN_FIXITY_DAYS)
    total = StoredObject.objects.aggregate(total=Sum("size"))["total"] or 0
    runs = max(1, days // FIXITY_EVERY)
    share = -(-total * len(store_keys()) // runs)
    queue = StoredObject.objects.order_by(F("fixity_checked_at").asc(nulls_first=True), "pk")
    return objects_fixity_check(
        actor=None,
        objects=queue,
        agent=FIXITY_AGENT,
        rate=settings.FUPIN_FIXITY_RATE,
        budget_bytes=share,
        overdue_before=now - days,
        seconds=settings.FUPIN_FIXITY_RUN_SECONDS,
        audit_quiet_runs=False,
    )


@dataclass
class SweepReport:
    swept: list[Leftover] = field(default_factory=list)
    waiting: list[Leftover] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": True,
            "swept": [x.as_dict() for x in self.swept],
            "waiting": [x.as_dict() for x in self.waiting],
        }


# More orphans than this and than objects kept: the database is more likely the wrong one (or
# an old restore) than the bytes junk, so nothing is swept.
SWEEP_SANITY_FLOOR = 100


def objects_sweep(*, actor: Any, now: datetime.datetime | None = None) -> SweepReport:
    """Remove the orphans and temporary leftovers older than the grace period; audited."""
    require_cap(actor, Cap.INSPECT)
    if not user_scope(actor).everything:
        raise PermissionDenied("清理孤立文件需要全部管辖范围（由服务器命令行或系统管理员执行）。")
    found = objects_leftovers(now)
    orphans = [x for x in found if x.kind == "orphan" and x.due]
    if len(orphans) > max(SWEEP_SANITY_FLOOR, StoredObject.objects.count()):
        raise ValidationError(
            f"发现 {len(orphans)} 个孤立文件，多于库中记录的文件数：可能连接了错误的数据库"
            "或恢复了较旧的备份，未做清理。请核对后再运行。"
        )
    report = SweepReport()
    for leftover in found:
        if not leftover.due:
            report.waiting.append(leftover)
            continue
        if leftover.kind == "temp":
            with contextlib.suppress(FileNotFoundError):
                os.unlink(leftover.name)
        else:
            copy_delete(leftover.store, leftover.name)
        report.swept.append(leftover)
    if report.swept:
        with transaction.atomic():
            audit_record(
                actor=actor,
                action="object.sweep",
                summary=(
                    f"清理孤立文件与临时文件 {len(report.swept)} 个"
                    f"（共 {sum(x.size for x in report.swept)} 字节）"
                ),
                after={"swept": [f"{x.store}:{x.name}" for x in report.swept]},
            )
    return report


def objects_sweep_beat() -> SweepReport:
    return objects_sweep(actor=None)


def object_purge(*, actor: Any, obj: StoredObject, reason: str) -> list[str]:
    """Delete a destroyed record's bytes from every store (the row and its digests stay);
    returns the stores confirmed empty of it. Bytes already gone are not an error. The
    caller (the destruction) has checked the actor's right to destroy."""
    emptied = [key for key in store_keys() if copy_delete(key, obj.storage_name)]
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="object.purge",
            obj=obj,
            region_code=_region(obj),
            summary=f"从存储中删除 {obj.sha256[:12]}…：{reason}",
            after={"sha256": obj.sha256, "emptied": emptied, "reason": reason},
        )
    left = [STORE_LABELS[k] for k in store_keys() if k not in emptied]
    if left:
        raise ValidationError(f"电子文件 {obj.sha256[:12]}… 仍在{'、'.join(left)}中，未能删除。")
    return emptied
