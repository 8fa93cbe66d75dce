"""The same work through the API and the command line: expiring records, appraisal, the
register, destruction; walk-ins and certificates, issued, verified and revoked with --json."""

import json

from django.test import Client

from fupin.cli import main
from fupin.disposal.models import Certificate
from fupin.disposal.services import hold_lift, hold_set
from tests.disposal_fixtures import expired_fonds


def test_expiry_to_destruction_through_the_api(world):
    fonds = expired_fonds(world, scans=False)
    clerk = world.client("unit_a")
    listed = clerk.get("/api/v1/disposal/expiring", {"months": 0}).json()
    assert {i["id"] for i in listed["items"]} == {i.pk for i in fonds.expired}
    assert all(g["ends_on"] < str(listed["today"]) for g in listed["groups"])

    made = clerk.post(
        "/api/v1/disposal/appraisals",
        {"unit_id": fonds.unit.pk, "item_ids": [i.pk for i in fonds.expired]},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content.decode()
    appraisal = made.json()["id"]
    keep, *destroy = fonds.expired
    decisions = [{"item_id": keep.pk, "decision": "keep", "new_retention": "D30", "reason": "查考"}]
    decisions += [{"item_id": i.pk, "decision": "destroy", "reason": "无价值"} for i in destroy]
    url = f"/api/v1/disposal/appraisals/{appraisal}"
    hold = hold_set(
        actor=None, unit_id=fonds.unit.pk, codes=[destroy[0].reference_code], kind="audit",
        reason="专项审计",
    )  # fmt: skip
    refused = clerk.post(
        f"{url}/decisions", {"decisions": decisions}, content_type="application/json"
    )
    assert refused.status_code == 400
    problems = refused.json()["problems"]
    assert [p["code"] for p in problems] == ["disposal.refused", "disposal.hold"]
    assert destroy[0].reference_code in problems[1]["message"]
    assert {e["decision"] for e in clerk.get(url).json()["entries"]} == {""}
    hold_lift(actor=None, hold_id=hold.pk, reason="审计结束")
    decided = clerk.post(
        f"{url}/decisions", {"decisions": decisions}, content_type="application/json"
    )
    assert decided.status_code == 200, decided.content.decode()
    clerk.post(f"{url}/conclude", {"opinion": "同意"}, content_type="application/json")
    register = clerk.post(
        "/api/v1/disposal/registers",
        {"appraisal_id": appraisal, "supervisor_1": "张监销", "supervisor_2": "赵监销"},
        content_type="application/json",
    )
    assert register.status_code == 201, register.content.decode()
    rid = register.json()["id"]
    assert [e["item_id"] for e in register.json()["entries"]] == [i.pk for i in destroy]
    base = f"/api/v1/disposal/registers/{rid}"
    approved = clerk.post(f"{base}/approve", {"approved": True}, content_type="application/json")
    assert approved.json()["status"] == "approved"
    filed = world.client("bureau_city").post(
        f"{base}/file", {"accepted": True}, content_type="application/json"
    )
    assert filed.json()["status"] == "ready", filed.content.decode()
    wrong = clerk.post(
        f"{base}/destroy", {"supervisors": ["张监销", "钱某"], "paper_destroyed": True},
        content_type="application/json",
    )  # fmt: skip
    assert wrong.status_code == 400 and "两位监销人" in wrong.json()["detail"]
    done = clerk.post(
        f"{base}/destroy", {"supervisors": ["张监销", "赵监销"], "paper_destroyed": True},
        content_type="application/json",
    )  # fmt: skip
    assert done.json()["status"] == "destroyed", done.content.decode()
    # The bureau reads the register it filed; a village does not.
    assert world.client("bureau_city").get(base).status_code == 200
    assert world.client("village_a").get(base).status_code == 404


def test_walk_ins_and_certificates_through_the_api_and_the_command_line(world, capsys, tmp_path):
    fonds = expired_fonds(world, scans=False)
    clerk = world.client("unit_a")
    walk_in = clerk.post(
        "/api/v1/disposal/walkins",
        {"unit_id": fonds.unit.pk, "visitor_name": "李明", "id_number": "420322********0015",
         "purpose": "核对值班补助", "consulted": "2015年值班安排表", "copies": 3},
        content_type="application/json",
    )  # fmt: skip
    assert walk_in.status_code == 201 and walk_in.json()["id_masked"] == "420322********0015"
    code = fonds.permanent[0].reference_code
    issued = clerk.post(
        "/api/v1/disposal/certificates",
        {"unit_id": fonds.unit.pk, "kind": "copy", "item_code": code,
         "walk_in_id": walk_in.json()["id"]},
        content_type="application/json",
    )  # fmt: skip
    assert issued.status_code == 201, issued.content.decode()
    assert code in issued.json()["statement"]
    other = world.client("county_b")
    assert other.get(f"/api/v1/disposal/certificates/{issued.json()['id']}").status_code == 404
    assert [
        c["id"] for c in world.client("village_a").get("/api/v1/disposal/certificates").json()
    ] == []

    out = tmp_path / "证明.pdf"
    assert main([
        "certificates", "issue", "--unit", str(fonds.unit.pk), "--kind", "copy", "--code", code,
        "--out", str(out), "--base", "https://dangan.example.cn", "--json",
    ]) == 0  # fmt: skip
    made = json.loads(capsys.readouterr().out)
    assert out.read_bytes().startswith(b"%PDF")
    assert made["verify_url"].startswith("https://dangan.example.cn/public/certificates/")

    assert main(["certificates", "verify", made["verify_url"], "--json"]) == 0
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["genuine"] and not verdict["revoked"] and verdict["number"] == made["number"]
    assert "statement" not in verdict and "subject" not in verdict
    assert main(["certificates", "revoke", made["number"], "--reason", "编号错误", "--json"]) == 0
    capsys.readouterr()
    assert main(["certificates", "verify", made["verify_url"], "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["status"] == "已撤销，不再有效"
    assert main(["certificates", "verify", "no-such-code", "--json"]) == 2
    assert "未找到该证明" in capsys.readouterr().out
    assert main(["certificates", "revoke", made["number"], "--reason", "再撤", "--json"]) == 2
    assert Certificate.objects.filter(revoked_at__isnull=False).count() == 1
    page = Client().get(made["verify_url"].removeprefix("https://dangan.example.cn"))
    assert "已被出具单位撤销" in page.content.decode()
