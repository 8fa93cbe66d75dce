"""GET /api/v1/regions/: scope roots and one region with its children, by persona."""


def test_roots_are_the_personas_scope(world):
    villages = world.client("village_a").get("/api/v1/regions/").json()
    assert [r["code"] for r in villages] == ["420322100201"]
    county = world.client("county_a").get("/api/v1/regions/").json()
    assert county == [
        {
            "code": "420322",
            "name": "郧西县",
            "level": "county",
            "level_label": "县（市、区）",
            "is_poor": True,
            "exit_year": None,
            "poverty_label": "贫困县",
        }
    ]


def test_region_with_children(world):
    body = world.client("county_a").get("/api/v1/regions/420322100").json()
    assert body["parent_code"] == "420322"
    assert [c["code"] for c in body["children"]] == ["420322100201", "420322100202"]


def test_out_of_scope_region_is_404(world):
    response = world.client("county_b").get("/api/v1/regions/420322")
    assert response.status_code == 404
    assert "不在您的管辖范围内" in response.json()["detail"]
    assert world.client("village_a").get("/api/v1/regions/420322100202").status_code == 404


def test_signed_out_is_refused(client, world):
    assert client.get("/api/v1/regions/").status_code == 401
