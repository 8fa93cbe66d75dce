"""Scans uploaded to an item (PDF, multi-page TIFF, JPEG) become its pages in order, each with
a thumbnail, and an OCR job is queued."""

import io

from PIL import Image

from fupin.objects.models import Derivative
from fupin.records.models import ItemFile
from fupin.scans.models import ScanJob, ScanPage
from tests import scans_samples as samples


def test_pages_kept_in_upload_order_with_thumbnails(world):
    item = samples.scan_item(world, pages=6)
    clerk = world.client("village_a")
    url = f"/scans/items/{item.pk}/"
    files = [
        ("申请.pdf", samples.pdf("第一页", "第二页", "第三页")),
        ("附件.tif", samples.tiff("第四页", "第五页")),
        ("照片.jpg", samples.jpeg("第六页")),
    ]
    for name, body in files:
        upload = io.BytesIO(body)
        upload.name = name
        response = clerk.post(url, {"file": upload}, follow=True)
        assert response.status_code == 200
        assert "已排队文字识别" in response.content.decode()

    pages = list(ScanPage.objects.filter(item=item).select_related("file"))
    assert [(p.number, p.file.filename, p.file_page) for p in pages] == [
        (1, "申请.pdf", 1),
        (2, "申请.pdf", 2),
        (3, "申请.pdf", 3),
        (4, "附件.tif", 1),
        (5, "附件.tif", 2),
        (6, "照片.jpg", 1),
    ]
    assert all(p.text == "" and p.read_at is None for p in pages)
    assert [f.pages for f in ItemFile.objects.filter(item=item)] == [3, 2, 1]
    assert Derivative.objects.filter(kind="thumbnail").count() == 6
    for number in range(1, 7):
        thumb = clerk.get(f"/scans/items/{item.pk}/pages/{number}/thumbnail.jpg")
        assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
        with Image.open(io.BytesIO(thumb.content)) as image:
            assert max(image.size) <= 320
    assert clerk.get(f"/scans/items/{item.pk}/pages/7/thumbnail.jpg").status_code == 404
    # One job waits for all six pages: later uploads join the queued job.
    job = ScanJob.objects.get(item=item)
    assert (job.status, job.pages_total, job.pages_done) == ("queued", 6, 0)
    page = clerk.get(url).content.decode()
    assert "扫描页数 <strong>6</strong> 页" in page and "不一致" not in page
    assert page.index("第1页") < page.index("第6页")


def test_upload_through_the_api(world):
    item = samples.scan_item(world, pages=2)
    upload = io.BytesIO(samples.pdf("甲", "乙"))
    upload.name = "scan.pdf"
    response = world.client("village_a").post(
        f"/api/v1/scans/items/{item.pk}/files", {"file": upload}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["pages"] == [1, 2] and body["job"]["status"] == "queued"
    listing = world.client("village_a").get(f"/api/v1/scans/items/{item.pk}").json()
    assert [p["number"] for p in listing["pages"]] == [1, 2]
    assert listing["warning"] == "" and listing["jobs"][0]["pages_total"] == 2
