"""`fupin audit verify` fails when a guard of the audit tables is gone, switched off or
replaced by a trigger that refuses nothing — even with every row intact."""

from django.db import connection

from tests.audit_tamper import raw, verify


def test_dropped_trigger_is_reported(world, capsys):
    assert verify(capsys)[0] == 0
    if connection.vendor == "sqlite":
        raw("DROP TRIGGER audit_event_no_replace")
    else:
        raw("DROP TRIGGER audit_event_no_truncate ON audit_auditevent")
    code, report = verify(capsys)
    assert code == 1 and "保护被拆除" in report["reason"]
    name = "audit_event_no_replace" if connection.vendor == "sqlite" else "audit_event_no_truncate"
    assert f"{name} 不存在" in report["reason"]


def test_replaced_or_disabled_trigger_is_reported(world, capsys):
    if connection.vendor == "sqlite":
        raw("DROP TRIGGER audit_event_no_update")
        raw(
            "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent"
            " BEGIN SELECT 1; END"
        )
        expected = "audit_event_no_update 已被改写"
    else:
        raw("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        expected = "audit_event_append_only 已被停用"
    code, report = verify(capsys)
    assert code == 1 and expected in report["reason"]


def test_trigger_set_back_to_origin_only_is_reported_on_postgres(world, capsys):
    if connection.vendor != "postgresql":
        return
    raw("ALTER TABLE audit_audithead ENABLE TRIGGER audit_head_guard")
    code, report = verify(capsys)
    assert code == 1 and "复制模式" in report["reason"]
