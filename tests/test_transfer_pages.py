"""The transfer pages as each role sees them: the village archivist plans (blockers named in
Chinese), marks, builds, signs and sends, and prints the 移交清单 and 交接文据; the county
archives' receiver re-checks and accepts; the records then appear in the archives' fonds.
Another village sees nothing; people without the duty have no menu entry (issue 17)."""

from urllib.parse import unquote

from fupin.transfer.models import Batch
from tests.transfer_fixtures import ready_fonds


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_a_village_sends_and_the_county_archives_takes_in_through_the_pages(world):
    ready = ready_fonds(world)
    clerk = world.client("village_a")
    home = clerk.get("/").content.decode()
    assert "移交进馆" in home
    page = clerk.get("/transfer/").content.decode()
    assert "制定移交计划" in page and ready.unit.name in page
    response = clerk.post(
        "/transfer/",
        {"unit": ready.unit.pk, "first": "2018", "last": "2018", "households": "1"},
        follow=True,
    )
    batch = Batch.objects.get()
    assert response.redirect_chain[-1][0] == f"/transfer/batches/{batch.pk}/"
    text = response.content.decode()
    assert "已制定移交计划" in text and "尚未归档（未锁定）" in text and "未划定" in text
    # Marking needs a reason; building is refused while a record is blocked, saying why.
    response = clerk.post(
        f"/transfer/batches/{batch.pk}/",
        {"action": "mark", "marking": "open", "item": [ready.draft.pk]},
        follow=True,
    )
    assert "请填写划为“开放”的理由" in _messages(response)
    response = clerk.post(f"/transfer/batches/{batch.pk}/", {"action": "build"}, follow=True)
    assert "不能移交" in _messages(response) and "尚未归档" in _messages(response)
    clerk.post(f"/transfer/batches/{batch.pk}/", {"action": "drop"})
    response = clerk.post(f"/transfer/batches/{batch.pk}/", {"action": "build"}, follow=True)
    assert "四性检测全部通过" in _messages(response), _messages(response)
    response = clerk.post(
        f"/transfer/batches/{batch.pk}/",
        {"action": "send", "leader": "张主任", "name": "王档案", "opinion": "齐全"},
        follow=True,
    )
    assert "已签署并移交" in _messages(response)
    printed = clerk.get(f"/transfer/batches/{batch.pk}/record.pdf")
    assert printed.status_code == 200 and printed["Content-Type"] == "application/pdf"
    assert "档案交接文据" in unquote(printed["Content-Disposition"])
    listing = clerk.get(f"/transfer/batches/{batch.pk}/list.xlsx")
    assert listing.status_code == 200 and "移交清单" in unquote(listing["Content-Disposition"])
    assert clerk.get(f"/transfer/batches/{batch.pk}/list.csv").status_code == 404

    receiver = world.client("receiver_a")
    assert "移交进馆" in receiver.get("/").content.decode()
    page = receiver.get("/transfer/").content.decode()
    assert batch.number in page and "待接收与已接收的移交" in page
    page = receiver.get(f"/transfer/batches/{batch.pk}/").content.decode()
    assert "检测并签署接收" in page and "签署并移交" not in page
    response = receiver.post(f"/transfer/batches/{batch.pk}/", {"action": "check"}, follow=True)
    assert "接收检测通过" in _messages(response)
    response = receiver.post(
        f"/transfer/batches/{batch.pk}/",
        {"action": "accept", "leader": "刘馆长", "name": "赵接收", "opinion": "同意"},
        follow=True,
    )
    assert "已接收" in _messages(response)
    text = receiver.get("/transfer/holdings/").content.decode()
    assert "A001-JF-WS·2018-Y-0001" in text and ready.locked[0].reference_code in text
    # The sending village sees where its records went; the other village sees none of it.
    assert "A001-JF-WS·2018-Y-0001" in clerk.get("/transfer/holdings/").content.decode()
    other = world.client("village_b")
    assert other.get(f"/transfer/batches/{batch.pk}/").status_code == 404
    assert other.get(f"/transfer/batches/{batch.pk}/record.pdf").status_code == 404
    assert "A001-JF" not in other.get("/transfer/holdings/").content.decode()
    assert batch.number not in other.get("/transfer/").content.decode()


def test_the_receiver_returns_with_a_reason_per_record(world):
    ready = ready_fonds(world)
    clerk = world.client("village_a")
    clerk.post("/transfer/", {"unit": ready.unit.pk, "first": "2018"})
    batch = Batch.objects.get()
    for action in ({"action": "drop"}, {"action": "build"}):
        clerk.post(f"/transfer/batches/{batch.pk}/", action)
    clerk.post(
        f"/transfer/batches/{batch.pk}/", {"action": "send", "leader": "张主任", "name": "王档案"}
    )
    receiver = world.client("receiver_a")
    response = receiver.post(f"/transfer/batches/{batch.pk}/", {"action": "return"}, follow=True)
    assert "请填写退回理由" in _messages(response)
    response = receiver.post(
        f"/transfer/batches/{batch.pk}/",
        {"action": "return", "reason": "题名不规范", f"return-{ready.locked[1].pk}": "缺责任者"},
        follow=True,
    )
    assert "已退回" in _messages(response)
    page = clerk.get(f"/transfer/batches/{batch.pk}/").content.decode()
    assert "题名不规范" in page and "缺责任者" in page and "已退回" in page


def test_the_township_plans_for_its_villages_and_others_have_no_entry(world):
    ready = ready_fonds(world, ended=False)
    township = world.client("township_a")
    response = township.post("/transfer/", {"unit": ready.unit.pk}, follow=True)
    assert "提前移交须填写理由" in _messages(response) and not Batch.objects.exists()
    township.post("/transfer/", {"unit": ready.unit.pk, "early_reason": "村委会无档案库房"})
    assert Batch.objects.get().early_reason == "村委会无档案库房"
    assert world.client("village_b").post("/transfer/", {"unit": ready.unit.pk}).status_code == 404
    auditor = world.client("auditor_a")
    assert "移交进馆" not in auditor.get("/").content.decode()
    assert auditor.get("/transfer/").status_code == 403
