"""A report's figures are computed from the data and match what was counted by hand."""

import pytest

from fupin.households.registry.services import households_import
from tests.households_samples import household, write_sheet
from tests.supervision_fixtures import (
    COUNTY_OWN,
    THIS_QUARTER,
    TOWNSHIP_A_OWN,
    TOWNSHIP_B_OWN,
    VILLAGE_A,
    VILLAGE_B,
    expected,
    fill,
)

V_A = "420322100201"


def build(client, **subject):
    response = client.post(
        "/api/v1/supervision/reports",
        {"quarter": THIS_QUARTER, **subject},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content.decode()
    return response.json()


EXTRA = {"archive_staff": 0, "training_sessions": 0}


@pytest.fixture
def filled(world, tmp_path):
    fill(world, tmp_path)
    return world


def test_village_figures_match_the_hand_count(filled):
    report = build(filled.client("village_a"), region_code="420322100201")
    assert report["figures"] == expected(VILLAGE_A) | {"archive_staff": 0, "training_sessions": 0}
    lines = {line["key"]: line for line in report["lines"]}
    assert lines["digitised_share"]["value"] == "50.0%"
    assert lines["items"]["label"] == "文件"


def test_other_village_and_own_units_of_a_township(filled):
    b = build(filled.client("village_b"), region_code="420322100202")
    assert {k: v for k, v in b["figures"].items() if v} == VILLAGE_B
    # Nothing reported below yet: the township still counts its villages' data.
    town = build(filled.client("township_a"), region_code="420322100")
    assert town["figures"] == expected(VILLAGE_A, VILLAGE_B, TOWNSHIP_A_OWN) | EXTRA


def test_unit_report_counts_that_unit_only(filled):
    unit = filled.units["committee_a"]
    report = build(filled.client("village_a"), unit_id=unit.pk)
    assert report["figures"]["items"] == 4
    assert report["figures"]["households"] == 0
    assert report["figures"]["orders_open"] == 1


def test_county_figures_cover_its_whole_subtree(filled):
    report = build(filled.client("county_a"), region_code="420322")
    everything = expected(VILLAGE_A, VILLAGE_B, TOWNSHIP_A_OWN, TOWNSHIP_B_OWN, COUNTY_OWN)
    assert report["figures"] == everything | EXTRA


def test_household_changes_count_only_in_their_quarter(filled, tmp_path):
    """Loading the first sheet identifies nobody; a household new in a later sheet is 新识别."""
    report = build(filled.client("village_a"), region_code="420322100201")
    assert report["figures"]["newly_identified"] == 0
    past = filled.client("village_a").post(
        "/api/v1/supervision/reports",
        {"quarter": "2016Q3", "region_code": "420322100201"},
        content_type="application/json",
    )
    assert past.json()["figures"]["newly_identified"] == 0
    assert past.json()["figures"]["households"] == 2
    rows = [*household(V_A, 1), *household(V_A, 2), *household(V_A, 4)]
    households_import(actor=None, path=write_sheet(tmp_path / "next.xlsx", rows))
    report = build(filled.client("village_a"), region_code="420322100201")
    assert report["figures"]["newly_identified"] == 1
