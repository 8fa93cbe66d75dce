"""The national sheet is declared once (fupin/households/registry/sheet.py): the models' labels, the
code lists, the member table and the API follow the declaration, and no app reads it (or
anything else) from the demo app."""

import re
from pathlib import Path

import fupin
from fupin.households.models import Household, Person
from fupin.households.registry import sheet
from fupin.households.registry.sheet import Compare, Part
from tests.households_samples import household, run_import, write_sheet

V_A = "420322100201"


def test_model_labels_are_the_sheet_labels():
    for column in sheet.COLUMNS:
        model = {Part.PERSON: Person, Part.HOUSEHOLD: Household}.get(column.part)
        if model is None or column.compare == Compare.STATUS:
            continue
        assert model._meta.get_field(column.field).verbose_name == column.label


def test_code_lists_page_lists_every_coded_column(world):
    page = world.client("sysadmin_a").get("/households/codes/").content.decode()
    coded = [c.label for c in sheet.COLUMNS if c.coded]
    for label in coded:
        assert label in page


def test_member_table_and_api_follow_the_sheet(world, tmp_path, capsys):
    rows = household(V_A, 1, size=2)
    rows[1].update({"务工状况": "省外务工", "务工时间(月)": "0"})
    assert run_import(capsys, write_sheet(tmp_path / "a.xlsx", rows))[0] == 0
    found = Household.objects.get()
    client = world.client("county_a")

    page = client.get(f"/households/{found.pk}/").content.decode()
    table = page[page.index("<h2>家庭成员</h2>") :]
    headers = re.findall(r"<th>(.*?)</th>", table[: table.index("</thead>")])
    assert headers == [c.label for c in sheet.PERSON_COLUMNS]
    first_row = table[table.index("<tbody>") : table.index("</tr>", table.index("<tbody>"))]
    assert len(re.findall(r"<td", first_row)) == len(sheet.PERSON_COLUMNS)

    data = client.get(f"/api/v1/households/{found.pk}").json()
    person_fields = [c.field for c in sheet.PERSON_COLUMNS]
    assert [list(m) for m in data["members"]] == [person_fields, person_fields]
    second = data["members"][1]
    assert (second["work_status"], second["work_months"]) == ("省外务工", 0)
    assert second["serious_illness_insurance"] is True
    for column in sheet.HOUSEHOLD_COLUMNS:
        if column.compare == Compare.VALUE:
            assert column.field in data, column.label
    assert data["water_safe"] is True and data["dilapidated_house"] is False


def test_no_app_imports_from_demo():
    """The demo app sits at the bottom of the dependency order: only the command list of
    `fupin` (the project, not an app) names it."""
    root = Path(fupin.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.relative_to(root).parts[0] != "demo"
        and path != root / "cli.py"
        and "fupin.demo" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
