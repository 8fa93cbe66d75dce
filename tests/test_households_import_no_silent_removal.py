"""清退 only where the sheet vouches for a village; the same sheet twice changes nothing."""

from fupin.audit.models import AuditEvent
from fupin.households.models import Household, HouseholdChange, ImportBatch
from tests.households_samples import household, run_import, write_sheet

V_A, V_B = "420322100201", "420322100202"


def _bad(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    rows[0]["健康状况"] = "很好"  # not in the code list: the whole household is refused
    return rows


def _statuses() -> dict[str, str]:
    return dict(Household.objects.values_list("household_no", "status"))


def test_skip_invalid_with_every_household_refused_removes_nothing(world, tmp_path, capsys):
    first = household(V_A, 1) + household(V_A, 2) + household(V_B, 3)
    assert run_import(capsys, write_sheet(tmp_path / "a.xlsx", first))[0] == 0
    # Next year's sheet for village A only, and every one of its households is wrong.
    again = _bad(household(V_A, 1)) + _bad(household(V_A, 4))
    path = write_sheet(tmp_path / "b.xlsx", again)
    code, report = run_import(capsys, path, "--skip-invalid")
    assert code == 2 and report["skipped_households"] == 2
    assert report["imported_households"] == 0 and report["changes"] == {}
    assert set(_statuses().values()) == {"poor"}
    assert not HouseholdChange.objects.filter(kind="removed").exists()
    assert ImportBatch.objects.count() == 1  # the first import's only


def test_a_village_with_one_valid_household_is_covered(world, tmp_path, capsys):
    first = household(V_A, 1) + household(V_A, 2) + household(V_A, 3)
    first += household(V_B, 4) + household(V_B, 5)
    run_import(capsys, write_sheet(tmp_path / "a.xlsx", first))
    # A: household 1 valid, 2 refused, 3 absent. B: household 4 refused, 5 absent.
    again = household(V_A, 1) + _bad(household(V_A, 2)) + _bad(household(V_B, 4))
    code, report = run_import(capsys, write_sheet(tmp_path / "b.xlsx", again), "--skip-invalid")
    assert code == 2, report
    assert report["changes"] == {"清退": 1}
    statuses = _statuses()
    assert statuses[f"{V_A}00003"] == "removed"  # absent from a village the sheet covers
    assert statuses[f"{V_A}00002"] == "poor"  # in the sheet, though refused
    assert statuses[f"{V_B}00004"] == statuses[f"{V_B}00005"] == "poor"  # B is not covered


def test_the_same_sheet_again_reports_no_changes_and_adds_no_history(world, tmp_path, capsys):
    path = write_sheet(tmp_path / "a.xlsx", household(V_A, 1) + household(V_A, 2, size=2))
    run_import(capsys, path)
    changes, batches = HouseholdChange.objects.count(), ImportBatch.objects.count()
    code, report = run_import(capsys, path)
    assert code == 0 and report["applied"], report
    assert report["changes"] == {} and report["batch_id"] is None
    assert report["imported_households"] == 0 and report["people"] == 0
    assert report["unchanged_households"] == 2
    assert HouseholdChange.objects.count() == changes and ImportBatch.objects.count() == batches
    assert (
        AuditEvent.objects.filter(action="households.import")
        .last()
        .summary.endswith("与登记数据相同，无变动")
    )
    capsys.readouterr()
    from fupin.cli import main

    assert main(["households", "import", str(path)]) == 0
    assert "无变动" in capsys.readouterr().out


def test_counts_name_only_the_households_that_changed(world, tmp_path, capsys):
    run_import(capsys, write_sheet(tmp_path / "a.xlsx", household(V_A, 1) + household(V_A, 2)))
    again = household(V_A, 1) + household(V_A, 2, 联系电话="13800001111")
    code, report = run_import(capsys, write_sheet(tmp_path / "b.xlsx", again))
    assert code == 0, report
    assert report["imported_households"] == 1 and report["people"] == 3
    assert report["unchanged_households"] == 1
    assert ImportBatch.objects.get(pk=report["batch_id"]).households == 1
