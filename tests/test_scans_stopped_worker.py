"""A worker killed or a machine restarted mid-job leaves the job "running": the queue's own
later look, or `fupin scans reclaim`, gives it back. It counts as a failed attempt (queued
again while attempts remain, else failed with a Chinese reason), the pages already read are
kept, and a job whose worker is alive is left alone."""

import io
import json
import os
import socket
import subprocess
import sys
from datetime import timedelta

from django.test import TestCase
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from fupin.audit.models import AuditEvent
from fupin.cli import main
from fupin.scans.models import ScanJob, ScanPage
from fupin.scans.services import scan_upload
from fupin.scans.tasks import ocr_watch
from tests import scans_samples as samples
from tests.scans_worker import run_worker


def queued_job(world) -> ScanJob:
    item = samples.scan_item(world, pages=2)
    with TestCase.captureOnCommitCallbacks(execute=True):
        upload = scan_upload(
            actor=None,
            item_id=item.pk,
            stream=io.BytesIO(samples.pdf("精准扶贫档案工作", "贫困户申请书")),
            filename="申请.pdf",
        )
    return upload.job


def gone_pid() -> int:
    """The id of a process of this machine that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def left_running(job: ScanJob, worker: str, *, heard: timedelta, attempts: int = 1) -> None:
    """What a worker leaves behind when it stops after its claim and the first page."""
    first = ScanPage.objects.filter(item=job.item_id).order_by("number").first()
    ScanPage.objects.filter(pk=first.pk).update(text="第一页已识别", read_at=timezone.now())
    ScanJob.objects.filter(pk=job.pk).update(
        status="running", attempts=attempts, pages_done=1, worker=worker,
        started_at=timezone.now() - heard, heartbeat_at=timezone.now() - heard,
    )  # fmt: skip


def reclaim(capsys) -> list[dict]:
    capsys.readouterr()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert main(["scans", "reclaim", "--json"]) == 0
    return json.loads(capsys.readouterr().out)["jobs"]


def test_a_job_of_a_dead_local_worker_is_queued_again_and_finished(
    world, settings, capsys, monkeypatch
):
    settings.FUPIN_OCR_RETRY_SECONDS = 0
    job = queued_job(world)
    left_running(job, f"{socket.gethostname()}:{gone_pid()}", heard=timedelta(seconds=5))
    (found,) = reclaim(capsys)
    assert (found["id"], found["status"], found["attempts"]) == (job.pk, "queued", 1)
    assert (
        found["error"].startswith("第1次识别失败：识别进程中断") and "将自动重试" in found["error"]
    )
    assert AuditEvent.objects.filter(action="scans.ocr_reclaimed").count() == 1

    run_worker(monkeypatch)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.pages_done, job.error) == ("done", 2, 2, "")
    texts = list(ScanPage.objects.filter(item=job.item_id).order_by("number").values_list("text"))
    # The page read before the stop is kept, the other one is read now.
    assert texts[0] == ("第一页已识别",) and "贫困户申请书" in texts[1][0]


def test_the_queue_looks_again_later_and_gives_back_a_silent_job(
    world, settings, capsys, monkeypatch
):
    settings.FUPIN_OCR_RETRY_SECONDS = 0
    job = queued_job(world)
    # Taken by a worker on another machine that went silent an hour ago, its task with it.
    left_running(job, "other-host:4242", heard=timedelta(hours=1))
    DBTaskResult.objects.filter(task_path__endswith=".ocr_job").update(status="RUNNING")
    with TestCase.captureOnCommitCallbacks(execute=True):
        ocr_watch.enqueue(job.pk, 1)  # the later look its claim asked for, now due
    run_worker(monkeypatch)
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("queued", 1) and "识别进程中断" in job.error
    run_worker(monkeypatch)  # and read by a live worker
    job.refresh_from_db()
    assert (job.status, job.attempts, job.pages_done) == ("done", 2, 2)


def test_the_last_attempt_fails_with_the_reason(world, capsys):
    job = queued_job(world)
    left_running(job, "other-host:4242", heard=timedelta(hours=1), attempts=3)
    (found,) = reclaim(capsys)
    assert found["status"] == "failed"
    assert found["error"] == "文字识别失败（已尝试3次）：识别进程中断（工作进程已停止或机器重启）"
    assert main(["jobs"]) == 0
    assert "识别进程中断" in capsys.readouterr().out


def test_a_job_whose_worker_is_alive_is_left_alone(world, capsys):
    job = queued_job(world)
    left_running(job, f"{socket.gethostname()}:{os.getpid()}", heard=timedelta(seconds=5))
    assert reclaim(capsys) == []
    left_running(job, "other-host:4242", heard=timedelta(minutes=1))
    assert reclaim(capsys) == []
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("running", 1)
    assert not AuditEvent.objects.filter(action="scans.ocr_reclaimed").exists()
