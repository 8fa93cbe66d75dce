"""Tampering: every audit row deleted and the head reset to an empty chain. An empty chain
is valid in itself; the anchor outside the database says there were rows."""

from fupin.audit.chain import GENESIS
from tests.audit_tamper import move_head, publish_anchor, raw, unguarded, verify


def test_wiped_chain_fails_against_the_anchor(world, capsys, django_capture_on_commit_callbacks):
    anchored = publish_anchor(django_capture_on_commit_callbacks)
    with unguarded():
        raw("DELETE FROM audit_auditevent")
        move_head(0, GENESIS)

    code, report = verify(capsys)
    assert code == 1 and report["first_broken_seq"] == 1
    assert f"已有 {anchored['seq']} 条" in report["reason"]


def test_head_row_deleted_too(world, capsys, django_capture_on_commit_callbacks):
    publish_anchor(django_capture_on_commit_callbacks)
    with unguarded():
        raw("DELETE FROM audit_auditevent")
        raw("DELETE FROM audit_audithead")
    code, report = verify(capsys)
    assert code == 1 and "清空" in report["reason"]
