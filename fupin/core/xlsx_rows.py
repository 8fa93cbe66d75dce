"""Rows of an .xlsx sheet read in slices, for sheets too big to hold in memory.

calamine, the fastest reader here, loads a whole sheet at once (about 2.4 GB for a million
rows of the registration sheet). So the sheet's XML is cut, without parsing it, at row ends
into slices of a few tens of megabytes; each slice becomes a small workbook of its own in
memory (the original's workbook, styles and shared strings, and that slice of rows) that
calamine reads. Row numbers come from the rows themselves, so gaps and empty leading
columns read as they would from the whole sheet. A thread reads the next slice while the
caller works on the current one: calamine releases the GIL while it parses.
"""

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as etree

from python_calamine import CalamineError, CalamineWorkbook

from fupin.core.ahead import ahead

SHEET_DIR = "xl/worksheets/"
# Parts a slice never needs and that can be large: other sheets, pictures, charts.
LEFT_OUT = (SHEET_DIR, "xl/media/", "xl/drawings/", "xl/charts/", "xl/chartsheets/")
READ_BLOCK = 1 << 20
_START = re.compile(rb"<((?:[\w.-]+:)?)sheetData\b[^>]*?(/?)>")
_ROOT = re.compile(rb"<(?:[\w.-]+:)?worksheet\b[^>]*>")
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class SheetError(ValueError):
    """The file is not a readable .xlsx workbook."""


class Slicing:
    # Bytes of sheet XML per slice. Each slice re-reads the shared-string table, so a slice
    # is kept several times larger than that table.
    slice_bytes = 8 << 20
    sst_factor = 4
    # The first slice is small and the next ones grow to full size: finding the header (the
    # import's first read) then parses a few megabytes, not two full slices.
    first_bytes = 256 << 10
    growth = 4
    depth = 1  # slices read in advance by the thread


def _first_sheet(book: zipfile.ZipFile) -> str:
    try:
        workbook = etree.fromstring(book.read("xl/workbook.xml"))
        rels = etree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, etree.ParseError) as exc:
        raise SheetError(str(exc)) from None
    sheet = workbook.find(f"{MAIN}sheets/{MAIN}sheet")
    if sheet is None:
        raise SheetError("工作簿中没有工作表")
    rel_id = sheet.get(f"{REL}id")
    for rel in rels.iter(f"{PACKAGE_REL}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    raise SheetError("找不到第一个工作表")


def _small_book(parts: dict[str, bytes], sheet: tuple[str, bytes]) -> bytes:
    """A workbook of these parts and one sheet's XML."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as small:
        for name, data in parts.items():
            small.writestr(name, data)
        small.writestr(*sheet)
    return out.getvalue()


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


class _Slicer:
    """Cuts the sheet's XML stream into slices that are well-formed sheets themselves."""

    def __init__(self, book: zipfile.ZipFile, sheet: str) -> None:
        self.book, self.sheet = book, sheet
        # Decompressed once: every slice's workbook carries them (shared strings included).
        self.parts = {
            info.filename: book.read(info)
            for info in book.infolist()
            if not info.filename.startswith(LEFT_OUT)
        }
        sst = sum(
            len(data) for name, data in self.parts.items() if name.endswith("haredStrings.xml")
        )
        self.size = max(Slicing.slice_bytes, Slicing.sst_factor * sst)
        self.first = min(self.size, max(Slicing.first_bytes, Slicing.sst_factor * sst))

    def slices(self) -> Iterator[bytes]:
        with self.book.open(self.sheet) as source:
            buffer = b""
            while not (start := _START.search(buffer)):
                block = source.read(READ_BLOCK)
                if not block:
                    raise SheetError("工作表中没有 sheetData")
                buffer += block
            root = _ROOT.search(buffer)
            if root is None:
                raise SheetError("工作表格式不对")
            if start.group(2):  # <sheetData/>: no rows at all
                return
            prefix = start.group(1)
            head = root.group(0) + b"<" + prefix + b"sheetData>"
            tail = b"</" + prefix + b"sheetData></" + prefix + b"worksheet>"
            close = b"</" + prefix + b"row>"
            parts, held, buffer = [], 0, buffer[start.end() :]
            size = self.first
            while True:
                block = source.read(READ_BLOCK)
                buffer += block
                cut = buffer.rfind(close) + len(close) if block else len(buffer)
                if cut >= len(close):
                    parts.append(buffer[:cut])
                    held += cut
                    buffer = buffer[cut:]
                if held >= size or (not block and held):
                    body = b"".join(parts)
                    if not block:  # the rest after the last row: </sheetData> and beyond
                        body = body[: body.rfind(close) + len(close)] if close in body else b""
                    yield head + body + tail
                    parts, held = [], 0
                    size = min(self.size, size * Slicing.growth)
                if not block:
                    return

    def rows(self, xml: bytes) -> tuple[int, list[list[Any]]]:
        """The slice's first row number (0-based) and its rows, empty leading columns kept."""
        data = _small_book(self.parts, (self.sheet, xml))
        try:
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
            start = sheet.start
            rows: list[list[Any]] = sheet.to_python(skip_empty_area=True)
        except CalamineError as exc:
            raise SheetError(str(exc)) from None
        if start is None:
            return 0, []
        if start[1]:
            rows = [[None] * start[1] + row for row in rows]
        return start[0], rows


def xlsx_rows(path: Path) -> Iterator[list[str]]:
    """Every row of the first sheet as stripped text; missing cells are "" and rows left out
    of the file (empty) are yielded as []."""
    try:
        book = zipfile.ZipFile(path)
        slicer = _Slicer(book, _first_sheet(book))
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise SheetError(str(exc)) from None
    expected = 0
    try:
        for first, rows in ahead(map(slicer.rows, slicer.slices()), depth=Slicing.depth):
            for _ in range(expected, first):
                yield []
            for row in rows:
                try:  # a row of text only, the usual case, converted in one C-level pass
                    yield list(map(str.strip, row))
                except TypeError:
                    yield [cell_text(v) for v in row]
            expected = first + len(rows)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise SheetError(str(exc)) from None
    finally:
        book.close()
