"""Periodic jobs (fupin.worker.beats) run by real `fupin worker` processes: two workers
started at the same moment run a due job once between them, and a third worker within the
period does not run it again. The job used is the worker's own: dropping heartbeats of
workers stopped long ago."""

import json

from tests.procs import helper, installation, start, stop, wait_for


def test_two_workers_run_a_due_beat_once(tmp_path):
    site = installation(tmp_path / "site")
    helper(site, "old-stopped-worker", "stopped-long-ago")
    assert "stopped-long-ago" in json.loads(helper(site, "beats"))["workers"]

    workers = [start(site, "worker", "--batch", log=tmp_path / f"w{n}.log") for n in (1, 2)]
    try:
        wait_for(lambda: all(w.poll() is not None for w in workers), 90, "两个批处理进程结束")
    finally:
        codes = [stop(w) for w in workers]
    assert codes == [0, 0], [(tmp_path / f"w{n}.log").read_text() for n in (1, 2)]
    state = json.loads(helper(site, "beats"))
    assert state["runs"]["worker.forget_stopped"] == 1
    assert "stopped-long-ago" not in state["workers"]

    third = start(site, "worker", "--batch", log=tmp_path / "w3.log")
    try:
        wait_for(lambda: third.poll() is not None, 60, "第三个批处理进程结束")
    finally:
        assert stop(third) == 0
    assert json.loads(helper(site, "beats"))["runs"]["worker.forget_stopped"] == 1
