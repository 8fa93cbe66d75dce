"""Records whose keeping ends, so the expiring list, the home panel and an appraisal have
something to work on: routine papers of 2014 and 2015 kept 10 years (ended already) and of
2016 kept 10 years (ending on 31 December 2026), archived in the poverty office's and the
village's fonds; both appraisal groups; one 2014 record held for an audit, which an
appraisal cannot send to destruction; and a villager's walk-in (查档登记) at the village with
the certified copy (档案证明) it was given, whose QR code the public page verifies."""

from typing import Any

from fupin.demo.records import _file
from fupin.disposal.models import Certificate, CertificateKind, GroupMember, Hold
from fupin.disposal.services import (
    certificate_issue,
    group_member_add,
    hold_set,
    walkin_register,
)
from fupin.households.models import HouseholdFile, HouseholdStatus
from fupin.records.models import ClassCode, ItemStatus, RecordItem
from fupin.records.services import items_arrange, items_lock
from fupin.regions.models import Unit

# (schedule row number, class code, retention, title, document number, month, day, pages)
OFFICE_ROUTINE = {
    2014: [
        ("49", "BGS", "D10", "2014年扶贫办机关值班安排表", "", 1, 20, 1),
        ("49", "BGS", "D10", "2014年扶贫办公务用车登记簿", "", 12, 30, 6),
    ],
    2015: [
        ("49", "BGS", "D10", "2015年扶贫办机关值班安排表", "", 1, 19, 1),
        ("49", "BGS", "D10", "2015年扶贫办会议室使用登记", "", 12, 28, 4),
        ("49", "BGS", "D10", "2015年扶贫办报刊征订单", "", 11, 5, 2),
    ],
    2016: [
        ("49", "BGS", "D10", "2016年扶贫办公务用车登记簿", "", 12, 29, 5),
        ("49", "BGS", "D10", "2016年扶贫办报刊征订单", "", 11, 8, 2),
    ],
}
VILLAGE_ROUTINE = {
    2015: [("15", "ZH", "D10", "村两委2015年工作例会签到表", "", 12, 22, 1)],
    2016: [("15", "ZH", "D10", "村两委扶贫工作日志（2016年下半年）", "", 12, 26, 3)],
}
GROUPS = {
    "office": (("leader", "综合股股长"), ("member", "档案员"), ("member", "业务股副股长")),
    "village": (("leader", "村党支部书记"), ("member", "村文书")),
}
HELD_TITLE = "2014年扶贫办公务用车登记簿"


def _file_routine(actor: Any, unit: Unit, routine: dict[int, list[tuple]]) -> None:
    classes = {c.code: c for c in ClassCode.objects.filter(unit=unit)}
    for year, specs in routine.items():
        for spec in specs:
            _file(actor, unit, classes, spec, year)
        items_arrange(actor=actor, unit_id=unit.pk, year=year)
    # Every 10-year record of these years is archived, the 2016 ones filed earlier too.
    ids = RecordItem.objects.filter(
        unit=unit, year__in=list(routine), retention="D10", status=ItemStatus.ARRANGED
    ).values_list("pk", flat=True)
    items_lock(actor=actor, unit_id=unit.pk, item_ids=list(ids))


def _group(actor: Any, unit: Unit, posts: tuple[tuple[str, str], ...], names: list[str]) -> None:
    if GroupMember.objects.filter(unit=unit).exists():
        return
    for (role, post), name in zip(posts, names, strict=False):
        group_member_add(actor=actor, unit_id=unit.pk, name=name, post=post, role=role)


def load_demo_expiring(actor: Any, office: Unit, committee: Unit) -> None:
    load_demo_walk_in(actor, committee)
    if RecordItem.objects.filter(unit=office, year=2014).exists():
        return
    _file_routine(actor, office, OFFICE_ROUTINE)
    _file_routine(actor, committee, VILLAGE_ROUTINE)
    archivists = [n for n in office.archivists.split("、") if n]
    _group(actor, office, GROUPS["office"], [office.leader, *archivists, "周建国"])
    _group(actor, committee, GROUPS["village"], [committee.leader, "王秀兰"])
    if not Hold.objects.filter(unit=office).exists():
        held = RecordItem.objects.get(unit=office, title=HELD_TITLE)
        hold_set(
            actor=actor,
            unit_id=office.pk,
            codes=[held.reference_code or ""],
            kind="audit",
            reason="县审计局2014—2016年公务用车专项审计",
        )


def load_demo_walk_in(actor: Any, committee: Unit) -> None:
    if Certificate.objects.filter(unit=committee).exists():
        return
    plan = RecordItem.objects.filter(
        unit=committee, status=ItemStatus.LOCKED, title__startswith="村扶贫工作总体规划"
    ).first()
    if plan is None:
        return
    walk_in = walkin_register(
        actor=actor,
        unit_id=committee.pk,
        visitor_name="王德福",
        id_number="420322********2316",
        purpose="申请产业扶贫项目，核对村扶贫规划",
        consulted=f"{plan.reference_code} {plan.title}",
        copies=12,
    )
    certificate_issue(
        actor=actor, unit_id=committee.pk, kind="copy", item_id=plan.pk, walk_in_id=walk_in.pk
    )


def load_demo_household_certificate(actor: Any, committee: Unit) -> None:
    """A villager asks for proof of the household's registration (for a student's grant, say):
    a walk-in and the 档案证明 issued from the household's file, one that passed its exit
    acceptance when the village has one, so the statement carries both years."""
    if Certificate.objects.filter(unit=committee, kind=CertificateKind.HOUSEHOLD).exists():
        return
    files = HouseholdFile.objects.filter(household__village_id=committee.region_id).exclude(
        household__status=HouseholdStatus.REMOVED
    )
    file = (
        files.filter(exit_accepted_year__isnull=False).first()
        or files.select_related("household").first()
    )
    if file is None:
        return
    household = file.household
    walk_in = walkin_register(
        actor=actor,
        unit_id=committee.pk,
        visitor_name=household.head_name,
        id_number="420322********0417",
        purpose="子女申请雨露计划助学补助，开具建档立卡贫困户证明",
        consulted=f"{household.head_name}户一户一档（{file.volume.reference_code}）",
        household_id=household.pk,
    )
    certificate_issue(
        actor=actor,
        unit_id=committee.pk,
        kind=CertificateKind.HOUSEHOLD,
        household_id=household.pk,
        walk_in_id=walk_in.pk,
    )
