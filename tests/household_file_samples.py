"""A village with imported households and a fonds to file their documents in (no tests)."""

import datetime

from fupin.households.models import Household
from tests.households_samples import household, run_import, write_sheet
from tests.records_fixtures import set_up_fonds

V_A, V_B = "420322100201", "420322100202"
TODAY = datetime.date.today()


def import_households(world, tmp_path, capsys, rows) -> dict[str, Household]:
    """Import the rows and set up both committees' fonds; households by 户编号."""
    set_up_fonds(world.units["committee_a"])
    set_up_fonds(world.units["committee_b"])
    code, report = run_import(capsys, write_sheet(tmp_path / "sheet.xlsx", rows))
    assert code == 0, report
    return {h.household_no: h for h in Household.objects.all()}


def attach(client, household, number, day=TODAY, pages=1, **extra):
    """File a document of checklist type `number` through the page's form."""
    data = {"number": number, "date": day.isoformat(), "pages": pages, **extra}
    return client.post(f"/households/{household.pk}/documents/", data)


def fill(client, household, numbers, day=TODAY):
    for number in numbers:
        response = attach(client, household, number, day)
        assert response.status_code == 302


# The sample household (一般贫困户, 因病) owes: 1 2 3 5 7 once, and 6 and 15 for the year.
SAMPLE_NEEDS = (1, 2, 3, 5, 7, 6, 15)
__all__ = ["V_A", "V_B", "household"]
