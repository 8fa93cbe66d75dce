"""Digests are recomputed from the stored bytes: a changed byte in storage, or a digest edited
in the database, fails the authenticity check with the file named."""

from pathlib import Path

from django.core.files.storage import default_storage

from fupin.checks.services import checks_run
from fupin.objects.models import Digest
from tests.checks_fixtures import archived_items, result


def test_clean_files_pass(world):
    items = archived_items(world)
    run = checks_run(actor=None, stage="keeping", items=items)
    assert result(run, "fixity").outcome == "passed"
    assert result(run, "fixity").checked == 2
    assert run.files == 2 and run.bytes > 0


def test_a_changed_byte_in_storage_is_found(world):
    items = archived_items(world)
    obj = items[1].files.get().object
    path = Path(default_storage.path(obj.storage_name))
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    run = checks_run(actor=None, stage="keeping", items=items)
    fixity = result(run, "fixity")
    assert fixity.outcome == "failed" and not run.passed
    records = {f["record"] for f in fixity.failures}
    assert records == {f"{items[1].reference_code} / 扫描件.pdf"}
    assert any("SHA-256 摘要与记录不符" in f["reason"] for f in fixity.failures)
    assert any("SM3 摘要与记录不符" in f["reason"] for f in fixity.failures)


def test_an_edited_sm3_digest_is_not_trusted(world):
    items = archived_items(world)
    obj = items[0].files.get().object
    Digest.objects.filter(object=obj, algorithm="SM3").update(value="0" * 64)
    fixity = result(checks_run(actor=None, stage="keeping", items=items), "fixity")
    assert len(fixity.failures) == 1
    assert fixity.failures[0]["reason"].startswith("SM3 摘要与记录不符")
    assert fixity.failures[0]["reason"].endswith("记录为 " + "0" * 64)


def test_a_missing_file_is_named(world):
    items = archived_items(world)
    default_storage.delete(items[0].files.get().object.storage_name)
    fixity = result(checks_run(actor=None, stage="keeping", items=items), "fixity")
    assert fixity.failures == [
        {"record": f"{items[0].reference_code} / 扫描件.pdf", "reason": "存储中找不到该电子文件"}
    ]
