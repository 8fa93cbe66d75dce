"""`fupin backup`: a consistent online snapshot of the database plus the stored files, into a
folder (another disk, a mounted share, a removable drive), incremental by digest; its
verification; and its restore into an empty installation.

The folder:
    objects/ab/cd/<sha256>            every file once, under its digest (shared by snapshots)
    snapshots/<UTC time>/manifest.json
    snapshots/<UTC time>/database.sqlite3 | database.pgdump
    audit-anchors/                    the audit chain's head, signed, at each backup
    LATEST                            the name of the newest complete snapshot

The database is snapshotted first and the list of files is read from that same snapshot
(SQLite: the copy made by the online backup API; PostgreSQL: pg_dump and the list share one
exported snapshot), so a backup names exactly the files its database refers to."""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction

from fupin.audit.services import audit_record, audit_verify
from fupin.objects.digests import CHUNK, StreamDigests
from fupin.objects.models import Digest, DigestAlgorithm, StoredObject
from fupin.objects.selectors import object_expected
from fupin.objects.stores import (
    PRIMARY,
    CopyFailed,
    copy_put,
    store,
    store_keys,
    store_walk,
    temp_dir,
)

FORMAT = "fupin-backup-1"
Progress = Callable[[str, int, int], None]


def _quiet(stage: str, done: int, total: int) -> None:
    pass


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _object_path(dest: Path, sha256: str) -> Path:
    return dest / "objects" / sha256[:2] / sha256[2:4] / sha256


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for var, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = str(db["NAME"])
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ValidationError(
            f"找不到 PostgreSQL 的 {name} 命令：请安装与数据库服务器同版本的 PostgreSQL 客户端"
            f"（Debian/Ubuntu：apt install postgresql-client），并确认它在 PATH 中。"
        )
    return found


def _not_in_transaction(what: str) -> None:
    if connection.in_atomic_block:
        raise ValidationError(f"{what}不能在数据库事务中运行（需要一致的在线快照）。")


# —— the snapshot of the database, and the list of files read from it ——


def _rows_sqlite(path: Path) -> tuple[list[dict[str, Any]], tuple[int, str]]:
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT o.sha256, o.size, d.value FROM objects_storedobject o "
            "LEFT JOIN objects_digest d ON d.object_id = o.id AND d.algorithm = ? ORDER BY o.id",
            (DigestAlgorithm.SM3.value,),
        ).fetchall()
        head = db.execute("SELECT seq, hash FROM audit_audithead WHERE id = 1").fetchone()
    db.close()
    objects = [{"sha256": s, "size": n, "sm3": m or ""} for s, n, m in rows]
    return objects, (head[0], head[1]) if head else (0, "")


def _rows_orm() -> tuple[list[dict[str, Any]], tuple[int, str]]:
    from fupin.audit.models import AuditHead

    sm3 = dict(
        Digest.objects.filter(algorithm=DigestAlgorithm.SM3).values_list("object_id", "value")
    )
    objects = [
        {"sha256": s, "size": n, "sm3": sm3.get(pk, "")}
        for pk, s, n in StoredObject.objects.order_by("pk").values_list("pk", "sha256", "size")
    ]
    head = AuditHead.objects.filter(id=1).values_list("seq", "hash").first()
    return objects, (head[0], head[1]) if head else (0, "")


def _snapshot_sqlite(
    target: Path, progress: Progress
) -> tuple[list[dict[str, Any]], tuple[int, str]]:
    connection.ensure_connection()
    raw = connection.connection
    with sqlite3.connect(target) as copy:

        def pages(status: int, remaining: int, total: int) -> None:
            progress("数据库快照（页）", total - remaining, total)

        raw.backup(copy, pages=4096, progress=pages)
    copy.close()
    return _rows_sqlite(target)


