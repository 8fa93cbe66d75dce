"""What keeps a record from being destroyed: a declared table of named checks.

Each check looks at a batch of records at once and names, per record, why it must stay.
Appraisal (a proposal to destroy), a destruction register, its approval and the destruction
itself all ask `blocked(...)` and refuse the whole request when any record is named, each with
its reason. Adding a check is one entry in `CHECKS`.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from fupin.core.problems import Problem, ProblemError
from fupin.disposal.models import Hold, Register
from fupin.disposal.selectors import in_pending_register
from fupin.households.files import checklist
from fupin.households.files.completeness import end_years_of, facts_of, file_inputs, this_year
from fupin.households.models import HouseholdDocument, RelocationLink
from fupin.records.models import ItemStatus, RecordItem, VolumeEntry, kept_retention
from fupin.scans.models import JobStatus, ScanJob
from fupin.schedule import retention
from fupin.transfer.selectors import items_in_open_transfer
from fupin.use.selectors import items_in_use, items_on_loan

# The household papers that prove what a household was entitled to (低保/五保/残疾, 致贫原因,
# 搬迁, 雨露计划, 小额信贷, 产业, 教育医疗, 兜底): kept whatever the household's stage.
ENTITLEMENT_TYPES = frozenset({4, 5, 8, 9, 10, 11, 12, 13})


@dataclass(frozen=True)
class Context:
    today: datetime.date
    now: datetime.datetime
    # The register being approved or carried out: its own listing is not a reason.
    register_id: int | None = None


Found = dict[int, str]


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    find: Callable[[Sequence[RecordItem], Context], Found]


def _permanent(items: Sequence[RecordItem], ctx: Context) -> Found:
    return {i.pk: "永久保存的档案不能销毁" for i in items if retention.years(_kept(i)) is None}


def _kept(item: RecordItem) -> str:
    return getattr(item, "kept", None) or item.appraised_retention or item.retention


def _not_ended(items: Sequence[RecordItem], ctx: Context) -> Found:
    found = {}
    for item in items:
        last = retention.ends_on(item.year, _kept(item))
        if last is not None and last > ctx.today:
            found[item.pk] = (
                f"保管期限（{retention.label(_kept(item))}）至 {last:%Y年%m月%d日}，尚未到期"
            )
    return found


def _not_archived(items: Sequence[RecordItem], ctx: Context) -> Found:
    return {i.pk: "尚未归档" for i in items if i.status != ItemStatus.LOCKED}


def _destroyed(items: Sequence[RecordItem], ctx: Context) -> Found:
    return {i.pk: f"已按销毁清册 {i.destruction_register} 销毁" for i in items if i.destroyed_at}


def _household_file(items: Sequence[RecordItem], ctx: Context) -> Found:
    ids = [i.pk for i in items]
    docs = list(HouseholdDocument.objects.filter(item_id__in=ids).select_related("file__household"))
    households = {d.file.household_id: d.file.household for d in docs}
    measures, _present = file_inputs(list(households))
    ends = end_years_of(households.values())
    found: Found = {}
    for doc in docs:
        household = households[doc.file.household_id]
        name = f"{household.head_name}户（{household.household_no}）"
        facts = facts_of(household, measures[household.pk], ends)
        owed = {(n.number, n.year) for n in checklist.needs(facts, this_year())}
        if doc.number in ENTITLEMENT_TYPES:
            found[doc.item_id] = f"是{name}享受帮扶政策的证明材料（一户一档）"
        elif (doc.number, doc.year) in owed or (doc.number, None) in owed:
            found[doc.item_id] = f"是{name}一户一档仍需保存的材料"
    for link in RelocationLink.objects.filter(item_id__in=ids).select_related("household"):
        household = link.household
        found.setdefault(
            link.item_id, f"是{household.head_name}户（{household.household_no}）的易地扶贫搬迁证明"
        )
    return found


def _in_kept_volume(items: Sequence[RecordItem], ctx: Context) -> Found:
    found = {}
    entries = VolumeEntry.objects.filter(item__in=items).select_related("volume")
    for entry in entries:
        volume = entry.volume
        if not retention.has_ended(volume.year, volume.retention, ctx.today):
            found[entry.item_id] = (
                f"所在案卷 {volume.reference_code} 保管期限为{retention.label(volume.retention)}，"
                "卷内文件不能单独销毁"
            )
    return found


def _on_loan(items: Sequence[RecordItem], ctx: Context) -> Found:
    return items_on_loan([i.pk for i in items])


def _use_grant(items: Sequence[RecordItem], ctx: Context) -> Found:
    return items_in_use([i.pk for i in items], ctx.now)


def _in_transfer(items: Sequence[RecordItem], ctx: Context) -> Found:
    moving = items_in_open_transfer([i.pk for i in items])
    return {item_id: "在未完成的移交批次中" for item_id in moving}


def _on_hold(items: Sequence[RecordItem], ctx: Context) -> Found:
    found = {}
    holds = Hold.objects.filter(lifted_at__isnull=True, items__in=items).distinct()
    ids = {i.pk for i in items}
    for hold in holds.prefetch_related("items"):
        for item in hold.items.all():
            if item.pk in ids:
                found[item.pk] = f"{hold}保全中：{hold.reason}"
    return found


def _listed(items: Sequence[RecordItem], ctx: Context) -> Found:
    listed = in_pending_register([i.pk for i in items])
    own = None
    if ctx.register_id is not None:
        own = Register.objects.filter(pk=ctx.register_id).values_list("number", flat=True).first()
    return {
        item_id: f"已列入销毁清册 {number}，尚未完成"
        for item_id, number in listed.items()
        if number != own
    }


def _being_read(items: Sequence[RecordItem], ctx: Context) -> Found:
    running = ScanJob.objects.filter(
        item__in=items, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
    ).values_list("item_id", flat=True)
    return {item_id: "扫描件正在进行文字识别，请待完成后再销毁" for item_id in running}


CHECKS: tuple[Check, ...] = (
    Check("not_archived", "未归档", _not_archived),
    Check("destroyed", "已销毁", _destroyed),
    Check("permanent", "永久保存", _permanent),
    Check("not_ended", "保管期限未满", _not_ended),
    Check("household_file", "一户一档材料", _household_file),
    Check("volume_kept", "所在案卷继续保存", _in_kept_volume),
    Check("on_loan", "借出未还", _on_loan),
    Check("use_grant", "利用中", _use_grant),
    Check("in_transfer", "移交中", _in_transfer),
    Check("hold", "保全", _on_hold),
    Check("listed", "已列入其他销毁清册", _listed),
    Check("being_read", "文字识别中", _being_read),
)


@dataclass
class Blocked:
    """Per record, each reason it must stay (in the order of CHECKS)."""

    reasons: dict[int, list[tuple[str, str]]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.reasons)


def blocked(item_ids: Iterable[int], *, register_id: int | None = None) -> Blocked:
    ids = sorted(set(item_ids))
    items = list(RecordItem.objects.filter(pk__in=ids).annotate(kept=kept_retention()))
    ctx = Context(timezone.localdate(), timezone.now(), register_id)
    found = Blocked()
    for check in CHECKS:
        for item_id, reason in check.find(items, ctx).items():
            found.reasons.setdefault(item_id, []).append((check.key, reason))
    return found


def refuse_blocked(item_ids: Iterable[int], *, register_id: int | None = None) -> None:
    """Refuse the whole request, naming every record that must stay and why."""
    ids = list(item_ids)
    found = blocked(ids, register_id=register_id)
    if not found:
        return
    names = dict(RecordItem.objects.filter(pk__in=list(found.reasons)).values_list("pk", "title"))
    codes = dict(
        RecordItem.objects.filter(pk__in=list(found.reasons)).values_list("pk", "reference_code")
    )
    problems = [
        Problem(
            code=f"disposal.{key}",
            message=f"{codes[item_id] or '未编号'}《{names[item_id][:40]}》：{reason}",
            field="档号",
        )
        for item_id in ids
        if item_id in found.reasons
        for key, reason in found.reasons[item_id]
    ]
    raise ProblemError(
        [
            Problem(
                "disposal.refused",
                f"有 {len(found.reasons)} 件档案不能销毁，整批未处理，请移出后重试：",
            ),
            *problems,
        ]
    )
