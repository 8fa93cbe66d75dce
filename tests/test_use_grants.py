"""A clerk of 西岭村 asks to read an item of 东岭村; 东岭村's archivist grants it for a time.
Under the grant exactly that item is readable and its files leave watermarked; after the
expiry it is out of reach again. Everything leaves an audit row."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from fupin.audit.models import AuditEvent
from fupin.use.models import UseRequest
from fupin.use.services import use_grant_shorten
from tests.use_fixtures import village_a_items


def _ask(world, persona: str, codes: list[str], purpose="编写村志，核对识别程序", days=5):
    return world.client(persona).post(
        "/api/v1/use/requests",
        {"codes": codes, "purpose": purpose, "days": days},
        content_type="application/json",
    )


def _file_url(item) -> str:
    return f"/records/items/{item.pk}/files/{item.files.get().pk}/"


@pytest.fixture
def granted(world):
    wanted, other = village_a_items(world, "贫困户识别民主评议记录", "村级公示照片说明")
    response = _ask(world, "village_b", [wanted.reference_code])
    assert response.status_code == 201, response.content
    request_id = response.json()["id"]
    approved = world.client("village_a").post(
        f"/api/v1/use/requests/{request_id}/approve", {"days": 3}, content_type="application/json"
    )
    assert approved.status_code == 200, approved.content
    return wanted, other, request_id


def test_out_of_scope_item_is_hidden_until_granted(world):
    (wanted,) = village_a_items(world, "贫困户识别民主评议记录")
    reader = world.client("village_b")
    assert reader.get(f"/records/items/{wanted.pk}/").status_code == 404
    assert reader.get(_file_url(wanted)).status_code == 404
    assert reader.get(f"/api/v1/records/items/{wanted.pk}").status_code == 404


def test_request_needs_a_purpose_and_names_no_titles_before_approval(world):
    (wanted,) = village_a_items(world, "贫困户识别民主评议记录")
    refused = _ask(world, "village_b", [wanted.reference_code], purpose="  ")
    assert refused.status_code == 400
    assert "利用目的" in refused.json()["detail"]
    too_long = _ask(world, "village_b", [wanted.reference_code], days=31)
    assert "1 至 30 天" in too_long.json()["detail"]
    assert not UseRequest.objects.exists()
    made = _ask(world, "village_b", [wanted.reference_code]).json()
    assert made["status"] == "pending"
    assert made["items"] == [
        {"id": wanted.pk, "reference_code": wanted.reference_code, "title": None}
    ]
    page = world.client("village_b").get(f"/use/requests/{made['id']}/")
    assert "待审批" in page.content.decode() and "民主评议" not in page.content.decode()


def test_unknown_or_own_codes_are_refused(world):
    (wanted,) = village_a_items(world, "贫困户识别民主评议记录")
    assert "未找到档号：X-1" in _ask(world, "village_b", ["X-1"]).json()["detail"]
    own = _ask(world, "village_a", [wanted.reference_code]).json()["detail"]
    assert "无需申请" in own


def test_grant_reads_exactly_the_granted_item(world, granted):
    wanted, other, request_id = granted
    reader = world.client("village_b")
    page = reader.get(f"/records/items/{wanted.pk}/")
    assert page.status_code == 200
    assert "依利用授权" in page.content.decode()
    assert reader.get(f"/api/v1/records/items/{wanted.pk}").status_code == 200
    assert reader.get(f"/records/items/{other.pk}/").status_code == 404
    assert reader.get(_file_url(other)).status_code == 404
    # Reading is not writing: the grant gives no right to change the item.
    patch = reader.patch(
        f"/api/v1/records/items/{wanted.pk}", {"title": "改"}, content_type="application/json"
    )
    assert patch.status_code in (403, 404)
    detail = reader.get(f"/api/v1/use/requests/{request_id}").json()
    assert detail["active"] and detail["items"][0]["title"] == "贫困户识别民主评议记录"


def test_granted_pdf_download_is_watermarked_with_user_and_time(world, granted):
    wanted, _, request_id = granted
    response = world.client("village_b").get(_file_url(wanted))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    assert "village_b" in text and "依利用授权" in text
    assert timezone.localtime().strftime("%Y-%m-%d") in text
    assert "village_b" in reader.metadata["/Keywords"]
    # The holder's own download is the file as stored, without a watermark.
    own = world.client("village_a").get(_file_url(wanted))
    assert "village_b" not in PdfReader(io.BytesIO(own.content)).pages[0].extract_text()
    events = AuditEvent.objects.filter(action="records.granted_download")
    assert events.count() == 1 and f"第{request_id}号" in events.get().summary


def test_grant_lapses_at_its_expiry(world, granted, monkeypatch):
    wanted, _, _ = granted
    reader = world.client("village_b")
    assert reader.get(f"/records/items/{wanted.pk}/").status_code == 200
    # The access layer's clock only: moving every clock would also end the session.
    later = timezone.now() + datetime.timedelta(days=3, minutes=1)
    monkeypatch.setattr("fupin.accounts.access.timezone", SimpleNamespace(now=lambda: later))
    assert reader.get(f"/records/items/{wanted.pk}/").status_code == 404
    assert reader.get(_file_url(wanted)).status_code == 404


def test_custodian_ends_a_grant_early(world, granted):
    wanted, _, request_id = granted
    url = f"/api/v1/use/requests/{request_id}/withdraw"
    assert world.client("village_b").post(url).status_code == 404
    assert world.client("village_a").post(url).status_code == 200
    assert world.client("village_b").get(f"/records/items/{wanted.pk}/").status_code == 404
    assert not world.client("village_b").get(f"/api/v1/use/requests/{request_id}").json()["active"]
    assert AuditEvent.objects.filter(action="use.shorten").count() == 1
    longer = timezone.now() + datetime.timedelta(days=60)
    with pytest.raises(ValidationError, match="只能缩短"):
        use_grant_shorten(actor=None, request_id=request_id, expires_at=longer)


def test_refusal_needs_a_reason_and_grants_nothing(world):
    (wanted,) = village_a_items(world, "贫困户识别民主评议记录")
    request_id = _ask(world, "village_b", [wanted.reference_code]).json()["id"]
    approver = world.client("village_a")
    url = f"/api/v1/use/requests/{request_id}/refuse"
    blank = approver.post(url, {"reason": " "}, content_type="application/json")
    assert blank.status_code == 400 and "理由" in blank.json()["detail"]
    done = approver.post(url, {"reason": "涉及个人信息"}, content_type="application/json")
    assert done.json()["status"] == "refused"
    mine = world.client("village_b").get("/api/v1/use/requests").json()
    assert mine[0]["status_label"] == "未批准" and mine[0]["reason"] == "涉及个人信息"
    assert world.client("village_b").get(f"/records/items/{wanted.pk}/").status_code == 404
    again = approver.post(f"/api/v1/use/requests/{request_id}/approve", {}, "application/json")
    assert again.status_code == 400


@pytest.mark.parametrize("persona", ["village_b", "township_b", "county_b", "bureau_city"])
def test_only_a_custodian_of_the_holder_decides(world, persona):
    (wanted,) = village_a_items(world, "贫困户识别民主评议记录")
    request_id = _ask(world, "county_b", [wanted.reference_code]).json()["id"]
    client = world.client(persona)
    response = client.post(f"/api/v1/use/requests/{request_id}/approve", {}, "application/json")
    assert response.status_code in (403, 404)
    form = client.post(f"/use/requests/{request_id}/approve/", {"days": 3})
    assert form.status_code == 404
    assert UseRequest.objects.get().status == "pending"
    # The township archivist over 东岭村 is a custodian too, and sees it to decide.
    listed = world.client("township_a").get("/api/v1/use/requests/to-decide").json()
    assert [r["id"] for r in listed] == [request_id]


def test_page_flow_request_and_approve(world):
    (wanted,) = village_a_items(world, "贫困户识别民主评议记录")
    reader, approver = world.client("village_b"), world.client("village_a")
    response = reader.post(
        "/use/requests/new/", {"codes": wanted.reference_code, "purpose": "核对", "days": 4}
    )
    made = UseRequest.objects.get()
    assert response.url == f"/use/requests/{made.pk}/"
    assert "东岭村委会" in approver.get("/use/requests/to-decide/").content.decode()
    approver.post(f"/use/requests/{made.pk}/approve/", {"days": ""})
    made.refresh_from_db()
    assert made.status == "approved"
    assert made.expires_at - made.decided_at == datetime.timedelta(days=4)
    page = reader.get(f"/use/requests/{made.pk}/").content.decode()
    assert f"/records/items/{wanted.pk}/" in page
    listing = reader.get("/use/").content.decode()
    assert f"第{made.pk}号" in listing and "已批准" in listing


def test_every_step_is_audited(world, granted):
    wanted, _, request_id = granted
    world.client("village_b").get(f"/records/items/{wanted.pk}/")
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"use.request", "use.approve", "records.granted_read"} <= actions
    approve = AuditEvent.objects.get(action="use.approve")
    assert approve.region_code == "420322100201" and approve.object_id == str(request_id)
