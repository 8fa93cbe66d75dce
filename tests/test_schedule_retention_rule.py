"""A sub-item never keeps shorter than its row allows (永久 > 30年 > 10年)."""

import pytest

from fupin.schedule.services import schedule_load_annex

# (level, category, number, printed retention) → options refused and allowed under it.
CASES = [
    ("village", "专业", "3", "永久", [["D30"], ["Y", "D10"]], [["Y"]]),
    ("county", "文书", "49", "30年或10年", [], [["D10"], ["D30"], ["Y"], ["Y", "D10"]]),
    ("county", "声像", "1", "永久或30年", [["D10"], ["D30", "D10"]], [["D30"], ["Y", "D30"]]),
    ("township", "专业", "2", "按有关规定执行", [], [["D10"], ["Y"]]),
]


def row_id(client, level: str, category: str, number: str) -> dict:
    rows = client.get("/api/v1/schedule/rows", {"level": level, "category": category}).json()
    return next(r for r in rows if r["number"] == number)


@pytest.mark.parametrize(("level", "category", "number", "printed", "refused", "allowed"), CASES)
def test_never_shorter_than_the_row(world, level, category, number, printed, refused, allowed):
    schedule_load_annex(actor=None)
    client = world.client("county_a")
    rid = client.post(
        "/api/v1/schedule/refinements",
        {"title": "郧西县细化方案", "effective_from": "2017-01-01", "owner_region": "420322"},
        content_type="application/json",
    ).json()["id"]
    row = row_id(client, level, category, number)
    assert row["retention_text"] == printed

    def add(options):
        return client.post(
            f"/api/v1/schedule/refinements/{rid}/items",
            {"parent_row_id": row["id"], "scope_text": "细化条目", "retention_options": options},
            content_type="application/json",
        )

    for options in refused:
        response = add(options)
        assert response.status_code == 400, options
        assert "不能短于原条目允许的期限" in response.json()["detail"]
    numbers = [add(options).json()["number"] for options in allowed]
    assert numbers == [f"{number or '—'}.{n}" for n in range(1, len(allowed) + 1)]


def test_unknown_or_missing_retention_is_refused(world):
    schedule_load_annex(actor=None)
    client = world.client("county_a")
    rid = client.post(
        "/api/v1/schedule/refinements",
        {"title": "郧西县细化方案", "effective_from": "2017-01-01", "owner_region": "420322"},
        content_type="application/json",
    ).json()["id"]
    row = row_id(client, "village", "专业", "3")
    for options in ([], ["D5"]):
        response = client.post(
            f"/api/v1/schedule/refinements/{rid}/items",
            {"parent_row_id": row["id"], "scope_text": "细化条目", "retention_options": options},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert "请选择有效的保管期限" in response.json()["detail"]
