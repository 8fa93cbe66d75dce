"""An exited household is shown with the year it exited, on its page and in the lists."""

import datetime

from fupin.households.models import Household
from tests.households_samples import household, run_import, write_sheet

V_A = "420322100201"


def test_exited_household_shows_its_exit_year(world, tmp_path, capsys):
    first = household(V_A, 1) + household(V_A, 2)
    assert run_import(capsys, write_sheet(tmp_path / "a.xlsx", first))[0] == 0
    second = household(V_A, 1, 脱贫属性="已脱贫") + household(V_A, 2)
    assert run_import(capsys, write_sheet(tmp_path / "b.xlsx", second))[0] == 0
    exited = Household.objects.get(household_no=f"{V_A}00001")
    year = datetime.date.today().year
    assert exited.exit_year == year
    client = world.client("village_a")
    shown = f"脱贫（{year}年）"
    assert shown in client.get(f"/households/{exited.pk}/").content.decode()
    listing = client.get("/households/", {"status": "exited"}).content.decode()
    assert f"<td>{shown}</td>" in listing and "<td>贫困户</td>" not in listing
