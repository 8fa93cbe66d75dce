"""A worker killed while it previews a web import: the take-over (`fupin worker reclaim`, or
any worker's own look) tells the job — queued again, with a note, while attempts remain,
else failed with a Chinese reason — instead of leaving it "正在处理" for ever; the retry
previews as if nothing had happened, and the cut-off run kept nothing."""

import pytest
from django_tasks_db.models import DBTaskResult

from fupin.households.models import Household
from fupin.households.registry import import_jobs, services
from tests.households_samples import household, write_sheet
from tests.scans_worker import run_worker
from tests.test_households_import_page import upload
from tests.test_worker_reclaim import beat, gone_pid, reclaim, running

V_A = "420322100201"
TASK = "fupin.households.tasks.households_import_job"


class Killed(BaseException):
    """kill -9 as the import sees it: nothing after this line runs."""


@pytest.fixture
def stranded(world, tmp_path, settings, monkeypatch, django_capture_on_commit_callbacks):
    """A large sheet uploaded for preview, whose worker died half-way through reading it."""
    settings.FUPIN_IMPORT_INLINE_BYTES = 0
    client = world.client("township_a")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, write_sheet(tmp_path / "a.xlsx", household(V_A, 1)))
    job_url = response.redirect_chain[-1][0]
    token = job_url.rstrip("/").rsplit("/", 1)[-1]
    [task] = DBTaskResult.objects.filter(task_path=TASK)

    def killed(**kwargs):
        kwargs["progress"](2)
        raise Killed

    with monkeypatch.context() as patch:
        patch.setattr(services, "households_import", killed)
        with pytest.raises(Killed):
            import_jobs.import_run(token, import_jobs.PREVIEW)
    assert "正在处理" in client.get(job_url).content.decode()
    beat("dead", pid=gone_pid())
    return client, job_url, str(task.id)


def test_the_job_is_queued_again_and_the_retry_previews(stranded, capsys, monkeypatch):
    client, job_url, task_id = stranded
    running(task_id, "dead")
    [taken] = reclaim(capsys)
    assert (taken["task_id"], taken["outcome"]) == (task_id, "queued")
    page = client.get(job_url).content.decode()
    assert "排队等待" in page and "后台进程中断" in page and "正在处理" not in page
    assert not Household.objects.exists()

    run_worker(monkeypatch)
    page = client.get(job_url).content.decode()
    assert "确认导入" in page and "后台进程中断" not in page
    assert not Household.objects.exists()


def test_after_the_last_attempt_the_job_fails_with_the_reason(stranded, capsys):
    client, job_url, task_id = stranded
    running(task_id, "w1", "w2", "dead")
    [taken] = reclaim(capsys)
    assert taken["outcome"] == "failed"
    page = client.get(job_url).content.decode()
    assert "失败" in page and "正在处理" not in page
    token = job_url.rstrip("/").rsplit("/", 1)[-1]
    job = client.get(f"/api/v1/households/import/jobs/{token}").json()
    assert job["state"] == "failed" and "后台进程中断，已尝试 3 次" in job["error"]
    assert 'http-equiv="refresh"' not in page and not Household.objects.exists()
