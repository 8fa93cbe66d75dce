"""A unit plans a transfer of its locked records; the plan names, per record and in Chinese,
what blocks it; early transfer needs a reason; destruction refuses records in an unfinished
batch (issue 17)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from fupin.audit.models import AuditEvent
from fupin.disposal.blockers import blocked
from fupin.objects.models import StoredObject
from fupin.records.models import ItemFile
from fupin.transfer.models import Batch
from fupin.transfer.selectors import items_in_open_transfer, transfer_blockers
from fupin.transfer.services import batch_build_check, batch_plan
from tests.transfer_fixtures import ready_fonds


def reasons(batch: Batch):
    found = transfer_blockers(
        list(batch.items.values_list("item_id", flat=True)),
        list(batch.volumes.values_list("volume_id", flat=True)),
        batch_id=batch.pk,
    )
    return found.items


def test_the_plan_lists_what_blocks_each_record(world):
    ready = ready_fonds(world)
    clerk = world.users["village_a"]
    batch = batch_plan(actor=clerk, unit_id=ready.unit.pk, years=(2018, 2018))
    assert batch.archives == ready.archives and batch.status == "planned"
    assert batch.items.count() == 4
    found = reasons(batch)
    assert found[ready.draft.pk] == ["尚未归档（未锁定）", "未划定开放或控制"]
    assert all(i.pk not in found for i in ready.locked), found
    # A file whose bytes changed in storage fails fixity: named with the file.
    obj = StoredObject.objects.get(pk=ItemFile.objects.get(item=ready.locked[0]).object_id)
    with default_storage.open(obj.storage_name, "wb") as handle:
        handle.write(b"%PDF-1.4 changed")
    why = reasons(batch)[ready.locked[0].pk][0]
    assert why.startswith("电子文件《原件.pdf》：") and "摘要" in why and "不符" in why
    with pytest.raises(ValidationError) as refused:
        batch_build_check(batch)
    assert "不能移交" in str(refused.value) and "尚未归档" in str(refused.value)
    assert AuditEvent.objects.filter(action="transfer.plan").count() == 1


def test_records_in_an_unfinished_batch_cannot_be_destroyed_or_planned_twice(world):
    ready = ready_fonds(world)
    batch = batch_plan(actor=world.users["village_a"], unit_id=ready.unit.pk)
    ids = [i.pk for i in ready.locked]
    assert set(items_in_open_transfer(ids)) == set(ids)
    assert ("in_transfer", "在未完成的移交批次中") in blocked(ids).reasons[ids[0]]
    with pytest.raises(ValidationError, match="没有可移交的档案"):
        batch_plan(actor=world.users["village_a"], unit_id=ready.unit.pk)
    Batch.objects.filter(pk=batch.pk).update(status="cancelled")
    assert not list(items_in_open_transfer(ids))


def test_early_transfer_needs_a_reason(world):
    ready = ready_fonds(world, ended=False)
    with pytest.raises(ValidationError, match="提前移交须填写理由"):
        batch_plan(actor=world.users["village_a"], unit_id=ready.unit.pk)
    batch = batch_plan(
        actor=world.users["village_a"], unit_id=ready.unit.pk, early_reason="村委会无档案库房"
    )
    assert batch.early_reason == "村委会无档案库房"


def test_only_the_unit_or_its_township_plans(world):
    ready = ready_fonds(world)
    from django.http import Http404

    with pytest.raises(Http404):
        batch_plan(actor=world.users["village_b"], unit_id=ready.unit.pk)
    with pytest.raises(Http404):
        batch_plan(actor=world.users["receiver_a"], unit_id=ready.unit.pk)
    assert batch_plan(actor=world.users["township_a"], unit_id=ready.unit.pk).items.count() == 4
