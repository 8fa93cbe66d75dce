"""The schedule holds every row of the annex of 鄂档〔2016〕25号, verbatim, at its three levels."""

import json
from collections import Counter
from dataclasses import asdict

from fupin.audit.models import AuditEvent
from fupin.cli import main
from fupin.schedule.annex import parse_annex
from fupin.schedule.services import annex_rows
from tests.conftest import shared_path

SEED = ("seed", "000_37b2c9b10bcee521.txt")


def load_and_list(capsys, *args: str) -> list[dict]:
    assert main(["schedule", "load"]) == 0
    capsys.readouterr()
    assert main(["schedule", "list", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_shipped_data_is_the_seed_annex_row_for_row():
    parsed = [asdict(r) for r in parse_annex(shared_path(*SEED).read_text(encoding="utf-8"))]
    assert parsed == annex_rows()


def test_every_row_is_in_the_database(world, capsys):
    parsed = parse_annex(shared_path(*SEED).read_text(encoding="utf-8"))
    listed = load_and_list(capsys)
    assert len(listed) == len(parsed) == 110
    assert Counter(r["level"] for r in listed) == {"county": 53, "township": 24, "village": 33}
    for row, out in zip(parsed, listed, strict=True):
        assert (out["level"], out["number"], out["scope"]) == (
            row.level,
            row.number,
            row.scope_text,
        )
        assert (out["retention"], out["options"]) == (row.retention_text, row.retention_options)
        assert out["responsible"] == row.responsible_units
        assert out["category"] == row.category_heading[:2]


def test_printed_rows_spot_checked(world, capsys):
    rows = {(r["level"], r["category"], r["number"]): r for r in load_and_list(capsys)}
    last = rows[("village", "专业", "15")]
    assert last["scope"].startswith("精准扶贫脱贫明白卡（明白卡一式3份")
    assert (last["retention"], last["responsible"]) == ("永久", "各贫困村")
    assert rows[("township", "专业", "2")]["retention"] == "按有关规定执行"
    assert rows[("township", "专业", "2")]["options"] == ["Y", "D30", "D10"]
    assert rows[("county", "文书", "49")]["retention"] == "30年或10年"
    assert rows[("county", "文书", "49")]["options"] == ["D30", "D10"]
    assert rows[("county", "文书", "46")]["responsible"] == "各活动主办单位"
    assert rows[("county", "声像", "1")]["options"] == ["Y", "D30"]
    assert (
        rows[("village", "声像", "")]["scope"]
        == "本村精准扶贫工作中形成的重要照片、录音、录像等声像文件材料"
    )
    assert "光盘移动硬盘" in rows[("village", "电子", "")]["scope"]
    # Blank retention cells under village 专业 2–15 repeat the 永久 printed in row 1.
    assert {rows[("village", "专业", str(n))]["retention"] for n in range(1, 16)} == {"永久"}


def test_blank_cells_inherit_from_above_and_say_so(world):
    rows = annex_rows()
    second = next(r for r in rows if r["level"] == "county" and r["number"] == "2")
    assert second["responsible_units"] == "各级党委、政府、扶贫部门"
    assert second["responsible_inherited"] is True
    assert next(r for r in rows if r["number"] == "1")["responsible_inherited"] is False


def test_loading_twice_changes_nothing(world, capsys):
    load_and_list(capsys)
    assert len(load_and_list(capsys)) == 110
    assert AuditEvent.objects.filter(action="schedule.load").count() == 1


def test_loading_without_the_province_says_what_to_do(db, capsys):
    assert main(["schedule", "load", "--json"]) == 2
    assert "请先导入行政区划" in json.loads(capsys.readouterr().out)["error"]


def test_schedule_page_searches(world, capsys):
    load_and_list(capsys)
    page = world.client("village_a").get("/schedule/", {"q": "贫困户申请书", "level": "village"})
    text = page.content.decode()
    assert "贫困户申请书及资格审核表" in text and "共 1 条" in text
