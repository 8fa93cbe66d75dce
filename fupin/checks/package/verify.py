"""Checking a package that arrived, trusting nothing in it: its form (a BagIt directory, or a
.tar/.tar.gz/.zip of one, unpacked here with limits), every path, every link, every manifest
line, every payload and tag file's SHA-256 and SM3 recomputed, the Payload-Oxum, and the METS
against the manifests. Each problem is named in Chinese; the package is accepted only with
none. Nothing here writes to the database."""

import multiprocessing
import os
import re
import shutil
import stat
import tarfile
import tempfile
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat
from xml.parsers.expat import errors as expat_errors

from fupin.checks.package.build import ALGORITHMS, MANIFEST_NAME
from fupin.checks.package.fixity import WORKERS, hash_file, hash_files
from fupin.core.problems import Problem, ProblemError
from fupin.objects.digests import CHUNK

# Limits for what an archive may unpack to: beyond them it is treated as an archive bomb.
MAX_MEMBERS = 500_000
MAX_UNPACKED_BYTES = 64 * 1024**3
# Highly compressible content (text, XML) packs ~10:1; a ratio far beyond it with a large
# result is what bombs look like.
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 64 * 1024**2
HEX = {"SHA-256": re.compile(r"[0-9a-f]{64}"), "SM3": re.compile(r"[0-9a-f]{64}")}
METS_URI = "http://www.loc.gov/METS/"
XLINK_URI = "http://www.w3.org/1999/xlink"
PREMIS_URI = "http://www.loc.gov/premis/v3"
PREMIS_TEXT = {
    f"{PREMIS_URI} {name}"
    for name in ("objectIdentifierValue", "messageDigestAlgorithm", "messageDigest")
}
# How long the METS reader may take, counted from its start (it runs while the payload is
# hashed): a METS of ten thousand files is read in a few seconds, so this only ends a reader
# that is stuck.
METS_TIMEOUT = 900.0
# What expat says is wrong, in the words the operator reads (anything else: 格式错误).
_EXPAT_REASONS = {
    expat_errors.codes[getattr(expat_errors, name)]: reason
    for name, reason in (
        ("XML_ERROR_SYNTAX", "语法错误"),
        ("XML_ERROR_NO_ELEMENTS", "没有任何元素（文件为空或被截断）"),
        ("XML_ERROR_INVALID_TOKEN", "含有无效的字符或标记"),
        ("XML_ERROR_UNCLOSED_TOKEN", "标记没有结束（文件可能被截断）"),
        ("XML_ERROR_PARTIAL_CHAR", "字符不完整（文件可能被截断）"),
        ("XML_ERROR_TAG_MISMATCH", "起止标签不匹配"),
        ("XML_ERROR_DUPLICATE_ATTRIBUTE", "属性重复"),
        ("XML_ERROR_JUNK_AFTER_DOC_ELEMENT", "根元素之后还有多余内容"),
        ("XML_ERROR_UNDEFINED_ENTITY", "引用了未定义的实体"),
        ("XML_ERROR_BAD_CHAR_REF", "字符引用无效"),
        ("XML_ERROR_INCORRECT_ENCODING", "编码声明与内容不符"),
        ("XML_ERROR_UNKNOWN_ENCODING", "编码无法识别"),
        ("XML_ERROR_UNBOUND_PREFIX", "使用了未声明的命名空间前缀"),
        ("XML_ERROR_UNCLOSED_CDATA_SECTION", "CDATA 段没有结束"),
        ("XML_ERROR_MISPLACED_XML_PI", "XML 声明不在文件开头"),
    )
}


