"""A scan whose stored bytes can no longer be read: the job is retried a bounded number of
times, then fails with a Chinese message shown on the page and by `fupin jobs`."""

import io
import json
from pathlib import Path

from django.test import TestCase

from fupin.cli import main
from fupin.scans.models import ScanJob, ScanPage
from fupin.scans.services import scan_upload
from tests import scans_samples as samples
from tests.scans_worker import run_worker


def test_unreadable_stored_scan_is_retried_then_fails(
    world, settings, media_root, capsys, monkeypatch
):
    settings.FUPIN_OCR_RETRY_SECONDS = 0
    item = samples.scan_item(world, pages=1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        done = scan_upload(
            actor=None, item_id=item.pk, stream=io.BytesIO(samples.pdf("甲")), filename="a.pdf"
        )
    # The bytes in storage are damaged after upload (disk fault, tampering).
    Path(media_root, done.file.object.storage_name).write_bytes(b"%PDF-1.4\nnot a pdf any more")

    run_worker(monkeypatch)
    job = ScanJob.objects.get()
    assert (job.status, job.attempts) == ("queued", 1)
    assert job.error.startswith("第1次识别失败：") and "将自动重试" in job.error
    run_worker(monkeypatch)
    run_worker(monkeypatch)
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("failed", 3)
    assert job.error.startswith("文字识别失败（已尝试3次）：文件无法读取")
    # Bounded: a fourth run finds nothing to do.
    run_worker(monkeypatch)
    job.refresh_from_db()
    assert job.attempts == 3
    assert ScanPage.objects.get(item=item).read_at is None

    page = world.client("village_a").get(f"/scans/items/{item.pk}/").content.decode()
    assert "文字识别失败（已尝试3次）" in page and "失败" in page
    assert main(["jobs", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["jobs"]
    assert listed[0]["status"] == "failed" and "文件无法读取" in listed[0]["error"]
    assert main(["jobs"]) == 0
    assert "失败" in capsys.readouterr().out
