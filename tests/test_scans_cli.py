"""`fupin scans upload ITEM FILE...`, `fupin scans ocr ITEM`, `fupin scans pages ITEM`."""

import io
import json

from django.test import TestCase

from fupin.cli import main
from fupin.scans.models import ScanPage
from tests import scans_samples as samples
from tests.scans_worker import run_worker


def test_upload_ocr_and_pages_from_the_command_line(world, tmp_path, capsys, monkeypatch):
    item = samples.scan_item(world, pages=3)
    (tmp_path / "a.pdf").write_bytes(samples.pdf("村委会会议记录", "第二页"))
    (tmp_path / "b.tif").write_bytes(samples.tiff("第三页"))
    (tmp_path / "c.pdf").write_bytes(b"%PDF-1.4 broken")
    capsys.readouterr()
    args = ["scans", "upload", str(item.pk)]
    files = [str(tmp_path / n) for n in ("a.pdf", "b.tif", "c.pdf")]
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert main([*args, *files, "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert [(f["file"], f["ok"], f.get("pages")) for f in out["files"]] == [
        ("a.pdf", True, [1, 2]),
        ("b.tif", True, [3]),
        ("c.pdf", False, None),
    ]
    assert "无法读取" in out["files"][2]["error"]
    assert main(["scans", "upload", str(item.pk), str(tmp_path / "nope.pdf")]) == 2
    assert "找不到文件" in capsys.readouterr().err

    run_worker(monkeypatch)
    assert main(["scans", "pages", str(item.pk), "--json"]) == 0
    pages = json.loads(capsys.readouterr().out)["pages"]
    assert [p["number"] for p in pages] == [1, 2, 3] and all(p["read"] for p in pages)
    assert "村委会会议记录" in pages[0]["text"]

    assert main(["scans", "ocr", str(item.pk), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["job"] is None
    assert main(["scans", "ocr", str(item.pk), "--again", "--json"]) == 0
    job = json.loads(capsys.readouterr().out)["job"]
    assert (job["pages_total"], job["status"]) == (3, "queued")
    assert ScanPage.objects.filter(item=item, read_at__isnull=True).count() == 3


def test_scans_attached_elsewhere_become_pages(world, capsys):
    """A scan attached through the item's file list or the catalogue import becomes pages at
    once and is queued for OCR, as an upload on the scans page is: one way in."""
    from fupin.records.files import item_attach

    item = samples.scan_item(world, pages=2)
    body = samples.pdf("甲", "乙")
    item_attach(actor=None, item_id=item.pk, stream=io.BytesIO(body), filename="导入.pdf")
    pages = ScanPage.objects.filter(item=item).select_related("file")
    assert [(p.number, p.file.filename, p.file_page) for p in pages] == [
        (1, "导入.pdf", 1),
        (2, "导入.pdf", 2),
    ]
    assert main(["scans", "ocr", str(item.pk), "--json"]) == 0
    job = json.loads(capsys.readouterr().out)["job"]
    assert (job["pages_total"], job["status"]) == (2, "queued")
    again = item_attach(actor=None, item_id=item.pk, stream=io.BytesIO(body), filename="a.pdf")
    assert "未重复添加" in again[2][0] and ScanPage.objects.filter(item=item).count() == 2
    assert (
        world.client("village_a").get(f"/scans/items/{item.pk}/pages/2/thumbnail.jpg").status_code
        == 200
    )
