"""Expired records are counted on the custodian's home page and in the quarterly figures; the
public catalogue without signing in shows opened records' descriptions and nothing else."""

from django.test import Client
from django.utils import timezone

from fupin.supervision.reports.figures import BY_KEY
from tests.disposal_fixtures import expired_fonds
from tests.disposal_public import opened_archive


def test_home_panel_and_quarter_figure_count_expired_records(world):
    fonds = expired_fonds(world, scans=False)
    page = world.client("unit_a").get("/").content.decode()
    assert f"{len(fonds.expired)} 件档案保管期限已满" in page
    assert "保管期限已满" not in world.client("county_a").get("/").content.decode()
    now = timezone.now()
    span = (now.replace(month=10, day=1), now.replace(year=now.year + 1, month=1, day=1))
    figure = BY_KEY["records_expired"].by_unit(span, [fonds.unit.pk])
    # By the quarter's last day (31 December) the 2016 records kept 10 years have ended too.
    assert figure == {fonds.unit.pk: len(fonds.expired) + len(fonds.soon)}


def test_public_catalogue_lists_only_opened_descriptions(world):
    _unit, items, secret = opened_archive(world, count=2)
    anonymous = Client()
    body = anonymous.get("/public/catalogue/").content.decode()
    assert all(i.title in body and i.reference_code in body for i in items)
    assert secret.title not in body and "张三" not in body
    found = anonymous.get("/public/catalogue/", {"q": "第1期"}).content.decode()
    assert items[0].title in found and items[1].title not in found
    # The signed-in pages stay signed-in.
    assert anonymous.get("/disposal/").status_code == 302
