"""In the demo county, whose poverty-alleviation work has ended, 杨山村's archivist
transfers the village's records and household files of the years up to then through the pages;
the county archives' receiver refuses a tampered copy, accepts the real one, the records appear
in the archives' fonds with their provenance and stay searchable by those allowed (not by the
neighbouring village), and the 档案交接文据 prints (issue 17)."""

import io
import shutil

from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from fupin.accounts.models import User
from fupin.cli import main
from fupin.records.models import RecordItem, VolumeEntry
from fupin.regions.models import Unit
from fupin.transfer.models import Batch, Holding
from fupin.transfer.package import package_path


def _as(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _said(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_yangshan_transfers_up_to_the_campaign_end_into_the_county_archives(db, settings):
    settings.DEMO_MODE = True
    assert main(["demo", "--json"]) == 0
    # What the workers' search beat does every few seconds after a load this size.
    assert main(["search", "sync"]) == 0
    committee = Unit.objects.get(name="杨山村村民委员会")
    clerk, receiver = _as("cun1"), _as("danganguan")

    ended = committee.region.parent.parent.campaign_ended_on  # the county's
    assert ended is not None and ended <= timezone.localdate()
    last = str(ended.year)
    planned = clerk.post("/transfer/", {"unit": committee.pk, "last": last, "households": "1"})
    batch = Batch.objects.get()
    assert planned.url == f"/transfer/batches/{batch.pk}/" and not batch.early_reason
    items = RecordItem.objects.filter(pk__in=batch.items.values("item_id"))
    loose = items.exclude(pk__in=VolumeEntry.objects.values("item_id"))
    assert loose.exists() and max(loose.values_list("year", flat=True)) <= ended.year
    households = batch.volumes.count()
    assert households > 0  # whole household files go with the village's other records
    url = f"/transfer/batches/{batch.pk}/"
    page = clerk.get(url).content.decode()
    assert "未划定开放或控制" in page and "待审批" in page  # blockers, in Chinese
    unmarked = list(items.filter(access_marking__isnull=True).values_list("pk", flat=True))
    marked = clerk.post(
        url,
        {"action": "mark", "marking": "open", "marking_reason": "不涉及个人信息", "item": unmarked},
        follow=True,
    )
    assert f"已将 {len(unmarked)} 件（卷）划为“开放”" in _said(marked)
    assert "已移出受阻档案 1 件" in _said(clerk.post(url, {"action": "drop"}, follow=True))
    built = clerk.post(url, {"action": "build"}, follow=True)
    assert "四性检测全部通过" in _said(built), _said(built)
    assert batch.volumes.count() == households
    sent = clerk.post(url, {"action": "send", "leader": "村支书", "name": "王秀兰"}, follow=True)
    assert "已签署并移交" in _said(sent)

    batch.refresh_from_db()
    bag = package_path(batch.package_name)
    kept = bag.parent / "kept-copy"
    shutil.copytree(bag, kept)
    household = next(bag.glob("data/households/*/household.json"))
    household.write_text(household.read_text(encoding="utf-8").replace("杨山村", "杨山材"))
    sign = {"action": "accept", "leader": "档案馆馆长", "name": "吴敏", "opinion": "同意接收"}
    refused = receiver.post(url, sign, follow=True)
    assert "接收检测未通过" in _said(refused) and "household.json" in _said(refused)
    assert Batch.objects.get().status == "sent" and not Holding.objects.exists()
    shutil.rmtree(bag)
    shutil.copytree(kept, bag)
    accepted = receiver.post(url, sign, follow=True)
    assert "已接收" in _said(accepted), _said(accepted)

    holdings = Holding.objects.filter(batch=batch)
    assert holdings.count() == batch.items.count() + households
    assert set(holdings.values_list("original_unit__name", flat=True)) == {committee.name}
    listed = receiver.get("/transfer/holdings/?q=C100205").content.decode()
    first = holdings.filter(item__isnull=False).order_by("pk").first()
    assert first.archives_code in listed and first.original_code in listed

    title = first.item.title
    found = receiver.get("/api/v1/search/", {"q": title}).json()
    assert first.item_id in {h["id"] for h in found["items"]}, (title, found)
    assert first.item_id in {
        h["id"] for h in clerk.get("/api/v1/search/", {"q": title}).json()["items"]
    }
    neighbour = _as("cun2").get("/api/v1/search/", {"q": title}).json()
    assert first.item_id not in {h["id"] for h in neighbour["items"]}

    printed = receiver.get(f"/transfer/batches/{batch.pk}/record.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(printed.content)).pages)
    for expected in ("档案交接文据", committee.name, "郧西县档案馆", "吴敏", "王秀兰", "SHA-256"):
        assert expected in text, expected
