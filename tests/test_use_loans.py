"""Paper originals lent out (借阅): who, what, when due, returned; the overdue list on the
page, in the API and at the command line; lookups served per quarter."""

import datetime
import json

from django.utils import timezone

from fupin.audit.models import AuditEvent
from fupin.cli import main
from fupin.use.models import Loan
from fupin.use.selectors import use_lookups_served
from tests.use_fixtures import village_a_items

TODAY = timezone.localdate


def _lend(world, persona, codes, due, lent=None, unit="committee_a"):
    payload = {
        "unit_id": world.units[unit].pk,
        "codes": codes,
        "borrower_name": "王主任",
        "borrower_unit": "郧西县审计局",
        "purpose": "审计核对原件",
        "due_on": due.isoformat(),
    }
    if lent:
        payload["lent_on"] = lent.isoformat()
    return world.client(persona).post("/api/v1/use/loans", payload, "application/json")


def test_lend_and_return(world):
    (first,) = village_a_items(world, "贫困户申请书")
    made = _lend(world, "village_a", [first.reference_code], TODAY() + datetime.timedelta(7))
    assert made.status_code == 201, made.content
    loan = made.json()
    assert loan["codes"] == [first.reference_code] and loan["lent_on"] == TODAY().isoformat()
    again = _lend(world, "village_a", [first.reference_code], TODAY() + datetime.timedelta(7))
    assert again.status_code == 400 and "已借出尚未归还" in again.json()["detail"]
    back = world.client("village_a").post(
        f"/api/v1/use/loans/{loan['id']}/return", {}, "application/json"
    )
    assert back.json()["returned_on"] == TODAY().isoformat()
    twice = world.client("village_a").post(f"/use/loans/{loan['id']}/return/", follow=True)
    assert "已于" in twice.content.decode()
    assert _lend(world, "village_a", [first.reference_code], TODAY()).status_code == 201
    actions = list(
        AuditEvent.objects.filter(action__startswith="use.").values_list("action", flat=True)
    )
    assert actions == ["use.loan", "use.loan_return", "use.loan"]


def test_bad_loans_are_refused_and_nothing_kept(world):
    (item,) = village_a_items(world, "贫困户申请书")
    early = _lend(world, "village_a", [item.reference_code], TODAY() - datetime.timedelta(1))
    assert "应还日期不能早于借出日期" in early.json()["detail"]
    unknown = _lend(world, "village_a", [item.reference_code, "F9-X"], TODAY())
    assert "未找到档号：F9-X" in unknown.json()["detail"]
    # Only the custodians of the holding unit lend its originals.
    assert _lend(world, "village_b", [item.reference_code], TODAY()).status_code == 404
    assert _lend(world, "county_a", [item.reference_code], TODAY()).status_code == 404
    assert not Loan.objects.exists()


def test_overdue_list_on_page_api_and_cli(world, capsys):
    late, due_today = village_a_items(world, "贫困户申请书", "入户调查表")
    lent = TODAY() - datetime.timedelta(20)
    _lend(world, "village_a", [late.reference_code], TODAY() - datetime.timedelta(1), lent)
    _lend(world, "village_a", [due_today.reference_code], TODAY(), lent)
    overdue = world.client("village_a").get("/api/v1/use/loans/overdue").json()
    assert [o["codes"] for o in overdue] == [[late.reference_code]] and overdue[0]["overdue"]
    page = world.client("township_a").get("/use/loans/overdue/").content.decode()
    assert late.reference_code in page and due_today.reference_code not in page
    assert (
        late.reference_code
        not in world.client("village_b").get("/use/loans/overdue/").content.decode()
    )
    assert main(["use", "overdue", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert [row["borrower_name"] for row in printed["loans"]] == ["王主任"]
    assert main(["use", "overdue", "--region", "420323", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["loans"] == []


def test_page_loan_form(world):
    (item,) = village_a_items(world, "贫困户申请书")
    client = world.client("village_a")
    response = client.post(
        "/use/loans/",
        {
            "unit": world.units["committee_a"].pk,
            "codes": item.reference_code,
            "borrower_name": "李书记",
            "purpose": "查阅",
            "due_on": (TODAY() + datetime.timedelta(3)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert "李书记" in client.get("/use/loans/").content.decode()
    assert "借阅登记" in world.client("county_a").get("/use/loans/").content.decode()


def test_lookups_served_counts_grants_and_loans(world, capsys):
    first, second = village_a_items(world, "贫困户申请书", "入户调查表")
    _lend(world, "village_a", [first.reference_code], TODAY())
    asked = (
        world.client("village_b")
        .post(
            "/api/v1/use/requests",
            {"codes": [second.reference_code], "purpose": "核对", "days": 1},
            "application/json",
        )
        .json()
    )
    world.client("village_b").post(
        "/api/v1/use/requests",
        {"codes": [first.reference_code], "purpose": "未批", "days": 1},
        "application/json",
    )
    world.client("village_a").post(
        f"/api/v1/use/requests/{asked['id']}/approve", {}, "application/json"
    )
    day = TODAY()
    assert use_lookups_served("420322", day, day) == 2
    assert use_lookups_served("420323", day, day) == 0
    assert (
        use_lookups_served("420322", day + datetime.timedelta(1), day + datetime.timedelta(90)) == 0
    )
    api = world.client("county_a").get(f"/api/v1/use/lookups?region=420322&start={day}&end={day}")
    assert api.json()["lookups_served"] == 2
    refused = world.client("county_b").get(
        f"/api/v1/use/lookups?region=420322&start={day}&end={day}"
    )
    assert refused.status_code == 404
    assert (
        main(["use", "lookups", "--region", "42", "--from", str(day), "--to", str(day), "--json"])
        == 0
    )
    assert json.loads(capsys.readouterr().out)["lookups_served"] == 2
    assert main(["use", "requests", "--status", "pending", "--json"]) == 0
    assert [r["purpose"] for r in json.loads(capsys.readouterr().out)["requests"]] == ["未批"]


def test_loan_form_tells_units_of_the_same_name_apart(world):
    """Two village committees of the same name in one township's county are told apart."""
    from fupin.regions.services import unit_create

    twin = unit_create(actor=None, region=world.regions["420322100202"], kind="village_committee",
                       name=world.units["committee_a"].name, fonds_code="F999")  # fmt: skip
    page = world.client("township_a").get("/use/loans/").content.decode()
    mine = world.units["committee_a"]
    assert f"{mine.name}（城关镇东岭村）" in page and f"{twin.name}（城关镇西岭村）" in page
