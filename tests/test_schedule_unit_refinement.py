"""A unit's refinement is filed with the offices of the unit's own region, and then rules there."""

from fupin.accounts.roles import Role
from fupin.schedule.services import schedule_load_annex
from tests.conftest import make_persona


def test_unit_refinement_filed_with_its_county_offices(world):
    make_persona(world, "bureau_county", Role.BUREAU_INSPECTOR, "420322", "420322")
    schedule_load_annex(actor=None)
    unit = world.client("unit_a")
    office_a = world.units["office_a"].pk
    rid = unit.post(
        "/api/v1/schedule/refinements",
        {"title": "郧西县扶贫办细化方案", "effective_from": "2017-01-01", "owner_unit": office_a},
        content_type="application/json",
    ).json()["id"]
    rows = unit.get("/api/v1/schedule/rows", {"level": "county", "q": "安全饮水工程"}).json()
    added = unit.post(
        f"/api/v1/schedule/refinements/{rid}/items",
        {
            "parent_row_id": rows[0]["id"],
            "scope_text": "县级安全饮水工程验收材料",
            "retention_options": ["Y"],
        },
        content_type="application/json",
    )
    assert added.status_code == 201, added.content
    assert unit.post(f"/api/v1/schedule/refinements/{rid}/submit").status_code == 200

    def decide(persona: str, office: str):
        return world.client(persona).post(
            f"/api/v1/schedule/refinements/{rid}/decide",
            {"office": office, "accept": True},
            content_type="application/json",
        )

    # The city is two levels above a county unit: it is the county's offices that decide.
    assert decide("office_city", "poverty").status_code == 403
    assert decide("county_a", "poverty").json()["status"] == "submitted"
    assert decide("bureau_county", "archive").json()["status"] == "accepted"
    mine = unit.get("/api/v1/schedule/rows", {"q": "县级安全饮水工程验收材料"}).json()
    assert [r["parent_row_id"] for r in mine] == [rows[0]["id"]]
    # Another unit of the same county keeps the table without the unit's sub-item.
    team = world.client("team_a").get("/api/v1/schedule/rows", {"q": "县级安全饮水工程验收材料"})
    assert team.json() == []


def test_another_units_archivist_cannot_refine_for_it(world):
    schedule_load_annex(actor=None)
    response = world.client("team_a").post(
        "/api/v1/schedule/refinements",
        {"title": "x", "effective_from": "2017-01-01", "owner_unit": world.units["office_a"].pk},
        content_type="application/json",
    )
    assert response.status_code == 404