@dataclass
class VerifyReport:
    """What was found. `root` is the bag directory checked (for an archive: where it was
    unpacked — the caller removes it with `cleanup()` once it has taken the files in)."""

    source: Path
    root: Path | None = None
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    bytes: int = 0
    info: dict[str, str] = field(default_factory=dict)
    # payload path → {algorithm: digest}, as recomputed here.
    digests: dict[str, dict[str, str]] = field(default_factory=dict)
    # The temporary folder an archive was unpacked into (None for a directory).
    unpacked: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def refuse(self, code: str, message: str, path: str = "") -> None:
        self.problems.append(Problem(code=code, message=message, field=path))

    @property
    def reason(self) -> str:
        shown = "；".join(p.message for p in self.problems[:10])
        more = f"；等共 {len(self.problems)} 处问题" if len(self.problems) > 10 else ""
        return f"数据包不能接收：{shown}{more}。" if self.problems else ""

    def raise_if_refused(self) -> None:
        if self.problems:
            raise ProblemError([Problem("package.refused", self.reason), *self.problems])

    def cleanup(self) -> None:
        if self.unpacked is not None:
            shutil.rmtree(self.unpacked, ignore_errors=True)
            self.unpacked = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "source": str(self.source),
            "files": self.files,
            "bytes": self.bytes,
            "info": self.info,
            "problems": [p.as_dict() for p in self.problems],
            "reason": self.reason,
        }


class _Refused(Exception):
    """Stop checking: the package cannot be read any further."""


