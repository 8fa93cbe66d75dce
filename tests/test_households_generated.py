"""Sheets from the demo generator: CSV in UTF-8/GBK, and the injected defects all caught."""

import json

import pytest

from fupin.cli import main
from fupin.households.models import Household, Person
from tests.households_samples import error_column, run_import


def generate(capsys, out, *extra: str) -> dict:
    capsys.readouterr()
    args = ["demo", "generate", "households", "--county", "420322", "--households", "120"]
    assert main([*args, "--out", str(out), "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_generated_csv_imports_in_any_encoding(world, tmp_path, capsys, encoding):
    made = generate(capsys, tmp_path / "sheet.csv", "--encoding", encoding)
    code, report = run_import(capsys, tmp_path / "sheet.csv")
    assert code == 0, report["errors"][:3]
    assert report["imported_households"] == 120 and report["people"] == made["people"]
    assert Person.objects.count() == made["people"]


def test_generated_dirty_sheet_names_every_injected_row(world, tmp_path, capsys):
    made = generate(capsys, tmp_path / "dirty.xlsx", "--dirty")
    code, report = run_import(capsys, tmp_path / "dirty.xlsx")
    assert code == 2 and not Household.objects.exists()
    errors = error_column(tmp_path / "dirty-错误.xlsx")
    for injected in made["injected"]:
        message = errors[injected["row"]]
        if injected["kind"] in ("fullwidth", "lowercase_x", "spaces", "old15"):
            assert "整户未导入" in message or message == "", injected
        else:
            assert message and "整户未导入" not in message, (injected, message)
    code, report = run_import(capsys, tmp_path / "dirty.xlsx", "--skip-invalid")
    assert report["skipped_households"] == 3  # bad check digit, duplicate, missing head
    assert Household.objects.count() == 117
