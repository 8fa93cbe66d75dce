"""驻点村 of a work team: only villages of the team's own county, and only for work teams."""

import json

from django.urls import reverse

from fupin.audit.models import AuditEvent


def set_villages(world, persona, unit_key, codes):
    url = f"/api/v1/regions/units/{world.units[unit_key].pk}"
    body = json.dumps({"stationed_villages": codes})
    return world.client(persona).patch(url, body, content_type="application/json")


def test_team_is_stationed_in_villages_of_its_county(world):
    response = set_villages(world, "sysadmin_a", "team_a", ["420322100202", "420322101201"])
    assert response.status_code == 200
    assert response.json()["stationed_villages"] == ["420322100202", "420322101201"]
    event = AuditEvent.objects.get(action="unit.stationed_villages")
    assert event.before == {"villages": ["420322100201"]}
    # The team's archivist now reaches the new villages through the access layer.
    regions = world.client("team_a").get("/api/v1/regions/").json()
    assert [r["code"] for r in regions] == ["420322100202", "420322101201"]


def test_villages_elsewhere_or_unknown_are_refused(world):
    outside = set_villages(world, "sysadmin_a", "team_a", ["420323100201"])
    assert outside.status_code == 400
    assert "驻点村必须在本县范围内" in outside.json()["detail"]
    township = set_villages(world, "sysadmin_a", "team_a", ["420322100"])
    assert "不是已登记的村" in township.json()["detail"]
    not_a_team = set_villages(world, "sysadmin_a", "office_a", ["420322100201"])
    assert "只有驻村工作队可以设置驻点村" in not_a_team.json()["detail"]
    assert set_villages(world, "sysadmin_b", "team_a", []).status_code == 404
    assert not AuditEvent.objects.filter(action="unit.stationed_villages").exists()


def test_page_form_sets_villages(world):
    team = world.units["team_a"]
    client = world.client("sysadmin_a")
    url = reverse("regions:unit_villages", args=[team.pk])
    client.post(url, {"villages": "420322100201，420322100202"})
    assert sorted(team.stationed_villages.values_list("code", flat=True)) == [
        "420322100201",
        "420322100202",
    ]
    page = client.get(reverse("regions:unit_detail", args=[team.pk]), follow=True)
    assert "西岭村" in page.content.decode()
