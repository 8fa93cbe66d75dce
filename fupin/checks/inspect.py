"""What the checks need to know of one stored file, found in one streaming pass: both digests
recomputed (never read from the database), the size, the format identified from the bytes,
whether it opens, and what it hides (encryption, scripts, embedded files, executables)."""

import zipfile
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from fupin.objects.digests import CHUNK, StreamDigests
from fupin.objects.formats import identify
from fupin.objects.integrity import check_integrity

# Names in a PDF's raw bytes that mean active or hidden content. Compressed object streams
# can hide them from a byte scan; the catalogue-level ones are also looked up through pypdf.
PDF_ACTIVE = {
    b"/JavaScript": "含 JavaScript 脚本",
    b"/JS": "含 JavaScript 脚本",
    b"/Launch": "含启动外部程序的动作（/Launch）",
    b"/EmbeddedFile": "含嵌入文件",
    b"/RichMedia": "含富媒体（Flash 等）",
}
_LONGEST_TOKEN = max(len(t) for t in (*PDF_ACTIVE, b"/Encrypt"))

EXECUTABLE_HEADS = {
    b"MZ": "Windows 可执行程序（EXE/DLL）",
    b"\x7fELF": "Linux 可执行程序（ELF）",
    b"\xcf\xfa\xed\xfe": "macOS 可执行程序（Mach-O）",
    b"\xca\xfe\xba\xbe": "macOS/Java 可执行程序",
    b"#!": "脚本程序",
}
EXECUTABLE_NAMES = (".exe", ".dll", ".com", ".bat", ".cmd", ".vbs", ".js", ".ps1", ".sh", ".jar")
ZIP_KINDS = {"zip", "docx", "xlsx", "ofd"}


@dataclass
class FileFacts:
    found: bool
    size: int = 0
    digests: dict[str, str] = field(default_factory=dict)
    kind: str = "unknown"
    # Why it does not open as the format it is (empty: it opens).
    broken: str = ""
    encrypted: list[str] = field(default_factory=list)
    active: list[str] = field(default_factory=list)


def executable_head(head: bytes) -> str:
    return next((label for sig, label in EXECUTABLE_HEADS.items() if head.startswith(sig)), "")


def inspect_file(handle: IO[bytes]) -> FileFacts:
    """Read `handle` (seekable) once to the end for digests and a scan for PDF names, then
    look inside by format."""
    digests = StreamDigests()
    head = b""
    tail = b""
    seen: set[bytes] = set()
    try:
        while chunk := handle.read(CHUNK):
            if not head:
                head = chunk[:16]
            digests.update(chunk)
            window = tail + chunk
            seen.update(t for t in (*PDF_ACTIVE, b"/Encrypt") if t in window)
            tail = chunk[-_LONGEST_TOKEN:]
    except BaseException:
        digests.abandon()
        raise
    facts = FileFacts(found=True, size=digests.size, digests=digests.finish())
    facts.kind = identify(handle)
    try:
        check_integrity(handle, facts.kind)
    except ValidationError as exc:
        facts.broken = "；".join(exc.messages)
    if label := executable_head(head):
        facts.active.append(f"是{label}")
    if facts.kind in ("pdf", "pdfa"):
        _look_into_pdf(handle, facts, seen)
    elif facts.kind in ZIP_KINDS:
        _look_into_zip(handle, facts)
    handle.seek(0)
    return facts


def _look_into_pdf(handle: IO[bytes], facts: FileFacts, seen: set[bytes]) -> None:
    if b"/Encrypt" in seen:
        facts.encrypted.append("PDF 已加密（/Encrypt）")
    found = {label for token, label in PDF_ACTIVE.items() if token in seen}
    handle.seek(0)
    try:
        reader = PdfReader(handle)
        if reader.is_encrypted and not facts.encrypted:
            facts.encrypted.append("PDF 已加密（/Encrypt）")
        root: Any = reader.trailer["/Root"].get_object()
        names: Any = root.get("/Names")
        names = names.get_object() if names is not None else {}
        if "/JavaScript" in names:
            found.add(PDF_ACTIVE[b"/JavaScript"])
        if "/EmbeddedFiles" in names:
            found.add(PDF_ACTIVE[b"/EmbeddedFile"])
        action: Any = root.get("/OpenAction")
        action = action.get_object() if action is not None else None
        if hasattr(action, "get") and action.get("/S") in ("/JavaScript", "/Launch"):
            found.add(PDF_ACTIVE[b"/JS" if action.get("/S") == "/JavaScript" else b"/Launch"])
    except (PdfReadError, ValueError, KeyError, OSError, AttributeError, TypeError):
        # An unreadable PDF is reported by the format check; the byte scan above still counts.
        pass
    facts.active.extend(sorted(found))


def _look_into_zip(handle: IO[bytes], facts: FileFacts) -> None:
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            for info in archive.infolist():
                if info.flag_bits & 0x1:
                    facts.encrypted.append(f"压缩包内 {info.filename} 已加密")
                lower = info.filename.lower()
                if lower.endswith(EXECUTABLE_NAMES):
                    facts.active.append(f"压缩包内含可执行文件 {info.filename}")
                elif lower.endswith("vbaproject.bin"):
                    facts.active.append(f"含宏代码（{info.filename}）")
                elif not info.is_dir() and not info.flag_bits & 0x1:
                    with archive.open(info) as entry:
                        if label := executable_head(entry.read(16)):
                            facts.active.append(f"压缩包内 {info.filename} 是{label}")
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError) as exc:
        facts.broken = facts.broken or f"压缩包无法读取：{exc}"
