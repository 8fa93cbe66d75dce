"""Bytes with no record (orphans, in either store) and temporary files left by a crashed
capture are found and reported by `objects verify`, and swept once older than the grace
period, by `objects sweep` and by the workers' beat."""

import io
import json
import os
import time

import pytest

from fupin.audit.models import AuditEvent
from fupin.cli import main
from fupin.objects.services import object_capture
from fupin.worker.beats import beats_run_due
from tests import objects_samples as samples
from tests.objects_stores import disk_replica  # noqa: F401

ORPHAN = "objects/ab/cd/abcd" + "0" * 60


def run(capsys, *argv) -> tuple[int, dict]:
    capsys.readouterr()
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def plant(path, content: bytes = b"left over", hours_old: float = 0):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    if hours_old:
        then = time.time() - hours_old * 3600
        os.utime(path, (then, then))
    return path


@pytest.fixture
def kept(world):
    return object_capture(
        actor=None, stream=io.BytesIO(samples.pdf()), filename="a.pdf", category="WS"
    ).object


def test_leftovers_are_reported_and_spared_during_the_grace_period(kept, media_root, capsys):
    plant(media_root / ORPHAN)
    temp = plant(media_root / "tmp" / "capture-k1ll3d")
    code, report = run(capsys, "objects", "verify")
    assert code == 0  # the objects themselves are fine
    found = {(x["kind"], x["store"], x["name"], x["due"]) for x in report["leftovers"]}
    assert found == {("orphan", "primary", ORPHAN, False), ("temp", "primary", str(temp), False)}
    code, swept = run(capsys, "objects", "sweep")
    assert code == 0 and swept["swept"] == [] and len(swept["waiting"]) == 2
    assert (media_root / ORPHAN).exists() and temp.exists()


def test_leftovers_past_the_grace_period_are_swept(kept, media_root, settings, capsys):
    settings.FUPIN_ORPHAN_GRACE_HOURS = 24
    plant(media_root / ORPHAN, hours_old=25)
    temp = plant(media_root / "tmp" / "repair-k1ll3d", hours_old=25)
    young = plant(media_root / ("objects/ef/01/ef01" + "1" * 60), hours_old=1)
    code, report = run(capsys, "objects", "sweep")
    assert code == 0
    assert {x["name"] for x in report["swept"]} == {ORPHAN, str(temp)}
    assert not (media_root / ORPHAN).exists() and not temp.exists() and young.exists()
    assert (media_root / kept.storage_name).exists()
    assert AuditEvent.objects.filter(action="object.sweep").count() == 1
    assert run(capsys, "objects", "verify")[0] == 0


def test_orphans_in_the_second_store_too(kept, disk_replica, capsys):  # noqa: F811
    from django.core.files.base import ContentFile

    disk_replica.save(ORPHAN, ContentFile(b"old"))
    report = run(capsys, "objects", "verify")[1]
    assert ("orphan", "replica", ORPHAN) in {
        (x["kind"], x["store"], x["name"]) for x in report["leftovers"]
    }


def test_the_workers_sweep_on_a_beat(kept, media_root):
    orphan = plant(media_root / ORPHAN, hours_old=100)
    outcomes = {o.name: o for o in beats_run_due()}
    assert outcomes["objects.sweep"].ok and not orphan.exists()


def test_a_store_full_of_strangers_is_not_swept(kept, media_root, capsys):
    """More orphans than kept objects (and over a hundred): the wrong database, not junk."""
    for n in range(101):
        plant(media_root / f"objects/{n:02x}/00/{n:02x}00{n:060d}", hours_old=100)
    code, report = run(capsys, "objects", "sweep")
    assert code == 2 and "可能连接了错误的数据库" in report["error"]
    assert len(list((media_root / "objects").rglob("*00000*"))) >= 101
