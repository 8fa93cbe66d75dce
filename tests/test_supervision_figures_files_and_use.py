"""The report figures that come from the household files and from use (利用), counted by hand:
东岭村 has two households, one with a complete file, one with one document; one request to
consult its records was granted and one original was lent this quarter."""

import datetime
import json

from fupin.cli import main
from fupin.records.models import ClassCode
from fupin.records.services import items_arrange, items_lock
from fupin.supervision.reports.quarters import Quarter
from fupin.use.services import loan_create, use_request_approve, use_request_create
from tests.household_file_samples import SAMPLE_NEEDS, V_A, fill, household, import_households
from tests.records_fixtures import file_item

THIS_QUARTER = str(Quarter.of(datetime.date.today()))


def test_household_file_and_use_figures(world, tmp_path, capsys):
    found = import_households(world, tmp_path, capsys, household(V_A, 1) + household(V_A, 2))
    clerk = world.client("village_a")
    fill(clerk, found[f"{V_A}00001"], SAMPLE_NEEDS)
    fill(clerk, found[f"{V_A}00002"], [1])
    committee = world.units["committee_a"]
    klass = ClassCode.objects.get(unit=committee, code="BGS")
    item = file_item(committee, klass, level="village", title="村扶贫规划")
    items_arrange(actor=None, unit_id=committee.pk, year=2016)
    items_lock(actor=None, unit_id=committee.pk, item_ids=[item.pk])
    item.refresh_from_db()
    request = use_request_create(
        actor=world.users["village_b"], codes=[item.reference_code], purpose="核对", days=3
    )
    use_request_approve(actor=world.users["village_a"], request_id=request.pk)
    loan_create(
        actor=world.users["village_a"],
        unit_id=committee.pk,
        borrower_name="李明",
        codes=[item.reference_code],
        purpose="审计",
        due_on=datetime.date.today() + datetime.timedelta(days=7),
    )

    capsys.readouterr()
    args = ["reports", "build", "--quarter", THIS_QUARTER, "--region", V_A, "--json"]
    assert main(args) == 0
    figures = json.loads(capsys.readouterr().out)["figures"]
    assert figures["households"] == 2
    assert figures["households_with_file"] == 2
    assert figures["households_complete"] == 1
    assert (figures["lookups_granted"], figures["lookups_lent"]) == (1, 1)
