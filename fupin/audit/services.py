"""Writing to the audit trail. Called by every service inside its own transaction."""

import hmac
from collections.abc import Iterable
from datetime import UTC
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from fupin.audit.anchors import Anchor, anchors_read
from fupin.audit.chain import GENESIS, ChainReport, link_hash, link_mac
from fupin.audit.guards import guards_missing, role_warnings
from fupin.audit.keys import audit_keys
from fupin.audit.models import AuditEvent, AuditHead
from fupin.core.request_context import current_ip


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | bool):
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    # Floats, dates, decimals: as text, so the hashed form is identical on every database.
    return str(value)


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    region_code: str = "",
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor_name: str = "",
    ip: str | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the caller's transaction (atomic is re-entrant)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        region_code = region_code or getattr(obj, "audit_region_code", "") or ""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(
            id=1, defaults={"seq": 0, "hash": GENESIS}
        )
        authenticated = actor is not None and getattr(actor, "is_authenticated", False)
        values: dict[str, Any] = {
            "seq": head.seq + 1,
            "at": timezone.now().astimezone(UTC),
            "actor_id": actor.pk if authenticated else None,
            "actor_name": actor.get_username() if authenticated else actor_name,
            "ip": ip if ip is not None else current_ip(),
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "region_code": region_code,
            "summary": summary[:500],
            "before": _jsonable(before),
            "after": _jsonable(after),
        }
        keys = audit_keys()
        digest = link_mac(keys.current, keys.current_id, head.hash, values)
        event = AuditEvent.objects.create(
            prev_hash=head.hash, hash=digest, key_id=keys.current_id, **values
        )
        head.seq, head.hash = values["seq"], digest
        head.save(update_fields=["seq", "hash"])
    return event


def audit_verify(*, anchor_dirs: Iterable[str | Path] = ()) -> ChainReport:
    """Walk the chain in seq order; name the first row that is not what was written. Rows
    before the first keyed row carry plain hashes (installations older than keyed MACs);
    an unkeyed row after a keyed one is a forgery. The chain is then held against the
    anchors written outside the database (fupin.audit.anchors): a row that differs from an
    anchor, or an anchor beyond the chain's end (cut short, wiped, an older copy put back)."""
    keys = audit_keys()
    found = anchors_read(anchor_dirs)
    by_seq: dict[int, list[Anchor]] = {}
    for anchor in found.anchors:
        by_seq.setdefault(anchor.seq, []).append(anchor)
    prev = GENESIS
    expected_seq = 1
    checked = unkeyed = 0
    used: set[str] = set()
    keyed = False
    fields = ["seq", "at", "actor_id", "actor_name", "ip", "action", "object_type"]
    fields += ["object_id", "region_code", "summary", "before", "after", "prev_hash", "hash"]
    fields += ["key_id"]

    def broken(seq: int, reason: str) -> ChainReport:
        return ChainReport(False, checked, seq, reason, unkeyed, tuple(sorted(used)))

    for row in AuditEvent.objects.order_by("seq").values(*fields).iterator(chunk_size=5000):
        checked += 1
        seq = row["seq"]
        if seq != expected_seq:
            return broken(expected_seq, f"缺少序号 {expected_seq}（记录被删除）")
        if row["prev_hash"] != prev:
            return broken(seq, "与上一条记录的链接断开（记录被插入或重排）")
        row["at"] = row["at"].astimezone(UTC)
        key_id = row["key_id"]
        if key_id is None:
            if keyed:
                return broken(seq, "启用密钥校验后出现无密钥校验码的记录（记录被伪造）")
            unkeyed += 1
            if link_hash(prev, row) != row["hash"]:
                return broken(seq, "记录内容与其哈希不符（记录被修改）")
        else:
            keyed = True
            key = keys.by_id.get(key_id)
            if key is None:
                return broken(seq, f"记录由未知密钥“{key_id[:32]}”签署（密钥缺失或记录被伪造）")
            used.add(key_id)
            if not hmac.compare_digest(link_mac(key, key_id, prev, row), row["hash"]):
                return broken(seq, "记录内容与其密钥校验码不符（记录被修改或伪造）")
        for anchor in by_seq.get(seq, ()):
            if anchor.head != row["hash"]:
                when = f"{timezone.localtime(anchor.at):%Y-%m-%d %H:%M}"
                return broken(seq, f"与 {when} 的锚点记载的校验码不同（记录被改写）")
        prev = row["hash"]
        expected_seq += 1
    head = AuditHead.objects.filter(id=1).first()
    tip_seq, tip_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if tip_seq != expected_seq - 1 or tip_hash != prev:
        return broken(expected_seq, "链尾与记录不符（末尾记录被删除或添加）")
    if found.refused:
        return ChainReport(
            False, checked, None, "锚点文件无效：" + "；".join(found.refused[:3]), unkeyed
        )
    missing = guards_missing()
    if missing:
        return ChainReport(
            False,
            checked,
            None,
            "数据库对审计日志的保护被拆除：" + "；".join(missing),
            unkeyed,
            tuple(sorted(used)),
        )
    newest = max(found.anchors, key=lambda a: (a.seq, a.at), default=None)
    if newest is not None and newest.seq > tip_seq:
        when = f"{timezone.localtime(newest.at):%Y-%m-%d %H:%M}"
        return broken(
            tip_seq + 1,
            f"日志只到序号 {tip_seq}，而 {when} 的锚点记载已有 {newest.seq} 条"
            "（日志被截断、清空或退回到旧副本）",
        )
    notes: tuple[str, ...] = (
        (f"与 {len(found.anchors)} 个锚点一致，最新：{newest.line()}",)
        if newest is not None
        else ("尚无锚点（每日由后台任务进程写出，或运行 fupin audit anchor）",)
    )
    notes += tuple(role_warnings())
    return ChainReport(True, checked, None, "", unkeyed, tuple(sorted(used)), notes)


def audit_read_event(
    *,
    actor: Any,
    action: str,
    summary: str,
    object_type: str = "",
    object_id: str | int = "",
    region_code: str = "",
) -> AuditEvent:
    """Record a read that must leave a trace: an export, a download, a reveal of personal data."""
    with transaction.atomic():
        return audit_record(
            actor=actor,
            action=action,
            summary=summary,
            object_type=object_type,
            object_id=object_id,
            region_code=region_code,
        )
