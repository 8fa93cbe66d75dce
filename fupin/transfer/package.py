"""The one place the transfer workflow reaches the four-property checks and the package
builder (the `checks` stream, issue 17): rewire these functions to `fupin.checks` when it is
on main. Until then they build and verify a plain BagIt bag (RFC 8493) themselves: payload
files byte for byte with per-record metadata, SHA-256 and SM3 manifests, a tag manifest and
bag-info with the Payload-Oxum; the checks are the ones this module can run for real (digests
recomputed, counts, metadata, audit trail), listed by name in every report."""

import hashlib
import json
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from fupin.objects.digests import file_digests
from fupin.objects.selectors import object_open, object_verify

ALGORITHMS = ("SHA-256", "SM3")
TAG_FILES = ("bagit.txt", "bag-info.txt", "manifest-sha256.txt", "manifest-sm3.txt")


def packages_dir() -> Path:
    path = Path(
        getattr(settings, "FUPIN_TRANSFER_DIR", "") or Path(settings.MEDIA_ROOT) / "transfer"
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass
class Check:
    key: str
    aspect: str  # 真实性 / 完整性 / 可用性 / 安全性
    label: str
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "property": self.aspect,
            "label": self.label,
            "ok": self.ok,
            "failures": self.failures[:200],
        }


@dataclass
class Built:
    path: Path
    sha256: str  # of the bag's tag manifest: names the package as a whole
    payload_bytes: int
    files: int
    checks: list[dict[str, Any]]


@dataclass
class Verified:
    ok: bool
    problems: list[str]
    records: list[dict[str, Any]]
    checks: list[dict[str, Any]]


def failed_checks(item_ids: list[int]) -> dict[int, str]:
    """Records whose last four-property check failed: item id → why. The checks app keeps
    those results; without it no check has been run on them, so none has failed."""
    try:
        from fupin.checks import selectors as checks_selectors  # type: ignore[import-not-found]
    except ImportError:
        return {}
    failing = getattr(checks_selectors, "failing_items", None)
    return dict(failing(item_ids)) if failing else {}


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _digest_file(path: Path) -> dict[str, str]:
    with path.open("rb") as handle:
        found, _size = file_digests(handle)
    return found


