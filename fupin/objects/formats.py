"""Identify a file's format from its first bytes (and, for zip packages, their entries),
never from its name. Keys are short and stable; labels are for people."""

import zipfile
from typing import IO

from pypdf import PdfReader
from pypdf.errors import PdfReadError

LABELS = {
    "pdfa": "PDF/A",
    "pdf": "PDF",
    "ofd": "OFD 版式文件",
    "docx": "Word 文档（DOCX）",
    "xlsx": "Excel 工作簿（XLSX）",
    "wps": "WPS/Office 97 文档",
    "rtf": "RTF 文档",
    "jpeg": "JPEG 图像",
    "png": "PNG 图像",
    "tiff": "TIFF 图像",
    "gif": "GIF 图像",
    "mp3": "MP3 音频",
    "wav": "WAV 音频",
    "mp4": "MP4 视频",
    "avi": "AVI 视频",
    "xml": "XML",
    "zip": "ZIP 压缩包",
    "txt": "纯文本",
    "unknown": "无法识别的格式",
}
EXTENSIONS = {
    "pdfa": {"pdf"},
    "pdf": {"pdf"},
    "ofd": {"ofd"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "wps": {"wps", "doc", "xls", "et"},
    "rtf": {"rtf"},
    "jpeg": {"jpg", "jpeg"},
    "png": {"png"},
    "tiff": {"tif", "tiff"},
    "gif": {"gif"},
    "mp3": {"mp3"},
    "wav": {"wav"},
    "mp4": {"mp4", "m4v"},
    "avi": {"avi"},
    "xml": {"xml"},
    "zip": {"zip"},
    "txt": {"txt", "csv"},
}
MIME = {
    "pdfa": "application/pdf",
    "pdf": "application/pdf",
    "ofd": "application/ofd",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "tiff": "image/tiff",
    "gif": "image/gif",
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
    "mp4": "video/mp4",
    "avi": "video/x-msvideo",
    "xml": "application/xml",
    "txt": "text/plain",
    "zip": "application/zip",
}
ZIP_MARKERS = (("OFD.xml", "ofd"), ("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"))


def _by_signature(head: bytes) -> str:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "wps"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "avi"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "mp3"
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<?xml"):
        return "xml"
    if not head or any(b < 9 or 13 < b < 32 for b in head):
        return "unknown"
    # UTF-8, or GB18030 (the GBK tables exported by older office software) is text.
    return "txt" if any(_decodes(head, codec) for codec in ("utf-8", "gb18030")) else "unknown"


def _decodes(head: bytes, codec: str) -> bool:
    try:
        head.decode(codec)
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        return exc.start >= len(head) - 3
    return True


def identify(file: IO[bytes]) -> str:
    """The format key of a seekable file; the position is restored."""
    file.seek(0)
    head = file.read(4096)
    kind = _by_signature(head)
    if kind == "zip":
        try:
            names = set(zipfile.ZipFile(file).namelist())
        except zipfile.BadZipFile:
            names = set()
        kind = next((k for marker, k in ZIP_MARKERS if marker in names), "zip")
    elif kind == "pdf" and _is_pdfa(file):
        kind = "pdfa"
    file.seek(0)
    return kind


def _is_pdfa(file: IO[bytes]) -> bool:
    """PDF/A declares itself in the catalogue's XMP metadata (pdfaid:part, as an element or an
    attribute); read through pypdf because the packet may sit anywhere, even compressed."""
    file.seek(0)
    try:
        metadata = PdfReader(file).root_object.get("/Metadata")
        return metadata is not None and b"pdfaid:part" in metadata.get_object().get_data()
    except (PdfReadError, ValueError, KeyError, OSError, AttributeError):
        # A damaged PDF is refused by the integrity check; here it is simply not PDF/A.
        return False


def declared_extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


# Programs, whatever they are called: Windows PE, ELF, Mach-O (thin and fat; Java class files
# share the fat magic), and scripts run through a "#!" interpreter line.
EXECUTABLE_SIGNATURES = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)


def is_executable(file: IO[bytes]) -> bool:
    """Whether the content is a program; the position is restored."""
    file.seek(0)
    head = file.read(8).lstrip(b"\xef\xbb\xbf")
    file.seek(0)
    return head.startswith(EXECUTABLE_SIGNATURES)
