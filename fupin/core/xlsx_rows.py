"""Rows of an .xlsx sheet read as a stream, for sheets too big to hold in memory.

calamine, the fastest reader, loads a whole sheet first (about 2 GB for a million rows of the
registration sheet); openpyxl streams but builds a cell object per value. This walks the
sheet's XML with the standard library's C parser (faster here than lxml), keeping only the
shared-string table and the current row.
"""

import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as etree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
T, RUN, ROW, INLINE = f"{MAIN}t", f"{MAIN}r", f"{MAIN}row", f"{MAIN}is"


class SheetError(ValueError):
    """The file is not a readable .xlsx workbook."""


_COLUMNS: dict[str, int] = {}


def _column(ref: str | None, fallback: int) -> int:
    """A1-style reference → 0-based column; cells without one follow the previous."""
    letters = ref.rstrip("0123456789") if ref else ""
    if not letters:
        return fallback
    index = _COLUMNS.get(letters)
    if index is None:
        index = 0
        for char in letters:
            index = index * 26 + ord(char) - 64
        index = _COLUMNS[letters] = index - 1
    return index


def _first_sheet(book: zipfile.ZipFile) -> str:
    workbook = etree.fromstring(book.read("xl/workbook.xml"))
    sheet = workbook.find(f"{MAIN}sheets/{MAIN}sheet")
    if sheet is None:
        raise SheetError("工作簿中没有工作表")
    rel_id = sheet.get(f"{REL}id")
    rels = etree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{PACKAGE_REL}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    raise SheetError("找不到第一个工作表")


def _text(element: etree.Element) -> str:
    # Plain text is one <t>; rich text keeps its runs in <r><t>; phonetic hints (<rPh>) are
    # not part of the value.
    parts = []
    for child in element:
        if child.tag == T:
            parts.append(child.text or "")
        elif child.tag == RUN:
            parts.extend(t.text or "" for t in child if t.tag == T)
    return "".join(parts)


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in book.namelist():
        return []
    strings = []
    with book.open("xl/sharedStrings.xml") as source:
        for _, item in etree.iterparse(source):
            if item.tag == f"{MAIN}si":
                strings.append(_text(item))
                item.clear()
    return strings


def _value(cell: etree.Element, strings: list[str]) -> str:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        found = cell.find(INLINE)
        if found is None:
            return ""
        if len(found) == 1 and found[0].tag == T:  # the usual plain string, read directly
            return found[0].text or ""
        return _text(found)
    raw = cell.findtext(f"{MAIN}v") or ""
    if kind == "s":
        return strings[int(raw)] if raw else ""
    if kind == "b":
        return "是" if raw == "1" else "否"
    if kind == "n" and raw and not raw.isdigit():
        # As the other readers do: 2500.0 and 4.2E+17 read as whole numbers.
        try:
            number = float(raw)
        except ValueError:
            return raw
        return str(int(number)) if number.is_integer() else raw
    return raw


def xlsx_rows(path: Path) -> Iterator[list[str]]:
    """Every row of the first sheet as stripped text; missing cells are ""."""
    try:
        book = zipfile.ZipFile(path)
        sheet = _first_sheet(book)
        strings = _shared_strings(book)
        source = book.open(sheet)
    except (zipfile.BadZipFile, KeyError, etree.ParseError, OSError) as exc:
        raise SheetError(str(exc)) from None
    expected = 1
    try:
        for _, row in etree.iterparse(source):
            if row.tag != ROW:
                continue
            number = int(row.get("r") or expected)
            # Rows Excel leaves out because they are empty still count.
            for _ in range(expected, number):
                yield []
            expected = number + 1
            cells: list[str] = []
            for cell in row:
                column = _column(cell.get("r"), len(cells))
                if column > len(cells):
                    cells.extend([""] * (column - len(cells)))
                cells.append(_value(cell, strings).strip())
            # The emptied row stays in its parent (about 80 bytes); the cells are freed.
            row.clear()
            yield cells
    except etree.ParseError as exc:
        raise SheetError(str(exc)) from None
    finally:
        source.close()
        book.close()