def _snapshot_postgresql(
    target: Path, progress: Progress
) -> tuple[list[dict[str, Any]], tuple[int, str]]:
    pg_dump = _pg_tool("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        progress("数据库快照（pg_dump）", 0, 1)
        done = subprocess.run(
            [pg_dump, "--format=custom", f"--snapshot={snapshot}", "--no-owner", "-f", target],
            env=_pg_env(),
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise ValidationError(f"pg_dump 失败：{done.stderr.strip()[:500]}")
        progress("数据库快照（pg_dump）", 1, 1)
        return _rows_orm()


# —— copying files in and out, verified ——


def _copy_in(dest: Path, item: dict[str, Any]) -> tuple[bool, str]:
    """Put one file into the backup unless a copy of the right size is there. Returns
    (copied, problem)."""
    final = _object_path(dest, item["sha256"])
    if final.exists() and final.stat().st_size == item["size"]:
        return False, ""
    final.parent.mkdir(parents=True, exist_ok=True)
    name = f"objects/{item['sha256'][:2]}/{item['sha256'][2:4]}/{item['sha256']}"
    problems = []
    for key in store_keys():
        fd, temp = tempfile.mkstemp(dir=final.parent, prefix=".part-")
        try:
            digests = StreamDigests()
            with os.fdopen(fd, "wb") as out, store(key).open(name, "rb") as handle:
                try:
                    while chunk := handle.read(CHUNK):
                        digests.update(chunk)
                        out.write(chunk)
                except BaseException:
                    digests.abandon()
                    raise
            found = digests.finish()
            if found[DigestAlgorithm.SHA256] == item["sha256"] and (
                not item["sm3"] or found[DigestAlgorithm.SM3] == item["sm3"]
            ):
                os.replace(temp, final)
                return True, ""
            problems.append(f"{key} 中的副本摘要不符")
        except OSError as exc:
            problems.append(f"{key} 中读取失败：{exc}")
        finally:
            if os.path.exists(temp):
                os.unlink(temp)
    return False, "；".join(problems)


@dataclass
class BackupReport:
    dest: str
    snapshot: str = ""
    engine: str = ""
    objects: int = 0
    copied: int = 0
    bytes_copied: int = 0
    problems: list[dict[str, str]] = field(default_factory=list)
    audit_head: tuple[int, str] = (0, "")
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "dest": self.dest,
            "snapshot": self.snapshot,
            "engine": self.engine,
            "objects": self.objects,
            "copied": self.copied,
            "skipped": self.objects - self.copied - len(self.problems),
            "bytes_copied": self.bytes_copied,
            "problems": self.problems,
            "audit_head": {"seq": self.audit_head[0], "hash": self.audit_head[1]},
            "seconds": round(self.seconds, 2),
        }


def _publish_anchor(dest: Path) -> dict[str, Any]:
    """THE call site where a backup writes the audit anchor (fupin.audit.anchors): the chain's
    head, signed, into the backup folder, before the snapshot (so the snapshot holds at least
    every row the anchor names)."""
    from fupin.audit.anchors import anchor_publish

    anchor = anchor_publish(reason="备份", extra_dirs=[dest / "audit-anchors"])
    return {"seq": anchor.seq, "head": anchor.head, "file": anchor.file_name()}


def backup_create(*, actor: Any, dest: Path, progress: Progress = _quiet) -> BackupReport:
    """A consistent online backup into `dest` (made if missing); files already in it (by
    digest) are not copied again. The snapshot becomes LATEST only when complete."""
    _not_in_transaction("备份")
    started = datetime.datetime.now(datetime.UTC)
    dest = dest.resolve()
    dest.mkdir(parents=True, exist_ok=True)
    name = started.strftime("%Y%m%dT%H%M%S%fZ")
    folder = dest / "snapshots" / name
    folder.mkdir(parents=True)
    report = BackupReport(str(dest), name, _engine())
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="backup.create",
            summary=f"备份到 {dest}（快照 {name}）",
            after={"dest": str(dest), "snapshot": name},
        )
    anchor = _publish_anchor(dest)
    db_file = folder / ("database.pgdump" if report.engine == "postgresql" else "database.sqlite3")
    if report.engine == "postgresql":
        objects, head = _snapshot_postgresql(db_file, progress)
    else:
        objects, head = _snapshot_sqlite(db_file, progress)
    report.objects, report.audit_head = len(objects), head
    for n, item in enumerate(objects, start=1):
        copied, problem = _copy_in(dest, item)
        if copied:
            report.copied += 1
            report.bytes_copied += item["size"]
        if problem:
            report.problems.append({"sha256": item["sha256"], "problem": problem})
        progress("电子文件", n, len(objects))
    manifest = {
        "format": FORMAT,
        "snapshot": name,
        "created_at": started.isoformat(),
        "engine": report.engine,
        "database": {
            "file": db_file.name,
            "size": db_file.stat().st_size,
            "sha256": _sha256_file(db_file),
        },
        "audit_head": {"seq": head[0], "hash": head[1]},
        "audit_anchor": anchor,
        "objects": objects,
        "problems": report.problems,
    }
    body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
    (folder / "manifest.json").write_bytes(body)
    (folder / "manifest.sha256").write_text(hashlib.sha256(body).hexdigest() + "\n")
    if report.ok:
        temp = dest / f".LATEST.{os.getpid()}"
        temp.write_text(name + "\n")
        os.replace(temp, dest / "LATEST")
    report.seconds = (datetime.datetime.now(datetime.UTC) - started).total_seconds()
    return report