def _safe_member(name: str) -> str | None:
    """The member's path if it stays inside the package, else None ('a/./b' and 'a//b' are
    given back in their plain form, which then differs from what was written)."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return None
    if len(name) > 1 and name[1] == ":":
        return None
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


class _Budget:
    def __init__(self, report: VerifyReport, compressed: int, max_bytes: int) -> None:
        self.report = report
        self.compressed = max(compressed, 1)
        self.max_bytes = max_bytes
        self.written = 0

    def spend(self, size: int, name: str) -> None:
        self.written += size
        if self.written > self.max_bytes:
            self.report.refuse(
                "package.bomb",
                f"解压后超过 {self.max_bytes} 字节的上限（在 {name} 处），疑为压缩炸弹，已停止解压",
                name,
            )
            raise _Refused
        if self.written > RATIO_FLOOR_BYTES and self.written / self.compressed > MAX_RATIO:
            self.report.refuse(
                "package.bomb",
                f"解压后的大小超过压缩包的 {MAX_RATIO} 倍（在 {name} 处），"
                "疑为压缩炸弹，已停止解压",
                name,
            )
            raise _Refused


def _copy_limited(source: Any, target: Path, budget: _Budget, name: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("xb") as out:
        while chunk := source.read(CHUNK):
            budget.spend(len(chunk), name)
            out.write(chunk)


def _unpack_tar(archive: Path, into: Path, report: VerifyReport, max_bytes: int) -> None:
    budget = _Budget(report, archive.stat().st_size, max_bytes)
    try:
        with tarfile.open(archive, "r:*") as tar:
            count = 0
            for member in tar:
                count += 1
                if count > MAX_MEMBERS:
                    report.refuse(
                        "package.bomb", f"压缩包内条目超过 {MAX_MEMBERS} 个，疑为压缩炸弹"
                    )
                    raise _Refused
                name = _safe_member(member.name)
                if name is None:
                    report.refuse(
                        "package.path", f"压缩包内的路径“{member.name}”越出数据包", member.name
                    )
                    raise _Refused
                if member.issym() or member.islnk():
                    report.refuse(
                        "package.link", f"压缩包内含链接“{member.name}”，不接收链接", member.name
                    )
                    raise _Refused
                if member.isdir():
                    (into / name).mkdir(parents=True, exist_ok=True)
                    continue
                if not member.isfile():
                    report.refuse(
                        "package.special", f"压缩包内含特殊文件“{member.name}”", member.name
                    )
                    raise _Refused
                source = tar.extractfile(member)
                if source is None:
                    raise tarfile.ReadError(member.name)
                _copy_limited(source, into / name, budget, member.name)
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        report.refuse("package.truncated", f"压缩包不完整或已损坏（可能传输中断）：{exc}")
        raise _Refused from exc


def _unpack_zip(archive: Path, into: Path, report: VerifyReport, max_bytes: int) -> None:
    budget = _Budget(report, archive.stat().st_size, max_bytes)
    try:
        with zipfile.ZipFile(archive) as package:
            members = package.infolist()
            if len(members) > MAX_MEMBERS:
                report.refuse("package.bomb", f"压缩包内条目超过 {MAX_MEMBERS} 个，疑为压缩炸弹")
                raise _Refused
            for member in members:
                name = _safe_member(member.filename)
                if name is None:
                    report.refuse(
                        "package.path",
                        f"压缩包内的路径“{member.filename}”越出数据包",
                        member.filename,
                    )
                    raise _Refused
                mode = member.external_attr >> 16
                if stat.S_ISLNK(mode):
                    report.refuse(
                        "package.link",
                        f"压缩包内含链接“{member.filename}”，不接收链接",
                        member.filename,
                    )
                    raise _Refused
                if member.is_dir():
                    (into / name).mkdir(parents=True, exist_ok=True)
                    continue
                with package.open(member) as source:
                    _copy_limited(source, into / name, budget, member.filename)
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
        report.refuse("package.truncated", f"压缩包不完整或已损坏（可能传输中断）：{exc}")
        raise _Refused from exc


def _unpack(source: Path, report: VerifyReport, workdir: Path | None, max_bytes: int) -> Path:
    if workdir is not None:
        workdir.mkdir(parents=True, exist_ok=True)
    into = Path(tempfile.mkdtemp(prefix="fupin-unpack-", dir=workdir))
    report.unpacked = into
    report.root = into
    name = source.name.lower()
    if name.endswith(".zip"):
        _unpack_zip(source, into, report, max_bytes)
    else:
        _unpack_tar(source, into, report, max_bytes)
    # The bag is the archive's root or its one top-level folder.
    if (into / "bagit.txt").exists():
        return into
    entries = list(into.iterdir())
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return into


def _walk(root: Path, report: VerifyReport) -> Iterator[tuple[str, int]]:
    """(relative POSIX path, size) of every regular file under root; links and special files
    are problems and are never followed (the directory entries' own types are used, so no
    entry is looked up twice)."""
    pending = [(str(root), "")]
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                relative = f"{prefix}{entry.name}"
                if entry.is_symlink():
                    report.refuse(
                        "package.link", f"数据包内含符号链接“{relative}”，不接收链接", relative
                    )
                elif entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{relative}/"))
                elif entry.is_file(follow_symlinks=False):
                    yield relative, entry.stat(follow_symlinks=False).st_size
                else:
                    report.refuse("package.special", f"数据包内含特殊文件“{relative}”", relative)


def _read_manifest(root: Path, name: str, algorithm: str, report: VerifyReport) -> dict[str, str]:
    entries: dict[str, str] = {}
    try:
        lines = (root / name).read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        report.refuse("package.manifest", f"{name} 不是 UTF-8 文本", name)
        return entries
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parts = line.split(None, 1)
        digest = parts[0].lower() if parts else ""
        if len(parts) != 2 or not HEX[algorithm].fullmatch(digest):
            report.refuse("package.manifest", f"{name} 第 {number} 行格式不对", name)
            continue
        path = parts[1].strip().replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")
        safe = _safe_member(path)
        if safe is None or safe != path:
            report.refuse("package.path", f"{name} 第 {number} 行的路径“{path}”越出数据包", name)
            continue
        if path in entries:
            report.refuse("package.manifest", f"{name} 重复登记了“{path}”", name)
        entries[unicodedata.normalize("NFC", path)] = digest
    return entries


def _bag_info(root: Path, report: VerifyReport) -> dict[str, str]:
    info: dict[str, str] = {}
    path = root / "bag-info.txt"
    if not path.exists():
        return info
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        report.refuse("package.info", "bag-info.txt 不是 UTF-8 文本", "bag-info.txt")
        return info
    label = ""
    for line in text.splitlines():
        if line[:1] in (" ", "\t") and label:
            info[label] += " " + line.strip()
        elif ":" in line:
            label, value = line.split(":", 1)
            label = label.strip()
            info[label] = value.strip()
    return info


def package_digest(path: Path | str) -> str:
    """The package's own digest: SHA-256 of its tagmanifest-sha256.txt, which covers every
    manifest and so every byte. The 交接文据 records it; receipt compares."""
    digests, _ = hash_file(Path(path) / "tagmanifest-sha256.txt", ("SHA-256",))
    return digests["SHA-256"]


def package_verify(
    path: Path | str,
    *,
    expected_digest: str = "",
    workdir: Path | None = None,
    max_bytes: int = MAX_UNPACKED_BYTES,
    algorithms: tuple[str, ...] = ALGORITHMS,
    workers: int = WORKERS,
) -> VerifyReport:
    """Check the package at `path` (a bag directory or a .tar/.tar.gz/.tgz/.zip of one).
    `expected_digest` is the package digest recorded at transfer (package_digest); when
    given, a package whose manifests were rewritten consistently is still refused."""
    source = Path(path)
    report = VerifyReport(source=source)
    try:
        if source.is_symlink():
            report.refuse("package.link", f"数据包“{source.name}”本身是符号链接，不接收链接")
            raise _Refused
        if source.is_file():
            if not re.search(r"\.(zip|tar|tar\.gz|tgz)$", source.name.lower()):
                report.refuse(
                    "package.form", "数据包应为 BagIt 目录，或其 .tar、.tar.gz、.zip 压缩包"
                )
                raise _Refused
            root = _unpack(source, report, workdir, max_bytes)
        elif source.is_dir():
            root = source
        else:
            report.refuse("package.form", f"找不到数据包 {source}")
            raise _Refused
        report.root = root
        _check_bag(root, report, expected_digest, algorithms, workers)
    except _Refused:
        pass
    return report


def _check_bag(
    root: Path, report: VerifyReport, expected: str, algorithms: tuple[str, ...], workers: int
) -> None:
    sizes = dict(_walk(root, report))
    files = set(sizes)
    if report.problems:
        raise _Refused
    declaration = root / "bagit.txt"
    if "bagit.txt" not in files or not re.search(
        r"^BagIt-Version: (1\.0|0\.97)$", declaration.read_text("utf-8", "replace"), re.M
    ):
        report.refuse("package.form", "缺少 bagit.txt 或其版本声明，不是 BagIt 数据包", "bagit.txt")
        raise _Refused
    manifests: dict[str, dict[str, str]] = {}
    for algorithm in ALGORITHMS:
        name = f"manifest-{MANIFEST_NAME[algorithm]}.txt"
        if name not in files:
            report.refuse(
                "package.missing", f"缺少 {name}（应有 SHA-256 与 SM3 两种摘要清单）", name
            )
            continue
        manifests[algorithm] = _read_manifest(root, name, algorithm, report)
    tag_name = "tagmanifest-sha256.txt"
    if tag_name not in files:
        report.refuse("package.missing", f"缺少 {tag_name}，无法核验清单和元数据", tag_name)
    if report.problems:
        raise _Refused
    if expected and package_digest(root) != expected.lower():
        report.refuse(
            "package.digest",
            "数据包摘要与移交时登记的不符（清单已被改动）",
            tag_name,
        )
    sizes = {unicodedata.normalize("NFC", f): size for f, size in sizes.items()}
    payload = {f for f in sizes if f.startswith("data/")}
    report.files = len(payload)
    for alg, entries in manifests.items():
        name = f"manifest-{MANIFEST_NAME[alg]}.txt"
        for missing in sorted(set(entries) - payload):
            report.refuse("package.missing", f"缺少文件“{missing}”（{name} 中有登记）", missing)
        for extra in sorted(payload - set(entries)):
            report.refuse("package.extra", f"多出未登记的文件“{extra}”", extra)
        for path in sorted(p for p in entries if not p.startswith("data/")):
            report.refuse("package.manifest", f"{name} 登记了数据目录以外的“{path}”", name)
    present = sorted(p for p in payload if all(p in e for e in manifests.values()))
    # The METS is read by a process of its own while this one hashes: its parser runs Python for
    # every element, and here it would hold the GIL the hashing threads need (those, hashing
    # many small files, are themselves mostly Python and use about one core between them).
    mets_problems = (
        _forked(lambda: _mets_problems(root, manifests, sizes))
        if "metadata/mets.xml" in sizes
        else None
    )
    # The tag files (the METS among them, the largest) are hashed on this thread while the
    # workers hash the payload: that is C work that leaves the GIL free.

    def alongside() -> None:
        _check_tags(root, files, report)
        report.info = _bag_info(root, report)
        report.bytes = sum(sizes[p] for p in payload if p in sizes)
        oxum = report.info.get("Payload-Oxum", "")
        if oxum != f"{report.bytes}.{report.files}":
            report.refuse(
                "package.oxum",
                f"bag-info.txt 的 Payload-Oxum（{oxum or '无'}）与实际的 {report.bytes} 字节、"
                f"{report.files} 个文件不符",
                "bag-info.txt",
            )

    hashed = hash_files(
        [root / p for p in present],
        algorithms,
        workers,
        sizes=[sizes[p] for p in present],
        meanwhile=alongside,
    )
    for relative, (_path, digests, _size) in zip(present, hashed, strict=True):
        report.digests[relative] = digests
        for name, value in digests.items():
            if manifests[name][relative] != value:
                report.refuse(
                    "package.digest",
                    f"“{relative}”的 {name} 摘要与清单不符（内容已被改动）",
                    relative,
                )
    if mets_problems is not None:
        report.problems.extend(mets_problems())


def _forked(work: Callable[[], list[Problem]]) -> Callable[[], list[Problem]]:
    """Start `work` in a forked process (which has everything this one has read, so nothing is
    sent to it) and give back how to wait for its problems. The child leaves by os._exit, so it
    never closes this process's database connections or files. A child that dies (killed, out
    of memory) or is still at work METS_TIMEOUT seconds after its start refuses the package: its
    METS has not been checked."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def run() -> None:
        sender.send(work())

    child = context.Process(target=run, daemon=True)
    deadline = time.monotonic() + METS_TIMEOUT
    child.start()
    sender.close()

    def result() -> list[Problem]:
        try:
            if not receiver.poll(max(0.0, deadline - time.monotonic())):
                child.kill()
                child.join()
                return [_mets_unchecked(f"核验超过 {METS_TIMEOUT:g} 秒仍未完成，已中止")]
            problems: list[Problem] = receiver.recv()
        except EOFError:
            child.join()
            return [
                _mets_unchecked(
                    f"核验进程异常终止（退出码 {child.exitcode}，可能内存不足或被强行结束）"
                )
            ]
        finally:
            receiver.close()
        child.join()
        return problems

    return result


