"""Reading generated tables back (.csv or .xlsx); they are written by `fupin.core.tabular`."""

import csv
from collections.abc import Iterator
from pathlib import Path

from openpyxl import load_workbook

from fupin.demo.generate import VILLAGE_HEADER, Village


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
