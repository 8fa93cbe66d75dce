"""The one writer of spreadsheets and CSV files.

Every XLSX and CSV the system produces — catalogues, to-do lists, audit exports, error
workbooks, reports, generated sheets — is written here, so one rule holds everywhere: text is
text. A cell whose text begins with `=`, `+`, `-` or `@` (or a tab or carriage return before
one) would be taken as a formula by a spreadsheet program opening the file; a household head's
name or a title typed by anyone must never become one.

- XLSX: openpyxl turns a string starting with `=` into a formula cell; such cells are written
  with the string type instead. The text is kept exactly as it was.
- CSV: a CSV has no types, so the spreadsheet decides when opening it; such text gets a
  leading apostrophe, which spreadsheet programs read as "this is text" (OWASP's advice).
"""

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

_FORMULA_STARTS = ("=", "+", "-", "@")
_LEADING_JUNK = "\t\r\n "


def is_formula_like(value: Any) -> bool:
    """Text a spreadsheet program could read as a formula."""
    if not isinstance(value, str) or not value:
        return False
    return value.lstrip(_LEADING_JUNK).startswith(_FORMULA_STARTS) or value[0] in "\t\r"


def csv_text(value: Any) -> Any:
    """A value as it goes into a CSV cell: formula-like text behind an apostrophe."""
    if value is None:
        return ""
    return "'" + value if is_formula_like(value) else value


class Sheet:
    """One worksheet. Values go in only through `append` and `put`; `ws` is there for layout
    (column widths, merged cells, page setup, freeze panes), never for values."""

    def __init__(self, book: "Book", ws: Any) -> None:
        self._book = book
        self.ws = ws

    def _cell(self, value: Any) -> Any:
        if not is_formula_like(value):
            return value
        cell = WriteOnlyCell(self.ws, value=None)
        cell.value = value
        cell.data_type = "s"
        return cell

    def append(self, values: Sequence[Any]) -> None:
        self.ws.append([self._cell(v) for v in values])

    def put(self, row: int, column: int, value: Any) -> Cell:
        if self._book.streaming:
            raise TypeError("流式工作簿只能逐行追加")
        cell = self.ws.cell(row=row, column=column)
        cell.value = value
        if is_formula_like(value):
            cell.data_type = "s"
        return cell


class Book:
    """A workbook. `Book(streaming=True)` keeps one row in memory at a time (openpyxl's
    write-only mode) for big outputs; styled forms use the default mode."""

    def __init__(self, *, streaming: bool = False) -> None:
        self.streaming = streaming
        self._workbook = Workbook(write_only=streaming)
        self._fresh = not streaming

    def sheet(self, title: str) -> Sheet:
        if self._fresh:
            # A new workbook already holds one empty sheet: use it for the first.
            self._fresh = False
            ws = self._workbook.active
            assert isinstance(ws, Worksheet)
            ws.title = title[:31]
        else:
            ws = self._workbook.create_sheet(title[:31])
        return Sheet(self, ws)

    def save(self, target: Path | IO[bytes]) -> None:
        self._workbook.save(target)

    def discard(self) -> None:
        """Give up a streaming workbook unsaved: each write-only sheet holds a temporary file
        until it is closed."""
        for ws in self._workbook.worksheets:
            if close := getattr(ws, "close", None):
                close()

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.save(out)
        return out.getvalue()


def _write_csv(out: IO[str], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    writer = csv.writer(out)
    writer.writerow([csv_text(h) for h in header])
    count = 0
    for row in rows:
        writer.writerow([csv_text(v) for v in row])
        count += 1
    return count


def write_csv(
    target: Path | IO[str],
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    encoding: str = "utf-8-sig",
) -> int:
    """Write a CSV (UTF-8 with a byte-order mark by default, which Excel needs to read
    Chinese; GBK for offices whose tools want it) and return how many rows were written."""
    if isinstance(target, Path):
        with target.open("w", encoding=encoding, newline="") as out:
            return _write_csv(out, header, rows)
    return _write_csv(target, header, rows)


def csv_bytes(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, encoding: str = "utf-8-sig"
) -> bytes:
    buffer = io.StringIO()
    _write_csv(buffer, header, rows)
    return buffer.getvalue().encode(encoding)


def write_table(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], *, encoding: str = "utf-8"
) -> int:
    """Stream a header and rows to `path`, as .xlsx or .csv by its suffix; rows written."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return write_csv(path, header, rows, encoding=encoding)
    if suffix != ".xlsx":
        raise ValueError(f"不支持的输出格式“{path.suffix}”，请用 .csv 或 .xlsx")
    book = Book(streaming=True)
    sheet = book.sheet(path.stem)
    sheet.append(list(header))
    count = 0
    for row in rows:
        sheet.append(list(row))
        count += 1
    book.save(path)
    return count