def _mets_unchecked(why: str) -> Problem:
    return Problem(
        "package.mets",
        f"metadata/mets.xml 未能核验：{why}，数据包不能接收，请重试或检查服务器",
        "metadata/mets.xml",
    )


def _check_tags(root: Path, files: set[str], report: VerifyReport) -> None:
    tags = {f for f in files if not f.startswith(("data/", "tagmanifest-"))}
    listed: dict[str, tuple[str, dict[str, str]]] = {}
    for algorithm in ALGORITHMS:
        name = f"tagmanifest-{MANIFEST_NAME[algorithm]}.txt"
        if name not in files:
            continue
        entries = _read_manifest(root, name, algorithm, report)
        for missing in sorted(set(entries) - tags):
            report.refuse("package.missing", f"缺少标签文件“{missing}”（{name} 中有登记）", missing)
        for extra in sorted(tags - set(entries)):
            report.refuse("package.extra", f"多出未登记的标签文件“{extra}”", extra)
        listed[algorithm] = (name, entries)
    # Each tag file is read once, for every algorithm it is listed under.
    for path in sorted(tags):
        wanted = [alg for alg, (_name, entries) in listed.items() if path in entries]
        if not wanted:
            continue
        digests, _ = hash_file(root / path, wanted)
        for alg in wanted:
            name, entries = listed[alg]
            if digests[alg] != entries[path]:
                report.refuse(
                    "package.digest",
                    f"“{path}”的 {alg} 摘要与 {name} 不符（已被改动）",
                    path,
                )


