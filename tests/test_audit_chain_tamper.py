"""The audit chain names the first broken link after raw-SQL edits, deletes, inserts, reorders."""

import json

import pytest
from django.db import DatabaseError, connection, transaction

from fupin.audit.models import AuditEvent
from fupin.cli import main


def run_verify(capsys) -> tuple[int, dict]:
    code = main(["audit", "verify", "--json"])
    return code, json.loads(capsys.readouterr().out)


def drop_guards() -> None:
    """An attacker with database access first removes the append-only triggers."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER audit_event_no_update")
            cur.execute("DROP TRIGGER audit_event_no_delete")
        else:
            cur.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cur:
        cur.execute(sql, params)


@pytest.fixture
def chain(world):
    """The world fixture wrote one row per user created and per role granted."""
    assert AuditEvent.objects.count() >= 20
    return list(AuditEvent.objects.order_by("seq"))


def test_intact_chain_verifies(chain, capsys):
    code, report = run_verify(capsys)
    assert code == 0
    assert report["ok"] and report["checked"] == len(chain)
    assert report["first_broken_seq"] is None and report["reason"] == ""
    assert report["unkeyed"] == 0 and len(report["keys"]) == 1


def test_database_refuses_update_and_delete(world):
    with pytest.raises(DatabaseError), transaction.atomic():
        raw("UPDATE audit_auditevent SET summary = %s WHERE seq = %s", ["x", 3])
    with pytest.raises(DatabaseError), transaction.atomic():
        raw("DELETE FROM audit_auditevent WHERE seq = %s", [3])
    assert AuditEvent.objects.get(seq=3).summary != "x"


def test_edited_row_is_named(chain, capsys):
    drop_guards()
    raw("UPDATE audit_auditevent SET summary = %s WHERE seq = %s", ["篡改", 7])
    code, report = run_verify(capsys)
    assert code == 1
    assert report["first_broken_seq"] == 7
    assert "修改" in report["reason"]


def test_edited_before_values_are_named(chain, capsys):
    drop_guards()
    target = next(e for e in chain if e.action == "role.grant")
    raw(
        "UPDATE audit_auditevent SET after = %s WHERE seq = %s",
        [json.dumps({"role": "auditor"}), target.seq],
    )
    _, report = run_verify(capsys)
    assert report["first_broken_seq"] == target.seq


def test_deleted_row_is_named(chain, capsys):
    drop_guards()
    raw("DELETE FROM audit_auditevent WHERE seq = %s", [5])
    _, report = run_verify(capsys)
    assert report["first_broken_seq"] == 5
    assert "删除" in report["reason"]


def test_deleted_last_row_is_noticed(chain, capsys):
    drop_guards()
    raw("DELETE FROM audit_auditevent WHERE seq = %s", [chain[-1].seq])
    code, report = run_verify(capsys)
    assert code == 1
    assert report["first_broken_seq"] == chain[-1].seq


def test_inserted_row_is_named(chain, capsys):
    drop_guards()
    # Make room at seq 4 by shifting the tail up, then slip a forged row in.
    for event in reversed(chain[3:]):
        raw("UPDATE audit_auditevent SET seq = %s WHERE id = %s", [event.seq + 1, event.pk])
    forged = chain[2]
    raw(
        "INSERT INTO audit_auditevent (seq, at, actor_id, actor_name, ip, action, object_type,"
        " object_id, region_code, summary, before, after, prev_hash, hash)"
        " VALUES (%s, %s, NULL, '', '', 'user.create', '', '', '', '伪造', NULL, NULL, %s, %s)",
        [4, forged.at, forged.hash, "f" * 64],
    )
    _, report = run_verify(capsys)
    assert report["first_broken_seq"] == 4


def test_reordered_rows_are_named(chain, capsys):
    drop_guards()
    a, b = chain[9], chain[10]
    raw("UPDATE audit_auditevent SET seq = %s WHERE id = %s", [-1, a.pk])
    raw("UPDATE audit_auditevent SET seq = %s WHERE id = %s", [a.seq, b.pk])
    raw("UPDATE audit_auditevent SET seq = %s WHERE id = %s", [b.seq, a.pk])
    _, report = run_verify(capsys)
    assert report["first_broken_seq"] == a.seq
