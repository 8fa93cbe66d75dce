"""`fupin reports build --quarter 2016Q3 --region 420322 --json` and the batch build."""

import json

from fupin.cli import main
from fupin.supervision.models import QuarterReport
from tests.supervision_fixtures import (
    COUNTY_OWN,
    TOWNSHIP_A_OWN,
    TOWNSHIP_B_OWN,
    VILLAGE_A,
    VILLAGE_B,
    expected,
    fill,
)


def run(capsys, *argv: str) -> tuple[int, dict]:
    code = main(list(argv))
    return code, json.loads(capsys.readouterr().out)


def test_build_one_report(world, tmp_path, capsys):
    fill(world, tmp_path)
    code, data = run(
        capsys, "reports", "build", "--quarter", "2016Q3", "--region", "420322", "--json"
    )
    assert code == 0
    # The whole county, as counted by hand, though nothing below has reported.
    whole = expected(VILLAGE_A, VILLAGE_B, TOWNSHIP_A_OWN, TOWNSHIP_B_OWN, COUNTY_OWN)
    stock = ("units", "items", "items_locked", "households", "volumes", "scanned_pages")
    assert {k: data["figures"][k] for k in stock} == {k: whole[k] for k in stock}
    assert data["status"] == "draft"
    labels = {line["key"]: line["label"] for line in data["lines"]}
    assert labels["households"] == "建档立卡贫困户"


def test_tree_build_and_bad_input(world, tmp_path, capsys):
    fill(world, tmp_path)
    code, data = run(
        capsys, "reports", "build", "--quarter", "2016Q3", "--region", "420322", "--tree", "--json"
    )
    assert code == 0 and data == {"created": 6, "updated": 0, "unchanged": 0, "frozen": 0}
    village = QuarterReport.objects.get(quarter="2016Q3", region_id="420322100201")
    assert village.figures["items"] == 4 and village.figures["households"] == 2
    code, data = run(
        capsys, "reports", "build", "--quarter", "2016-3", "--region", "420322", "--json"
    )
    assert code == 2 and "2016Q3" in data["error"]
