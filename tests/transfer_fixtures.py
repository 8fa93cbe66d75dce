"""A village committee's fonds ready to transfer: locked items (one with its electronic
original, its OCR done), an item still in arrangement; the county archives and its receiver
(no tests)."""

import io
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.test import TestCase

from fupin.accounts.roles import Role
from fupin.records.files import item_attach
from fupin.records.models import RecordItem
from fupin.records.services import items_arrange, items_lock, records_mark_access
from fupin.regions.models import Unit, UnitKind
from fupin.regions.services import region_campaign_end_set
from tests import objects_samples
from tests.conftest import World, make_persona
from tests.records_fixtures import file_item, set_up_fonds
from tests.scans_worker import run_worker


@dataclass
class Ready:
    unit: Unit
    archives: Unit
    locked: list[RecordItem] = field(default_factory=list)
    draft: RecordItem | None = None


def archives_of(world: World) -> Unit:
    if "archives" not in world.units:
        world.units["archives"] = Unit.objects.create(
            region=world.regions["420322"], kind=UnitKind.ARCHIVES, name="郧西县档案馆",
            fonds_code="A001", fonds_name="郧西县档案馆",
        )  # fmt: skip
        make_persona(world, "receiver_a", Role.ARCHIVES_RECEIVER, "420322", "420322")
        make_persona(world, "receiver_b", Role.ARCHIVES_RECEIVER, "420323", "420323")
    return world.units["archives"]


def ready_fonds(world: World, *, ended: bool = True, marked: bool = True) -> Ready:
    unit = world.units["committee_a"]
    classes = set_up_fonds(unit)
    archives = archives_of(world)
    if ended:
        region_campaign_end_set(
            actor=None,
            code="420322",
            ended_on=date(2020, 12, 31),
            transfer_due_on=date(2030, 6, 30),
        )
    ready = Ready(unit, archives)
    for n in range(3):
        ready.locked.append(
            file_item(
                unit, classes["BGS"], title=f"东岭村扶贫工作会议纪要{n + 1}",
                day=date(2018, 3, n + 1), retention="Y", level="village",
            )
        )  # fmt: skip
    items_arrange(actor=None, unit_id=unit.pk, year=2018)
    items_lock(actor=None, unit_id=unit.pk, item_ids=[i.pk for i in ready.locked])
    # The PDF is read as a scan: its OCR runs on the real worker, as it would before transfer.
    with TestCase.captureOnCommitCallbacks(execute=True):
        item_attach(
            actor=None, item_id=ready.locked[0].pk,
            stream=io.BytesIO(objects_samples.pdf(2, "original")), filename="原件.pdf",
        )  # fmt: skip
    with pytest.MonkeyPatch.context() as patch:
        run_worker(patch)
    ready.draft = file_item(
        unit,
        classes["YWK"],
        title="2018年帮扶台账（整理中）",
        day=date(2018, 6, 1),
        level="village",
    )
    if marked:
        records_mark_access(
            actor=None, unit_id=unit.pk, marking="open", reason="不涉及个人信息和国家秘密",
            item_ids=[i.pk for i in ready.locked],
        )  # fmt: skip
    for item in ready.locked:
        item.refresh_from_db()
    return ready
