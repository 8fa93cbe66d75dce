"""The security auditor searches, reads and exports the trail of their own region only."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from fupin.audit.models import AuditEvent


def test_auditor_sees_own_county_only(world):
    page = world.client("auditor_a").get(reverse("audit:index"), {"action": "user.create"})
    text = page.content.decode()
    assert "创建用户 village_a" in text
    assert "创建用户 county_b" not in text


def test_province_auditor_sees_both_counties(world):
    text = world.client("auditor_province").get(reverse("audit:index"), {"q": "创建用户"}).content
    assert b"village_a" in text and b"county_b" in text


def test_export_is_itself_audited(world):
    client = world.client("auditor_a")
    response = client.get(reverse("audit:export", args=["xlsx"]), {"action": "role.grant"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "序号"
    assert all(r[4] == "授予角色" and r[-1] == "role.grant" for r in rows[1:]) and len(rows) > 5
    assert all(r[7].startswith("420322") for r in rows[1:])
    event = AuditEvent.objects.filter(action="audit.export").last()
    assert event.actor_name == "auditor_a" and "XLSX" in event.summary


def test_csv_export_opens_in_excel(world):
    response = world.client("auditor_a").get(reverse("audit:export", args=["csv"]))
    assert response.content.startswith("\ufeff序号".encode())


def test_others_may_not_read_the_trail(world):
    for persona in ("village_a", "sysadmin_a", "secadmin_a", "county_a"):
        client = world.client(persona)
        assert client.get(reverse("audit:index")).status_code == 403
        assert client.get("/api/v1/audit/events").status_code == 403


def test_api_lists_events_after_a_sequence_number(world):
    client = world.client("auditor_a")
    first = client.get("/api/v1/audit/events", {"limit": 3}).json()
    assert len(first) == 3
    more = client.get("/api/v1/audit/events", {"after_seq": first[-1]["seq"], "limit": 2}).json()
    assert more[0]["seq"] > first[-1]["seq"]
    assert client.get("/api/v1/audit/verify").json()["ok"] is True


def test_nothing_in_the_app_can_change_the_trail(world):
    """No URL accepts a write to audit rows: every audit route is read-only."""
    client = world.client("auditor_a")
    before = AuditEvent.objects.count()
    for url in (reverse("audit:index"), "/api/v1/audit/events"):
        assert client.post(url, {"seq": 1}).status_code in (403, 405)
        assert client.delete(url).status_code in (403, 405)
    assert AuditEvent.objects.count() == before
