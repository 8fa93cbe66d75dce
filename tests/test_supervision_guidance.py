"""Guidance visits (指导服务): the archive bureau records each visit to a unit or a village
(date, who, topics, problems, advice, follow-up); the visits show on that unit's and village's
pages and count in the quarterly report."""

import datetime

import pytest

from fupin.supervision.models import GuidanceVisit
from tests.supervision_api import build

PAGE = "/supervision/guidance/"
TODAY = datetime.date.today().isoformat()


def visit(client, target: str, follow: bool = True, **changes):
    body = {"target": target, "visited_on": TODAY, "topics": "一户一档整理",
            "problems": "扶贫手册未归档", "advice": "按户补齐",
            "follow_up": "下月复查"}  # fmt: skip
    return client.post(PAGE, body | changes, follow=follow)


def test_a_visit_to_a_village_shows_on_its_page_and_counts(world):
    inspector = world.client("bureau_city")
    done = visit(inspector, "village:420322100201").content.decode()
    assert "对东岭村的指导服务，计入当季季报" in done
    saved = GuidanceVisit.objects.get()
    assert saved.guides == "bureau_city（bureau_city）" and saved.recorder_label == saved.guides
    village = world.client("village_a")
    page = village.get("/regions/420322100201/").content.decode()
    assert "指导服务" in page and "扶贫手册未归档" in page and "下月复查" in page
    assert "记录对东岭村的指导服务" not in page  # a village archivist reads, does not record
    report = build(village, region_code="420322100201")
    assert report["figures"]["guidance_visits"] == 1
    county = build(world.client("county_a"), region_code="420322")
    assert county["figures"]["guidance_visits"] == 1
    assert "扶贫手册未归档" not in world.client("village_b").get(PAGE).content.decode()


def test_a_visit_to_a_unit_shows_on_the_units_page(world):
    inspector = world.client("bureau_city")
    unit = world.units["team_a"]
    panel = inspector.get(f"/regions/units/{unit.pk}/").content.decode()
    assert "记录对郧西县驻东岭村工作队的指导服务" in panel
    back = f"/regions/units/{unit.pk}/"
    done = visit(inspector, f"unit:{unit.pk}", follow=False, back=back, guides="周丽、王强")
    assert done.url == back
    page = world.client("team_a").get(back).content.decode()
    assert "周丽、王强" in page and "一户一档整理" in page
    # Counted where the unit is: the county's own figure, in this quarter only.
    report = build(world.client("county_a"), region_code="420322")
    assert report["figures"]["guidance_visits"] == 1
    assert (
        build(world.client("county_a"), "2016Q3", region_code="420322")["figures"][
            "guidance_visits"
        ]
        == 0
    )


@pytest.mark.parametrize(
    ("target", "changes", "message"),
    [
        ("village:420322100201", {"topics": "  "}, "请写明指导内容"),
        ("village:420322100201", {"visited_on": "2999-01-01"}, "不能晚于今天"),
        ("village:420322100201", {"visited_on": "昨天"}, "不是有效日期"),
        ("village:420322100", {}, "城关镇不是村"),
        ("", {}, "请选择被指导的单位或村"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(world, target, changes, message):
    page = visit(world.client("bureau_city"), target, **changes).content.decode()
    assert message in page
    assert not GuidanceVisit.objects.exists()


def test_only_the_archive_bureau_records(world):
    assert visit(world.client("county_a"), "village:420322100201").status_code == 403
    assert 'name="target"' not in world.client("county_a").get(PAGE).content.decode()
    assert not GuidanceVisit.objects.exists()
