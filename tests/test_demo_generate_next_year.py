"""`--next-year` makes the following year's sheet of the same seed; importing the two gives
exactly the dynamic changes the generator reports, as history."""

import json

from fupin.cli import main
from fupin.demo.files import read_table
from fupin.households.models import HouseholdChange, Person


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
    # Every kind, 属性变更 included: what the generator says is what the import records.
    assert applied == made
    assert HouseholdChange.objects.filter(kind="exited").count() == made["脱贫"]


def _ids(path) -> set[str]:
    rows = read_table(path)
    column = next(rows).index("证件号码")
    return {row[column] for row in rows}


def test_next_year_sheet_imports_cleanly_over_people_already_registered(world, tmp_path, capsys):
    """The registry also holds other people of the same county (another township's): the
    next year's new people get numbers nobody has, and the import applies the tally."""
    capsys.readouterr()
    args = ["demo", "generate", "households", "--township", "420322101", "--households", "200"]
    assert main([*args, "--seed", "7", "--out", str(tmp_path / "other.csv")]) == 0
    assert main(["households", "import", str(tmp_path / "other.csv")]) == 0
    generate(capsys, tmp_path / "2016.csv")
    assert main(["households", "import", str(tmp_path / "2016.csv")]) == 0
    second = generate(capsys, tmp_path / "2017.csv", "--next-year")
    registered = set(Person.objects.values_list("id_number", flat=True))
    this_year = _ids(tmp_path / "2016.csv")
    new_people = _ids(tmp_path / "2017.csv") - this_year
    assert new_people and not new_people & registered
    capsys.readouterr()
    assert main(["households", "import", str(tmp_path / "2017.csv"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["changes"] == second["changes"]
