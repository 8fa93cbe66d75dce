"""`fupin checks run --stage … --json`: the itemised report for scripts; exit 1 when a check
fails, 2 when there is nothing to check."""

import json

from django.core.files.storage import default_storage

from fupin.cli import main
from tests.checks_fixtures import archived_items


def _run(capsys, *argv):
    capsys.readouterr()
    code = main(["checks", "run", *argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_json_report_lists_every_check(world, capsys, tmp_path):
    items = archived_items(world)
    unit = world.units["committee_a"]
    code, out = _run(
        capsys, "--stage", "keeping", "--unit", str(unit.pk), "--pdf", str(tmp_path / "r.pdf")
    )
    assert code == 0 and out["ok"] and out["run"]["passed"]
    assert out["run"]["records"] == 2 and out["run"]["files"] == 2
    codes = [r["code"] for r in out["run"]["results"]]
    assert codes[0] == "fixity" and "audit_trail" in codes
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")

    default_storage.delete(items[0].files.get().object.storage_name)
    code, out = _run(capsys, "--stage", "keeping", "--fonds", unit.fonds_code, "--year", "2016")
    assert code == 1 and not out["run"]["passed"]
    fixity = next(r for r in out["run"]["results"] if r["code"] == "fixity")
    assert fixity["failures"][0]["record"].startswith(items[0].reference_code)


def test_nothing_to_check_is_refused(world, capsys):
    archived_items(world)
    code, out = _run(capsys, "--stage", "archive", "--unit", str(world.units["committee_a"].pk))
    assert code == 2
    assert out == {
        "ok": False,
        "error": "没有符合条件的文件可检测（归档环节检测待归档文件，其他环节检测已归档文件）。",
    }
