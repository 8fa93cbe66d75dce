"""Anchors: the chain's head (sequence number and MAC) written outside the database, so that
cutting the chain short, wiping it or putting an older copy of the database back is seen by
`fupin audit verify` even though every remaining row checks out.

An anchor is a small signed JSON file written to every place the database cannot rewrite:
the anchor directory (FUPIN_AUDIT_ANCHOR_DIR), the second file store when one is configured
(storage "replica", folder `audit-anchors/`), and any folders the caller names (the backups).
They are written at least daily (the worker's beat), at every backup, and when a quarterly
report is printed (its printout carries `anchor_line()`). Each is signed with the audit key,
so a file planted in an anchor folder without the key is refused rather than believed."""

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from fupin.audit.chain import GENESIS
from fupin.audit.keys import AuditKeys, audit_keys
from fupin.audit.models import AuditEvent, AuditHead

FORMAT = "fupin-audit-anchor-1"
REPLICA_FOLDER = "audit-anchors"
# How many of the newest anchors are read from each place: the newest carries the highest
# sequence number (what truncation and rewinding are checked against); rows are covered by
# their MACs, so older anchors add little.
READ_NEWEST = 50


class AnchorError(Exception):
    """An anchor could not be written; the message is in Chinese for the operator."""


@dataclass(frozen=True)
class Anchor:
    seq: int
    head: str
    at: datetime
    key_id: str
    reason: str
    sig: str = ""
    where: str = ""  # the file it was read from (not signed)

    def body(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "seq": self.seq,
            "head": self.head,
            "at": self.at.isoformat(timespec="microseconds"),
            "key_id": self.key_id,
            "reason": self.reason,
        }

    def as_dict(self) -> dict[str, Any]:
        return self.body() | {"sig": self.sig, "line": self.line()}

    def line(self) -> str:
        at = timezone.localtime(self.at)
        return f"审计日志锚点 #{self.seq} · {self.head[:16]} · {at:%Y-%m-%d %H:%M}"

    def file_name(self) -> str:
        stamp = self.at.strftime("%Y%m%dT%H%M%S%f")
        return f"anchor-{self.seq:012d}-{stamp}-{self.sig[:8]}.json"


def _sign(keys: AuditKeys, key_id: str, body: dict[str, Any]) -> str | None:
    key = keys.by_id.get(key_id)
    if key is None:
        return None
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, b"fupin-audit-anchor\n" + text.encode(), hashlib.sha256).hexdigest()


def anchor_dir() -> Path:
    return Path(settings.FUPIN_AUDIT_ANCHOR_DIR)


def _write_file(folder: Path, name: str, data: bytes) -> str:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temp = folder / f".{name}.{secrets.token_hex(4)}"
        temp.write_bytes(data)
        os.replace(temp, folder / name)
    except OSError as exc:
        raise AnchorError(f"无法把审计日志锚点写入 {folder}：{exc.strerror or exc}") from exc
    return str(folder / name)


def _write_everywhere(anchor: Anchor, extra_dirs: Iterable[str | Path]) -> list[str]:
    data = (json.dumps(anchor.as_dict(), ensure_ascii=False, indent=1) + "\n").encode()
    name = anchor.file_name()
    written = [_write_file(anchor_dir(), name, data)]
    for folder in extra_dirs:
        written.append(_write_file(Path(folder), name, data))
    if "replica" in settings.STORAGES:
        try:
            saved = storages["replica"].save(f"{REPLICA_FOLDER}/{name}", ContentFile(data))
        except Exception as exc:  # any backend's error: S3, a network share
            raise AnchorError(f"无法把审计日志锚点写入第二份存储：{exc}") from exc
        written.append(f"replica:{saved}")
    return written


def _bind_unkeyed_head() -> None:
    """An installation upgraded from before keyed MACs whose head is still an unkeyed row:
    append one keyed row now, so its MAC covers the old rows before they are anchored."""
    head = AuditHead.objects.filter(id=1).first()
    if head is None or head.seq == 0:
        return
    if AuditEvent.objects.filter(seq=head.seq, key_id__isnull=True).exists():
        from fupin.audit.services import audit_record

        audit_record(
            actor=None,
            action="audit.keyed_start",
            summary=f"启用审计日志密钥校验：此前 {head.seq} 条记录由本条的校验码担保",
        )


def anchor_publish(*, reason: str, extra_dirs: Iterable[str | Path] = ()) -> Anchor:
    """Write the current head as an anchor to every anchor place. Inside a transaction the
    files are written when it commits (an anchor must never name a row that was rolled back);
    returns the anchor either way."""
    keys = audit_keys()
    with transaction.atomic():
        _bind_unkeyed_head()
        head = AuditHead.objects.filter(id=1).first()
        seq, mac = (head.seq, head.hash) if head else (0, GENESIS)
        anchor = Anchor(seq, mac, timezone.now(), keys.current_id, reason[:200])
        sig = _sign(keys, keys.current_id, anchor.body())
        assert sig is not None
        signed = Anchor(anchor.seq, anchor.head, anchor.at, anchor.key_id, anchor.reason, sig)
        folders = list(extra_dirs)
        transaction.on_commit(lambda: _write_everywhere(signed, folders))
    return signed


def anchor_line() -> str:
    """One printable line for a printout (the quarterly report's): an anchor published now."""
    return anchor_publish(reason="打印季度报表").line()


@dataclass(frozen=True)
class AnchorRead:
    anchors: list[Anchor]
    refused: list[str]  # files that are not valid signed anchors, with why


def _parse(data: bytes, where: str, keys: AuditKeys) -> Anchor | str:
    try:
        raw = json.loads(data)
        anchor = Anchor(
            int(raw["seq"]),
            str(raw["head"]),
            datetime.fromisoformat(raw["at"]),
            str(raw["key_id"]),
            str(raw["reason"]),
            str(raw["sig"]),
            where,
        )
    except (ValueError, KeyError, TypeError):
        return f"{where}：不是有效的锚点文件"
    if raw.get("format") != FORMAT:
        return f"{where}：不是有效的锚点文件"
    expected = _sign(keys, anchor.key_id, anchor.body())
    if expected is None:
        return f"{where}：由未知密钥“{anchor.key_id[:32]}”签署"
    if not hmac.compare_digest(expected, anchor.sig):
        return f"{where}：签名不符（锚点文件被改动或伪造）"
    return anchor


def _newest(names: Iterable[str]) -> list[str]:
    found = sorted(n for n in names if n.startswith("anchor-") and n.endswith(".json"))
    return found[-READ_NEWEST:]


def anchors_read(extra_dirs: Iterable[str | Path] = ()) -> AnchorRead:
    """The newest anchors of every place, signatures checked."""
    keys = audit_keys()
    anchors: list[Anchor] = []
    refused: list[str] = []

    def take(data: bytes, where: str) -> None:
        parsed = _parse(data, where, keys)
        if isinstance(parsed, str):
            refused.append(parsed)
        else:
            anchors.append(parsed)

    for folder in [anchor_dir(), *map(Path, extra_dirs)]:
        if folder.is_dir():
            for name in _newest(p.name for p in folder.iterdir()):
                take((folder / name).read_bytes(), str(folder / name))
    if "replica" in settings.STORAGES:
        store = storages["replica"]
        try:
            _, names = store.listdir(REPLICA_FOLDER)
        except (FileNotFoundError, OSError):
            names = []
        for name in _newest(names):
            with store.open(f"{REPLICA_FOLDER}/{name}") as handle:
                take(handle.read(), f"replica:{REPLICA_FOLDER}/{name}")
    return AnchorRead(anchors, refused)
