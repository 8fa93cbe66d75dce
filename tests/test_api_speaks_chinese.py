"""Every operation of the JSON API is summarised in Chinese in its OpenAPI document."""

import re

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_operation_has_a_chinese_summary(client):
    schema = client.get("/api/v1/openapi.json").json()
    english = [
        f"{method.upper()} {path}: {operation.get('summary')!r}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if not CJK.search(operation.get("summary") or "")
    ]
    assert not english, "\n".join(english)
