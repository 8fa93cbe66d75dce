"""The sheet comes out as UTF-8 CSV, GBK CSV or XLSX, identical in content, fixed by the seed."""

import json

import pytest
from openpyxl import load_workbook

from fupin.cli import main
from fupin.demo.files import read_table
from fupin.households.registry.sheet import HEADER as COLUMNS


@pytest.fixture
def villages(tmp_path, capsys):
    out = tmp_path / "villages.csv"
    args = ["demo", "generate", "villages", "--township", "420322202", "420322001"]
    assert main([*args, "--per-township", "5", "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["villages"] == 10
    return out


def generate(villages, out, *extra: str) -> list[list[str]]:
    argv = ["demo", "generate", "households", "--villages", str(villages)]
    assert main([*argv, "--households", "200", "--out", str(out), *extra]) == 0
    return list(read_table(out, "gbk" if "gbk" in extra else "utf-8-sig"))


def test_formats_agree(db, villages, tmp_path):
    utf8 = generate(villages, tmp_path / "a.csv")
    gbk = generate(villages, tmp_path / "b.csv", "--encoding", "gbk")
    xlsx = generate(villages, tmp_path / "c.xlsx")
    assert utf8[0] == list(COLUMNS)
    assert len(utf8) > 400
    assert utf8 == gbk == xlsx
    book = load_workbook(tmp_path / "c.xlsx", read_only=True)
    first = next(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert first[COLUMNS.index("与户主关系")] == "户主"
    book.close()


def test_seed_fixes_output(db, villages, tmp_path):
    one = generate(villages, tmp_path / "1.csv", "--seed", "7")
    two = generate(villages, tmp_path / "2.csv", "--seed", "7")
    other = generate(villages, tmp_path / "3.csv", "--seed", "8")
    assert one == two
    assert one != other


def test_villages_layout(villages):
    rows = list(read_table(villages))
    assert rows[0] == [
        "code",
        "name",
        "streetCode",
        "provinceCode",
        "cityCode",
        "areaCode",
        "isPoor",
        "exitYear",
    ]
    for code, name, street, province, city, area, poor, exit_year in rows[1:]:
        assert len(code) == 12 and code.startswith(street) and street.startswith(area)
        assert (province, city, area) == ("42", "4203", "420322")
        committee = int(code[9:]) < 200
        assert name.endswith("社区" if committee else "村")
        assert poor in {"0", "1"} and (
            not exit_year or (poor == "1" and 2016 <= int(exit_year) <= 2020)
        )
