"""Tampering: the last rows deleted and the head moved back onto the new last row. Every row
left checks out, so only the anchor written outside the database can tell — and it does."""

from fupin.audit.models import AuditEvent
from tests.audit_tamper import move_head, publish_anchor, raw, unguarded, verify


def test_truncated_tail_with_head_moved_back_fails(
    world, capsys, django_capture_on_commit_callbacks
):
    anchored = publish_anchor(django_capture_on_commit_callbacks)
    keep = anchored["seq"] - 4
    kept = AuditEvent.objects.get(seq=keep)
    with unguarded():
        raw("DELETE FROM audit_auditevent WHERE seq > %s", [keep])
        move_head(kept.seq, kept.hash)

    code, report = verify(capsys)
    assert code == 1 and not report["ok"]
    assert report["first_broken_seq"] == keep + 1
    assert f"日志只到序号 {keep}" in report["reason"] and "截断" in report["reason"]


def test_without_the_anchor_the_same_truncation_would_pass(world, capsys):
    """The test above can fail: with no anchor the truncated chain looks whole."""
    last = AuditEvent.objects.order_by("-seq").first()
    kept = AuditEvent.objects.get(seq=last.seq - 4)
    with unguarded():
        raw("DELETE FROM audit_auditevent WHERE seq > %s", [kept.seq])
        move_head(kept.seq, kept.hash)
    code, report = verify(capsys)
    assert code == 0 and report["ok"]