_FILE = f"{METS_URI} file"
_FLOCAT = f"{METS_URI} FLocat"
_HREF = f"{XLINK_URI} href"
_OBJECT_ID = f"{PREMIS_URI} objectIdentifierValue"
_ALGORITHM = f"{PREMIS_URI} messageDigestAlgorithm"
_DIGEST = f"{PREMIS_URI} messageDigest"
_FIXITY = f"{PREMIS_URI} fixity"
_OBJECT = f"{PREMIS_URI} object"
_ENDS = PREMIS_TEXT | {_FILE, _FIXITY, _OBJECT}


class _MetsReader:
    """What the METS says of each file, read with expat's callbacks (no tree is built): the
    original files' locations, SHA-256 and sizes, and each PREMIS object's digests. Most of
    the document (descriptions, events, structure) says nothing of these, so the callbacks that
    are not needed there are switched off: element ends are followed only inside a METS file or
    PREMIS object, and text only inside the few PREMIS elements that carry a value."""

    def __init__(self, parser: Any) -> None:
        self.parser = parser
        self.listed: dict[str, tuple[str, str]] = {}
        self.premis: dict[str, dict[str, str]] = {}
        self._file: dict[str, str] | None = None
        self._inside = 0  # open METS file and PREMIS object elements
        self._text: list[str] | None = None
        self._fixity: dict[str, str] = {}
        self._object_id = ""
        self._digests: dict[str, str] = {}
        parser.buffer_text = True
        parser.StartElementHandler = self.start

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag in PREMIS_TEXT:
            if self._inside:
                self._text = []
                self.parser.CharacterDataHandler = self._text.append
        elif tag in (_FILE, _OBJECT):
            if tag == _FILE:
                self._file = attrs
            self._inside += 1
            self.parser.EndElementHandler = self.end
        elif tag == _FLOCAT and self._file and self._file.get("CHECKSUMTYPE") == "SHA-256":
            href = attrs.get(_HREF, "")
            self.listed[href] = (self._file.get("CHECKSUM", ""), self._file.get("SIZE", ""))

    def end(self, tag: str) -> None:
        if tag not in _ENDS:
            return
        if tag in PREMIS_TEXT:
            if self._text is not None:
                self.parser.CharacterDataHandler = None
                value, self._text = "".join(self._text).strip(), None
                if tag == _OBJECT_ID:
                    self._object_id = value
                else:
                    self._fixity[tag] = value
            return
        if tag == _FIXITY:
            algorithm = self._fixity.get(_ALGORITHM, "")
            self._digests[algorithm] = self._fixity.get(_DIGEST, "")
            self._fixity = {}
            return
        if tag == _FILE:
            self._file = None
        else:  # the PREMIS object
            self.premis[self._object_id] = self._digests
            self._digests, self._object_id = {}, ""
        self._inside -= 1
        if not self._inside:
            self.parser.EndElementHandler = None


