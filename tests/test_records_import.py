"""Importing a catalogue with its scans: everything checked first, then all rows or nothing."""

import json
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from fupin.cli import main
from fupin.objects.models import CaptureEvent, StoredObject
from fupin.records.models import ItemFile, RecordItem
from tests import objects_samples as samples
from tests.records_fixtures import set_up_fonds

HEADER = ["序号", "档号", "文号", "责任者", "题名", "日期", "密级", "页数", "备注"]
HEADER += ["保管期限", "机构(问题)", "归档范围"]
CODE = "F001-WS·2016-Y-BGS-{:04d}"
OFFICE = "郧西县扶贫办"


def line(seq, code, number, title, day, secrecy, pages, retention, klass, schedule_row):
    described = [seq, code, number, OFFICE, title, day, secrecy, pages, ""]
    return [*described, retention, klass, schedule_row]


# A catalogue as clerks type it: one table, so one row per line.
# fmt: off
GOOD = [
    line(1, CODE.format(1), "郧扶发〔2016〕1号", "关于成立精准扶贫工作领导小组的通知",
         "2016.3.1", "", 2, "永久", "BGS", "1"),
    line(2, CODE.format(2), "郧扶发〔2016〕2号", "关于印发精准扶贫实施方案的通知",
         42447, "", 2, "Y", "BGS", "文书2"),
    line(3, "", "郧扶办〔2016〕5号", "关于贫困户识别工作的请示",
         datetime(2016, 3, 20), "内部", 1, "永久", "BGS", "3"),
    line(4, CODE.format(9), "", "２０１６年第一季度精准扶贫工作总结",
         "２０１６．４．１", "", "３", "永久", "办公室", "文书４"),
    line(5, "", "", "[郧西县扶贫办工作照片说明]", "2016/5/6", "无", 1, "30年", "YWK", "48"),
    line(6, "", "", "关于召开扶贫工作例会的通知", 20160601, "", 1, "D10", "ywk", "49"),
]
# fmt: on
SCANS = {
    f"{CODE.format(1)}.pdf": 2,
    f"{CODE.format(2)}-1.pdf": 1,
    f"{CODE.format(2)}_2.pdf": 1,
    "郧扶办[2016]5号.pdf": 1,
    f"{CODE.format(9)}.pdf": 3,
}


@pytest.fixture
def unit(world):
    unit = world.units["office_a"]
    set_up_fonds(unit)
    return unit


