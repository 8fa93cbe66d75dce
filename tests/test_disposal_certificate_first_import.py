"""A household loaded by its village's first registration sheet — every household of a new
installation, the demo's too — gets a household certificate (档案证明): its 识别年度 comes from
the sheet's own column, or else is the import's data year (given on the import page or with
`--year`), and the certificate says only what that year means. Issued through the page and
the API, verified on the public page."""

from django.test import Client

from fupin.disposal.models import Certificate
from fupin.households.models import Household
from tests.household_file_samples import V_A, attach, household, import_households
from tests.households_samples import run_import, write_sheet
from tests.records_fixtures import set_up_fonds
from tests.test_households_import_page import confirm, upload


def _issue_on_the_page(world, found: Household) -> Certificate:
    assert attach(world.client("village_a"), found, 1).status_code == 302
    response = world.client("village_a").post(
        "/disposal/certificates/",
        {"unit": world.units["committee_a"].pk, "kind": "household",
         "household_no": found.household_no},
    )  # fmt: skip
    certificate = Certificate.objects.get(household=found)
    assert response.status_code == 302, response.content.decode()
    return certificate


def _genuine_on_the_public_page(certificate: Certificate) -> None:
    page = Client().get(f"/public/certificates/{certificate.code}/")
    text = page.content.decode()
    assert page.status_code == 200 and "该证明真实有效" in text
    assert certificate.number in text and certificate.household.head_name not in text


def test_the_sheets_own_identification_year_is_what_the_certificate_states(world, tmp_path, capsys):
    rows = household(V_A, 1, **{"识别年度": "2015"})
    found = import_households(world, tmp_path, capsys, rows)[f"{V_A}00001"]
    assert found.identified_year == 2015
    certificate = _issue_on_the_page(world, found)
    assert "于 2015 年经精准识别登记为建档立卡贫困户" in certificate.statement
    _genuine_on_the_public_page(certificate)


def test_without_the_column_the_first_imports_data_year_is_recorded_and_said_as_such(
    world, tmp_path, capsys
):
    set_up_fonds(world.units["committee_a"])
    rows = household(V_A, 1) + household(V_A, 2)
    path = write_sheet(tmp_path / "2016年建档立卡.xlsx", rows)
    # Imported on the page, the data year given with the sheet.
    township = world.client("township_a")
    assert "数据年度" in township.get("/households/import/").content.decode()
    wrong = upload(township, path, data_year="2009").content.decode()
    assert "数据年度应在 2014–" in wrong and not Household.objects.exists()
    page = upload(township, path, data_year="2016").content.decode()
    assert "已导入" in confirm(township, page).content.decode()
    found = Household.objects.get(household_no=f"{V_A}00001")
    assert (found.identified_year, found.identified_basis) == (2016, "registered")
    detail = world.client("village_a").get(f"/api/v1/households/{found.pk}").json()
    assert (detail["identified_year"], detail["identified_basis"]) == (2016, "registered")

    assert attach(world.client("village_a"), found, 1).status_code == 302
    issued = world.client("village_a").post(
        "/api/v1/disposal/certificates",
        {"unit_id": world.units["committee_a"].pk, "kind": "household",
         "household_no": found.household_no},
        content_type="application/json",
    )  # fmt: skip
    assert issued.status_code == 201, issued.content.decode()
    statement = issued.json()["statement"]
    # Known: it was in the 2016 data. Not known: the year it was identified.
    assert "已列入 2016 年度建档立卡信息，登记为建档立卡贫困户" in statement
    assert "经精准识别" not in statement
    _genuine_on_the_public_page(Certificate.objects.get(pk=issued.json()["id"]))


def test_a_later_sheet_dates_new_households_and_corrects_a_loaded_year(world, tmp_path, capsys):
    first = write_sheet(tmp_path / "2016.xlsx", household(V_A, 1))
    assert run_import(capsys, first, "--year", "2016")[0] == 0
    # The next year's sheet carries the column: the loaded household's year becomes known,
    # a history entry says so, and a household new to the village is identified in 2017.
    rows = household(V_A, 1, **{"识别年度": "2014"}) + household(V_A, 2)
    code, report = run_import(capsys, write_sheet(tmp_path / "2017.xlsx", rows), "--year", "2017")
    assert code == 0, report
    loaded = Household.objects.get(household_no=f"{V_A}00001")
    assert (loaded.identified_year, loaded.identified_basis) == (2014, "sheet")
    entry = loaded.changes.get(field="识别年度")
    assert (entry.before, entry.after) == ("2016", "2014")
    new = Household.objects.get(household_no=f"{V_A}00002")
    assert (new.identified_year, new.identified_basis) == (2017, "identified")


def test_a_year_after_the_data_year_or_out_of_range_is_refused_by_row(world, tmp_path, capsys):
    rows = household(V_A, 1, **{"识别年度": "2018"}) + household(V_A, 2, **{"识别年度": "2009"})
    code, report = run_import(capsys, write_sheet(tmp_path / "s.xlsx", rows), "--year", "2016")
    assert code == 2
    messages = {e["row"]: e["message"] for e in report["errors"]}
    assert "识别年度 2018 晚于本次导入的数据年度 2016" in messages[2]
    assert "识别年度 2009 超出 2014–2020" in messages[5]
    assert not Household.objects.exists()
    code, report = run_import(capsys, write_sheet(tmp_path / "t.xlsx", rows), "--year", "2031")
    assert code != 0 and not Household.objects.exists()
