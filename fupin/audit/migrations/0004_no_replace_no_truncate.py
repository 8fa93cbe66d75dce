"""Close the ways around the append-only triggers (issue 14): SQLite's INSERT OR REPLACE
(a REPLACE deletes the old row without firing delete triggers), TRUNCATE on PostgreSQL (no
row triggers fire), and a head moved back or deleted. On PostgreSQL the triggers fire ALWAYS,
also in a session that sets session_replication_role = replica. Names are listed in
fupin/audit/guards.py, which `fupin audit verify` checks."""

from django.db import migrations

SQLITE_UP = [
    """CREATE TRIGGER audit_event_no_replace BEFORE INSERT ON audit_auditevent
       WHEN EXISTS (SELECT 1 FROM audit_auditevent WHERE seq = NEW.seq OR id = NEW.id)
       BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能替换已有记录'); END""",
    """CREATE TRIGGER audit_head_no_replace BEFORE INSERT ON audit_audithead
       WHEN EXISTS (SELECT 1 FROM audit_audithead)
       BEGIN SELECT RAISE(ABORT, '审计日志链尾只能前移，不能替换'); END""",
    """CREATE TRIGGER audit_head_no_rewind BEFORE UPDATE ON audit_audithead
       WHEN NEW.seq < OLD.seq OR NEW.id != OLD.id
       BEGIN SELECT RAISE(ABORT, '审计日志链尾只能前移，不能后退'); END""",
    """CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_audithead
       BEGIN SELECT RAISE(ABORT, '审计日志链尾不能删除'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_event_no_replace",
    "DROP TRIGGER IF EXISTS audit_head_no_replace",
    "DROP TRIGGER IF EXISTS audit_head_no_rewind",
    "DROP TRIGGER IF EXISTS audit_head_no_delete",
]
POSTGRES_UP = [
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse()""",
    """CREATE OR REPLACE FUNCTION audit_head_guard() RETURNS trigger AS $$
       BEGIN
         IF TG_OP <> 'UPDATE' THEN
           RAISE EXCEPTION '审计日志链尾不能删除或清空';
         END IF;
         IF NEW.seq < OLD.seq OR NEW.id <> OLD.id THEN
           RAISE EXCEPTION '审计日志链尾只能前移，不能后退';
         END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_head_guard BEFORE UPDATE OR DELETE ON audit_audithead
       FOR EACH ROW EXECUTE FUNCTION audit_head_guard()""",
    """CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_audithead
       FOR EACH STATEMENT EXECUTE FUNCTION audit_head_guard()""",
    "ALTER TABLE audit_auditevent ENABLE ALWAYS TRIGGER audit_event_append_only",
    "ALTER TABLE audit_auditevent ENABLE ALWAYS TRIGGER audit_event_no_truncate",
    "ALTER TABLE audit_audithead ENABLE ALWAYS TRIGGER audit_head_guard",
    "ALTER TABLE audit_audithead ENABLE ALWAYS TRIGGER audit_head_no_truncate",
]
POSTGRES_DOWN = [
    "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only",
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_head_guard ON audit_audithead",
    "DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_audithead",
    "DROP FUNCTION IF EXISTS audit_head_guard()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_keyed_mac")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
