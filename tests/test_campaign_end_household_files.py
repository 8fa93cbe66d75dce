"""After a region's campaign end (精准扶贫工作结束) no new yearly papers are owed in the
household files: completeness stops adding years; an exited household owes papers up to its
exit year. The poverty office sets the end on its own page (issue 17)."""

from fupin.households.models import Household
from tests.household_file_samples import TODAY, V_A, import_households
from tests.households_samples import household


def yearly_missing(client, h) -> list[int]:
    data = client.get(f"/api/v1/household-files/{h.pk}").json()
    return [n["year"] for line in data["checklist"] if line["number"] == 6 for n in line["missing"]]


def test_no_yearly_papers_are_owed_after_the_campaign_end(world, tmp_path, capsys):
    found = import_households(world, tmp_path, capsys, household(V_A, 1) + household(V_A, 2))
    poor, exited = found[f"{V_A}00001"], found[f"{V_A}00002"]
    Household.objects.filter(pk=poor.pk).update(identified_year=TODAY.year - 5)
    Household.objects.filter(pk=exited.pk).update(
        identified_year=TODAY.year - 5, exit_year=TODAY.year - 4, status="exited"
    )
    clerk, office = world.client("village_a"), world.client("county_a")
    assert yearly_missing(clerk, poor) == list(range(TODAY.year - 5, TODAY.year + 1))
    ended = TODAY.year - 3
    response = office.post(
        "/regions/campaign-end/",
        {"code": "420322", "ended_on": f"{ended}-12-31", "transfer_due_on": f"{TODAY.year}-12-31"},
    )
    assert response.status_code == 302
    assert yearly_missing(clerk, poor) == list(range(TODAY.year - 5, ended + 1))
    assert yearly_missing(clerk, exited) == [TODAY.year - 5, TODAY.year - 4]
    # The completeness kept on the row was recomputed with the setting, not at the next refresh.
    row = Household.objects.get(pk=poor.pk)
    assert row.docs_required == 5 + 2 * 3
    # Cleared again: the years come back.
    office.post("/regions/campaign-end/", {"code": "420322", "ended_on": ""})
    assert Household.objects.get(pk=poor.pk).docs_required == 5 + 2 * 6


def test_the_page_is_the_poverty_office_s_and_shows_inheritance(world):
    office = world.client("office_city")
    page = office.get("/regions/campaign-end/")
    assert page.status_code == 200 and "郧西县" in page.content.decode()
    assert "工作结束与移交期限" in page.content.decode()
    office.post("/regions/campaign-end/", {"code": "4203", "ended_on": "2020-12-31"})
    text = office.get("/regions/campaign-end/").content.decode()
    assert "随上级（4203）" in text and "2020-12-31" in text
    refused = office.post(
        "/regions/campaign-end/",
        {"code": "420322", "ended_on": "2020-12-31", "transfer_due_on": "2019-01-01"},
        follow=True,
    )
    assert "不能早于" in refused.content.decode()
    assert world.client("village_a").get("/regions/campaign-end/").status_code == 403
    # Another county's office does not see 郧西 nor set it.
    other = world.client("county_b")
    assert "郧西县" not in other.get("/regions/campaign-end/").content.decode()
    assert (
        other.post(
            "/regions/campaign-end/", {"code": "420322", "ended_on": "2020-12-31"}
        ).status_code
        == 404
    )
