"""The transfer over /api/v1/transfer/: the sender plans (blockers per record, in Chinese),
marks, builds and sends; the receiver re-checks and accepts; each refusal is a Chinese
detail and leaves the batch as it was; another village gets 404 (issue 17)."""

from fupin.transfer.models import Batch
from tests.transfer_fixtures import ready_fonds

API = "/api/v1/transfer"


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_plan_build_send_and_accept_over_the_api(world):
    ready = ready_fonds(world, marked=False)
    clerk = world.client("village_a")
    made = _post(clerk, f"{API}/batches", {"unit_id": ready.unit.pk, "first_year": 2018})
    assert made.status_code == 201, made.content
    batch = made.json()
    rows = {r["id"]: r for r in batch["records"] if r["kind"] == "件"}
    assert rows[ready.draft.pk]["blockers"] == ["尚未归档（未锁定）", "未划定开放或控制"]
    assert rows[ready.locked[0].pk]["blockers"] == ["未划定开放或控制"]
    url = f"{API}/batches/{batch['id']}"
    refused = _post(clerk, f"{url}/build")
    assert refused.status_code == 400 and "不能移交" in refused.json()["detail"]
    assert Batch.objects.get().status == "planned"
    body = {"marking": "open", "reason": " ", "item_ids": [ready.locked[0].pk]}
    refused = _post(clerk, f"{url}/marking", body)
    assert refused.status_code == 400 and "理由" in refused.json()["detail"]
    marked = _post(
        clerk, f"{url}/marking",
        {"marking": "open", "reason": "不涉及个人信息", "item_ids": [i.pk for i in ready.locked]},
    )  # fmt: skip
    assert marked.status_code == 200, marked.content
    assert all(
        r["marking"] == "open" for r in marked.json()["records"] if r["id"] != ready.draft.pk
    )
    assert _post(clerk, f"{url}/drop-blocked").json()["items"] == 3
    built = _post(clerk, f"{url}/build").json()
    assert built["status"] == "built" and len(built["package_sha256"]) == 64
    assert built["checks"] and all(c["ok"] for c in built["checks"])
    refused = _post(clerk, f"{url}/send", {"leader": "", "name": ""})
    assert refused.status_code == 400 and "负责人" in refused.json()["detail"]
    sent = _post(clerk, f"{url}/send", {"leader": "张主任", "name": "王档案"}).json()
    assert sent["status"] == "sent" and sent["sender_name"] == "王档案"

    receiver = world.client("receiver_a")
    assert [b["number"] for b in receiver.get(f"{API}/batches").json()] == [batch["number"]]
    assert _post(clerk, f"{url}/accept", {"leader": "x", "name": "y"}).status_code == 403
    checked = _post(receiver, f"{url}/receipt-check").json()
    assert checked["ok"] and checked["problems"] == [] and checked["run_id"]
    accepted = _post(receiver, f"{url}/accept", {"leader": "刘馆长", "name": "赵接收"}).json()
    assert accepted["status"] == "accepted" and accepted["receipt_run_id"]
    held = receiver.get(f"{API}/holdings").json()
    assert [h["original_code"] for h in held] == [i.reference_code for i in ready.locked]
    assert held[0]["archives_code"] == "A001-JF-WS·2018-Y-0001"
    assert held[0]["original_unit"] == ready.unit.name

    other = world.client("village_b")
    assert other.get(url).status_code == 404 and other.get(f"{API}/holdings").json() == []
    assert _post(other, f"{url}/return", {"reason": "x"}).status_code == 404
