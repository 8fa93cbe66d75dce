"""Which version is in force where, from when; rows filed under a version never change."""

from datetime import date

import pytest
from django.db import DatabaseError, transaction

from fupin.schedule.models import ScheduleRow
from fupin.schedule.selectors import version_in_force
from fupin.schedule.services import (
    refinement_create,
    refinement_decide,
    refinement_item_add,
    refinement_item_remove,
    refinement_submit,
    schedule_load_annex,
)


def accepted_county_refinement(world, effective="2017-01-01"):
    base = schedule_load_annex(actor=None)
    county = world.users["county_a"]
    version = refinement_create(
        actor=county,
        title="郧西县细化方案",
        effective_from=date.fromisoformat(effective),
        owner_region="420322",
    )
    row = base.rows.get(level="village", category="professional", number="3")
    refinement_item_add(
        actor=county,
        refinement_id=version.pk,
        parent_row_id=row.pk,
        scope_text="评议记录",
        retention_options=["Y"],
    )
    refinement_submit(actor=county, refinement_id=version.pk)
    for persona, office in (("office_city", "poverty"), ("bureau_city", "archive")):
        refinement_decide(
            actor=world.users[persona], refinement_id=version.pk, office=office, accept=True
        )
    return base, version


def test_in_force_below_the_owner_from_its_date(world):
    base, version = accepted_county_refinement(world)
    assert version_in_force(region_code="420322100201", on=date(2017, 6, 1)) == version
    assert version_in_force(unit=world.units["team_a"], on=date(2017, 6, 1)) == version
    assert version_in_force(region_code="420322100201", on=date(2016, 6, 1)) == base
    assert version_in_force(region_code="420323100201", on=date(2017, 6, 1)) == base
    api = world.client("county_a").get("/api/v1/schedule/versions").json()
    assert [(v["id"], v["in_force_here"]) for v in api] == [(base.pk, False), (version.pk, True)]
    assert world.client("county_b").get("/api/v1/schedule/versions").json()[1:] == []


def test_rows_of_a_filed_version_cannot_change(world):
    _, version = accepted_county_refinement(world)
    item = version.rows.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        ScheduleRow.objects.filter(pk=item.pk).update(scope_text="改过的")
    with pytest.raises(DatabaseError), transaction.atomic():
        ScheduleRow.objects.filter(pk=item.pk).delete()
    with pytest.raises(Exception, match="不能再修改"):
        refinement_item_remove(
            actor=world.users["county_a"], refinement_id=version.pk, item_id=item.pk
        )


def test_items_of_a_draft_can_be_removed(world):
    base = schedule_load_annex(actor=None)
    client = world.client("county_a")
    rid = client.post(
        "/api/v1/schedule/refinements",
        {"title": "草稿", "effective_from": "2017-01-01", "owner_region": "420322"},
        content_type="application/json",
    ).json()["id"]
    row = base.rows.get(level="village", category="professional", number="3")
    item = client.post(
        f"/api/v1/schedule/refinements/{rid}/items",
        {"parent_row_id": row.pk, "scope_text": "评议记录", "retention_options": ["Y"]},
        content_type="application/json",
    ).json()
    removed = client.delete(f"/api/v1/schedule/refinements/{rid}/items/{item['id']}")
    assert removed.status_code == 204
    assert client.post(f"/api/v1/schedule/refinements/{rid}/submit").status_code == 400
