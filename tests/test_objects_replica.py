"""Every stored object also lives in a second, independent store, verified there; a missing or
damaged copy on either side is repaired from the good one, and each step is a PREMIS-style
event and an audit row."""

import io
import json

import pytest
from django.core.files.storage import default_storage

from fupin.audit.models import AuditEvent
from fupin.audit.services import audit_verify
from fupin.cli import main
from fupin.objects.models import PreservationEvent
from fupin.records.files import item_attach
from tests import objects_samples as samples
from tests.objects_stores import (  # noqa: F401
    Captures,
    disk_replica,
    overwrite,
    s3_replica,
    s3_server,
)
from tests.records_fixtures import file_item, set_up_fonds


@pytest.fixture(params=["disk", "s3"])
def replica(request):
    if request.param == "s3":
        return request.getfixturevalue("s3_replica")
    return request.getfixturevalue("disk_replica")


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return Captures(django_capture_on_commit_callbacks)


def run(capsys, *argv) -> tuple[int, dict]:
    capsys.readouterr()
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def events(obj) -> list[tuple[str, str, str]]:
    return list(obj.events.order_by("pk").values_list("type", "outcome", "store"))


def read(storage, name: str) -> bytes:
    with storage.open(name, "rb") as handle:
        return handle.read()


def test_capture_writes_and_verifies_the_second_copy(world, replica, capture):
    content = samples.pdf(text="第二份")
    obj = capture(content).object
    assert read(replica, obj.storage_name) == content
    assert events(obj) == [("replication", "success", "replica")]
    audited = AuditEvent.objects.filter(action="object.replicate", object_id=str(obj.pk))
    assert audited.count() == 1 and "成功" in audited.get().summary


def test_replicate_copies_objects_kept_before_the_second_store(
    world, settings, capture, capsys, request
):
    before = capture(samples.pdf(text="旧")).object
    assert run(capsys, "objects", "replicate")[0] == 2  # no second store: a clear refusal
    replica = request.getfixturevalue("disk_replica")
    code, report = run(capsys, "objects", "replicate")
    assert code == 0 and report["copied"] == [before.sha256] and report["checked"] == 1
    assert read(replica, before.storage_name) == read(default_storage, before.storage_name)
    code, report = run(capsys, "objects", "replicate")
    assert code == 0 and report["copied"] == []  # a good copy is not written again


def test_damaged_second_copy_is_repaired_by_fixity(world, replica, capture, capsys):
    content = samples.pdf(text="甲")
    obj = capture(content).object
    overwrite(replica, obj.storage_name, samples.pdf(text="tampered"))
    code, report = run(capsys, "objects", "verify")
    assert code == 0 and report["ok"] and report["mismatched"] == []
    assert [r["sha256"] for r in report["repaired"]] == [obj.sha256]
    assert read(replica, obj.storage_name) == content
    assert ("repair", "success", "replica") in events(obj)
    assert ("fixity check", "failure", "replica") in events(obj)
    assert audit_verify().ok


def test_missing_first_copy_is_repaired_from_the_second(world, replica, capture, capsys):
    content = samples.pdf(text="乙")
    obj = capture(content).object
    default_storage.delete(obj.storage_name)
    code, report = run(capsys, "objects", "verify")
    assert code == 0 and report["repaired"][0]["stores"] == ["primary"]
    assert read(default_storage, obj.storage_name) == content
    repair = obj.events.get(type="repair")
    assert repair.outcome == "success" and "主存储中找不到文件" in repair.detail
    assert AuditEvent.objects.filter(action="object.repair", object_id=str(obj.pk)).exists()


def test_both_copies_bad_is_a_failure_named_and_nothing_overwritten(
    world, replica, capture, capsys
):
    obj = capture(samples.pdf(text="丙")).object
    overwrite(replica, obj.storage_name, b"bad two")
    overwrite(default_storage, obj.storage_name, b"bad one")
    code, report = run(capsys, "objects", "verify")
    assert code == 1 and [m["sha256"] for m in report["mismatched"]] == [obj.sha256]
    assert read(default_storage, obj.storage_name) == b"bad one"
    assert read(replica, obj.storage_name) == b"bad two"
    assert set(events(obj)) >= {("repair", "failure", "primary"), ("repair", "failure", "replica")}


def test_read_failure_repairs_the_first_copy(world, replica, capture):
    unit = world.units["office_a"]
    klass = set_up_fonds(unit)["BGS"]
    item = file_item(unit, klass)
    content = samples.pdf(text="读取")
    with capture.run_on_commit(execute=True):
        attached, _result, _notes = item_attach(
            actor=None, item_id=item.pk, stream=io.BytesIO(content), filename="通知.pdf"
        )
    default_storage.delete(attached.object.storage_name)
    response = world.client("county_a").get(f"/records/items/{item.pk}/files/{attached.pk}/")
    assert response.status_code == 200
    assert read(default_storage, attached.object.storage_name) == content
    assert attached.object.events.filter(type="repair", outcome="success").exists()


def test_offering_good_bytes_again_repairs_a_damaged_object(world, capture, capsys, media_root):
    content = samples.pdf(text="再交")
    obj = capture(content).object
    (media_root / obj.storage_name).write_bytes(b"rotten")
    again = capture(content, "again.pdf")
    assert again.outcome == "repaired" and again.object == obj
    assert "已用本次提交的内容修复" in again.notes[0]
    assert (media_root / obj.storage_name).read_bytes() == content
    assert PreservationEvent.objects.filter(object=obj, type="repair", outcome="success").exists()
    assert run(capsys, "objects", "verify")[0] == 0


def test_an_intact_object_offered_again_stays_a_duplicate(world, capture):
    content = samples.pdf(text="同")
    capture(content)
    assert capture(content, "b.pdf").outcome == "duplicate"
