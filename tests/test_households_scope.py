"""Households are read through the access layer: out of scope answers 404."""

import pytest

from fupin.households.models import Household
from tests.households_samples import household, run_import, write_sheet

V_A, V_B = "420322100201", "420322100202"


@pytest.fixture
def two_villages(world, tmp_path, capsys):
    rows = household(V_A, 1) + household(V_A, 2, size=1) + household(V_B, 3, size=2)
    code, report = run_import(capsys, write_sheet(tmp_path / "a.xlsx", rows))
    assert code == 0, report
    return Household.objects.get(household_no=f"{V_A}00001"), report["batch_id"]


def test_village_b_cannot_see_village_a(world, two_villages):
    household, batch_id = two_villages
    client = world.client("village_b")
    assert client.get(f"/households/{household.pk}/").status_code == 404
    assert client.get(f"/api/v1/households/{household.pk}").status_code == 404
    listed = client.get("/api/v1/households").json()
    assert [h["household_no"] for h in listed["items"]] == [f"{V_B}00003"]
    changes = client.get(f"/api/v1/households/batches/{batch_id}/changes").json()["changes"]
    assert {c["household_no"] for c in changes} == {f"{V_B}00003"}


def test_other_county_sees_nothing(world, two_villages):
    _, batch_id = two_villages
    client = world.client("county_b")
    assert client.get("/api/v1/households").json()["count"] == 0
    assert client.get(f"/households/batches/{batch_id}/").status_code == 404
    assert client.get(f"/api/v1/households/batches/{batch_id}/changes").status_code == 404


def test_township_lists_searches_and_filters(world, two_villages):
    client = world.client("township_a")
    assert client.get("/api/v1/households").json()["count"] == 3
    found = client.get("/api/v1/households", {"village": V_B}).json()["items"]
    assert [h["household_no"] for h in found] == [f"{V_B}00003"]
    found = client.get("/api/v1/households", {"q": f"{V_A}00002"}).json()["items"]
    assert len(found) == 1 and found[0]["phone"] == "139****5678"
    page = client.get("/households/", {"q": "王建国", "status": "poor"}).content.decode()
    assert f"{V_A}00001" in page
    batch_page = client.get(f"/households/batches/{two_villages[1]}/").content.decode()
    assert "新识别" in batch_page


def test_detail_shows_members_and_history(world, two_villages):
    household, _ = two_villages
    page = world.client("village_a").get(f"/households/{household.pk}/").content.decode()
    assert "李秀兰" in page and "新识别" in page and "变动历史" in page
