"""After destruction a record's catalogue entry stays, marked 已销毁 with the register's number,
for its custodians only — pages, API and search alike — and its 档号 is never issued again."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from fupin.records.models import ClassCode, IssuedCode, RecordItem
from fupin.records.services import item_delete
from fupin.search.services import search_sync
from fupin.use.services import use_request_create
from tests.disposal_fixtures import destroyed, expired_fonds
from tests.records_fixtures import file_item


def test_the_entry_stays_for_custodians_only(world):
    fonds = expired_fonds(world, scans=False)
    register, keep, gone = destroyed(world, fonds)
    item = gone[0]
    custodian = world.client("unit_a")
    page = custodian.get(f"/records/items/{item.pk}/").content.decode()
    assert "已销毁" in page and register.number in page
    api = custodian.get(f"/api/v1/records/items/{item.pk}")
    assert api.status_code == 200 and api.json()["reference_code"] == item.reference_code

    reader = world.client("county_a")
    # The poverty office read the record before; now it is as if it never existed.
    assert reader.get(f"/records/items/{item.pk}/").status_code == 404
    assert reader.get(f"/api/v1/records/items/{item.pk}").status_code == 404
    assert reader.get(f"/api/v1/records/items/{keep.pk}").status_code == 200
    search_sync()
    for persona in ("county_a", "unit_a"):
        data = world.client(persona).get("/api/v1/search/", {"q": "值班安排表"}).json()
        urls = [h["url"] for h in data["items"]]
        assert f"/records/items/{keep.pk}/" in urls
        assert not any(f"/records/items/{i.pk}/" in urls for i in gone)
    with pytest.raises(ValidationError, match="未找到档号"):
        use_request_create(
            actor=world.users["county_a"], codes=[item.reference_code], purpose="核对", days=3
        )


def test_a_destroyed_records_code_is_never_issued_again(world):
    fonds = expired_fonds(world, scans=False)
    _register, _keep, gone = destroyed(world, fonds)
    codes = {i.pk: i.reference_code for i in gone}
    highest = max(i.item_number for i in gone)
    bgs = ClassCode.objects.get(unit=fonds.unit, code="BGS")
    late = file_item(
        fonds.unit, bgs, title="2015年值班安排表（补登）", day=date(2015, 12, 30),
        retention="D10", number="49",
    )  # fmt: skip
    clerk = world.client("unit_a")
    arranged = clerk.post(f"/api/v1/records/units/{fonds.unit.pk}/arrange", {"year": 2015},
                          content_type="application/json")  # fmt: skip
    assert arranged.status_code == 200, arranged.content.decode()
    late.refresh_from_db()
    assert late.item_number == highest + 1 and late.reference_code not in codes.values()
    for pk, code in codes.items():
        assert RecordItem.objects.get(pk=pk).reference_code == code
        assert IssuedCode.objects.get(code=code).item_id == pk
        with pytest.raises(ValidationError, match="已归档"):
            item_delete(actor=None, item_id=pk)
