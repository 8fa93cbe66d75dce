"""A classified item (密级 set) is read inside one's scope only by the custodians of its
fonds; anyone else in scope — here the county poverty office — needs a grant."""

from tests.use_fixtures import village_a_items


def test_classified_item_needs_a_grant_even_in_scope(world):
    (secret,) = village_a_items(world, "涉密帮扶资金分配方案", secrecy="secret")
    office = world.client("county_a")
    assert office.get(f"/records/items/{secret.pk}/").status_code == 404
    listed = office.get(f"/api/v1/records/items?unit_id={secret.unit_id}").json()
    assert secret.pk not in [i["id"] for i in listed]
    assert world.client("village_a").get(f"/records/items/{secret.pk}/").status_code == 200
    asked = office.post(
        "/api/v1/use/requests",
        {"codes": [secret.reference_code], "purpose": "审计资金使用", "days": 2},
        content_type="application/json",
    ).json()
    assert asked["status"] == "pending"
    world.client("township_a").post(
        f"/api/v1/use/requests/{asked['id']}/approve", {}, content_type="application/json"
    )
    assert office.get(f"/records/items/{secret.pk}/").status_code == 200
