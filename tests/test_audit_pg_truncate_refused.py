"""PostgreSQL: TRUNCATE of the audit table or its head is refused, an upsert cannot overwrite
a row, the head cannot move back — and the triggers fire even in a session that sets
session_replication_role = replica (they are ENABLE ALWAYS)."""

import pytest
from django.db import DatabaseError, connection, transaction

from fupin.audit.models import AuditEvent, AuditHead
from tests.audit_tamper import raw


@pytest.fixture(autouse=True)
def postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("只针对 PostgreSQL；SQLite 见 test_audit_sqlite_replace_refused")


def refused(sql: str, params: list | tuple = ()) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(sql, params)


def test_truncate_is_refused(world):
    count = AuditEvent.objects.count()
    refused("TRUNCATE audit_auditevent")
    refused("TRUNCATE audit_audithead")
    refused("TRUNCATE audit_auditevent, audit_audithead")
    assert AuditEvent.objects.count() == count


def test_upsert_and_rewind_are_refused(world):
    row = AuditEvent.objects.get(seq=3)
    refused(
        "INSERT INTO audit_auditevent (seq, at, actor_name, ip, action, object_type, object_id,"
        " region_code, summary, prev_hash, hash) VALUES (3, now(), '', '', 'x', '', '', '',"
        " '替换', '', '') ON CONFLICT (seq) DO UPDATE SET summary = excluded.summary"
    )
    head = AuditHead.objects.get(id=1)
    refused("UPDATE audit_audithead SET seq = %s", [head.seq - 1])
    refused("DELETE FROM audit_audithead")
    assert AuditEvent.objects.get(seq=3).summary == row.summary


def test_replica_mode_does_not_switch_the_triggers_off(world):
    """A superuser's usual way around triggers without touching them."""
    with transaction.atomic():
        raw("SET LOCAL session_replication_role = replica")
        refused("DELETE FROM audit_auditevent WHERE seq = 3")
        refused("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.filter(seq=3).exists()
