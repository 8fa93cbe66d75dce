"""Tampering: a row replaced in place — SQLite's INSERT OR REPLACE, PostgreSQL's upsert —
keeping its seq, link and MAC but with other content, after the triggers that refuse it were
removed and then put back. The row's MAC no longer matches its content."""

from django.db import connection

from fupin.audit.models import AuditEvent
from tests.audit_tamper import raw, unguarded, verify

COLUMNS = (
    "id, seq, at, actor_id, actor_name, ip, action, object_type, object_id, region_code,"
    " summary, before, after, prev_hash, hash, key_id"
)


def test_replaced_row_fails(world, capsys):
    row = AuditEvent.objects.get(seq=5)
    values = [row.pk, row.seq, row.at, row.actor_id, row.actor_name, row.ip, row.action]
    values += [row.object_type, row.object_id, row.region_code, "替换后的内容", None, None]
    values += [row.prev_hash, row.hash, row.key_id]
    marks = ", ".join(["%s"] * len(values))
    with unguarded():
        if connection.vendor == "sqlite":
            raw(f"INSERT OR REPLACE INTO audit_auditevent ({COLUMNS}) VALUES ({marks})", values)
        else:
            raw(
                f"INSERT INTO audit_auditevent ({COLUMNS}) VALUES ({marks})"
                " ON CONFLICT (seq) DO UPDATE SET summary = excluded.summary",
                values,
            )
    assert AuditEvent.objects.get(seq=5).summary == "替换后的内容"

    code, report = verify(capsys)
    assert code == 1 and report["first_broken_seq"] == 5
    assert "校验码不符" in report["reason"]
