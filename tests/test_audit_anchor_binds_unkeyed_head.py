"""An upgraded installation whose newest row is still an unkeyed one (nothing written since
the upgrade): the first anchor appends a keyed row binding the old rows, then anchors it —
so old rows cannot be re-chained, nor unkeyed rows appended, from then on."""

from fupin.audit.chain import GENESIS, link_hash
from fupin.audit.models import AuditEvent, AuditHead
from tests.audit_tamper import publish_anchor, verify
from tests.test_audit_keyed_chain_binds_older_rows import plain_values


def test_first_anchor_binds_the_old_rows(db, capsys, django_capture_on_commit_callbacks):
    prev = GENESIS
    for seq in range(1, 4):
        values = plain_values(seq, f"旧记录{seq}")
        digest = link_hash(prev, values)
        AuditEvent.objects.create(prev_hash=prev, hash=digest, **values)
        prev = digest
    AuditHead.objects.update_or_create(id=1, defaults={"seq": 3, "hash": prev})

    anchored = publish_anchor(django_capture_on_commit_callbacks)
    bound = AuditEvent.objects.get(seq=4)
    assert bound.action == "audit.keyed_start" and bound.key_id and bound.prev_hash == prev
    assert anchored["seq"] == 4 and anchored["head"] == bound.hash
    code, report = verify(capsys)
    assert code == 0 and report["unkeyed"] == 3

    publish_anchor(django_capture_on_commit_callbacks)
    assert AuditEvent.objects.count() == 4  # bound once
