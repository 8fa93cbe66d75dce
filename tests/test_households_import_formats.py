"""The registration sheet is read from .xlsx, the old binary .xls and .csv alike; a damaged
workbook is refused with a clear message and nothing written."""

import xlwt

from fupin.households.models import Household, Person
from fupin.households.registry.services import households_import
from fupin.households.registry.sheet import HEADER as COLUMNS
from tests.households_samples import household, run_import, write_sheet

V_A = "420322100201"


def write_xls(path, rows):
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("建档立卡")
    for col, name in enumerate(COLUMNS):
        sheet.write(0, col, name)
    for r, row in enumerate(rows, start=1):
        for col, name in enumerate(COLUMNS):
            sheet.write(r, col, row.get(name, ""))
    book.save(str(path))
    return path


def test_old_xls_imports_like_xlsx(world, tmp_path, capsys):
    rows = household(V_A, 1) + household(V_A, 2, size=2)
    code, report = run_import(capsys, write_xls(tmp_path / "2016.xls", rows))
    assert code == 0, report
    assert (report["households"], Household.objects.count(), Person.objects.count()) == (2, 2, 5)
    same = {p.id_number for p in Person.objects.all()}
    assert same == {r["证件号码"] for r in rows}


def test_damaged_workbook_is_refused(world, tmp_path, capsys):
    good = write_sheet(tmp_path / "good.xlsx", household(V_A, 1))
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(good.read_bytes()[:300])
    code, report = run_import(capsys, damaged)
    assert code == 2 and "无法读取表格文件" in report["error"]
    assert not Household.objects.exists()
    report = None
    try:
        households_import(actor=None, path=tmp_path / "x.ods")
    except Exception as exc:
        report = str(exc)
    assert report and ".xls" in report
