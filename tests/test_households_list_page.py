"""The household list page: its rows show the village and status, its village picker offers
the person's own villages with the chosen one selected, and what one person's picker holds
is never shown to another."""

import re

import pytest

from fupin.households.models import Household
from tests.households_samples import household, run_import, write_sheet

V_A, V_B = "420322100201", "420322100202"


@pytest.fixture
def two_villages(world, tmp_path, capsys):
    rows = household(V_A, 1) + household(V_B, 2, size=2)
    code, report = run_import(capsys, write_sheet(tmp_path / "a.xlsx", rows))
    assert code == 0, report


def options(html: str) -> dict[str, bool]:
    """The village picker's options: code → selected."""
    picker = html.split('name="village">', 1)[1].split("</select>", 1)[0]
    return {
        code: bool(selected)
        for code, selected in re.findall(r'<option value="(\d*)"( selected)?>', picker)
    }


def test_rows_show_the_village_and_status(world, two_villages):
    html = world.client("township_a").get("/households/").content.decode()
    one = Household.objects.get(household_no=f"{V_A}00001")
    row = html.split(f'/households/{one.pk}/">{one.household_no}</a>', 1)[1].split("</tr>")[0]
    assert f"<td>{one.head_name}</td>" in row and f"<td>{one.village.name}</td>" in row
    assert f"<td>{one.status_shown}</td>" in row


def test_the_chosen_village_is_selected_and_only_it(world, two_villages):
    client = world.client("township_a")
    assert options(client.get("/households/").content.decode()) == {
        "": False,
        V_A: False,
        V_B: False,
    }
    chosen = options(client.get("/households/", {"village": V_B}).content.decode())
    assert chosen == {"": False, V_A: False, V_B: True}
    # The next page without a choice selects nothing again.
    assert not any(options(client.get("/households/").content.decode()).values())


def test_each_person_sees_their_own_villages(world, two_villages):
    for _ in range(2):
        assert set(options(world.client("village_a").get("/households/").content.decode())) == {
            "",
            V_A,
        }
        assert set(options(world.client("township_a").get("/households/").content.decode())) == {
            "",
            V_A,
            V_B,
        }
