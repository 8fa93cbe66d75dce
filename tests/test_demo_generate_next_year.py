"""`--next-year` makes the following year's sheet of the same seed; importing the two gives
exactly the dynamic changes the generator reports, as history."""

import json

from fupin.cli import main
from fupin.households.models import HouseholdChange


def generate(capsys, out, *extra):
    capsys.readouterr()
    args = ["demo", "generate", "households", "--township", "420322100", "--households", "300"]
    assert main([*args, "--out", str(out), "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_next_year_sheet_imports_as_the_reported_changes(world, tmp_path, capsys):
    first = generate(capsys, tmp_path / "2016.csv")
    second = generate(capsys, tmp_path / "2017.csv", "--next-year")
    assert first["changes"] == {}
    made = second["changes"]
    for kind in ("脱贫", "清退", "新识别", "成员增加", "成员减少"):
        assert made.get(kind, 0) > 0, made
    assert main(["households", "import", str(tmp_path / "2016.csv")]) == 0
    capsys.readouterr()
    assert main(["households", "import", str(tmp_path / "2017.csv"), "--json"]) == 0
    applied = json.loads(capsys.readouterr().out)["changes"]
    for kind in ("脱贫", "返贫", "清退", "新识别", "成员增加", "成员减少"):
        assert applied.get(kind, 0) == made.get(kind, 0), (kind, applied, made)
    assert HouseholdChange.objects.filter(kind="exited").count() == made["脱贫"]
