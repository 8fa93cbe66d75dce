"""`kill -9` at any moment of an import leaves the database as it was, and the import can be
run again: real processes against an installation of their own."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.procs import ROOT, fupin, installation


def _helper(env, *args) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tests.households_kill_helper", *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


def _snapshot(env) -> dict:
    return json.loads(_helper(env, "snapshot"))


def _import(env, path, *flags) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "fupin.cli", "households", "import", str(path), "--json", *flags],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True,
    )  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("import-kill")
    env = installation(folder)
    _helper(env, "regions")
    generate = ["demo", "generate", "households", "--township", "420322100"]
    generate += ["--households", "1500"]
    fupin(env, *generate, "--out", str(folder / "2016.csv"))
    fupin(env, *generate, "--next-year", "--out", str(folder / "2017.csv"))
    fupin(env, "households", "import", str(folder / "2016.csv"), timeout=600)
    return env, folder


def test_an_import_killed_at_any_moment_leaves_nothing_and_runs_again(site):
    env, folder = site
    sheet = folder / "2017.csv"
    before = _snapshot(env)
    assert before["households"] == 1500
    started = time.monotonic()
    preview = _import(env, sheet, "--dry-run")
    out, err = preview.communicate(timeout=600)
    took = time.monotonic() - started
    assert preview.returncode == 0, err[-2000:]
    planned = json.loads(out)
    assert planned["changes"] and _snapshot(env) == before
    killed = 0
    for share in (0.05, 0.2, 0.4, 0.6, 0.8, 0.95, 1.0):
        run = _import(env, sheet)
        time.sleep(took * share)
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            killed += 1
        run.wait(timeout=60)
        if run.returncode == 0:  # finished before the kill: that is the end of it
            break
        now = _snapshot(env)
        if now != before:
            # The kill can land between the commit and the exit: then the whole import is in.
            assert now["changes"] - before["changes"] == sum(planned["changes"].values()), (
                f"killed at {share:.0%} of the import, and only part of it is in"
            )
            assert now["batches"] == before["batches"] + 1
            break
    assert killed >= 3
    done = _import(env, sheet)
    out, err = done.communicate(timeout=600)
    if done.returncode != 0 and "无变动" not in out:
        raise AssertionError(err[-2000:])
    after = _snapshot(env)
    assert after["registry"] != before["registry"]
    assert after["changes"] - before["changes"] == sum(planned["changes"].values())
