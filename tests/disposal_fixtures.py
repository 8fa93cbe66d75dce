"""A fonds with records whose keeping has ended (2015, 10 years), ends soon (2016, 10 years)
or never (永久), archived, some with scans; an appraisal group; the archives and its receiver."""

import io
from dataclasses import dataclass, field
from datetime import date

from django.db.models import F
from django.test import TestCase

from fupin.accounts.roles import Role
from fupin.disposal import services
from fupin.disposal.services import group_member_add
from fupin.records.files import item_attach
from fupin.records.models import RecordItem
from fupin.records.services import items_arrange, items_lock
from fupin.regions.models import Unit, UnitKind
from fupin.scans.models import ScanJob
from fupin.scans.services import scan_upload
from tests import objects_samples, scans_samples
from tests.conftest import World, make_persona
from tests.records_fixtures import file_item, set_up_fonds


@dataclass
class Fonds:
    unit: Unit
    expired: list[RecordItem] = field(default_factory=list)
    soon: list[RecordItem] = field(default_factory=list)
    permanent: list[RecordItem] = field(default_factory=list)

    def fresh(self) -> None:
        for group in (self.expired, self.soon, self.permanent):
            for item in group:
                item.refresh_from_db()


def expired_fonds(world: World, unit_key: str = "office_a", *, scans: bool = True) -> Fonds:
    unit = world.units[unit_key]
    Unit.objects.filter(pk=unit.pk).update(leader="李分管")
    unit.refresh_from_db()
    classes = set_up_fonds(unit)
    fonds = Fonds(unit)
    for n in range(4):
        fonds.expired.append(
            file_item(
                unit, classes["BGS"], title=f"2015年值班安排表{n + 1}", day=date(2015, 3, n + 1),
                retention="D10", number="49",
            )
        )  # fmt: skip
    for n in range(2):
        fonds.soon.append(
            file_item(
                unit, classes["BGS"], title=f"2016年会议签到表{n + 1}", day=date(2016, 5, n + 1),
                retention="D10", number="49",
            )
        )  # fmt: skip
    fonds.permanent.append(file_item(unit, classes["BGS"], title="扶贫领导小组成立通知"))
    for year in (2015, 2016):
        items_arrange(actor=None, unit_id=unit.pk, year=year)
    every = [*fonds.expired, *fonds.soon, *fonds.permanent]
    items_lock(actor=None, unit_id=unit.pk, item_ids=[i.pk for i in every])
    if scans:
        first = fonds.expired[0]
        item_attach(
            actor=None, item_id=first.pk, stream=io.BytesIO(objects_samples.pdf(2, "original")),
            filename="原件.pdf",
        )  # fmt: skip
        with TestCase.captureOnCommitCallbacks(execute=False):
            scan_upload(
                actor=None, item_id=fonds.expired[1].pk,
                stream=io.BytesIO(scans_samples.jpeg("值班安排")), filename="扫描.jpg",
            )  # fmt: skip
        # The OCR job has run (a record being read cannot be destroyed).
        ScanJob.objects.filter(item=fonds.expired[1]).update(
            status="done", pages_done=F("pages_total")
        )
    group_member_add(actor=None, unit_id=unit.pk, name="李分管", post="副主任", role="leader")
    group_member_add(actor=None, unit_id=unit.pk, name="王档案", post="档案员")
    fonds.fresh()
    return fonds


def archives(world: World) -> Unit:
    """The county archives (综合档案馆) and its receiver, persona "receiver_a"."""
    unit = Unit.objects.create(
        region=world.regions["420322"], kind=UnitKind.ARCHIVES, name="郧西县档案馆",
        fonds_code="A001", fonds_name="郧西县档案馆", leader="馆长甲",
    )  # fmt: skip
    world.units["archives_a"] = unit
    make_persona(world, "receiver_a", Role.ARCHIVES_RECEIVER, "420322", "420322")
    return unit


def decide_all(fonds, appraisal):
    keep, *destroy = fonds.expired
    decisions = [
        {"item_id": keep.pk, "decision": "keep", "new_retention": "D30", "reason": "仍有查考价值"}
    ] + [{"item_id": i.pk, "decision": "destroy", "reason": "已无保存价值"} for i in destroy]
    services.appraisal_decide(actor=None, appraisal_id=appraisal.pk, decisions=decisions)
    return keep, destroy


def ready_register(world, fonds):
    unit_a = world.users["unit_a"]
    appraisal = services.appraisal_create(
        actor=unit_a, unit_id=fonds.unit.pk, item_ids=[i.pk for i in fonds.expired]
    )
    keep, destroy = decide_all(fonds, appraisal)
    services.appraisal_conclude(actor=unit_a, appraisal_id=appraisal.pk, opinion="同意")
    register = services.register_create(
        actor=unit_a, appraisal_id=appraisal.pk, supervisor_1="张监销", supervisor_2="赵监销"
    )
    services.register_approve(actor=unit_a, register_id=register.pk, approved=True)
    services.register_file(actor=world.users["bureau_city"], register_id=register.pk, accepted=True)
    register.refresh_from_db()
    return register, keep, destroy


def destroyed(world, fonds):
    """The expired records but the first, destroyed under a register; returns (register, kept,
    destroyed)."""
    register, keep, gone = ready_register(world, fonds)
    services.register_destroy(
        actor=world.users["unit_a"], register_id=register.pk, supervisors=["张监销", "赵监销"],
        paper_destroyed=True,
    )  # fmt: skip
    register.refresh_from_db()
    for item in gone:
        item.refresh_from_db()
    return register, keep, gone