# —— verifying a backup ——


def _load(dest: Path, snapshot: str | None) -> tuple[Path, dict[str, Any]]:
    dest = dest.resolve()
    if not dest.is_dir():
        raise ValidationError(f"找不到备份目录 {dest}。")
    if snapshot is None:
        latest = dest / "LATEST"
        if not latest.exists():
            raise ValidationError(f"{dest} 中没有完整的备份（缺少 LATEST 文件）。")
        snapshot = latest.read_text().strip()
    folder = dest / "snapshots" / snapshot
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise ValidationError(f"备份 {snapshot} 缺少清单 manifest.json。")
    body = manifest_path.read_bytes()
    recorded = (folder / "manifest.sha256").read_text().strip()
    if hashlib.sha256(body).hexdigest() != recorded:
        raise ValidationError(f"备份 {snapshot} 的清单与其摘要不符：清单已被改动或损坏。")
    manifest = json.loads(body)
    if manifest.get("format") != FORMAT:
        raise ValidationError(f"备份 {snapshot} 的格式“{manifest.get('format')}”无法识别。")
    return folder, manifest


@dataclass
class VerifyReport:
    snapshot: str
    engine: str
    objects: int = 0
    bytes_read: int = 0
    problems: list[dict[str, str]] = field(default_factory=list)
    audit_head: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "snapshot": self.snapshot,
            "engine": self.engine,
            "objects": self.objects,
            "bytes_read": self.bytes_read,
            "problems": self.problems,
            "audit_head": self.audit_head,
        }


def backup_verify(
    *, dest: Path, snapshot: str | None = None, progress: Progress = _quiet
) -> VerifyReport:
    """Read the whole backup through: the database file against the manifest, each file's
    SHA-256 (its name) and SM3 against the manifest."""
    folder, manifest = _load(dest, snapshot)
    report = VerifyReport(manifest["snapshot"], manifest["engine"])
    report.audit_head = manifest["audit_head"]
    db = manifest["database"]
    db_file = folder / db["file"]
    if not db_file.exists():
        report.problems.append({"what": db["file"], "problem": "数据库快照文件缺失"})
    elif _sha256_file(db_file) != db["sha256"]:
        report.problems.append({"what": db["file"], "problem": "数据库快照文件与清单摘要不符"})
    objects = manifest["objects"]
    for n, item in enumerate(objects, start=1):
        path = _object_path(Path(dest).resolve(), item["sha256"])
        if not path.exists():
            report.problems.append({"what": item["sha256"], "problem": "备份中缺少该文件"})
        else:
            with path.open("rb") as handle:
                digests = StreamDigests()
                while chunk := handle.read(CHUNK):
                    digests.update(chunk)
                found = digests.finish()
            report.bytes_read += digests.size
            if found[DigestAlgorithm.SHA256] != item["sha256"] or (
                item["sm3"] and found[DigestAlgorithm.SM3] != item["sm3"]
            ):
                report.problems.append({"what": item["sha256"], "problem": "文件摘要与清单不符"})
        progress("核对备份文件", n, len(objects))
    report.objects = len(objects)
    return report


# —— restoring into an empty installation ——

# Rows in any of these mean the installation is in use: a restore would overwrite its data.
_IN_USE = (
    ("audit_auditevent", "审计日志"),
    ("objects_storedobject", "电子文件"),
    ("accounts_user", "用户"),
    ("regions_region", "行政区划"),
)


def _installation_in_use() -> list[str]:
    found = []
    for table, label in _IN_USE:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")
                if cursor.fetchone():
                    found.append(label)
        except DatabaseError:
            continue  # not migrated yet: empty
    if next(iter(store_walk(PRIMARY)), None) is not None:
        found.append("已存电子文件（文件存储不为空）")
    return found


