"""Tampering: a row rewritten and every link after it recomputed, with the triggers put back
afterwards. Without the audit key the new links cannot be right — whether recomputed as
plain SHA-256 or as an HMAC under a guessed key — so verify names the rewritten row."""

import hashlib
import hmac
from datetime import UTC

import pytest

from fupin.audit.chain import canonical, link_hash
from fupin.audit.models import AuditEvent
from tests.audit_tamper import move_head, raw, unguarded, verify

FIELDS = ("seq", "at", "actor_id", "actor_name", "ip", "action", "object_type", "object_id")
FIELDS += ("region_code", "summary", "before", "after")


def guessed_mac(prev: str, values: dict, key_id: str) -> str:
    message = b"fupin-audit-mac-1\n" + key_id.encode() + b"\n" + prev.encode() + b"\n"
    return hmac.new(b"guessed-key", message + canonical(values), hashlib.sha256).hexdigest()


@pytest.mark.parametrize("relink", ["sha256", "guessed_key"])
def test_rewritten_and_rehashed_chain_fails(world, capsys, relink):
    rows = list(AuditEvent.objects.order_by("seq"))
    target = 7
    prev = rows[target - 2].hash
    with unguarded():
        for event in rows[target - 1 :]:
            values = {f: getattr(event, f) for f in FIELDS}
            values["at"] = values["at"].astimezone(UTC)
            if event.seq == target:
                values["summary"] = "改写后的内容"
            if relink == "sha256":
                digest = link_hash(prev, values)
            else:
                digest = guessed_mac(prev, values, event.key_id)
            raw(
                "UPDATE audit_auditevent SET summary = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [values["summary"], prev, digest, event.pk],
            )
            prev = digest
        move_head(rows[-1].seq, prev)

    code, report = verify(capsys)
    assert code == 1 and report["first_broken_seq"] == target
    assert "校验码不符" in report["reason"]
