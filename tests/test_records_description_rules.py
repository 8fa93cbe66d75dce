"""Description rules: retention within the row's options, the unit's level, one facet per fonds."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from fupin.records.services import class_code_add, fonds_configure
from tests.records_fixtures import file_item, row, set_up_fonds


@pytest.fixture
def fonds(world):
    unit = world.units["office_a"]
    return unit, set_up_fonds(unit)


def post_item(world, unit, klass, **changes):
    body = {
        "category": "WS",
        "schedule_row_id": row("county", "文书", "1").pk,
        "retention": "Y",
        "class_code_id": klass.pk,
        "title": "关于印发精准扶贫实施方案的通知",
        "responsible": "郧西县扶贫办",
        "date": "2016-03-18",
        "pages": 3,
    } | changes
    return world.client("unit_a").post(
        f"/api/v1/records/units/{unit.pk}/items", body, content_type="application/json"
    )


def test_a_valid_item_is_filed_under_the_version_in_force(world, fonds):
    unit, classes = fonds
    response = post_item(world, unit, classes["BGS"])
    assert response.status_code == 201
    assert response.json()["year"] == 2016 and response.json()["status"] == "draft"


def test_retention_outside_the_row_is_refused(world, fonds):
    unit, classes = fonds
    response = post_item(world, unit, classes["BGS"], retention="D10")
    assert response.status_code == 400
    assert "保管期限只能是：永久" in response.json()["detail"]


def test_row_of_another_level_is_refused(world, fonds):
    unit, classes = fonds
    response = post_item(
        world, unit, classes["BGS"], schedule_row_id=row("village", "文书", "1").pk
    )
    assert "省、市、县级" in response.json()["detail"]


def test_year_must_match_the_date(world, fonds):
    unit, classes = fonds
    response = post_item(world, unit, classes["BGS"], year=2017)
    assert "不一致" in response.json()["detail"]


def test_archivist_made_title_is_shown_in_brackets(world, fonds):
    unit, classes = fonds
    item = file_item(
        unit, classes["BGS"], title="郧西县扶贫办工作照片说明", title_by_archivist=True
    )
    assert item.display_title == "[郧西县扶贫办工作照片说明]"


def test_a_fonds_is_arranged_by_department_or_subject_never_both(world, fonds):
    unit, classes = fonds
    file_item(unit, classes["BGS"], day=date(2016, 4, 1))
    with pytest.raises(ValidationError, match="不能同时按机构和问题分类"):
        fonds_configure(
            actor=None, unit_id=unit.pk, facet="subject", code_template="{全宗号}-{件号}"
        )


def test_other_county_cannot_file_into_this_fonds(world, fonds):
    unit, _ = fonds
    other = world.client("county_b").post(
        f"/api/v1/records/units/{unit.pk}/items", {}, content_type="application/json"
    )
    assert other.status_code in (404, 422)
    with pytest.raises(Exception, match="不在您的管辖范围内"):
        class_code_add(actor=world.users["village_b"], unit_id=unit.pk, code="X", name="x")
