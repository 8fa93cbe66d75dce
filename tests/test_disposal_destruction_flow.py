"""From expiry to destruction through the services a page calls: an appraisal keeps some
records with a longer retention and proposes the rest; the register is approved by the
leader in charge (recorded by the archivist), filed with the archive bureau, carried out under
two supervisors; the files are gone from storage, the entries stay, marked 已销毁."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, InternalError, transaction
from django.db.utils import DatabaseError

from fupin.audit.models import AuditEvent
from fupin.disposal import services
from fupin.disposal.models import DestroyedFile, Register, RegisterEntry, RegisterStatus
from fupin.disposal.selectors import expiring_items
from fupin.objects.models import StoredObject
from fupin.records.models import IssuedCode, RecordItem
from fupin.records.selectors import visible_items
from fupin.scans.models import ScanPage
from tests.disposal_fixtures import decide_all, expired_fonds, ready_register

TODAY = date(2026, 12, 7)


def test_expiring_lists_only_ended_or_soon_ending_records_in_custody(world):
    fonds = expired_fonds(world, scans=False)
    unit_a = world.users["unit_a"]
    ended = set(expiring_items(unit_a, months=0, today=TODAY).values_list("pk", flat=True))
    assert ended == {i.pk for i in fonds.expired}
    soon = set(expiring_items(unit_a, months=1, today=TODAY).values_list("pk", flat=True))
    assert soon == {i.pk for i in fonds.expired + fonds.soon}
    # Reading is not custody: the poverty office sees the records but appraises none.
    assert not expiring_items(world.users["county_a"], months=1, today=TODAY).exists()
    assert not expiring_items(world.users["village_a"], months=1, today=TODAY).exists()


def test_the_whole_way_to_destroyed(world):
    fonds = expired_fonds(world)
    scanned = fonds.expired[1]
    objects = list(StoredObject.objects.values_list("storage_name", flat=True))
    assert all(default_storage.exists(name) for name in objects)
    register, keep, destroy = ready_register(world, fonds)
    keep.refresh_from_db()
    assert keep.appraised_retention == "D30" and keep.retention == "D10"
    assert register.status == RegisterStatus.READY
    entries = list(register.entries.values_list("seq", "reference_code", "retention", "kept_years"))
    assert entries == [(n, i.reference_code, "D10", 10) for n, i in enumerate(destroy, 1)]

    done = services.register_destroy(
        actor=world.users["unit_a"], register_id=register.pk, supervisors=["赵监销", "张监销"],
        method="粉碎", paper_destroyed=True,
    )  # fmt: skip
    assert done.status == RegisterStatus.DESTROYED and done.finished_at
    for item in destroy:
        item.refresh_from_db()
        assert item.destroyed_at and item.destruction_register == register.number
        assert IssuedCode.objects.filter(code=item.reference_code).exists()
    files = DestroyedFile.objects.filter(register=register)
    # The scan's file, its page thumbnail; every one deleted from storage, digests kept.
    assert files.count() == 2 and all(f.deleted_at and f.sm3 for f in files)
    assert not any(default_storage.exists(f.object.storage_name) for f in files)
    assert not ScanPage.objects.filter(item=scanned).exists() and not scanned.files.exists()
    # The record kept stays whole, with its file.
    assert default_storage.exists(fonds.expired[0].files.get().object.storage_name)
    # Custodians still see the entry; a reader of the county no longer does.
    assert visible_items(world.users["unit_a"]).filter(pk=scanned.pk).exists()
    assert not visible_items(world.users["county_a"]).filter(pk=scanned.pk).exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"disposal.destroy", "disposal.destroyed", "disposal.register_file"} <= actions


def test_the_leader_is_the_one_registered_and_refusals_leave_the_register_open(world):
    fonds = expired_fonds(world, scans=False)
    unit_a = world.users["unit_a"]
    appraisal = services.appraisal_create(
        actor=unit_a, unit_id=fonds.unit.pk, item_ids=[i.pk for i in fonds.expired]
    )
    decide_all(fonds, appraisal)
    services.appraisal_conclude(actor=unit_a, appraisal_id=appraisal.pk)
    register = services.register_create(
        actor=unit_a, appraisal_id=appraisal.pk, supervisor_1="甲", supervisor_2="乙"
    )
    with pytest.raises(ValidationError, match="分管领导（李分管）"):
        services.register_approve(
            actor=unit_a, register_id=register.pk, approved=True, approver_name="王某"
        )
    with pytest.raises(ValidationError, match="须经分管领导批准"):
        services.register_destroy(actor=unit_a, register_id=register.pk)
    services.register_approve(actor=unit_a, register_id=register.pk, approved=True)
    # Not filed yet: destruction waits for the bureau.
    with pytest.raises(ValidationError, match="备案"):
        services.register_destroy(actor=unit_a, register_id=register.pk)
    with pytest.raises(ValidationError):
        services.register_file(
            actor=world.users["bureau_city"], register_id=register.pk, accepted=False
        )
    services.register_file(actor=world.users["bureau_city"], register_id=register.pk, accepted=True)
    with pytest.raises(ValidationError, match="两位监销人"):
        services.register_destroy(
            actor=unit_a, register_id=register.pk, supervisors=["甲", "丙"], paper_destroyed=True
        )
    assert Register.objects.get(pk=register.pk).status == RegisterStatus.READY
    assert not RecordItem.objects.filter(destroyed_at__isnull=False).exists()


def test_the_register_cannot_be_deleted_nor_its_entries_changed(world):
    fonds = expired_fonds(world, scans=False)
    register, _, _ = ready_register(world, fonds)
    for attempt in (
        lambda: Register.objects.filter(pk=register.pk).delete(),
        lambda: RegisterEntry.objects.filter(register=register).update(title="改"),
        lambda: RegisterEntry.objects.filter(register=register).delete(),
    ):
        with pytest.raises((IntegrityError, InternalError, DatabaseError)), transaction.atomic():
            attempt()
    assert register.entries.count() == 3
