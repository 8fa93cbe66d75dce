"""`fupin worker reclaim`: any task left running by a stopped worker is queued again (an
attempt), failed with the reason after the last attempt, or — an OCR job, which keeps its
own attempts and progress — handed back through the job; a task whose worker is alive and
running it is left alone."""

import io
import json
import socket
import subprocess
import sys
from datetime import timedelta

from django.test import TestCase
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from fupin.audit.models import AuditEvent
from fupin.cli import main
from fupin.scans.models import ScanJob
from fupin.scans.services import scan_upload
from fupin.worker.models import WorkerBeat
from tests import scans_samples as samples
from tests.proc_tasks import slow_once


def gone_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def beat(worker: str, *, pid: int, ago: timedelta = timedelta(seconds=1), task: str = "") -> None:
    now = timezone.now()
    WorkerBeat.objects.create(
        worker_id=worker, host=socket.gethostname(), pid=pid, started_at=now - ago,
        beat_at=now - ago, task_id=task,
    )  # fmt: skip


def running(task_id: str, *workers: str) -> None:
    DBTaskResult.objects.filter(pk=task_id).update(
        status="RUNNING", worker_ids=list(workers), started_at=timezone.now() - timedelta(minutes=5)
    )


def reclaim(capsys) -> list[dict]:
    capsys.readouterr()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert main(["worker", "reclaim", "--json"]) == 0
    return json.loads(capsys.readouterr().out)["tasks"]


def test_tasks_of_stopped_workers_are_queued_again_then_failed(db, capsys, tmp_path):
    import os

    first = str(slow_once.enqueue(str(tmp_path / "a")).id)
    last = str(slow_once.enqueue(str(tmp_path / "b")).id)
    alive = str(slow_once.enqueue(str(tmp_path / "c")).id)
    beat("dead", pid=gone_pid())
    beat("silent", pid=os.getpid(), ago=timedelta(minutes=10))
    beat("busy", pid=os.getpid(), task=alive)
    running(first, "dead")
    running(last, "w1", "w2", "silent")
    running(alive, "busy")
    found = {r["task_id"]: r for r in reclaim(capsys)}
    assert set(found) == {first, last}
    assert found[first]["outcome"] == "queued" and "已不存在" in found[first]["why"]
    assert found[last]["outcome"] == "failed" and "秒没有心跳" in found[last]["why"]
    states = dict(DBTaskResult.objects.values_list("id", "status"))
    assert {str(k): v for k, v in states.items()} == {
        first: "READY",
        last: "FAILED",
        alive: "RUNNING",
    }
    failed = DBTaskResult.objects.get(pk=last)
    assert "已尝试 3 次，不再重试" in failed.traceback
    assert AuditEvent.objects.filter(action="worker.task_reclaimed").count() == 2
    assert reclaim(capsys) == []


def test_an_ocr_task_is_handed_back_through_its_job(world, capsys, settings):
    settings.FUPIN_OCR_RETRY_SECONDS = 0
    item = samples.scan_item(world, pages=1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        upload = scan_upload(
            actor=None, item_id=item.pk, stream=io.BytesIO(samples.pdf("扶贫")), filename="a.pdf"
        )
    task = DBTaskResult.objects.get(task_path="fupin.scans.tasks.ocr_job")
    beat("dead", pid=gone_pid())
    running(str(task.pk), "dead")
    ScanJob.objects.filter(pk=upload.job.pk).update(
        status="running",
        attempts=1,
        worker=f"{socket.gethostname()}:1",
        heartbeat_at=timezone.now(),
    )
    (found,) = reclaim(capsys)
    assert found["outcome"] == "handed"
    job = ScanJob.objects.get(pk=upload.job.pk)
    assert job.status == "queued" and "识别进程中断" in job.error
    # The job's own retry is queued as a new task; the lost one is closed.
    assert DBTaskResult.objects.get(pk=task.pk).status == "FAILED"
    assert DBTaskResult.objects.filter(task_path=task.task_path, status="READY").count() == 1
