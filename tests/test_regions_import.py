"""Importing the official Hubei division CSVs: real counts, idempotent re-runs, renames kept."""

import json
from pathlib import Path

import pytest

from fupin.audit.models import AuditEvent
from fupin.cli import main
from fupin.regions.importing import demo_region_files
from fupin.regions.models import Region, RegionNameChange
from tests.conftest import shared_path

HUBEI = {"province": 1, "city": 14, "county": 105, "township": 1475}
FILES = ("streets.csv", "areas.csv", "provinces.csv", "cities.csv")  # children first on purpose


def run_import(capsys, *paths: Path) -> tuple[int, dict]:
    code = main(["regions", "import", *map(str, paths), "--json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture
def hubei() -> list[Path]:
    return [shared_path("data", "divisions", name) for name in FILES]


def added(report: dict) -> dict[str, int]:
    return {level: c["added"] for level, c in report["counts"].items()}


@pytest.mark.shared
def test_whole_hubei_set_imports_in_any_order(db, capsys, hubei):
    code, report = run_import(capsys, *hubei)
    assert code == 0, report["errors"]
    assert added(report) == HUBEI
    assert Region.objects.count() == sum(HUBEI.values())
    assert Region.objects.get(code="420322").parent_id == "4203"
    assert Region.objects.get(code="420322104").name == "夹河镇"
    # One summarising audit event for the batch, not one per row.
    events = AuditEvent.objects.filter(action="region.import")
    assert events.count() == 1
    assert events.get().region_code == "42"


@pytest.mark.shared
def test_second_run_reports_everything_unchanged(db, capsys, hubei):
    run_import(capsys, *hubei)
    code, report = run_import(capsys, *hubei)
    assert code == 0
    assert {level: c["unchanged"] for level, c in report["counts"].items()} == HUBEI
    assert all(c["added"] == c["renamed"] == 0 for c in report["counts"].values())
    assert AuditEvent.objects.filter(action="region.import").count() == 2


@pytest.mark.shared
def test_rename_is_reported_audited_and_kept_in_history(db, capsys, hubei, tmp_path):
    run_import(capsys, *hubei)
    areas = tmp_path / "areas.csv"
    text = hubei[1].read_text(encoding="utf-8-sig")
    areas.write_text(text.replace('"郧西县"', '"郧西新县"'), encoding="utf-8")
    code, report = run_import(capsys, areas)
    assert code == 0
    assert report["counts"]["county"] == {"added": 0, "renamed": 1, "flagged": 0, "unchanged": 104}
    assert report["renames"] == [{"code": "420322", "old": "郧西县", "new": "郧西新县"}]
    assert Region.objects.get(code="420322").name == "郧西新县"
    change = RegionNameChange.objects.get(region_id="420322")
    assert (change.old_name, change.new_name, change.source) == ("郧西县", "郧西新县", "areas.csv")
    assert AuditEvent.objects.filter(action="region.rename", object_id="420322").exists()


def test_demo_set_is_small_and_flags_the_poverty_counties(db, capsys):
    code, report = run_import(capsys, *demo_region_files())
    assert code == 0
    assert added(report) == {"province": 1, "city": 1, "county": 8, "township": 19}
    poor = set(Region.objects.filter(is_poor=True).values_list("name", flat=True))
    assert poor == {"郧阳区", "郧西县", "竹山县", "竹溪县", "房县", "丹江口市"}


def test_reimport_keeps_flags_set_since(db, capsys):
    run_import(capsys, *demo_region_files())
    assert main(["regions", "flag", "420322", "--poor", "--exit-year", "2019"]) == 0
    capsys.readouterr()
    code, report = run_import(capsys, *demo_region_files())
    assert code == 0
    assert report["counts"]["county"]["unchanged"] == 8
    assert Region.objects.get(code="420322").exit_year == 2019
