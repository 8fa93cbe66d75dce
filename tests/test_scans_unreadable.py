"""A file that is not a readable scan is refused with a Chinese reason; nothing is kept."""

import io

import pytest

from fupin.audit.models import AuditEvent
from fupin.objects.models import StoredObject
from fupin.records.models import ItemFile
from fupin.scans.models import ScanJob, ScanPage
from tests import scans_samples as samples

GOOD = samples.pdf("甲", "乙")


@pytest.mark.parametrize(
    ("name", "body", "reason"),
    [
        ("坏.pdf", GOOD[: len(GOOD) // 3], "无法读取"),
        ("坏.tif", samples.tiff("甲", "乙")[:600], "无法读取"),
        ("坏.jpg", samples.jpeg("甲")[:500], "无法读取"),
        ("说明.txt", "这不是扫描件".encode(), "不是扫描件"),
        ("空.pdf", b"", "文件是空的"),
    ],
)
def test_bad_file_is_refused_and_nothing_is_kept(world, name, body, reason):
    item = samples.scan_item(world)
    before = AuditEvent.objects.count()
    upload = io.BytesIO(body)
    upload.name = name
    response = world.client("village_a").post(
        f"/scans/items/{item.pk}/", {"file": upload}, follow=True
    )
    assert reason in response.content.decode()
    api = world.client("village_a").post(
        f"/api/v1/scans/items/{item.pk}/files", {"file": io.BytesIO(body)}
    )
    assert api.status_code in (400, 422) and api.json()["detail"]
    assert not ScanPage.objects.exists() and not ScanJob.objects.exists()
    assert not ItemFile.objects.exists() and not StoredObject.objects.exists()
    assert AuditEvent.objects.count() == before
