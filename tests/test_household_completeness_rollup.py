"""Completeness rolls up village → township → county with drill-down to the missing documents;
the township exports a to-do list; the clerk's home lists households by what they lack."""

import io
import json

from openpyxl import load_workbook

from fupin.audit.models import AuditEvent
from fupin.cli import main
from fupin.regions.models import Unit, UnitKind
from tests.household_file_samples import SAMPLE_NEEDS, V_A, V_B, fill, household, import_households
from tests.records_fixtures import set_up_fonds

V_C = "420322101201"  # another township


def build(world, tmp_path, capsys):
    """Hand-counted: V_A 3 households (1 complete), V_B 2 (0 complete), V_C 1 (1 complete)."""
    rows = household(V_A, 1) + household(V_A, 2) + household(V_A, 3)
    rows += household(V_B, 4) + household(V_B, 5) + household(V_C, 6)
    found = import_households(world, tmp_path, capsys, rows)
    committee_c = Unit.objects.create(
        region=world.regions[V_C],
        kind=UnitKind.VILLAGE_COMMITTEE,
        name="南坪村委会",
        fonds_code="F099",
        fonds_name="南坪村委会",
    )
    set_up_fonds(committee_c, classes=(("BGS", "办公室"),))
    fill(world.client("village_a"), found[f"{V_A}00001"], SAMPLE_NEEDS)
    fill(world.client("village_a"), found[f"{V_A}00002"], [1, 2, 3])  # lacks 5, 7, 6, 15
    fill(world.client("village_b"), found[f"{V_B}00004"], [1])
    fill(world.client("township_b"), found[f"{V_C}00006"], SAMPLE_NEEDS)
    return found


def test_rollup_from_household_to_county(world, tmp_path, capsys):
    build(world, tmp_path, capsys)
    county = world.client("county_a").get("/api/v1/household-files/completeness/420322").json()
    assert (county["total"]["households"], county["total"]["complete"]) == (6, 2)
    by_town = {c["code"]: (c["households"], c["complete"]) for c in county["children"]}
    assert by_town == {"420322100": (5, 1), "420322101": (1, 1)}
    town = world.client("township_a").get("/api/v1/household-files/completeness/420322100").json()
    by_village = {c["code"]: c for c in town["children"]}
    assert (by_village[V_A]["households"], by_village[V_A]["complete"]) == (3, 1)
    assert (by_village[V_B]["households"], by_village[V_B]["complete"]) == (2, 0)
    # Per-type drill-down: type 7 (扶贫手册) is missing in households 2, 3 of V_A and 4, 5 of V_B.
    assert by_village[V_A]["missing_by_type"]["7"] == 2
    assert by_village[V_B]["missing_by_type"]["1"] == 1
    assert town["total"]["rate"] == 0.2

    page = world.client("township_a").get("/households/completeness/?region=420322100")
    html = page.content.decode()
    assert "20.0%" in html and "东岭村" in html and "扶贫手册" in html

    capsys.readouterr()
    assert main(["households", "completeness", "--region", "420322", "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert cli["total"]["complete"] == 2 and len(cli["children"]) == 2


def test_township_exports_a_todo_list(world, tmp_path, capsys):
    build(world, tmp_path, capsys)
    response = world.client("township_a").get("/households/completeness/420322100/todo.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]]
    assert rows[0][2] in (f"{V_A}00003", f"{V_B}00005")  # 7 missing each
    assert len(rows) == 4  # households 2, 3, 4, 5 lack something
    lacking = {r[2]: r[7] for r in rows}
    assert "扶贫手册" in lacking[f"{V_A}00002"] and "入户调查表" not in lacking[f"{V_A}00002"]
    assert AuditEvent.objects.filter(action="households.todo_export").count() == 1
    # No ID numbers in the list.
    assert not any("4203221" in str(c) for r in rows for c in r if c and c != r[2])
    # Another township cannot export this one's list.
    other = world.client("township_b").get("/households/completeness/420322100/todo.xlsx")
    assert other.status_code == 404
    out = tmp_path / "todo.xlsx"
    assert main(["households", "todo", "--region", V_A, "-o", str(out), "--json"]) == 0
    assert load_workbook(out).worksheets[0].max_row >= 5


def test_clerk_home_lists_households_by_missing(world, tmp_path, capsys):
    build(world, tmp_path, capsys)
    html = world.client("village_a").get("/").content.decode()
    assert "一户一档待补材料（2 户）" in html
    # Household 3 (7 missing) is listed before household 2 (4 missing).
    start = html.index("一户一档待补材料")
    section = html[start : html.index("</section>", start)]
    assert section.index("7 项") < section.index("4 项")
    assert "西岭村" not in section
    # Above a township the list would sort a whole county's households on every visit.
    assert "一户一档待补材料" not in world.client("county_a").get("/").content.decode()
