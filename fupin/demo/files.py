"""Writing generated tables (.csv in UTF-8 or GBK, .xlsx) row by row, and reading villages back."""

import csv
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from openpyxl import Workbook, load_workbook

from fupin.demo.generate import VILLAGE_HEADER, Village


def write_table(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[str]], encoding: str = "utf-8"
) -> int:
    """Stream rows to `path` (format by its suffix) and return how many were written."""
    suffix = path.suffix.lower()
    count = 0
    if suffix == ".xlsx":
        # write_only keeps one row in memory at a time instead of the whole sheet.
        book = Workbook(write_only=True)
        sheet = book.create_sheet(path.stem[:31])
        sheet.append(list(header))
        for row in rows:
            sheet.append(list(row))
            count += 1
        book.save(path)
    elif suffix == ".csv":
        with path.open("w", encoding=encoding, newline="") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            for row in rows:
                writer.writerow(row)
                count += 1
    else:
        raise ValueError(f"不支持的输出格式“{path.suffix}”，请用 .csv 或 .xlsx")
    return count


def read_table(path: Path, encoding: str = "utf-8-sig") -> Iterator[list[str]]:
    """Rows of a .csv or of the first sheet of an .xlsx, header included, cells as text."""
    if path.suffix.lower() == ".xlsx":
        book = load_workbook(path, read_only=True)
        try:
            for row in book.worksheets[0].iter_rows(values_only=True):
                yield ["" if cell is None else str(cell) for cell in row]
        finally:
            book.close()
    else:
        with path.open(encoding=encoding, newline="") as source:
            yield from csv.reader(source)


def read_villages(path: Path) -> list[Village]:
    """A villages table in the official layout, as written by `demo generate villages`."""
    rows = read_table(path)
    header = [h.strip() for h in next(rows, [])]
    missing = [c for c in VILLAGE_HEADER[:2] if c not in header]
    if missing:
        raise ValueError(f"{path.name} 缺少列：{'、'.join(missing)}")
    villages = []
    for cells in rows:
        row = dict(zip(header, (c.strip() for c in cells), strict=False))
        exit_year = row.get("exitYear", "")
        villages.append(
            Village(
                code=row["code"],
                name=row["name"],
                is_poor=row.get("isPoor", "") in ("1", "是", "true"),
                exit_year=int(exit_year) if exit_year else None,
            )
        )
    return villages
