"""A reader in scope opens an item it may read but not change: the county poverty office
opening a village committee's draft saw 404 (the page built the edit form, which asks for
write access), though search listed the item."""

import pytest

from fupin.records.models import RecordItem
from fupin.records.services import items_arrange
from tests.records_fixtures import file_item, set_up_fonds


@pytest.fixture
def draft(world) -> RecordItem:
    unit = world.units["committee_a"]
    classes = set_up_fonds(unit)
    return file_item(unit, classes["BGS"], title="东岭村脱贫攻坚工作台账", level="village")


def test_county_office_reads_a_village_draft_without_the_forms(world, draft):
    page = world.client("county_a").get(f"/records/items/{draft.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "东岭村脱贫攻坚工作台账" in html
    assert "修改著录" not in html and 'name="file"' not in html
    assert "该文件尚未归档" in html


def test_the_village_archivist_still_edits_and_uploads(world, draft):
    html = world.client("village_a").get(f"/records/items/{draft.pk}/").content.decode()
    assert "修改著录" in html and 'name="file"' in html


def test_a_reader_cannot_post_changes(world, draft):
    response = world.client("county_a").post(f"/records/items/{draft.pk}/", {"title": "改过"})
    assert response.status_code in (403, 404)
    draft.refresh_from_db()
    assert draft.title == "东岭村脱贫攻坚工作台账"


def test_the_other_village_still_sees_nothing(world, draft):
    assert world.client("village_b").get(f"/records/items/{draft.pk}/").status_code == 404


def test_a_locked_item_says_so_to_its_writer(world):
    unit = world.units["committee_a"]
    item = file_item(unit, set_up_fonds(unit)["BGS"], level="village")
    items_arrange(actor=None, unit_id=unit.pk, year=2016)
    ids = [item.pk]
    world.client("village_a").post(
        f"/api/v1/records/units/{unit.pk}/lock", {"item_ids": ids}, content_type="application/json"
    )
    html = world.client("village_a").get(f"/records/items/{item.pk}/").content.decode()
    assert "该文件已归档" in html and "修改著录" not in html