def build(number: str, records: list[dict[str, Any]], info: dict[str, str]) -> Built:
    """Make the bag for a batch. `records`: per record its metadata and `files`
    (StoredObject, name). Written in a hidden folder and renamed at the end, so a killed
    build leaves no half-made package (the stale folder is removed by the next run)."""
    root = packages_dir()
    final = root / number
    for stale in root.glob(f".{number}.part-*"):
        shutil.rmtree(stale, ignore_errors=True)
    work = root / f".{number}.part-{uuid.uuid4().hex[:8]}"
    data = work / "data"
    data.mkdir(parents=True)
    fixity = Check("fixity", "真实性", "电子文件摘要复算与登记值一致")
    metadata = Check(
        "metadata", "完整性", "必要著录项齐全（档号、题名、年度、保管期限、开放/控制）"
    )
    manifest: dict[str, dict[str, str]] = {}
    size_total = 0
    for record in records:
        folder = data / "records" / record["path"]
        folder.mkdir(parents=True)
        missing = [
            k for k in ("档号", "题名", "年度", "保管期限", "开放控制") if not record["meta"].get(k)
        ]
        if missing:
            metadata.failures.append(
                f"{record['meta'].get('档号') or '未编号'}：缺少{'、'.join(missing)}"
            )
        for obj, name in record.pop("files", []):
            result = object_verify(obj)
            if not result.ok:
                fixity.failures.append(f"{record['meta'].get('档号')}《{name}》：{result.reason}")
                continue
            target = folder / name
            with object_open(obj) as source, target.open("wb") as out:
                shutil.copyfileobj(source, out, 1 << 20)
            rel = target.relative_to(work).as_posix()
            manifest[rel] = {d.algorithm: d.value for d in obj.digests.all()}
            size_total += obj.size
        meta_path = folder / "metadata.json"
        _write(meta_path, json.dumps(record["meta"], ensure_ascii=False, indent=1))
        manifest[meta_path.relative_to(work).as_posix()] = _digest_file(meta_path)
        size_total += meta_path.stat().st_size
    catalogue = data / "catalogue.json"
    _write(catalogue, json.dumps([r["meta"] for r in records], ensure_ascii=False, indent=1))
    manifest[catalogue.relative_to(work).as_posix()] = _digest_file(catalogue)
    size_total += catalogue.stat().st_size
    checks = [fixity, metadata]
    _write(work / "bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    lines = [f"{k}: {v}" for k, v in info.items()]
    lines.append(f"Payload-Oxum: {size_total}.{len(manifest)}")
    _write(work / "bag-info.txt", "\n".join(lines) + "\n")
    for algorithm, name in (("SHA-256", "manifest-sha256.txt"), ("SM3", "manifest-sm3.txt")):
        _write(work / name, "".join(f"{d[algorithm]}  {p}\n" for p, d in sorted(manifest.items())))
    tags = "".join(
        f"{hashlib.sha256((work / t).read_bytes()).hexdigest()}  {t}\n" for t in TAG_FILES
    )
    _write(work / "tagmanifest-sha256.txt", tags)
    if final.exists():
        shutil.rmtree(final)
    os.replace(work, final)
    return Built(
        path=final,
        sha256=hashlib.sha256(tags.encode()).hexdigest(),
        payload_bytes=size_total,
        files=len(manifest),
        checks=[c.as_dict() for c in checks],
    )


def _read_manifest(path: Path, problems: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    if not path.is_file():
        problems.append(f"缺少 {path.name}")
        return found
    for line in path.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        if not digest or not name:
            problems.append(f"{path.name} 格式不正确：{line[:80]}")
            continue
        found[name] = digest
    return found


def verify(path: Path) -> Verified:
    """Check a bag trusting nothing in it: every payload byte against both manifests, no
    missing or extra files, no links or paths outside the bag, the tag manifest and the
    Payload-Oxum; then read the per-record metadata."""
    problems: list[str] = []
    path = Path(path)
    if not path.is_dir() or not (path / "bagit.txt").is_file():
        return Verified(False, [f"{path} 不是移交包（BagIt 目录）"], [], [])
    root = path.resolve()
    payload: set[str] = set()
    for current, dirs, names in os.walk(path):
        for name in [*dirs, *names]:
            full = Path(current) / name
            if full.is_symlink():
                problems.append(f"包内有链接文件 {full.relative_to(path).as_posix()}，拒收")
            elif not full.resolve().is_relative_to(root):
                problems.append(f"路径越出移交包：{name}")
            elif full.is_file() and full.relative_to(path).parts[0] == "data":
                payload.add(full.relative_to(path).as_posix())
    tags = _read_manifest(path / "tagmanifest-sha256.txt", problems)
    for name in TAG_FILES:
        file = path / name
        if not file.is_file():
            problems.append(f"缺少 {name}")
        elif tags.get(name) != hashlib.sha256(file.read_bytes()).hexdigest():
            problems.append(f"{name} 与标签清单的摘要不符（被改动）")
    sha = _read_manifest(path / "manifest-sha256.txt", problems)
    sm3 = _read_manifest(path / "manifest-sm3.txt", problems)
    for name in sorted(set(sha) | set(sm3)):
        if ".." in Path(name).parts or Path(name).is_absolute() or not name.startswith("data/"):
            problems.append(f"清单中的路径越出移交包：{name}")
    for name in sorted(payload - set(sha)):
        problems.append(f"多出清单以外的文件 {name}")
    for name in sorted(set(sha) - payload):
        problems.append(f"缺少文件 {name}")
    size_total = 0
    for name in sorted(payload & set(sha)):
        found = _digest_file(path / name)
        size_total += (path / name).stat().st_size
        if found["SHA-256"] != sha[name]:
            problems.append(f"{name} 的 SHA-256 与清单不符（文件被改动）")
        if sm3.get(name) != found["SM3"]:
            problems.append(f"{name} 的 SM3 与清单不符（文件被改动）")
    oxum = ""
    if (path / "bag-info.txt").is_file():
        for line in (path / "bag-info.txt").read_text(encoding="utf-8").splitlines():
            if line.startswith("Payload-Oxum:"):
                oxum = line.split(":", 1)[1].strip()
    if oxum != f"{size_total}.{len(payload)}":
        problems.append(f"Payload-Oxum 为 {oxum or '空'}，实际为 {size_total}.{len(payload)}")
    records: list[dict[str, Any]] = []
    catalogue = path / "data" / "catalogue.json"
    if not problems and catalogue.is_file():
        try:
            records = json.loads(catalogue.read_text(encoding="utf-8"))
        except ValueError:
            problems.append("目录 catalogue.json 无法解析")
    authenticity = Check("fixity", "真实性", "每个文件的 SHA-256 与 SM3 复算与清单一致")
    integrity = Check("manifest", "完整性", "文件数、字节数与清单一致，无缺少、无多余")
    safety = Check("paths", "安全性", "无链接文件、无越出移交包的路径")
    for p in problems:
        if "摘要" in p or "SHA-256" in p or "SM3" in p:
            authenticity.failures.append(p)
        elif "链接" in p or "越出" in p:
            safety.failures.append(p)
        else:
            integrity.failures.append(p)
    checks = [c.as_dict() for c in (authenticity, integrity, safety)]
    return Verified(not problems, problems, records, checks)


def discard(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def package_path(name: str) -> Path:
    return packages_dir() / name
