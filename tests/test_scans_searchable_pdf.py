"""The searchable PDF: every scanned page as an image with the OCR text as an invisible,
extractable layer, from the page and from the API; the export is audited."""

import io

from django.test import TestCase
from pypdf import PdfReader

from fupin.audit.models import AuditEvent
from fupin.scans.services import scan_upload
from tests import scans_samples as samples
from tests.scans_worker import run_worker


def test_searchable_pdf_carries_the_text_read(world, monkeypatch):
    item = samples.scan_item(world, pages=3)
    with TestCase.captureOnCommitCallbacks(execute=True):
        scan_upload(
            actor=None,
            item_id=item.pk,
            stream=io.BytesIO(samples.pdf("精准扶贫档案工作", "扶贫项目验收报告")),
            filename="a.pdf",
        )
        scan_upload(
            actor=None,
            item_id=item.pk,
            stream=io.BytesIO(samples.jpeg("脱贫户名单")),
            filename="b.jpg",
        )
    run_worker(monkeypatch)
    clerk = world.client("village_a")
    response = clerk.get(f"/scans/items/{item.pk}/searchable.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    texts = [p.extract_text() for p in reader.pages]
    assert len(texts) == 3
    assert "精准扶贫档案工作" in texts[0]
    assert "扶贫项目验收报告" in texts[1]
    assert "脱贫户名单" in texts[2]
    assert reader.pages[0].images, "the page image is there too"
    assert AuditEvent.objects.filter(action="scans.pdf_export").count() == 1

    api = clerk.get(f"/api/v1/scans/items/{item.pk}/searchable.pdf")
    assert api.status_code == 200
    assert "脱贫户名单" in PdfReader(io.BytesIO(api.content)).pages[2].extract_text()


def test_no_pages_no_pdf(world):
    item = samples.scan_item(world)
    response = world.client("village_a").get(f"/api/v1/scans/items/{item.pk}/searchable.pdf")
    assert response.status_code == 400 and "尚无扫描页" in response.json()["detail"]
