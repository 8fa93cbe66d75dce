"""The transfer reads the four-property checks of fupin.checks: a record its unit's latest run
failed is blocked in the plan (cleared by a later run that passes it); a build whose
transfer-stage checks fail is refused with the reasons, the run is kept, and no package is
left (issue 17)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from fupin.checks.models import CheckRun
from fupin.checks.services import checks_run
from fupin.objects.models import StoredObject
from fupin.records.models import ItemFile
from fupin.transfer import package
from fupin.transfer.models import Batch
from fupin.transfer.selectors import transfer_blockers
from fupin.transfer.services import batch_build, batch_drop_blocked, batch_plan
from tests.checks_fixtures import legacy_file
from tests.transfer_fixtures import ready_fonds


def test_a_failed_check_blocks_the_record_until_a_later_run_passes_it(world):
    ready = ready_fonds(world)
    first = ready.locked[0]
    obj = StoredObject.objects.get(pk=ItemFile.objects.get(item=first).object_id)
    with default_storage.open(obj.storage_name, "rb") as handle:
        good = handle.read()
    with default_storage.open(obj.storage_name, "wb") as handle:
        handle.write(good[:-4] + b"XXXX")
    ids = [i.pk for i in ready.locked]
    assert not checks_run(actor=None, stage="keeping", items=ids).passed
    found = transfer_blockers(ids, [], fixity=False).items
    assert list(found) == [first.pk]
    assert "四性检测（长期保存）“电子文件摘要复核”未通过" in found[first.pk][0]
    with default_storage.open(obj.storage_name, "wb") as handle:
        handle.write(good)
    assert checks_run(actor=None, stage="keeping", items=ids).passed
    assert not transfer_blockers(ids, [], fixity=False)


def test_a_build_failing_the_transfer_checks_is_refused_and_leaves_no_package(world):
    ready = ready_fonds(world)
    clerk = world.users["village_a"]
    legacy_file(ready.locked[1], b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200), "工具.txt")
    batch = batch_plan(actor=clerk, unit_id=ready.unit.pk, years=(2018, 2018))
    batch_drop_blocked(actor=clerk, batch_id=batch.pk)
    with pytest.raises(ValidationError) as refused:
        batch_build(actor=clerk, batch_id=batch.pk)
    text = str(refused.value)
    assert "四性检测未通过，不能移交" in text and "工具.txt" in text and "可执行" in text
    run = CheckRun.objects.get(stage="transfer")
    assert not run.passed and f"#{run.pk}" in text
    batch.refresh_from_db()
    assert batch.status == "planned" and not batch.package_name
    assert not package.package_path(batch.number).exists()
    # The plan now names the record the run failed, so it can be taken out and the rest sent.
    assert batch_drop_blocked(actor=clerk, batch_id=batch.pk) == 1
    built = batch_build(actor=clerk, batch_id=batch.pk)
    assert built.status == "built" and built.transfer_run.passed
    assert all(c["ok"] for c in built.checks)
    assert Batch.objects.get(pk=batch.pk).package_sha256 == built.package_sha256
