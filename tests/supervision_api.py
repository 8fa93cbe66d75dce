"""Small helpers for the supervision tests: the API calls they make (no tests of its own)."""

from tests.supervision_fixtures import THIS_QUARTER

BASE = "/api/v1/supervision"


def post(client, path: str, body: dict | None = None, status: int = 200):
    response = client.post(f"{BASE}{path}", body or {}, content_type="application/json")
    assert response.status_code == status, response.content.decode()
    return response.json()


def build(client, quarter: str = THIS_QUARTER, **subject) -> dict:
    return post(client, "/reports", {"quarter": quarter, **subject}, 201)


def submit(client, report_id: int, status: int = 200, confirm: bool = True) -> dict:
    """Submits, confirming that it goes up without any subordinate not yet reported."""
    return post(client, f"/reports/{report_id}/submit", {"confirm": confirm}, status)


def decide(client, report_id: int, accept: bool, reason: str = "", status: int = 200) -> dict:
    return post(
        client, f"/reports/{report_id}/decide", {"accept": accept, "reason": reason}, status
    )
