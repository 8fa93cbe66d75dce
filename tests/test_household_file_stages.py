"""Which documents a household owes depends on its stage and circumstances; the exit acceptance
checks the exit documents (同步验收) and is refused while any is missing."""

from fupin.audit.models import AuditEvent
from fupin.cli import main
from fupin.households.models import Household, HouseholdFile
from tests.household_file_samples import (
    SAMPLE_NEEDS,
    TODAY,
    V_A,
    fill,
    household,
    import_households,
)
from tests.households_samples import run_import, write_sheet


def missing_numbers(client, h) -> dict[int, list]:
    data = client.get(f"/api/v1/household-files/{h.pk}").json()
    return {line["number"]: line["missing"] for line in data["checklist"] if line["missing"]}


def test_conditional_types_follow_attribute_cause_and_measures(world, tmp_path, capsys):
    rows = household(V_A, 1) + household(V_A, 2, 贫困户属性="低保贫困户", 主要致贫原因="缺资金")
    found = import_households(world, tmp_path, capsys, rows)
    client = world.client("village_a")
    plain, welfare = found[f"{V_A}00001"], found[f"{V_A}00002"]
    assert set(missing_numbers(client, plain)) == set(SAMPLE_NEEDS)
    # 低保 needs type 4; 缺资金 is not a cause that needs proof (type 5).
    assert set(missing_numbers(client, welfare)) == {1, 2, 3, 4, 7, 6, 15}
    response = client.post(
        f"/api/v1/household-files/{plain.pk}/measures",
        {"kind": "relocation", "year": TODAY.year, "project": "集中安置", "funds": "60000"},
        content_type="application/json",
    )
    assert response.status_code == 201
    client.post(
        f"/api/v1/household-files/{plain.pk}/measures",
        {"kind": "credit", "year": TODAY.year, "project": "5万元贴息贷款"},
        content_type="application/json",
    )
    assert {8, 10} <= set(missing_numbers(client, plain))
    assert Household.objects.get(pk=plain.pk).docs_required == 9


def test_yearly_types_are_owed_for_each_year_of_assistance(world, tmp_path, capsys):
    found = import_households(world, tmp_path, capsys, household(V_A, 1))
    h = found[f"{V_A}00001"]
    Household.objects.filter(pk=h.pk).update(identified_year=TODAY.year - 2)
    assert main(["households", "refresh", "--region", V_A]) == 0
    missing = missing_numbers(world.client("village_a"), h)
    years = [n["year"] for n in missing[6]]
    assert years == [TODAY.year - 2, TODAY.year - 1, TODAY.year]
    assert Household.objects.get(pk=h.pk).docs_required == 5 + 2 * 3


def exit_sheet(tmp_path, capsys):
    code, report = run_import(
        capsys, write_sheet(tmp_path / "exit.xlsx", household(V_A, 1, 脱贫属性="已脱贫"))
    )
    assert code == 0, report


def test_exit_acceptance_is_refused_until_the_exit_documents_are_filed(world, tmp_path, capsys):
    h = import_households(world, tmp_path, capsys, household(V_A, 1))[f"{V_A}00001"]
    clerk, township = world.client("village_a"), world.client("township_a")
    fill(clerk, h, SAMPLE_NEEDS)
    assert Household.objects.get(pk=h.pk).file_complete
    exit_sheet(tmp_path, capsys)
    h.refresh_from_db()
    # Exited: the exit review form (14) is now owed, so the file is incomplete again.
    assert h.status == "exited" and not h.file_complete and h.docs_missing == 1

    refused = township.post(f"/api/v1/household-files/{h.pk}/exit-accept")
    assert refused.status_code == 400
    assert "贫困户脱贫审核表" in refused.json()["detail"]
    assert HouseholdFile.objects.get().exit_accepted_year is None
    # The village clerk files; only the township or the poverty office accepts.
    assert clerk.post(f"/api/v1/household-files/{h.pk}/exit-accept").status_code == 403
    fill(clerk, h, [14])
    accepted = township.post(f"/api/v1/household-files/{h.pk}/exit-accept")
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["exit_accepted_year"] == TODAY.year
    assert Household.objects.get(pk=h.pk).file_complete
    assert AuditEvent.objects.filter(action="households.exit_accept").count() == 1
    again = township.post(f"/api/v1/household-files/{h.pk}/exit-accept")
    assert again.status_code == 400 and "已于" in again.json()["detail"]


def test_removed_households_owe_nothing(world, tmp_path, capsys):
    rows = household(V_A, 1) + household(V_A, 2)
    import_households(world, tmp_path, capsys, rows)
    run_import(capsys, write_sheet(tmp_path / "second.xlsx", household(V_A, 1)))
    removed = Household.objects.get(household_no=f"{V_A}00002")
    assert removed.status == "removed" and removed.docs_required == 0
    data = world.client("county_a").get("/api/v1/household-files/completeness/420322").json()
    assert data["total"]["households"] == 1
