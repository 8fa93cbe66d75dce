"""An installation upgraded from before keyed MACs: its old rows keep their plain SHA-256
hashes and still verify; the first keyed row's MAC covers the old head, so re-hashing the old
rows after an edit is caught, and an unkeyed row slipped in after a keyed one is a forgery."""

import json
from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from fupin.audit.chain import GENESIS, link_hash
from fupin.audit.models import AuditEvent, AuditHead
from fupin.audit.services import audit_record
from fupin.cli import main
from tests.audit_tamper import unguarded


def verify(capsys) -> dict:
    capsys.readouterr()
    main(["audit", "verify", "--json"])
    return json.loads(capsys.readouterr().out)


def plain_values(seq: int, summary: str) -> dict:
    at = (timezone.now() - timedelta(days=400) + timedelta(seconds=seq)).astimezone(UTC)
    return dict(
        seq=seq, at=at, actor_id=None, actor_name="", ip="", action="user.create",
        object_type="", object_id=str(seq), region_code="", summary=summary, before=None,
        after=None,
    )  # fmt: skip


@pytest.fixture
def upgraded(db):
    """Five rows as the code before keyed MACs wrote them, then one keyed row."""
    prev = GENESIS
    for seq in range(1, 6):
        values = plain_values(seq, f"旧记录{seq}")
        digest = link_hash(prev, values)
        AuditEvent.objects.create(prev_hash=prev, hash=digest, **values)
        prev = digest
    AuditHead.objects.update_or_create(id=1, defaults={"seq": 5, "hash": prev})
    audit_record(actor=None, action="test.after_upgrade", summary="升级后的第一条")
    return prev


def test_old_rows_still_verify_and_are_counted(upgraded, capsys):
    report = verify(capsys)
    assert report["ok"], report
    assert report["checked"] == 6 and report["unkeyed"] == 5
    first_keyed = AuditEvent.objects.get(seq=6)
    assert first_keyed.key_id and first_keyed.prev_hash == upgraded


def test_rehashed_old_rows_are_caught_by_the_first_keyed_row(upgraded, capsys):
    with unguarded():
        prev = GENESIS
        for event in AuditEvent.objects.filter(seq__lte=5).order_by("seq"):
            values = {f: getattr(event, f) for f in plain_values(1, "")}
            if event.seq == 2:
                values["summary"] = "篡改后的旧记录"
            values["at"] = values["at"].astimezone(UTC)
            digest = link_hash(prev, values)
            AuditEvent.objects.filter(pk=event.pk).update(
                summary=values["summary"], prev_hash=prev, hash=digest
            )
            prev = digest
        # The attacker re-links the first keyed row too; its MAC no longer matches.
        AuditEvent.objects.filter(seq=6).update(prev_hash=prev)
    report = verify(capsys)
    assert not report["ok"] and report["first_broken_seq"] == 6


def test_unkeyed_row_after_keyed_rows_is_a_forgery(upgraded, capsys):
    head = AuditHead.objects.get(id=1)
    values = plain_values(7, "伪造的无密钥记录")
    digest = link_hash(head.hash, values)
    AuditEvent.objects.create(prev_hash=head.hash, hash=digest, **values)
    AuditHead.objects.filter(id=1).update(seq=7, hash=digest)
    report = verify(capsys)
    assert not report["ok"] and report["first_broken_seq"] == 7
    assert "伪造" in report["reason"]
