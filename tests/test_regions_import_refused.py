"""Bad division files are refused whole: a Chinese error per row, and nothing written."""

import json
from pathlib import Path

import pytest

from fupin.audit.models import AuditEvent
from fupin.cli import main
from fupin.regions.models import Region

PROVINCES = "code,name\n42,湖北省\n"
CITIES = "code,name,provinceCode\n4203,十堰市,42\n"


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def run_import(capsys, *paths: Path) -> tuple[int, dict]:
    code = main(["regions", "import", *map(str, paths), "--json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("name", "text", "line", "reason"),
    [
        ("bad.csv", "编码,名称\n42,湖北省\n", 1, "无法识别的表头"),
        ("cities.csv", "code,name,provinceCode\n4203,十堰市,42\n423,郧西,42\n", 3, "应为 4 位数字"),
        ("cities.csv", "code,name,provinceCode\n４２０３,十堰市,42\n", 2, "应为 4 位数字"),
        (
            "cities.csv",
            "code,name,provinceCode\n4203,十堰市,42\n4301,长沙市,43\n",
            3,
            "上级区划 43 不存在",
        ),
        (
            "cities.csv",
            "code,name,provinceCode\n4203,十堰市,42\n4203,十堰,42\n",
            3,
            "代码 4203 重复",
        ),
        (
            "cities.csv",
            "code,name,provinceCode\n4203,十堰市,43\n",
            2,
            "provinceCode“43”与代码 4203 的前缀不符",
        ),
        ("cities.csv", "code,name,provinceCode\n4203,,42\n", 2, "缺少名称"),
        (
            "areas.csv",
            "code,name,cityCode,provinceCode,isPoor,exitYear\n420322,郧西县,4203,42,否,2019\n",
            2,
            "未标记为贫困",
        ),
    ],
)
def test_bad_row_refuses_the_whole_batch(db, capsys, tmp_path, name, text, line, reason):
    before = AuditEvent.objects.count()
    good = [write(tmp_path, "provinces.csv", PROVINCES)]
    if name == "areas.csv":
        good.append(write(tmp_path, "cities.csv", CITIES))
    code, report = run_import(capsys, write(tmp_path, name, text), *good)
    assert code == 2
    assert not report["ok"]
    assert [(e["file"], e["line"]) for e in report["errors"]] == [(name, line)]
    assert reason in report["errors"][0]["reason"]
    assert Region.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_text_output_lists_errors_in_chinese(db, capsys, tmp_path):
    path = write(tmp_path, "cities.csv", "code,name,provinceCode\n4203,十堰市,42\n")
    assert main(["regions", "import", str(path)]) == 2
    out = capsys.readouterr().out
    assert "导入失败，未写入任何数据" in out
    assert "cities.csv 第 2 行：上级区划 42 不存在" in out


def test_gbk_and_bom_files_are_read(db, capsys, tmp_path):
    code, report = run_import(
        capsys,
        write(tmp_path, "cities.csv", CITIES, "gbk"),
        write(tmp_path, "provinces.csv", "\ufeff" + PROVINCES),
    )
    assert code == 0, report["errors"]
    assert Region.objects.get(code="4203").name == "十堰市"
    assert Region.objects.get(code="42").name == "湖北省"
