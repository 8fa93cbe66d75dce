"""The destruction register is kept for ever: the database refuses to delete a register, and
to change or delete its entries once written (defence in depth, like the audit trail)."""

from django.db import migrations

SQLITE_UP = [
    """CREATE TRIGGER disposal_register_no_delete BEFORE DELETE ON disposal_register
       BEGIN SELECT RAISE(ABORT, '销毁清册永久保存，不能删除'); END""",
    """CREATE TRIGGER disposal_entry_no_update BEFORE UPDATE ON disposal_registerentry
       BEGIN SELECT RAISE(ABORT, '销毁清册条目不能修改'); END""",
    """CREATE TRIGGER disposal_entry_no_delete BEFORE DELETE ON disposal_registerentry
       BEGIN SELECT RAISE(ABORT, '销毁清册条目不能删除'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS disposal_register_no_delete",
    "DROP TRIGGER IF EXISTS disposal_entry_no_update",
    "DROP TRIGGER IF EXISTS disposal_entry_no_delete",
]
POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION disposal_register_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION '销毁清册永久保存，不能删除或修改其条目'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER disposal_register_permanent BEFORE DELETE
       ON disposal_register FOR EACH STATEMENT EXECUTE FUNCTION disposal_register_refuse()""",
    """CREATE TRIGGER disposal_entry_permanent BEFORE UPDATE OR DELETE
       ON disposal_registerentry FOR EACH STATEMENT EXECUTE FUNCTION disposal_register_refuse()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS disposal_register_permanent ON disposal_register",
    "DROP TRIGGER IF EXISTS disposal_entry_permanent ON disposal_registerentry",
    "DROP FUNCTION IF EXISTS disposal_register_refuse()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("disposal", "0001_initial")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
