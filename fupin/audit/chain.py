"""The hash chain: how a row is hashed, and how the whole chain is checked."""

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
HASHED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "ip",
    "action",
    "object_type",
    "object_id",
    "region_code",
    "summary",
    "before",
    "after",
)


def canonical(values: dict[str, Any]) -> bytes:
    body = {name: values[name] for name in HASHED_FIELDS}
    body["at"] = values["at"].isoformat(timespec="microseconds")
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def link_hash(prev_hash: str, values: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(values)).hexdigest()


def link_mac(key: bytes, key_id: str, prev_hash: str, values: dict[str, Any]) -> str:
    """The keyed link: without the key, no one can write a row (or re-chain rows after an
    edit) that verifies. The key id is covered too, so a row cannot be moved to another key."""
    message = b"fupin-audit-mac-1\n" + key_id.encode() + b"\n" + prev_hash.encode() + b"\n"
    return hmac.new(key, message + canonical(values), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str = ""
    # Rows from before keyed MACs (plain SHA-256, bound by the first keyed row's MAC).
    unkeyed: int = 0
    keys: tuple[str, ...] = ()
    # Filled by fupin.audit.anchors / the trigger check: what else was compared.
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "first_broken_seq": self.first_broken_seq,
            "reason": self.reason,
            "unkeyed": self.unkeyed,
            "keys": list(self.keys),
            "notes": list(self.notes),
        }
