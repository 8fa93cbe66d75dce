"""Tampering: an older copy of the database put back (the chain rewound) and work goes on,
so the chain grows past the anchor again — with other rows at the anchored sequence number.
The anchor's MAC for that number no longer matches."""

from fupin.audit.models import AuditEvent
from fupin.audit.services import audit_record
from tests.audit_tamper import move_head, publish_anchor, raw, unguarded, verify


def test_rewound_then_regrown_chain_fails(world, capsys, django_capture_on_commit_callbacks):
    anchored = publish_anchor(django_capture_on_commit_callbacks)
    older = AuditEvent.objects.get(seq=anchored["seq"] - 3)
    with unguarded():
        raw("DELETE FROM audit_auditevent WHERE seq > %s", [older.seq])
        move_head(older.seq, older.hash)
    for n in range(6):  # the restored copy is used again
        audit_record(actor=None, action="test.after_restore", summary=f"恢复后的记录{n}")
    assert AuditEvent.objects.count() > anchored["seq"]

    code, report = verify(capsys)
    assert code == 1 and report["first_broken_seq"] == anchored["seq"]
    assert "锚点" in report["reason"] and "改写" in report["reason"]
