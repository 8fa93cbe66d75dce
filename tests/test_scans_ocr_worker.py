"""The worker reads each page's Chinese text (real OCR, no mock) and stores it per page; the
progress shows on the page, in the API and in `fupin jobs`."""

import io
import json

from django.test import TestCase
from django_tasks_db.models import DBTaskResult

from fupin.cli import main
from fupin.scans.models import ScanJob, ScanPage
from tests import scans_samples as samples
from tests.scans_worker import run_worker


def test_uploaded_scan_is_read_by_the_worker(world, capsys, monkeypatch):
    item = samples.scan_item(world, pages=2)
    clerk = world.client("village_a")
    upload = io.BytesIO(samples.pdf("精准扶贫档案工作", "贫困户申请书"))
    upload.name = "申请.pdf"
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert clerk.post(f"/scans/items/{item.pk}/", {"file": upload}).status_code == 302
    job = ScanJob.objects.get(item=item)
    # Queued in the database, for any worker on any machine.
    task = DBTaskResult.objects.get()
    assert task.status == "READY" and job.task_id == str(task.id)
    progress = clerk.get(f"/scans/items/{item.pk}/progress.json").json()
    assert progress["active"] and progress["jobs"][0]["pages_done"] == 0
    assert main(["jobs", "--json"]) == 0
    queued = json.loads(capsys.readouterr().out)["jobs"]
    assert [(j["id"], j["status"], j["pages_total"]) for j in queued] == [(job.pk, "queued", 2)]

    run_worker(monkeypatch)

    texts = list(ScanPage.objects.filter(item=item).values_list("text", flat=True))
    assert "精准扶贫档案工作" in texts[0] and "贫困户申请书" in texts[1]
    job.refresh_from_db()
    assert (job.status, job.pages_done, job.attempts, job.error) == ("done", 2, 1, "")
    assert DBTaskResult.objects.get(task_path__endswith=".ocr_job").status == "SUCCESSFUL"
    # The worker also asked the queue to look at the job later, in case it stopped midway.
    watch = DBTaskResult.objects.get(task_path__endswith=".ocr_watch")
    assert watch.status == "READY" and watch.args_kwargs["args"] == [job.pk, 1]
    progress = clerk.get(f"/scans/items/{item.pk}/progress.json").json()
    assert not progress["active"] and progress["read"] == 2
    assert progress["jobs"][0]["percent"] == 100
    page = clerk.get(f"/scans/items/{item.pk}/").content.decode()
    assert "贫困户申请书" in page and "progress.js" in page
    api = clerk.get(f"/api/v1/scans/jobs/{job.pk}").json()
    assert api["status"] == "done" and api["pages_done"] == 2
    assert main(["jobs", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["jobs"] == []
    assert main(["jobs", "--all", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["jobs"][0]["status"] == "done"

    # Reading again from the page: a new job for both pages, which the worker completes.
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = clerk.post(f"/scans/items/{item.pk}/ocr/", follow=True)
    assert "已排队重新识别" in response.content.decode()
    again = ScanJob.objects.exclude(pk=job.pk).get()
    assert (again.status, again.pages_total) == ("queued", 2)
    run_worker(monkeypatch)
    again.refresh_from_db()
    assert (again.status, again.pages_done) == ("done", 2)
    assert "贫困户申请书" in ScanPage.objects.get(item=item, number=2).text
