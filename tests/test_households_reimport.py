"""A newer sheet is applied as history: each difference one change row, one audit event a batch."""

import json

from fupin.audit.models import AuditEvent
from fupin.cli import main
from fupin.households.models import Household, HouseholdChange
from fupin.households.registry import services
from tests.households_samples import household, person, run_import, write_sheet

V_A, V_B = "420322100201", "420322100202"


def test_reimport_records_every_kind_of_change(world, tmp_path, capsys):
    first = household(V_A, 1) + household(V_A, 2) + household(V_A, 3, size=2)
    first += household(V_A, 4, size=1, 脱贫属性="已脱贫") + household(V_B, 5, size=1)
    code, report = run_import(capsys, write_sheet(tmp_path / "2016.xlsx", first))
    assert code == 0, report

    exits = household(V_A, 1, 脱贫属性="已脱贫")  # 脱贫
    grows = household(V_A, 2, size=3)
    grows.append(person(V_A, 2, 4, "王小宝", "之孙子", 97))  # 成员增加
    for row in grows:
        row["人数"] = "4"
    # 3 is missing (清退); 4 falls back into poverty (返贫); 6 is new (新识别).
    returns = household(V_A, 4, size=1, 脱贫属性="返贫", 主要致贫原因="因灾")  # + 属性变更
    new = household(V_A, 6, size=2)
    second = exits + grows + returns + new
    code, report = run_import(capsys, write_sheet(tmp_path / "2017.xlsx", second))
    assert code == 0, report
    assert report["changes"] == {
        "新识别": 1,
        "返贫": 1,
        "脱贫": 1,
        "清退": 1,
        "成员增加": 1,
        "属性变更": 2,  # 主要致贫原因 of household 4, 人数 of household 2
    }

    statuses = dict(Household.objects.values_list("household_no", "status"))
    assert statuses[f"{V_A}00001"] == "exited"
    assert statuses[f"{V_A}00003"] == "removed"
    assert statuses[f"{V_A}00004"] == "returned"
    assert statuses[f"{V_A}00006"] == "new"
    # A village absent from the sheet is not touched: its households are not 清退.
    assert statuses[f"{V_B}00005"] == "poor"
    assert Household.objects.get(household_no=f"{V_A}00001").exit_year is not None

    cause = HouseholdChange.objects.get(field="主要致贫原因")
    assert (cause.before, cause.after, cause.get_kind_display()) == ("因病", "因灾", "属性变更")
    added = HouseholdChange.objects.get(kind="member_added")
    assert added.person_name == "王小宝" and added.household.household_no == f"{V_A}00002"

    imports = AuditEvent.objects.filter(action="households.import").order_by("seq")
    assert imports.count() == 2
    assert imports.last().after["changes"]["清退"] == 1


def test_member_removed_and_member_attributes(world, tmp_path, capsys):
    before = household(V_A, 1, size=3)
    run_import(capsys, write_sheet(tmp_path / "a.xlsx", before))
    after = household(V_A, 1, size=2, 人数="2")
    after[1]["健康状况"] = "长期慢性病"
    code, report = run_import(capsys, write_sheet(tmp_path / "b.xlsx", after))
    assert code == 0, report
    assert report["changes"]["成员减少"] == 1
    removed = HouseholdChange.objects.get(kind="member_removed")
    assert removed.person_name == "王伟"
    health = HouseholdChange.objects.get(field="健康状况")
    assert (health.person_name, health.before, health.after) == ("李秀兰", "健康", "长期慢性病")
    assert Household.objects.get().members.count() == 2


def test_the_same_sheet_again_changes_nothing(world, tmp_path, capsys):
    path = write_sheet(tmp_path / "a.xlsx", household(V_A, 1) + household(V_A, 2))
    run_import(capsys, path)
    code, report = run_import(capsys, path)
    assert code == 0 and report["changes"] == {}
    assert HouseholdChange.objects.filter(batch_id=report["batch_id"]).count() == 0


def test_a_person_may_move_between_households_of_the_sheet(world, tmp_path, capsys):
    first = household(V_A, 1) + household(V_A, 2)
    run_import(capsys, write_sheet(tmp_path / "a.xlsx", first))
    daughter = first[2]  # 王伟 of household 1 marries into household 2
    second = household(V_A, 1, size=2, 人数="2") + household(V_A, 2, 人数="4")
    moved = dict(daughter, 户编号=f"{V_A}00002", 人编号=f"{V_A}0000204", 与户主关系="之儿媳")
    code, report = run_import(capsys, write_sheet(tmp_path / "b.xlsx", [*second, moved]))
    assert code == 0, report
    assert report["changes"]["成员减少"] == 1 and report["changes"]["成员增加"] == 1
    assert Household.objects.get(household_no=f"{V_A}00002").members.count() == 4


def test_changes_command_lists_a_batch(world, tmp_path, capsys):
    run_import(capsys, write_sheet(tmp_path / "a.xlsx", household(V_A, 1)))
    _, report = run_import(
        capsys, write_sheet(tmp_path / "b.xlsx", household(V_A, 1, 联系电话="13800001111"))
    )
    capsys.readouterr()
    assert main(["households", "changes", "--batch", str(report["batch_id"]), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["changes"]
    assert listed == [
        {
            "household_no": f"{V_A}00001",
            "kind": "属性变更",
            "field": "联系电话",
            "person_no": "",
            "person_name": "",
            "before": "139****5678",
            "after": "138****1111",
        }
    ]


def test_a_move_out_of_a_household_found_wrong_later_waits(world, tmp_path, capsys, monkeypatch):
    """Household 1 comes first and gives up a daughter to household 2; a second head row
    for household 1 further down makes it wrong. With --skip-invalid the daughter stays
    where she is registered, and household 2, which she would join, waits too."""
    monkeypatch.setattr(services, "WRITE_CHUNK", 1)  # household 1 written before the repeat
    first = household(V_A, 1) + household(V_A, 2)
    run_import(capsys, write_sheet(tmp_path / "a.xlsx", first))
    daughter = first[2]
    moved = dict(daughter, 户编号=f"{V_A}00002", 人编号=f"{V_A}0000204", 与户主关系="之儿媳")
    again = household(V_A, 1, size=2, 人数="2") + household(V_A, 2, 人数="4") + [moved]
    again += household(V_A, 1, size=1, 人数="1")  # the same household number, headed twice
    again += household(V_A, 3, size=1)
    code, report = run_import(capsys, write_sheet(tmp_path / "b.xlsx", again), "--skip-invalid")
    assert code == 2 and report["imported_households"] == 1, report
    messages = "；".join(e["message"] for e in report["errors"])
    assert "在本表中已出现过" in messages and f"仍登记在户 {V_A}00001" in messages
    one = Household.objects.get(household_no=f"{V_A}00001")
    assert daughter["证件号码"] in set(one.members.values_list("id_number", flat=True))
    assert Household.objects.get(household_no=f"{V_A}00002").members.count() == 3
    assert Household.objects.filter(household_no=f"{V_A}00003").exists()
