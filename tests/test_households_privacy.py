"""ID and phone numbers are masked everywhere; only PERSONAL_READ may reveal, and it is audited."""

import json

import pytest

from fupin.audit.models import AuditEvent
from fupin.cli import main
from fupin.households.models import Household
from tests.households_samples import household, run_import, write_sheet

V_A = "420322100201"


@pytest.fixture
def imported(world, tmp_path, capsys):
    rows = household(V_A, 1)
    run_import(capsys, write_sheet(tmp_path / "a.xlsx", rows))
    return Household.objects.get(), rows[0]["证件号码"]


def masked(ident: str) -> str:
    return f"{ident[:6]}********{ident[-4:]}"


def reveals() -> int:
    return AuditEvent.objects.filter(action="household.reveal").count()


def test_pages_and_api_mask_by_default(world, imported):
    household, ident = imported
    for persona in ("village_a", "county_a"):
        page = world.client(persona).get(f"/households/{household.pk}/").content.decode()
        assert masked(ident) in page and ident not in page
        assert "139****5678" in page and "13912345678" not in page
        data = world.client(persona).get(f"/api/v1/households/{household.pk}").json()
        assert data["members"][0]["id_number"] == masked(ident)
        assert data["phone"] == "139****5678" and data["revealed"] is False
    listing = world.client("county_a").get("/households/").content.decode()
    assert household.household_no in listing and "13912345678" not in listing
    assert reveals() == 0


def test_county_office_reveals_and_is_audited(world, imported):
    household, ident = imported
    client = world.client("county_a")
    page = client.get(f"/households/{household.pk}/").content.decode()
    assert "显示完整证件号" in page
    page = client.get(f"/households/{household.pk}/?reveal=1").content.decode()
    assert ident in page and "13912345678" in page
    data = client.get(f"/api/v1/households/{household.pk}?reveal=true").json()
    assert data["members"][0]["id_number"] == ident
    events = AuditEvent.objects.filter(action="household.reveal")
    assert events.count() == 2
    assert {e.actor_name for e in events} == {"county_a"}
    assert events.first().region_code == V_A


def test_village_archivist_cannot_reveal(world, imported):
    household, ident = imported
    client = world.client("village_a")
    page = client.get(f"/households/{household.pk}/").content.decode()
    assert "显示完整证件号" not in page
    assert client.get(f"/households/{household.pk}/?reveal=1").status_code == 403
    response = client.get(f"/api/v1/households/{household.pk}?reveal=true")
    assert response.status_code == 403 and ident not in response.content.decode()
    assert reveals() == 0


def test_cli_masks_unless_asked_and_audits_the_reveal(world, imported, capsys):
    household, ident = imported
    capsys.readouterr()
    assert main(["households", "show", household.household_no, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["members"][0]["id_number"] == masked(ident) and shown["phone"] == "139****5678"
    assert reveals() == 0
    assert main(["households", "show", household.household_no, "--reveal"]) == 0
    assert ident in capsys.readouterr().out
    assert reveals() == 1
