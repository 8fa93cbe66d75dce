"""A separate installation — its own database and stored files — for the tests that need real
processes: a destruction stopped with kill -9, a server harvested over HTTP.

The suite's own database lives inside one transaction per test (the append-only audit trail
cannot be flushed), which no other process can see; so these tests migrate a database once per
session (a SQLite file, or a PostgreSQL template database) and give each test a copy.

Run as a module it is the seeding and inspection side, inside the installation:
    python -m tests.disposal_live seed-destruction | slow-destroy ID | state ID | seed-open
"""

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Installation:
    folder: Path
    env: dict[str, str]

    def run(self, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *args], env=self.env, cwd=ROOT, capture_output=True, text=True,
            timeout=timeout,
        )  # fmt: skip

    def fupin(self, *args: str) -> subprocess.CompletedProcess:
        return self.run("-m", "fupin.cli", *args)

    def helper(self, *args: str) -> Any:
        done = self.run("-m", "tests.disposal_live", *args)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    def start(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, *args], env=self.env, cwd=ROOT, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, start_new_session=True,
        )  # fmt: skip


def _base_env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_"))}
    env.update(
        FUPIN_TESTING="1",
        FUPIN_DATA_DIR=str(folder),
        DJANGO_SETTINGS_MODULE="fupin.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def _pg_url(settings_db: dict[str, Any], name: str) -> str:
    host, port = settings_db.get("HOST") or "127.0.0.1", settings_db.get("PORT") or 5432
    user = settings_db.get("USER") or "postgres"
    return f"postgres://{user}@{host}:{port}/{name}"


def _pg_admin(settings_db: dict[str, Any], *statements: str) -> None:
    import psycopg

    with psycopg.connect(_pg_url(settings_db, "postgres"), autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)


class Template:
    """A migrated, empty installation to copy; made once per test session."""

    def __init__(self, folder: Path, settings_db: dict[str, Any]) -> None:
        self.folder = folder
        self.db = settings_db
        self.postgres = "postgresql" in settings_db["ENGINE"]
        self.name = f"{settings_db['NAME']}_live"
        self.copies: list[str] = []
        env = _base_env(folder)
        if self.postgres:
            _pg_admin(
                self.db, f'DROP DATABASE IF EXISTS "{self.name}"', f'CREATE DATABASE "{self.name}"'
            )
            env["DATABASE_URL"] = _pg_url(self.db, self.name)
        done = Installation(folder, env).fupin("manage", "migrate", "-v0")
        assert done.returncode == 0, done.stderr

    def copy(self, folder: Path) -> Installation:
        env = _base_env(folder)
        folder.mkdir(parents=True, exist_ok=True)
        if self.postgres:
            name = f"{self.name}_{len(self.copies) + 1}"
            _pg_admin(
                self.db, f'DROP DATABASE IF EXISTS "{name}"',
                f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"',
            )  # fmt: skip
            self.copies.append(name)
            env["DATABASE_URL"] = _pg_url(self.db, name)
        else:
            shutil.copy(self.folder / "fupin.sqlite3", folder / "fupin.sqlite3")
        return Installation(folder, env)

    def drop(self) -> None:
        if self.postgres:
            for name in [*self.copies, self.name]:
                _pg_admin(self.db, f'DROP DATABASE IF EXISTS "{name}"')


def stop(process: subprocess.Popen) -> None:
    """kill -9 the process (and its group: a server's workers with it)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


# ----------------------------------------------------------------- inside the installation


def _setup() -> None:
    import django

    django.setup()


def _fonds(unit_name: str, kind: str, fonds_code: str) -> Any:
    from fupin.records.services import class_code_add, fonds_configure
    from fupin.regions.models import Level, Region, Unit
    from fupin.schedule.services import schedule_load_annex

    province, _ = Region.objects.get_or_create(code="42", name="湖北省", level=Level.PROVINCE)
    city, _ = Region.objects.get_or_create(
        code="4203", name="十堰市", level=Level.CITY, parent=province
    )
    county, _ = Region.objects.get_or_create(
        code="420322", name="郧西县", level=Level.COUNTY, parent=city
    )
    unit = Unit.objects.create(
        region=county, kind=kind, name=unit_name, fonds_code=fonds_code, fonds_name=unit_name,
        leader="李分管",
    )  # fmt: skip
    schedule_load_annex(actor=None)
    fonds_configure(
        actor=None, unit_id=unit.pk, facet="department",
        code_template="{全宗号}-{门类}·{年度}-{保管期限}-{机构问题}-{件号}",
    )  # fmt: skip
    klass = class_code_add(actor=None, unit_id=unit.pk, code="BGS", name="办公室")
    return unit, klass


def _filed(unit: Any, klass: Any, titles: list[str], *, year: int, retention: str) -> list[Any]:
    from fupin.records.services import items_arrange, items_lock
    from tests.records_fixtures import file_item

    made = [
        file_item(
            unit, klass, title=title, day=date(year, 3, n + 1), retention=retention,
            number="49" if retention != "Y" else "1",
        )
        for n, title in enumerate(titles)
    ]  # fmt: skip
    items_arrange(actor=None, unit_id=unit.pk, year=year)
    items_lock(actor=None, unit_id=unit.pk, item_ids=[i.pk for i in made])
    for item in made:
        item.refresh_from_db()
    return made


def seed_destruction() -> dict[str, Any]:
    """Four expired records, each with its own PDF, on a register ready to be carried out."""
    from django.db.models import F

    from fupin.disposal import services
    from fupin.records.files import item_attach
    from fupin.scans.models import ScanJob
    from tests import objects_samples

    unit, klass = _fonds("郧西县扶贫开发办公室", "poverty_office", "Z001")
    items = _filed(unit, klass, [f"值班安排表{n}" for n in range(1, 5)], year=2015, retention="D10")
    for n, item in enumerate(items, start=1):
        pdf = io.BytesIO(objects_samples.pdf(1, f"page of record {n}"))
        item_attach(actor=None, item_id=item.pk, stream=pdf, filename=f"原件{n}.pdf")
    # An attached scan is read by OCR on the queue; here it has been (a record still being
    # read cannot be destroyed).
    ScanJob.objects.filter(item__in=items).update(status="done", pages_done=F("pages_total"))
    services.group_member_add(
        actor=None, unit_id=unit.pk, name="李分管", post="副主任", role="leader"
    )
    services.group_member_add(actor=None, unit_id=unit.pk, name="王档案", post="档案员")
    appraisal = services.appraisal_create(
        actor=None, unit_id=unit.pk, item_ids=[i.pk for i in items]
    )
    services.appraisal_decide(
        actor=None, appraisal_id=appraisal.pk,
        decisions=[{"item_id": i.pk, "decision": "destroy", "reason": "无保存价值"} for i in items],
    )  # fmt: skip
    services.appraisal_conclude(actor=None, appraisal_id=appraisal.pk)
    register = services.register_create(
        actor=None, appraisal_id=appraisal.pk, supervisor_1="张监销", supervisor_2="赵监销"
    )
    services.register_approve(actor=None, register_id=register.pk, approved=True)
    services.register_file(actor=None, register_id=register.pk, accepted=True)
    return {"register": register.pk, "items": [i.pk for i in items]}


def slow_destroy(register_id: int) -> None:
    """The real command, with a pause after each file's bytes are deleted, so the test can
    stop the process between two files."""
    from fupin.cli import main
    from fupin.disposal import services

    real = services.purge_object_bytes

    def slow(**kwargs: Any) -> list[str]:
        done = real(**kwargs)
        time.sleep(1.0)
        return done

    services.purge_object_bytes = slow
    sys.exit(main(["disposal", "destroy", str(register_id), "--supervisors", "张监销", "赵监销",
                   "--paper-destroyed"]))  # fmt: skip


def state(register_id: int) -> dict[str, Any]:
    """What the catalogue says and what storage holds, file by file."""
    from django.core.files.storage import default_storage

    from fupin.disposal.models import DestroyedFile, Register
    from fupin.records.models import ItemFile, RecordItem

    register = Register.objects.get(pk=register_id)
    item_ids = list(register.entries.values_list("item_id", flat=True))
    return {
        "status": register.status,
        "destroyed_items": RecordItem.objects.filter(
            pk__in=item_ids, destroyed_at__isnull=False
        ).count(),
        "item_files": ItemFile.objects.filter(item_id__in=item_ids).count(),
        "files": [
            {
                "name": f.object.storage_name,
                "deleted": f.deleted_at is not None,
                "exists": default_storage.exists(f.object.storage_name),
            }
            for f in DestroyedFile.objects.filter(register=register).select_related("object")
        ],
    }


def seed_open() -> dict[str, Any]:
    """The archives with records received from a unit: some marked 开放 and opened."""
    from fupin.disposal import services
    from fupin.records.services import records_mark_access

    unit, klass = _fonds("郧西县档案馆", "archives", "A001")
    opened = _filed(
        unit, klass, [f"扶贫工作简报第{n}期" for n in range(1, 8)], year=2016, retention="Y"
    )
    controlled = _filed(unit, klass, ["贫困人口花名册"], year=2017, retention="Y")
    records_mark_access(
        actor=None, unit_id=unit.pk, marking="open", reason="无涉密和个人信息",
        item_ids=[i.pk for i in opened],
    )  # fmt: skip
    services.opening_decide(
        actor=None, item_ids=[i.pk for i in opened], decision="open", reason="经审核可开放"
    )
    return {
        "opened": [i.reference_code for i in opened],
        "controlled": controlled[0].reference_code,
    }


def main() -> None:
    _setup()
    command, *rest = sys.argv[1:]
    if command == "slow-destroy":
        slow_destroy(int(rest[0]))
    found = {
        "seed-destruction": lambda: seed_destruction(),
        "state": lambda: state(int(rest[0])),
        "seed-open": lambda: seed_open(),
    }[command]()
    print(json.dumps(found, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
