"""A county installation's package is received by the archives' own installation (a separate
database and data folder, run as `fupin transfer receive PACKAGE`): a copy with a changed byte
is refused in Chinese and nothing is taken in; the real one, as a .tar.gz, is verified and its
records recreated with their files byte for byte, locked under their original 档号 in the
archives' fonds with their unit as provenance; the same package cannot be taken in twice
(issue 17)."""

import json
import shutil
import subprocess
import sys
import tarfile

from django.core.files.storage import default_storage

from fupin.transfer import package
from fupin.transfer.services import batch_build, batch_drop_blocked, batch_plan, batch_send
from tests.procs import ROOT, helper, installation
from tests.transfer_fixtures import ready_fonds


def _receive(env, bag):
    return subprocess.run(
        [sys.executable, "-m", "fupin.cli", "transfer", "receive", str(bag), "--leader", "刘馆长",
         "--name", "赵接收", "--json"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_the_archives_installation_refuses_a_tampered_package_and_takes_in_the_real_one(
    world, tmp_path
):
    ready = ready_fonds(world)
    clerk = world.users["village_a"]
    batch = batch_plan(actor=clerk, unit_id=ready.unit.pk, years=(2018, 2018))
    batch_drop_blocked(actor=clerk, batch_id=batch.pk)
    batch = batch_build(actor=clerk, batch_id=batch.pk)
    batch_send(actor=clerk, batch_id=batch.pk, leader="张主任", name="王档案")
    bag = package.package_path(batch.package_name)
    with tarfile.open(tmp_path / "移交包.tar.gz", "w:gz") as tar:
        tar.add(bag, arcname=bag.name)
    tampered = tmp_path / "tampered"
    shutil.copytree(bag, tampered)
    original = next(tampered.glob("data/records/*/001-原件.pdf"))
    original.write_bytes(original.read_bytes()[:-1] + b"!")

    env = installation(tmp_path / "archives")
    helper(env, "archives-installation")
    refused = _receive(env, tampered)
    assert refused.returncode == 2
    assert "摘要与清单不符" in refused.stderr and "001-原件.pdf" in refused.stderr
    assert json.loads(helper(env, "holdings")) == []

    done = _receive(env, tmp_path / "移交包.tar.gz")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["ok"] and out["records"] == 3 and out["files"] == 1
    assert out["batch"]["number"] == batch.number
    assert out["batch"]["package_sha256"] == batch.package_sha256
    held = json.loads(helper(env, "holdings"))
    assert [h["original_code"] for h in held] == [i.reference_code for i in ready.locked]
    assert held[0]["archives_code"] == "A001-JF-WS·2018-Y-0001"
    assert {(h["unit"], h["original_fonds"], h["unit_active"]) for h in held} == {
        (ready.unit.name, ready.unit.fonds_code, False)
    }
    assert {(h["status"], h["marking"]) for h in held} == {("locked", "open")}
    item_file = ready.locked[0].files.get()
    with default_storage.open(item_file.object.storage_name, "rb") as handle:
        assert held[0]["files"] == [{"name": "原件.pdf", "bytes": handle.read().hex()}]

    again = _receive(env, tmp_path / "移交包.tar.gz")
    assert again.returncode == 2 and "已接收过" in again.stderr
