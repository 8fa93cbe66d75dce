"""归档: a locked item's code never changes and is never issued again."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from fupin.records.models import IssuedCode, RecordItem
from fupin.records.services import fonds_configure, items_arrange
from tests.records_fixtures import file_item, set_up_fonds


@pytest.fixture
def fonds(world):
    unit = world.units["office_a"]
    return unit, set_up_fonds(unit)


def lock_all(world, unit):
    ids = list(RecordItem.objects.filter(unit=unit).values_list("pk", flat=True))
    return world.client("unit_a").post(
        f"/api/v1/records/units/{unit.pk}/lock", {"item_ids": ids}, content_type="application/json"
    )


def test_locked_codes_survive_later_additions(world, fonds):
    unit, classes = fonds
    first = file_item(unit, classes["BGS"], day=date(2016, 6, 1))
    items_arrange(actor=None, unit_id=unit.pk, year=2016)
    assert lock_all(world, unit).json() == {"count": 1}
    late = file_item(unit, classes["BGS"], day=date(2016, 1, 1), title="补充归档的早期文件")
    items_arrange(actor=None, unit_id=unit.pk, year=2016)
    first.refresh_from_db()
    late.refresh_from_db()
    assert (first.item_number, first.reference_code) == (1, "F001-WS·2016-Y-BGS-0001")
    assert late.item_number == 2


def test_locked_item_cannot_be_edited(world, fonds):
    unit, classes = fonds
    item = file_item(unit, classes["BGS"])
    items_arrange(actor=None, unit_id=unit.pk, year=2016)
    lock_all(world, unit)
    response = world.client("unit_a").patch(
        f"/api/v1/records/items/{item.pk}", {"title": "改过的题名"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "已归档" in response.json()["detail"]
    item.refresh_from_db()
    assert item.title != "改过的题名"


def test_unnumbered_items_cannot_be_locked(world, fonds):
    unit, classes = fonds
    file_item(unit, classes["BGS"])
    response = lock_all(world, unit)
    assert response.status_code == 400 and "尚未整理编号" in response.json()["detail"]


def test_an_issued_code_is_never_issued_again(world, fonds):
    unit, classes = fonds
    # A template without the year gives 2017's first item the code 2016's first already has.
    fonds_configure(
        actor=None, unit_id=unit.pk, facet="department", code_template="{全宗号}-{件号}"
    )
    file_item(unit, classes["BGS"])
    items_arrange(actor=None, unit_id=unit.pk, year=2016)
    lock_all(world, unit)
    file_item(unit, classes["BGS"], day=date(2017, 3, 1))
    with pytest.raises(ValidationError, match="已被归档文件使用过"):
        items_arrange(actor=None, unit_id=unit.pk, year=2017)
    assert list(IssuedCode.objects.values_list("code", flat=True)) == ["F001-0001"]
    assert RecordItem.objects.get(year=2017).reference_code is None
