"""An installation made by the code before this round keeps all its data when upgraded
(issue 19): the demo is loaded by that code (taken from git), then this code's migrations run
on the same database, and every row of every old table is still there, unchanged in every old
column; the audit chain still verifies and search still finds the demo's records."""

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

# The last commit of the round before: what operators have installed.
BEFORE = "597b361"
REPO = Path(__file__).resolve().parent.parent
# Tables whose rows migrations may add to (reference data), and the search index, which a
# migration may rebuild (checked by searching instead).
MAY_GROW = {"django_content_type", "auth_permission", "django_migrations"}
# Columns a migration fills where they were empty (never where they held a value): a
# household's 识别年度, dated by the import that first brought it in (households 0005).
MAY_FILL = {"households_household": {"identified_year"}}


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True)


@pytest.fixture
def old_code(tmp_path) -> Path:
    if _git("cat-file", "-e", f"{BEFORE}^{{commit}}").returncode != 0:
        pytest.skip(f"需要 git 历史中的提交 {BEFORE}（浅克隆没有），跳过升级测试。")
    code = tmp_path / "old"
    code.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", BEFORE, "fupin", "manage.py"],
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", str(code)], input=archive.stdout, check=True)
    return code


CLI = "import sys; from fupin.cli import main; sys.exit(main(sys.argv[1:]))"


def _run(code: Path, env: dict[str, str], *argv: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", CLI, *argv],
        cwd=code, env=env, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _migrate(code: Path, env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"],
        cwd=code, env=env, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


class _Database:
    """A database of its own for the upgrade, on the engine the suite runs on."""

    def __init__(self, tmp_path: Path) -> None:
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.path = tmp_path / "fupin.sqlite3"
            self.url = ""
            return
        settings = connection.settings_dict
        self.name = f"fupin_upgrade_{uuid.uuid4().hex[:8]}"
        host, port, user = settings["HOST"], settings["PORT"] or 5432, settings["USER"]
        self.url = f"postgres://{user}@{host}:{port}/{self.name}"
        self.admin = dict(host=host, port=port, user=user, dbname="postgres")
        with self._connect(self.admin) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')

    def _connect(self, params: dict):
        import psycopg

        return psycopg.connect(**params, autocommit=True)

    def env(self, data_dir: Path) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        env |= {"FUPIN_DATA_DIR": str(data_dir), "FUPIN_DEMO": "1", "FUPIN_TESTING": "1"}
        env["DJANGO_SETTINGS_MODULE"] = "fupin.settings"
        env.pop("DATABASE_URL", None)
        if self.url:
            env["DATABASE_URL"] = self.url
        return env

    def rows(self) -> dict[str, tuple[list[str], list[tuple]]]:
        """Every table's columns and rows (as text, so both engines compare alike)."""
        if self.vendor == "sqlite":
            with sqlite3.connect(self.path) as conn:
                names = [r[0] for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )]  # fmt: skip
                return {n: self._table(conn.execute(f'SELECT * FROM "{n}"')) for n in names}
        params = {**self.admin, "dbname": self.name}
        with self._connect(params) as conn:
            names = [r[0] for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            )]  # fmt: skip
            return {n: self._table(conn.execute(f'SELECT * FROM "{n}"')) for n in names}

    @staticmethod
    def _table(cursor) -> tuple[list[str], list[tuple]]:
        columns = [d[0] for d in cursor.description]
        return columns, [tuple(None if v is None else str(v) for v in row) for row in cursor]

    def drop(self) -> None:
        if self.vendor != "sqlite":
            with self._connect(self.admin) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def _unfilled(old: list, new: list, key: int, filled: list[int]) -> tuple[list, list]:
    """The new rows with each filled column put back to empty where the old row had it empty,
    so the comparison still sees every other change (and any change to a value that was set)."""
    empty = {row[key]: {i for i in filled if row[i] is None} for row in old}
    put_back = [
        tuple(None if i in empty.get(row[key], ()) else v for i, v in enumerate(row)) for row in new
    ]
    return old, sorted(put_back, key=_order)


def _order(row: tuple) -> tuple:
    return tuple((value is None, value or "") for value in row)


@pytest.mark.django_db
def test_an_old_installation_upgrades_with_every_row_kept(old_code, tmp_path):
    database = _Database(tmp_path)
    try:
        data_dir = tmp_path / "var"
        env = database.env(data_dir)
        if database.vendor == "sqlite":
            data_dir.mkdir()
            database.path = data_dir / "fupin.sqlite3"
        _migrate(old_code, env)
        _run(old_code, env, "demo")
        before = database.rows()

        _migrate(REPO, env)
        after = database.rows()

        for table, (columns, rows) in before.items():
            if table.startswith("search_"):
                continue
            assert table in after, f"表 {table} 在升级后不见了"
            new_columns, new_rows = after[table]
            assert set(columns) <= set(new_columns), f"{table} 少了列"
            picks = [new_columns.index(c) for c in columns]
            kept = sorted((tuple(row[i] for i in picks) for row in new_rows), key=_order)
            filled = [columns.index(c) for c in MAY_FILL.get(table, ())]
            if filled:
                rows, kept = _unfilled(rows, kept, columns.index("id"), filled)
            if table in MAY_GROW:
                assert set(rows) <= set(kept), table
            else:
                assert sorted(rows, key=_order) == kept, f"{table} 的数据在升级时被改变"

        chain = json.loads(_run(REPO, env, "audit", "verify", "--json"))
        assert chain["ok"], chain
        _run(REPO, env, "search", "sync")
        found = json.loads(_run(REPO, env, "search", "扶贫", "--as", "fupinban", "--json"))
        assert found["count"] > 0
    finally:
        database.drop()
