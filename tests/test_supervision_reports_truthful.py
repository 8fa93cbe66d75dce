"""A report never misleads: its figures come from the data of the whole subtree whoever has
reported; submitting names the subordinates it goes up without and records them; accepted
packages from other installations count only for regions whose data is not held here."""

import datetime

from fupin.households.models import Household
from fupin.regions.models import Level, Region
from fupin.supervision.federation import package as federation
from fupin.supervision.models import QuarterReport
from tests.supervision_api import build, decide, post, submit
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


def test_a_returned_village_does_not_empty_the_township(world, tmp_path):
    fill(world, tmp_path)
    village_b, township = world.client("village_b"), world.client("township_a")
    report = build(village_b, region_code="420322100202")
    submit(village_b, report["id"])
    decide(township, report["id"], False, "请核对案卷数")
    town = build(township, region_code="420322100")
    assert town["figures"]["households"] == 3 and town["figures"]["volumes"] == 1


def test_submitting_names_who_it_goes_up_without(world, tmp_path):
    fill(world, tmp_path)
    village = world.client("village_a")
    report = build(village, region_code="420322100201")
    refused = submit(village, report["id"], status=400, confirm=False)
    assert "东岭村委会（未报送）" in refused["detail"] and "确认报送" in refused["detail"]
    assert QuarterReport.objects.get(pk=report["id"]).status == "draft"
    sent = submit(village, report["id"])
    assert sent["status"] == "submitted"
    assert sent["submitted_without"] == [{"name": "东岭村委会", "kind": "单位", "state": "未报送"}]


def test_late_subordinates_are_named_too(world, tmp_path):
    fill(world, tmp_path)
    village_a, township = world.client("village_a"), world.client("township_a")
    # A quarter long past: the village goes up today, which is late.
    past = build(village_a, "2016Q3", region_code="420322100201")
    submit(village_a, past["id"])
    town = build(township, "2016Q3", region_code="420322100")
    refused = submit(township, town["id"], status=400, confirm=False)["detail"]
    assert "东岭村（逾期报送）" in refused and "西岭村（未报送）" in refused
    sent = submit(township, town["id"])
    states = {w["name"]: w["state"] for w in sent["submitted_without"]}
    assert states == {"东岭村": "逾期报送", "西岭村": "未报送", "城关镇人民政府": "未报送"}


def test_a_village_with_nothing_below_goes_up_without_confirming(world):
    world.units["committee_b"].delete()
    village = world.client("village_b")
    report = build(village, region_code="420322100202")
    sent = submit(village, report["id"], confirm=False)
    assert (sent["status"], sent["submitted_without"]) == ("submitted", [])


def _package(settings, sender: str, region: str, figures: dict[str, int]) -> dict:
    settings.FUPIN_FEDERATION_SENDER, settings.FUPIN_FEDERATION_KEY = sender, f"{sender}-key"
    payload = {"quarter": THIS_QUARTER, "region": region, "region_name": sender,
               "figures": figures, "entered": {}, "sender": sender,
               "created": datetime.datetime(2026, 1, 1).isoformat()}  # fmt: skip
    return federation.seal(payload)


def test_packages_count_only_for_regions_not_held_here(world, tmp_path, settings):
    fill(world, tmp_path)
    Region.objects.create(code="420324", name="房县", level=Level.COUNTY, parent_id="4203")
    fang = _package(settings, "房县", "420324", {"households": 50, "units": 4})
    # 郧西县's data is held here: a package of its own says something else and must not count.
    yunxi = _package(settings, "郧西县", "420322", {"households": 999, "units": 999})
    settings.FUPIN_FEDERATION_SENDER, settings.FUPIN_FEDERATION_KEY = "十堰市", "shiyan-key"
    settings.FUPIN_FEDERATION_TRUSTED = "房县=房县-key,郧西县=郧西县-key"
    city = world.client("office_city")
    for package in (fang, yunxi):
        imported = post(city, "/packages", package, 201)
        decide(city, imported["id"], True)
    report = build(city, region_code="4203")
    whole = expected(VILLAGE_A, VILLAGE_B, TOWNSHIP_A_OWN, TOWNSHIP_B_OWN, COUNTY_OWN)
    assert report["figures"]["households"] == whole["households"] + 50
    # 竹山县 is held here too: its poverty office counts from the data.
    assert report["figures"]["units"] == whole["units"] + 1 + 4
    traced = city.get(f"/api/v1/supervision/reports/{report['id']}/trace/households").json()
    rows = {c["name"]: (c["value"], c["source"]) for c in traced["children"]}
    assert rows["房县"] == (50, "下级系统数据包")
    assert rows["郧西县"] == (whole["households"], "本系统数据")


def test_ledger_shows_no_collapse_before_anyone_reports(world, tmp_path):
    fill(world, tmp_path)
    county = world.client("county_a")
    build(county, "2016Q3", region_code="420322")
    build(county, region_code="420322")
    page = county.get("/supervision/regions/420322/ledger/", {"figure": "households"})
    assert [(p.label, p.value) for p in page.context["chart"]["points"]] == [
        ("2016Q3", 3), (THIS_QUARTER, 3),
    ]  # fmt: skip


def test_demo_county_counts_its_households_before_any_village_reports(db, capsys, settings):
    import json

    from django.utils import timezone

    from fupin.cli import main
    from fupin.supervision.reports.quarters import Quarter

    settings.DEMO_MODE = True
    assert main(["demo", "--json"]) == 0
    capsys.readouterr()
    quarter = str(Quarter.of(timezone.localdate()))
    assert not QuarterReport.objects.filter(quarter=quarter).exists()
    assert main(["reports", "build", "--quarter", quarter, "--region", "420322", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)["figures"]
    owed = Household.objects.filter(village__code__startswith="420322").exclude(status="removed")
    assert figures["households"] == owed.count() > 0
    assert figures["households_complete"] == owed.filter(file_complete=True).count() > 0
