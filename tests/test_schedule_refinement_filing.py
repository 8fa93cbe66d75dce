"""Refinements: never shorter than the row allows; filed with the offices one level up."""

from django.urls import reverse

from fupin.audit.models import AuditEvent
from fupin.schedule.models import ScheduleVersion
from fupin.schedule.services import schedule_load_annex


def start(world, title="郧西县细化方案"):
    schedule_load_annex(actor=None)
    client = world.client("county_a")
    response = client.post(
        "/api/v1/schedule/refinements",
        {"title": title, "effective_from": "2017-01-01", "owner_region": "420322"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return client, response.json()["id"]


def village_row(client, number: str) -> dict:
    rows = client.get("/api/v1/schedule/rows", {"level": "village", "category": "专业"}).json()
    return next(r for r in rows if r["number"] == number)


def add_item(client, refinement_id: int, row_id: int, options: list[str]):
    return client.post(
        f"/api/v1/schedule/refinements/{refinement_id}/items",
        {
            "parent_row_id": row_id,
            "scope_text": "贫困户申请书（含村民代表评议记录）",
            "retention_options": options,
        },
        content_type="application/json",
    )


def decide(world, persona: str, refinement_id: int, office: str, accept: bool, reason=""):
    return world.client(persona).post(
        f"/api/v1/schedule/refinements/{refinement_id}/decide",
        {"office": office, "accept": accept, "reason": reason},
        content_type="application/json",
    )


def test_shorter_retention_is_refused(world):
    client, rid = start(world)
    permanent = village_row(client, "3")
    response = add_item(client, rid, permanent["id"], ["D30"])
    assert response.status_code == 400
    assert "不能短于原条目允许的期限" in response.json()["detail"]
    assert add_item(client, rid, permanent["id"], ["Y"]).status_code == 201


def test_longer_retention_under_a_short_row_is_allowed(world):
    client, rid = start(world)
    rows = client.get("/api/v1/schedule/rows", {"level": "county", "q": "一般性、过程性"}).json()
    assert add_item(client, rid, rows[0]["id"], ["Y", "D10"]).status_code == 201


def test_filing_with_both_offices_one_level_up_puts_it_in_force(world):
    client, rid = start(world)
    add_item(client, rid, village_row(client, "3")["id"], ["Y"])
    assert client.post(f"/api/v1/schedule/refinements/{rid}/submit").json()["status"] == "submitted"
    # The county's own office, or the other county, may not decide; the city's offices do.
    assert decide(world, "county_a", rid, "poverty", True).status_code == 403
    assert decide(world, "county_b", rid, "poverty", True).status_code == 404
    assert decide(world, "office_city", rid, "archive", True).status_code == 403
    assert decide(world, "office_city", rid, "poverty", True).json()["status"] == "submitted"
    assert decide(world, "bureau_city", rid, "archive", True).json()["status"] == "accepted"
    rows = village_row(client, "3")
    listed = client.get("/api/v1/schedule/rows", {"level": "village", "q": "村民代表评议"}).json()
    assert [r["parent_row_id"] for r in listed] == [rows["id"]]
    assert AuditEvent.objects.filter(action="schedule.refinement_decide").count() == 2


def test_return_needs_a_reason_and_the_owner_resubmits(world):
    client, rid = start(world)
    add_item(client, rid, village_row(client, "3")["id"], ["Y"])
    client.post(f"/api/v1/schedule/refinements/{rid}/submit")
    assert decide(world, "office_city", rid, "poverty", False).status_code == 400
    returned = decide(world, "office_city", rid, "poverty", False, "条目表述不清")
    assert returned.json()["status"] == "returned"
    assert decide(world, "bureau_city", rid, "archive", True).status_code == 400
    page = client.get(reverse("schedule:refinement_detail", args=[rid])).content.decode()
    assert "条目表述不清" in page
    assert client.post(f"/api/v1/schedule/refinements/{rid}/submit").json()["round"] == 2
    decide(world, "office_city", rid, "poverty", True)
    assert decide(world, "bureau_city", rid, "archive", True).json()["status"] == "accepted"


def test_other_county_cannot_see_the_refinement(world):
    _, rid = start(world)
    other = world.client("county_b")
    assert other.get(f"/api/v1/schedule/refinements/{rid}").status_code == 404
    assert other.get(reverse("schedule:refinement_detail", args=[rid])).status_code == 404
    assert "郧西县细化方案" not in other.get(reverse("schedule:refinements")).content.decode()


def test_city_office_sees_it_waiting_on_the_home_page(world):
    client, rid = start(world)
    add_item(client, rid, village_row(client, "3")["id"], ["Y"])
    client.post(f"/api/v1/schedule/refinements/{rid}/submit")
    home = world.client("office_city").get(reverse("home")).content.decode()
    assert "待审查的归档范围细化方案" in home and "郧西县细化方案" in home


def test_accepted_refinement_cannot_be_edited(world):
    client, rid = start(world)
    row = village_row(client, "3")["id"]
    add_item(client, rid, row, ["Y"])
    client.post(f"/api/v1/schedule/refinements/{rid}/submit")
    assert add_item(client, rid, row, ["Y"]).status_code == 400
    assert ScheduleVersion.objects.get(pk=rid).rows.count() == 1


def test_village_clerk_cannot_refine(world):
    schedule_load_annex(actor=None)
    response = world.client("village_a").post(
        "/api/v1/schedule/refinements",
        {"title": "x", "effective_from": "2017-01-01", "owner_region": "420322100201"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not ScheduleVersion.objects.filter(title="x").exists()
