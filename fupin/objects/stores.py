"""The stores that hold every object's bytes: the first (Django's default storage) and the
second, independent one (STORAGES["replica"], see storeconf.py). Checking a copy and
copying between stores, always verified; no database writes here (services.py records
and audits what happens)."""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage, storages

from fupin.objects.digests import CHUNK, StreamDigests, file_digests

PRIMARY = "primary"
REPLICA = "replica"
STORE_LABELS = {PRIMARY: "主存储", REPLICA: "第二存储"}


class CopyFailed(Exception):
    """A copy could not be made or did not verify; the message is in Chinese."""


def replica_configured() -> bool:
    return REPLICA in settings.STORAGES


def store(key: str) -> Storage:
    return default_storage if key == PRIMARY else storages[REPLICA]


def store_keys() -> list[str]:
    return [PRIMARY, REPLICA] if replica_configured() else [PRIMARY]


class MovableFile(File):
    """A local file FileSystemStorage moves into place (a rename) instead of copying;
    other storages (S3) simply read it."""

    def temporary_file_path(self) -> str:
        return str(getattr(self.file, "name", ""))


def temp_dir() -> str | None:
    # Beside the stored files, so that storing is a rename on the same filesystem.
    if isinstance(default_storage, FileSystemStorage):
        path = os.path.join(default_storage.location, "tmp")
        os.makedirs(path, exist_ok=True)
        return path
    return None


@dataclass
class CopyState:
    """One store's copy of one object, checked against what it must be."""

    store: str
    ok: bool
    missing: bool = False
    reason: str = ""
    digests: dict[str, str] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return STORE_LABELS[self.store]


def _differences(found: dict[str, str], size: int, expected: "Expected") -> str:
    problems = []
    if found.get("SHA-256") != expected.sha256:
        problems.append("内容与其地址（SHA-256 文件名）不符")
    for source, digests in expected.sources:
        differs = [alg for alg, value in digests.items() if found.get(alg) != value]
        if differs:
            problems.append(f"{'、'.join(differs)} 摘要与{source}不符")
    if size != expected.size:
        problems.append(f"现为 {size} 字节，记录为 {expected.size} 字节")
    return "；".join(problems)


@dataclass
class Expected:
    """What an object's bytes must be: its address, its size and each record of its digests
    (the digest rows, and the ones written in the audit trail when it was captured)."""

    name: str
    sha256: str
    size: int
    sources: list[tuple[str, dict[str, str]]]


def copy_check(key: str, expected: Expected) -> CopyState:
    """Read the copy in store `key` through and compare it with every record of it."""
    found_store = store(key)
    try:
        if not found_store.exists(expected.name):
            return CopyState(key, False, True, f"{STORE_LABELS[key]}中找不到文件 {expected.name}")
        with found_store.open(expected.name, "rb") as handle:
            digests, size = file_digests(handle)
    except FileNotFoundError:
        return CopyState(key, False, True, f"{STORE_LABELS[key]}中找不到文件 {expected.name}")
    except Exception as exc:  # an unreachable bucket, a dead disk: reported, never fatal
        return CopyState(key, False, False, f"{STORE_LABELS[key]}无法读取：{exc}")
    problems = _differences(digests, size, expected)
    if problems:
        return CopyState(key, False, False, f"{STORE_LABELS[key]}的副本{problems}", digests)
    return CopyState(key, True, digests=digests)


@contextmanager
def _spooled(key: str, expected: Expected) -> Iterator[str]:
    """The copy in store `key` downloaded to a local temporary file, verified on the way."""
    fd, path = tempfile.mkstemp(dir=temp_dir(), prefix="repair-")
    try:
        with os.fdopen(fd, "wb") as out, store(key).open(expected.name, "rb") as handle:
            digests = StreamDigests()
            try:
                while chunk := handle.read(CHUNK):
                    digests.update(chunk)
                    out.write(chunk)
            except BaseException:
                digests.abandon()
                raise
            found, size = digests.finish(), digests.size
        problems = _differences(found, size, expected)
        if problems:
            raise CopyFailed(f"{STORE_LABELS[key]}的副本{problems}，不能用作修复来源")
        yield path
    except (OSError, ValueError) as exc:
        raise CopyFailed(f"读取{STORE_LABELS[key]}失败：{exc}") from exc
    finally:
        if os.path.exists(path):
            os.unlink(path)


def copy_put(local_path: str, key: str, expected: Expected) -> None:
    """Put a local file (already known good) into store `key` under the object's name,
    replacing whatever is there, then read it back to verify."""
    target = store(key)
    try:
        if target.exists(expected.name):
            target.delete(expected.name)
        with open(local_path, "rb") as handle:
            saved = target.save(expected.name, MovableFile(handle))
    except Exception as exc:
        raise CopyFailed(f"写入{STORE_LABELS[key]}失败：{exc}") from exc
    if saved != expected.name:
        target.delete(saved)
        raise CopyFailed(f"写入{STORE_LABELS[key]}失败：同名文件被并发写入，请稍后重试")
    state = copy_check(key, expected)
    if not state.ok:
        raise CopyFailed(f"写入{STORE_LABELS[key]}后核对不通过：{state.reason}")


def copy_between(source: str, target: str, expected: Expected) -> None:
    """Copy the object from one store to the other: the source is verified while it is read,
    the target after it is written."""
    with _spooled(source, expected) as path:
        copy_put(path, target, expected)


OBJECTS_PREFIX = "objects"
TEMP_PREFIXES = ("capture-", "repair-")


def store_walk(key: str, folder: str = OBJECTS_PREFIX) -> Iterator[str]:
    """Every file name under `folder` in store `key`, depth first, a directory at a time."""
    found = store(key)
    try:
        dirs, files = found.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}"
    for sub in sorted(dirs):
        yield from store_walk(key, f"{folder}/{sub}")


def temp_leftovers() -> Iterator[str]:
    """Temporary files of captures and repairs (in the first store's tmp folder) that are
    still there: a finished capture removes its own, so these were left by a crash or kill."""
    folder = temp_dir()
    if folder is None:
        return
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.is_file() and entry.name.startswith(TEMP_PREFIXES):
            yield entry.path


def copy_delete(key: str, name: str) -> bool:
    """Remove the bytes from one store; True when they are gone."""
    target = store(key)
    target.delete(name)
    return not target.exists(name)
