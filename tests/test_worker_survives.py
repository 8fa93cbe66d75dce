"""`fupin worker` as real processes: a worker killed with -9 mid-task has its task taken over
by another worker (through the heartbeat; audited), and a worker outlives a database that is
locked by a long write (SQLite) or refuses connections for a while (PostgreSQL), logging in
Chinese, and then goes on with new tasks."""

import json
import os
import signal
import time

import pytest

from tests.procs import helper, installation, on_postgres, pg_admin, start, stop, wait_for

FAST = {
    "FUPIN_WORKER_BEAT_SECONDS": "1",
    "FUPIN_WORKER_STALE_SECONDS": "6",
    "FUPIN_WORKER_GRACE_SECONDS": "6",
    "FUPIN_DB_WAIT_SECONDS": "2",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return installation(tmp_path_factory.mktemp("worker-site"), **FAST)


def task_state(env, task_id: str) -> dict:
    return json.loads(helper(env, "task", task_id))


def test_a_killed_workers_task_is_taken_over(site, tmp_path):
    marker = str(tmp_path / "started")
    first = start(site, "worker", log=tmp_path / "first.log")
    try:
        task_id = helper(site, "enqueue", marker)
        wait_for(lambda: task_state(site, task_id)["status"] == "RUNNING", 60, "任务开始运行")
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    finally:
        stop(first)
    assert task_state(site, task_id)["status"] == "RUNNING"  # what a dead worker leaves
    second = start(site, "worker", log=tmp_path / "second.log")
    try:
        done = wait_for(
            lambda: (s := task_state(site, task_id))["status"] == "SUCCESSFUL" and s, 90, "接管"
        )
        assert second.poll() is None
    finally:
        assert stop(second) == 0
    assert done["workers"] == 2 and done["return"] == "done"
    assert len(done["reclaimed"]) == 1 and "已不存在" in done["reclaimed"][0]
    assert "接管任务" in (tmp_path / "second.log").read_text()


def test_the_worker_outlives_a_locked_or_unreachable_database(site, tmp_path):
    marker = tmp_path / "started"
    marker.write_text("already")  # the task returns at once
    log = tmp_path / "worker.log"
    worker = start(site, "worker", log=log)
    try:
        time.sleep(3)
        if on_postgres():
            pg_admin(
                site,
                'ALTER DATABASE "{db}" ALLOW_CONNECTIONS false',
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}'",
            )
            time.sleep(10)
            pg_admin(site, 'ALTER DATABASE "{db}" ALLOW_CONNECTIONS true')
            expected = "数据库暂时无法访问"
        else:
            helper(site, "hold-sqlite", "10")
            expected = "数据库被占用"
        assert worker.poll() is None, log.read_text()
        task_id = helper(site, "enqueue", str(marker))
        wait_for(lambda: task_state(site, task_id)["status"] == "SUCCESSFUL", 90, "恢复后执行任务")
        assert worker.poll() is None
    finally:
        assert stop(worker) == 0
    text = log.read_text()
    assert expected in text, text
