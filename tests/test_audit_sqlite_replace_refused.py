"""SQLite: INSERT OR REPLACE and UPSERT cannot overwrite an audit row (a REPLACE deletes the
old row without firing delete triggers), nor replace, rewind or delete the chain's head."""

import pytest
from django.db import DatabaseError, connection, transaction

from fupin.audit.models import AuditEvent, AuditHead
from tests.audit_tamper import raw


@pytest.fixture(autouse=True)
def sqlite_only(db):
    if connection.vendor != "sqlite":
        pytest.skip("只针对 SQLite 的 REPLACE；PostgreSQL 见 test_audit_pg_truncate_refused")


COLUMNS = (
    "seq, at, actor_id, actor_name, ip, action, object_type, object_id, region_code,"
    " summary, before, after, prev_hash, hash, key_id"
)


def refused(sql: str, params: list) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(sql, params)


def test_insert_or_replace_cannot_overwrite_a_row(world):
    row = AuditEvent.objects.get(seq=3)
    values = [3, row.at, None, "", "", "user.create", "", "", "", "替换", None, None]
    values += [row.prev_hash, row.hash, row.key_id]
    marks = ", ".join(["%s"] * len(values))
    refused(f"INSERT OR REPLACE INTO audit_auditevent ({COLUMNS}) VALUES ({marks})", values)
    refused(f"REPLACE INTO audit_auditevent ({COLUMNS}) VALUES ({marks})", values)
    refused(
        f"INSERT INTO audit_auditevent ({COLUMNS}) VALUES ({marks})"
        " ON CONFLICT(seq) DO UPDATE SET summary = excluded.summary",
        values,
    )
    assert AuditEvent.objects.get(seq=3).summary == row.summary
    assert AuditEvent.objects.filter(seq=3).count() == 1


def test_the_head_cannot_be_replaced_rewound_or_deleted(world):
    head = AuditHead.objects.get(id=1)
    refused("INSERT OR REPLACE INTO audit_audithead (id, seq, hash) VALUES (1, 0, %s)", ["0" * 64])
    refused("UPDATE audit_audithead SET seq = %s WHERE id = 1", [head.seq - 1])
    refused("DELETE FROM audit_audithead", [])
    assert AuditHead.objects.get(id=1).seq == head.seq
