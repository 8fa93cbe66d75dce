""".xlsx sheets are read in slices cut from the sheet's XML; a sheet cut into many slices
imports exactly as the whole sheet does, with its row numbers, gaps and empty columns."""

import zipfile

from openpyxl import Workbook

from fupin.core import xlsx_rows
from fupin.core.xlsx_rows import Slicing
from fupin.households.models import Household, Person
from fupin.households.registry.sheet import HEADER as COLUMNS
from tests.households_samples import error_column, household, run_import

V_A = "420322100201"
V_B = "420322100202"


def write_offset_sheet(path, blocks, gap_rows=2):
    """A title row, the header in column B (column A empty), and `gap_rows` blank rows
    between blocks of households, as sheets exported by hand often are."""
    book = Workbook()
    sheet = book.active
    sheet.cell(row=1, column=2, value="建档立卡贫困人口信息表")
    for col, name in enumerate(COLUMNS, start=2):
        sheet.cell(row=2, column=col, value=name)
    row = 3
    numbers = []
    for block in blocks:
        for values in block:
            for col, name in enumerate(COLUMNS, start=2):
                if values.get(name):
                    sheet.cell(row=row, column=col, value=values[name])
            numbers.append(row)
            row += 1
        row += gap_rows
    book.save(path)
    return path, numbers


def many_households(count):
    blocks, rows = [], []
    for n in range(1, count + 1):
        rows += household(V_A if n % 2 else V_B, n, size=1 + n % 4)
        if n % 7 == 0:
            blocks.append(rows)
            rows = []
    return [*blocks, rows]


def test_a_sheet_cut_into_many_slices_imports_whole(world, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(Slicing, "slice_bytes", 3000)  # a few rows per slice
    blocks = many_households(60)
    path, _ = write_offset_sheet(tmp_path / "sliced.xlsx", blocks)
    code, report = run_import(capsys, path)
    assert code == 0, report
    people = [row for block in blocks for row in block]
    assert report["imported_households"] == 60 and report["people"] == len(people)
    registered = dict(Person.objects.values_list("id_number", "name"))
    assert registered == {row["证件号码"]: row["姓名"] for row in people}
    sizes = dict(Household.objects.values_list("household_no", "size"))
    assert sizes[f"{V_A}00059"] == 1 + 59 % 4 and len(sizes) == 60


def test_row_numbers_survive_the_cuts(world, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(Slicing, "slice_bytes", 3000)
    blocks = many_households(40)
    last = blocks[-1][-1]
    last["健康状况"] = "很好"  # the very last row of the sheet
    middle = blocks[2][0]
    middle["务工时间(月)"] = "13"  # a row after two gaps
    path, numbers = write_offset_sheet(tmp_path / "gaps.xlsx", blocks)
    code, report = run_import(capsys, path)
    assert code == 2 and report["error_rows"] == 2
    assert not Household.objects.exists()
    errors = error_column(tmp_path / "gaps-错误.xlsx")
    middle_row = numbers[sum(len(b) for b in blocks[:2])]
    assert "务工时间(月) 13 超出 0–12" in errors[middle_row]
    assert "健康状况“很好”不在代码表中" in errors[numbers[-1]]
    flagged = {row for row, text in errors.items() if text and "整户未导入" not in text}
    assert flagged == {middle_row, numbers[-1]}


def test_slices_grow_from_a_small_first_one(tmp_path, monkeypatch):
    """The first slice is small, so finding the header parses little; the next ones grow to
    full size, and the rows read are those of the sheet read in one piece."""
    monkeypatch.setattr(xlsx_rows, "READ_BLOCK", 1000)
    path, _ = write_offset_sheet(tmp_path / "grow.xlsx", many_households(40))
    whole = list(xlsx_rows.xlsx_rows(path))
    monkeypatch.setattr(Slicing, "slice_bytes", 40_000)
    monkeypatch.setattr(Slicing, "first_bytes", 2000)
    with zipfile.ZipFile(path) as book:
        slicer = xlsx_rows._Slicer(book, xlsx_rows._first_sheet(book))
        sizes = [len(xml) for xml in slicer.slices()]
    assert len(sizes) > 3 and sizes[0] < sizes[1] < sizes[2] < sizes[3]
    assert list(xlsx_rows.xlsx_rows(path)) == whole
