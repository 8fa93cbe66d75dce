"""What an attacker with raw access to the database does to the audit trail, for the
tampering tests: switch the append-only triggers off, edit rows with SQL, move the head."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module

from django.db import connection

from fupin.cli import main


def verify(capsys, *extra: str) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["audit", "verify", "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


def drop_guards() -> None:
    """Every trigger on the audit tables goes (SQLite: dropped; PostgreSQL: switched off,
    which the tests' superuser may do and the application's role may not)."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                " AND tbl_name IN ('audit_auditevent', 'audit_audithead')"
            )
            for (name,) in cur.fetchall():
                cur.execute(f'DROP TRIGGER "{name}"')
        else:
            cur.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            cur.execute("ALTER TABLE audit_audithead DISABLE TRIGGER USER")


def restore_guards() -> None:
    """A careful attacker puts the triggers back afterwards, so that `verify` has only the
    chain and the anchors to go by."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            for name in ("0002_append_only_triggers", "0004_no_replace_no_truncate"):
                for sql in import_module(f"fupin.audit.migrations.{name}").SQLITE_UP:
                    cur.execute(sql)
        else:
            from fupin.audit.guards import POSTGRES_GUARDS

            for name, table in POSTGRES_GUARDS.items():
                cur.execute(f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {name}")


@contextmanager
def unguarded() -> Iterator[None]:
    drop_guards()
    yield
    restore_guards()


def raw(sql: str, params: list | tuple = ()) -> None:
    with connection.cursor() as cur:
        cur.execute(sql, params)


def move_head(seq: int, digest: str) -> None:
    raw("UPDATE audit_audithead SET seq = %s, hash = %s WHERE id = 1", [seq, digest])


def publish_anchor(capture) -> dict:
    """`fupin audit anchor`, its files written as the (test) transaction would commit."""
    import io
    from contextlib import redirect_stdout

    out = io.StringIO()
    with capture(execute=True), redirect_stdout(out):
        assert main(["audit", "anchor", "--json"]) == 0
    return json.loads(out.getvalue())
