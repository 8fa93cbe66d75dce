"""API errors speak Chinese, with the machine-readable details beside the message."""


def test_schema_errors_are_explained_in_chinese(world):
    response = world.client("unit_a").post(
        "/api/v1/schedule/refinements", {"title": "x"}, content_type="application/json"
    )
    assert response.status_code == 422
    body = response.json()
    assert (
        body["detail"].startswith("请求数据不符合接口要求") and "effective_from" in body["detail"]
    )
    assert body["errors"]


def test_openapi_document_is_served(world):
    document = world.client("village_a").get("/api/v1/openapi.json").json()
    assert document["info"]["version"] == "1"
    assert "/api/v1/records/items" in document["paths"]
