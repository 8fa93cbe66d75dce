"""When the scan's page count differs from the described pages, the clerk is told so, at the
upload and on the item's scan page, until they agree."""

import io

from tests import scans_samples as samples


def _upload(client, item, body, name="scan.pdf"):
    upload = io.BytesIO(body)
    upload.name = name
    return client.post(f"/scans/items/{item.pk}/", {"file": upload}, follow=True)


def test_more_pages_scanned_than_described(world):
    item = samples.scan_item(world, pages=2)
    clerk = world.client("village_a")
    page = _upload(clerk, item, samples.pdf("一", "二", "三")).content.decode()
    assert "扫描页数合计 3 页，与著录页数 2 页不一致" in page
    assert "扫描页数 3 页，与著录页数 2 页不一致" in page
    api = clerk.get(f"/api/v1/scans/items/{item.pk}").json()
    assert api["pages_scanned"] == 3 and "不一致" in api["warning"]


def test_warning_goes_once_the_pages_agree(world):
    item = samples.scan_item(world, pages=3)
    clerk = world.client("village_a")
    first = _upload(clerk, item, samples.tiff("一", "二"), "a.tif").content.decode()
    assert "扫描页数 2 页，与著录页数 3 页不一致" in first
    second = _upload(clerk, item, samples.jpeg("三"), "b.jpg").content.decode()
    assert "不一致" not in second