@dataclass
class RestoreReport:
    snapshot: str
    objects: int = 0
    audit_ok: bool = False
    audit_reason: str = ""
    audit_checked: int = 0
    fixity_bad: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.audit_ok and not self.fixity_bad

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "snapshot": self.snapshot,
            "objects": self.objects,
            "audit": {
                "ok": self.audit_ok,
                "checked": self.audit_checked,
                "reason": self.audit_reason,
            },
            "fixity_bad": self.fixity_bad,
        }


def _restore_sqlite(db_file: Path) -> None:
    connections.close_all()
    connection.ensure_connection()
    with sqlite3.connect(db_file) as source:
        source.backup(connection.connection)
    source.close()
    connections.close_all()


def _restore_postgresql(db_file: Path) -> None:
    pg_restore = _pg_tool("pg_restore")
    connections.close_all()
    done = subprocess.run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "-d",
            str(settings.DATABASES["default"]["NAME"]),
            str(db_file),
        ],
        env=_pg_env(),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise ValidationError(f"pg_restore 失败，数据库未改动：{done.stderr.strip()[:500]}")


def backup_restore(
    *, dest: Path, snapshot: str | None = None, progress: Progress = _quiet
) -> RestoreReport:
    """Restore a verified backup into this installation, which must be empty (refused
    otherwise); then every file's digests and the audit chain are checked."""
    _not_in_transaction("恢复")
    folder, manifest = _load(dest, snapshot)
    if manifest["engine"] != _engine():
        raise ValidationError(
            f"备份来自 {manifest['engine']} 数据库，本安装使用 {_engine()}：不能直接恢复。"
        )
    in_use = _installation_in_use()
    if in_use:
        raise ValidationError(
            f"只能恢复到空的安装：本安装已有{'、'.join(in_use)}。请换一个新的数据库和文件目录再恢复。"
        )
    checked = backup_verify(dest=dest, snapshot=manifest["snapshot"], progress=progress)
    if not checked.ok:
        first = checked.problems[0]
        raise ValidationError(
            f"备份核对未通过（{len(checked.problems)} 处问题，首个：{first['what']} "
            f"{first['problem']}），未做恢复。"
        )
    db_file = folder / manifest["database"]["file"]
    progress("恢复数据库", 0, 1)
    if manifest["engine"] == "postgresql":
        _restore_postgresql(db_file)
    else:
        _restore_sqlite(db_file)
    progress("恢复数据库", 1, 1)
    call_command("migrate", verbosity=0)
    report = RestoreReport(manifest["snapshot"])
    listed = {item["sha256"]: item for item in manifest["objects"]}
    root = Path(dest).resolve()
    total = StoredObject.objects.count()
    rows = StoredObject.objects.order_by("pk").prefetch_related("digests")
    for n, obj in enumerate(rows.iterator(chunk_size=200), start=1):
        item = listed.get(obj.sha256)
        if item is None:
            report.fixity_bad.append(f"{obj.sha256}：备份清单中没有该文件")
            continue
        # Checked against the restored rows, the digests audited at capture and the manifest.
        expected = object_expected(obj)
        expected.sources.append(
            ("备份清单", {k: v for k, v in (("SHA-256", obj.sha256), ("SM3", item["sm3"])) if v})
        )
        for key in store_keys():
            with tempfile.TemporaryDirectory(dir=temp_dir()) as temp:
                local = Path(temp) / obj.sha256
                shutil.copyfile(_object_path(root, obj.sha256), local)
                try:
                    copy_put(str(local), key, expected)
                except CopyFailed as exc:
                    report.fixity_bad.append(f"{obj.sha256}：{exc}")
        progress("恢复电子文件", n, total)
    report.objects = total
    chain = audit_verify(anchor_dirs=[root / "audit-anchors"])
    report.audit_ok, report.audit_checked = chain.ok, chain.checked
    report.audit_reason = chain.reason
    with transaction.atomic():
        audit_record(
            actor=None,
            action="backup.restore",
            summary=(
                f"从备份 {root}（快照 {manifest['snapshot']}）恢复：电子文件 {report.objects} 个，"
                f"审计日志{'校验通过' if chain.ok else '校验未通过'}"
            ),
            after={"dest": str(root), **report.as_dict()},
        )
    return report