def _mets_problems(
    root: Path, manifests: dict[str, dict[str, str]], sizes: dict[str, int]
) -> list[Problem]:
    """The METS says the same as the manifests: each original it lists is in them with the
    same SHA-256 and size, with PREMIS digests equal to both manifests; no original goes
    unlisted. A document type or entity declaration is refused outright."""
    # Collected on a report of its own: this runs in another process (see _forked).
    report = VerifyReport(source=root)
    path = root / "metadata" / "mets.xml"
    parser = expat.ParserCreate(namespace_separator=" ")
    reader = _MetsReader(parser)

    def refuse_declarations(*_args: Any) -> None:
        raise ValueError("DOCTYPE")

    parser.StartDoctypeDeclHandler = refuse_declarations
    parser.EntityDeclHandler = refuse_declarations
    try:
        with path.open("rb") as handle:
            parser.ParseFile(handle)
    except ValueError:
        report.refuse(
            "package.mets", "metadata/mets.xml 含 DOCTYPE/实体声明，不接收", "metadata/mets.xml"
        )
        return report.problems
    except expat.ExpatError as exc:
        reason = _EXPAT_REASONS.get(exc.code, "格式错误")
        report.refuse(
            "package.mets",
            f"metadata/mets.xml 不是格式正确的 XML：第 {exc.lineno} 行第 {exc.offset + 1} 列"
            f"{reason}",
            "metadata/mets.xml",
        )
        return report.problems
    listed, premis = reader.listed, reader.premis
    sha = manifests.get("SHA-256", {})
    for href, (checksum, size) in listed.items():
        if href not in sha:
            report.refuse("package.mets", f"METS 登记的“{href}”不在清单中", href)
        elif sha[href] != checksum.lower() or (size and href in sizes and str(sizes[href]) != size):
            report.refuse("package.mets", f"METS 中“{href}”的摘要或大小与清单不符", href)
    for href, digests in premis.items():
        for algorithm, value in digests.items():
            if algorithm in manifests and manifests[algorithm].get(href) != value.lower():
                report.refuse(
                    "package.mets", f"PREMIS 中“{href}”的 {algorithm} 摘要与清单不符", href
                )
    originals = {
        p for p in sha if p.startswith("data/records/") and not p.endswith("/metadata.json")
    }
    for unlisted in sorted(originals - set(listed)):
        report.refuse("package.mets", f"原始文件“{unlisted}”未在 METS 中登记", unlisted)
    return report.problems
