"""A build or a receipt killed with SIGKILL in the middle of its work (a real process, stopped
inside its transaction: after the first original is copied into the package, after the first
record is recreated) leaves no half-made batch, package or record, and the same command run
again completes (issue 17)."""

import json
import subprocess
import sys
import tempfile
import threading

from fupin.transfer import package
from fupin.transfer.services import batch_build, batch_drop_blocked, batch_plan, batch_send
from tests.procs import ROOT, fupin, helper, installation
from tests.transfer_fixtures import ready_fonds


def _killed_inside(env: dict[str, str], where: str, *argv: str) -> None:
    """Start the command, wait for it to say it has stopped inside its work, kill it there.
    Its log goes to a file, not a pipe: a full, unread pipe would block it before that point."""
    with tempfile.TemporaryFile(mode="w+") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.proc_helper", "stall", where, *argv],
            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=log, text=True,
        )  # fmt: skip
        watchdog = threading.Timer(300, proc.kill)
        watchdog.start()
        said: list[str] = []
        try:
            for line in proc.stdout or ():
                said.append(line)
                if line.strip() == "stalled":
                    break
            log.seek(0)
            # When it never got there, say how it ended and what it printed on both streams.
            assert said and said[-1].strip() == "stalled", (
                proc.poll(),
                "".join(said)[-2000:],
                log.read()[-3000:],
            )
        finally:
            watchdog.cancel()
            proc.kill()
            proc.wait(timeout=60)
    assert proc.returncode == -9


def _state(env: dict[str, str]) -> dict:
    return json.loads(helper(env, "transfer-state"))


def test_a_build_killed_midway_leaves_the_batch_as_planned_and_builds_again(tmp_path):
    env = installation(tmp_path / "county")
    number = helper(env, "transfer-ready", "3")
    _killed_inside(env, "build", "transfer", "build", number)
    state = _state(env)
    assert state["batches"] == {number: "planned"}
    assert number not in state["packages"]
    assert [p for p in state["packages"] if p.startswith(f".{number}.building-")], state

    built = json.loads(fupin(env, "transfer", "build", number, "--json"))["batch"]
    assert built["status"] == "built" and built["package_bytes"] > 0
    # The killed build's half-written folder is cleared by the build that follows it.
    assert _state(env)["packages"] == [number]


def test_a_receipt_killed_midway_takes_nothing_in_and_receives_again(world, tmp_path):
    ready = ready_fonds(world)
    clerk = world.users["village_a"]
    batch = batch_plan(actor=clerk, unit_id=ready.unit.pk, years=(2018, 2018))
    batch_drop_blocked(actor=clerk, batch_id=batch.pk)
    batch = batch_build(actor=clerk, batch_id=batch.pk)
    batch_send(actor=clerk, batch_id=batch.pk, leader="张主任", name="王档案")
    bag = package.package_path(batch.package_name)

    env = installation(tmp_path / "archives")
    helper(env, "archives-installation")
    receive = ("transfer", "receive", str(bag), "--leader", "刘馆长", "--name", "赵接收")
    _killed_inside(env, "receive", *receive)
    state = _state(env)
    assert (state["batches"], state["holdings"], state["items"]) == ({}, 0, 0)

    done = json.loads(fupin(env, *receive, "--json"))
    assert done["ok"] and done["records"] == 3 and done["batch"]["status"] == "accepted"
    state = _state(env)
    assert (state["batches"], state["holdings"], state["items"]) == (
        {batch.number: "accepted"}, 3, 3,
    )  # fmt: skip
