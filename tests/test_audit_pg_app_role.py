"""PostgreSQL, as operators are told to run it: the owner role migrates and grants, the
application connects as a plain role (not a superuser, not the owner). As that role the
application works and `verify` is satisfied — and an attacker holding that role's connection
cannot switch triggers off, truncate, update or delete audit rows, nor move the head back;
a row it appends by hand (it may insert) fails verification."""

import json
import uuid

import psycopg
import pytest

from tests.procs import fupin, helper, installation, on_postgres

pytestmark = pytest.mark.skipif(not on_postgres(), reason="数据库角色只在 PostgreSQL 上有意义")


@pytest.fixture
def app_role(tmp_path):
    owner = installation(tmp_path / "site")
    role = f"fupin_app_{uuid.uuid4().hex[:8]}"
    base, name = owner["DATABASE_URL"].rsplit("/", 1)
    with psycopg.connect(owner["DATABASE_URL"], autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE')
    app = owner | {"DATABASE_URL": base.replace("//postgres@", f"//{role}@") + f"/{name}"}
    yield owner, app, role
    with psycopg.connect(owner["DATABASE_URL"], autocommit=True) as conn:
        conn.execute(f'DROP OWNED BY "{role}"')
        conn.execute(f'DROP ROLE "{role}"')


def refused(url: str, sql: str) -> str:
    with psycopg.connect(url, autocommit=True) as conn, pytest.raises(psycopg.Error) as caught:
        conn.execute(sql)
    return str(caught.value)


def test_the_application_role_cannot_get_round_the_guards(app_role):
    owner, app, role = app_role
    granted = json.loads(fupin(owner, "audit", "grant-app-role", role, "--json"))
    assert granted["ok"]

    helper(app, "personas", "village_x", "village_y")  # services write audit rows as the app
    fupin(app, "audit", "anchor")
    report = json.loads(fupin(app, "audit", "verify", "--json"))
    assert report["ok"] and report["checked"] >= 4
    assert not any("超级用户" in n or "拥有" in n for n in report["notes"])

    url = app["DATABASE_URL"]
    assert "owner" in refused(url, "ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
    assert "owner" in refused(url, "DROP TRIGGER audit_event_append_only ON audit_auditevent")
    assert "permission denied" in refused(url, "TRUNCATE audit_auditevent")
    assert "permission denied" in refused(url, "DELETE FROM audit_auditevent")
    assert "permission denied" in refused(url, "UPDATE audit_auditevent SET summary = 'x'")
    assert "permission denied" in refused(url, "SET session_replication_role = replica")
    assert "后退" in refused(url, "UPDATE audit_audithead SET seq = 1")

    with psycopg.connect(url, autocommit=True) as conn:  # a forged append: allowed, but seen
        head_seq, head_hash = conn.execute("SELECT seq, hash FROM audit_audithead").fetchone()
        conn.execute(
            "INSERT INTO audit_auditevent (seq, at, actor_name, ip, action, object_type,"
            " object_id, region_code, summary, prev_hash, hash, key_id)"
            " VALUES (%s, now(), '', '', 'user.create', '', '', '', '伪造', %s, %s, %s)",
            [head_seq + 1, head_hash, "f" * 64, report["keys"][0]],
        )
        conn.execute("UPDATE audit_audithead SET seq = %s, hash = %s", [head_seq + 1, "f" * 64])
    done = json.loads(fupin_failing(app, "audit", "verify", "--json"))
    assert not done["ok"] and done["first_broken_seq"] == head_seq + 1


def test_a_superuser_is_refused_as_the_application_role(app_role):
    owner, _, _ = app_role
    import subprocess
    import sys

    from tests.procs import ROOT

    done = subprocess.run(
        [sys.executable, "-m", "fupin.cli", "audit", "grant-app-role", "postgres"],
        env=owner, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode != 0 and "超级用户" in done.stderr


def fupin_failing(env: dict[str, str], *args: str) -> str:
    import subprocess
    import sys

    from tests.procs import ROOT

    done = subprocess.run(
        [sys.executable, "-m", "fupin.cli", *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    return done.stdout
