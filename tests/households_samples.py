"""Small registration sheets written by hand for the household tests (no tests of its own)."""

import json
from datetime import date
from pathlib import Path

from openpyxl import Workbook, load_workbook

from fupin.cli import main
from fupin.demo.idnumbers import make_id
from fupin.households.registry.sheet import HEADER as COLUMNS

VILLAGES = {"420322100201": "东岭村", "420322100202": "西岭村"}
# Every village of the test world, with its county and township names.
PLACES = {
    "420322100201": ("郧西县", "城关镇", "东岭村"),
    "420322100202": ("郧西县", "城关镇", "西岭村"),
    "420322101201": ("郧西县", "土门镇", "南坪村"),
    "420323100201": ("竹山县", "城关镇", "北坡村"),
}


def person(
    village: str,
    household: int,
    number: int,
    name: str,
    relation: str,
    seq: int,
    **overrides: str,
) -> dict[str, str]:
    household_no = f"{village}{household:05d}"
    born = date(1960 + number, 3, household % 28 + 1)
    row = {
        "县(市、区)": PLACES[village][0],
        "乡(镇)": PLACES[village][1],
        "行政村": PLACES[village][2],
        "自然村": "王家湾",
        "户编号": household_no,
        "人编号": f"{household_no}{number:02d}",
        "姓名": name,
        "证件号码": make_id(village[:6], born, seq, seq % 2 == 1),
        "人数": "",
        "与户主关系": relation,
        "民族": "汉族",
        "文化程度": "小学",
        "在校生状况": "",
        "健康状况": "健康",
        "劳动技能": "普通劳动力",
        "务工状况": "",
        "务工时间(月)": "",
        "参加大病医疗": "是",
        "脱贫属性": "未脱贫",
        "贫困户属性": "一般贫困户",
        "主要致贫原因": "因病",
        "危房户": "否",
        "饮水安全": "是",
        "饮水困难": "否",
        "人均纯收入": "2500.00",
        "联系电话": "13912345678" if relation == "户主" else "",
    }
    row.update(overrides)
    return row


def household(village: str, number: int, size: int = 3, **overrides: str) -> list[dict[str, str]]:
    """A head with spouse and children; ID sequences differ per household and member."""
    relations = ["户主", "配偶", "之子", "之女", "之父", "之母"]
    names = ["王建国", "李秀兰", "王伟", "王婷", "王德福", "张桂香"]
    rows = [
        person(village, number, i + 1, names[i], relations[i], 10 * number + i + 1)
        for i in range(size)
    ]
    for row in rows:
        row["人数"] = str(size)
        row.update(overrides)
    return rows


def write_sheet(path: Path, rows: list[dict[str, str]], columns=COLUMNS) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(c, "") for c in columns])
    book.save(path)
    return path


def run_import(capsys, path: Path, *flags: str) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["households", "import", str(path), "--json", *flags])
    return code, json.loads(capsys.readouterr().out)


def error_column(path: Path) -> dict[int, str]:
    """Row number → the 错误 cell of an error workbook."""
    sheet = load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(n for n, row in enumerate(rows, start=1) if "错误" in row)
    index = list(rows[header - 1]).index("错误")
    return {n: row[index] or "" for n, row in enumerate(rows, start=1) if n > header}