def write_catalogue(path, rows, header=HEADER):
    book = Workbook()
    sheet = book.active
    sheet.append(["郧西县扶贫办 归档文件目录"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def write_scans(folder, scans):
    folder.mkdir()
    for n, (name, pages) in enumerate(scans.items()):
        (folder / name).write_bytes(samples.pdf(pages=pages, text=f"scan {n}"))
    return folder


def run(capsys, unit, catalogue, folder, *extra):
    argv = ["records", "import", str(catalogue), "--unit", str(unit.pk), "--json"]
    code = main([*argv, "--files", str(folder), *extra])
    return code, json.loads(capsys.readouterr().out)


def test_a_good_catalogue_imports_every_row_and_file(unit, tmp_path, capsys):
    catalogue = write_catalogue(tmp_path / "目录.xlsx", GOOD)
    code, out = run(capsys, unit, catalogue, write_scans(tmp_path / "scans", SCANS))
    assert code == 0
    assert out["ok"] and (out["rows"], out["items"], out["files"]) == (6, 6, 5)
    assert out["errors"] == [] and out["file_errors"] == [] and out["error_workbook"] is None
    items = {i.title: i for i in RecordItem.objects.all()}
    assert len(items) == 6 and {i.status for i in items.values()} == {"arranged"}
    plan = items["关于印发精准扶贫实施方案的通知"]
    assert plan.reference_code == CODE.format(2)
    assert [f.filename for f in plan.files.all()] == [
        f"{CODE.format(2)}-1.pdf",
        f"{CODE.format(2)}_2.pdf",
    ]
    assert items["关于贫困户识别工作的请示"].files.get().filename == "郧扶办[2016]5号.pdf"
    assert ItemFile.objects.count() == 5
    assert out["code_differences"] == [
        {"row": 6, "given": CODE.format(9), "assigned": CODE.format(4)}
    ]


def test_dates_digits_and_archivist_titles_are_normalised(unit, tmp_path, capsys):
    catalogue = write_catalogue(tmp_path / "目录.xlsx", GOOD)
    assert run(capsys, unit, catalogue, write_scans(tmp_path / "scans", SCANS))[0] == 0
    items = {i.title: i for i in RecordItem.objects.all()}
    summary = items["2016年第一季度精准扶贫工作总结"]
    assert (summary.date, summary.pages, summary.class_code.code) == (date(2016, 4, 1), 3, "BGS")
    assert items["关于印发精准扶贫实施方案的通知"].date == date(2016, 3, 18)  # Excel serial
    assert items["关于成立精准扶贫工作领导小组的通知"].date == date(2016, 3, 1)
    assert items["关于召开扶贫工作例会的通知"].date == date(2016, 6, 1)
    assert items["关于贫困户识别工作的请示"].secrecy == "internal"
    photos = items["郧西县扶贫办工作照片说明"]
    assert photos.title_by_archivist and photos.display_title == "[郧西县扶贫办工作照片说明]"
    assert (photos.retention, photos.schedule_row.number) == ("D30", "48")


def test_any_error_writes_nothing_and_marks_the_rows(unit, tmp_path, capsys, media_root):
    bad = line(7, "", "", "关于扶贫资金拨付的通知", "2016.13.45", "", 1, "10年", "CWK", "1")
    catalogue = write_catalogue(tmp_path / "目录.xlsx", [*GOOD, bad])
    folder = write_scans(tmp_path / "scans", SCANS | {"无主文件.pdf": 1})
    whole = samples.pdf(pages=2)
    (folder / f"{CODE.format(1)}.pdf").write_bytes(whole[: len(whole) - 200])

    code, out = run(capsys, unit, catalogue, folder)

    assert code == 2 and not out["ok"] and out["items"] == 0
    assert RecordItem.objects.count() == 0 and ItemFile.objects.count() == 0
    assert StoredObject.objects.count() == 0 and CaptureEvent.objects.count() == 0
    assert [p for p in media_root.rglob("*") if p.is_file()] == []
    assert {e["row"] for e in out["errors"]} == {9}
    reasons = [e["reason"] for e in out["errors"]]
    assert any("日期“2016.13.45”无效" in r for r in reasons)
    assert any("保管期限只能是：永久" in r for r in reasons)
    assert any("机构（问题）“CWK”不是本全宗的类别" in r for r in reasons)
    assert {e["file"] for e in out["file_errors"]} == {"无主文件.pdf", f"{CODE.format(1)}.pdf"}

    assert out["error_workbook"] == str(tmp_path / "目录-错误.xlsx")
    book = load_workbook(out["error_workbook"])
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1][-1] == "错误" and rows[1][:-1] == tuple(HEADER)
    assert [r[-1] for r in rows[2:8]] == [None] * 6
    assert rows[8][4] == "关于扶贫资金拨付的通知"
    assert "2016.13.45" in rows[8][-1] and "CWK" in rows[8][-1] and "永久" in rows[8][-1]
    files = dict(list(book["文件错误"].iter_rows(values_only=True))[1:])
    assert "没有与文件名对应的行" in files["无主文件.pdf"]
    assert "无法读取" in files[f"{CODE.format(1)}.pdf"]


def test_text_output_and_error_workbook_path(unit, tmp_path, capsys):
    bad = line(1, "", "", "关于扶贫资金拨付的通知", "2016.3.1", "", 1, "永久", "BGS", "99")
    bad[3] = ""
    catalogue = write_catalogue(tmp_path / "目录.xlsx", [bad])
    target = tmp_path / "out" / "清单.xlsx"
    target.parent.mkdir()
    code = main(
        ["records", "import", str(catalogue), "--unit", str(unit.pk), "--errors", str(target)]
    )
    text = capsys.readouterr().out
    assert code == 2 and target.exists()
    assert "未写入任何内容" in text and "第 3 行" in text and "请填写责任者" in text
    assert "没有“文书99”条目" in text


def test_a_catalogue_without_required_columns_is_refused(unit, tmp_path, capsys):
    catalogue = write_catalogue(tmp_path / "目录.xlsx", GOOD, header=HEADER[:-3])
    code = main(["records", "import", str(catalogue), "--unit", str(unit.pk)])
    assert code == 2
    assert "缺少必需的列：保管期限、机构（问题）、归档范围" in capsys.readouterr().err


def test_an_unknown_unit_or_folder_is_refused(unit, tmp_path, capsys):
    catalogue = write_catalogue(tmp_path / "目录.xlsx", GOOD)
    assert main(["records", "import", str(catalogue), "--unit", "999999"]) == 2
    assert "未找到该单位" in capsys.readouterr().err
    argv = ["records", "import", str(catalogue), "--unit", str(unit.pk), "--files", "/nowhere"]
    assert main(argv) == 2
    assert "电子文件目录 /nowhere 不存在" in capsys.readouterr().err
    assert RecordItem.objects.count() == 0
