"""Appraisal, holds, destruction registers and destruction, and the archives' opening review.
Every write is audited in its own transaction; a destruction deletes bytes only after the
catalogue says so, one file at a time, so a stopped run is finished by running it again."""

import datetime
import secrets
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from fupin.accounts.access import user_scope
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_record
from fupin.core.problems import Problem, ProblemError
from fupin.disposal.blockers import refuse_blocked
from fupin.disposal.models import (
    Appraisal,
    AppraisalEntry,
    AppraisalStatus,
    Certificate,
    CertificateKind,
    Decision,
    DestroyedFile,
    FileRole,
    GroupMember,
    GroupRole,
    Hold,
    HoldKind,
    Opening,
    OpeningDecision,
    PublicRecord,
    Register,
    RegisterEntry,
    RegisterStatus,
    WalkIn,
)
from fupin.disposal.opening import opening_refusal
from fupin.disposal.purge import purge_object_bytes
from fupin.disposal.selectors import (
    access_appraisal,
    access_certificate,
    access_hold,
    access_register,
    custody_q,
    custody_unit,
    kept_items,
    open_appraisal_of,
)
from fupin.households.models import Household, HouseholdFile, HouseholdStatus, IdentifiedBasis
from fupin.households.registry import idcard
from fupin.households.registry.selectors import access_household
from fupin.objects.models import Derivative, DigestAlgorithm, StoredObject
from fupin.photos.models import PhotoDetails
from fupin.records.models import ItemFile, ItemStatus, RecordItem, kept_retention
from fupin.regions.models import Unit, UnitKind
from fupin.scans.models import ScanPage
from fupin.schedule import retention


def _text(value: str, what: str, limit: int = 300) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise ValidationError(f"请填写{what}。")
    return text[:limit]


# ---------------------------------------------------------------- appraisal group (鉴定小组)


@transaction.atomic
def group_member_add(
    *, actor: Any, unit_id: int, name: str, post: str, role: str = GroupRole.MEMBER
) -> GroupMember:
    unit = custody_unit(actor, unit_id)
    if role not in GroupRole.values:
        raise ValidationError("组内分工只能是组长、副组长或成员。")
    member = GroupMember.objects.create(
        unit=unit, name=_text(name, "姓名", 50), post=_text(post, "职务", 100), role=role
    )
    audit_record(
        actor=actor,
        action="disposal.group_add",
        obj=member,
        after={"name": member.name, "post": member.post, "role": role},
        summary=f"{unit.name}鉴定小组增加{GroupRole(role).label}：{member}",
    )
    return member


def group_of(unit: Unit) -> list[dict[str, str]]:
    members = GroupMember.objects.filter(unit=unit, active=True).order_by("role", "pk")
    return [{"name": m.name, "post": m.post, "role": m.get_role_display()} for m in members]


# ---------------------------------------------------------------------------- holds (保全)


def _items_by_codes(unit: Unit, codes: Sequence[str]) -> list[RecordItem]:
    wanted = []
    for code in codes:
        for part in code.replace("，", ",").replace(",", "\n").splitlines():
            if part.strip() and part.strip() not in wanted:
                wanted.append(part.strip())
    if not wanted:
        raise ValidationError("请填写档号，每行一个。")
    items = list(RecordItem.objects.filter(unit=unit, reference_code__in=wanted))
    if missing := sorted(set(wanted) - {i.reference_code for i in items}):
        raise ValidationError(f"{unit.name}没有这些档号：{'、'.join(missing)}。")
    return items


def _hold_unit(actor: Any, unit_id: int) -> Unit:
    unit = Unit.objects.select_related("region").filter(pk=unit_id).first()
    scope = user_scope(actor)
    bureau = unit is not None and scope.covers_region(Cap.INSPECT, unit.region_id)
    if unit is not None and bureau:
        return unit
    return custody_unit(actor, unit_id)


@transaction.atomic
def hold_set(*, actor: Any, unit_id: int, codes: Sequence[str], kind: str, reason: str) -> Hold:
    """Hold records (保全) for an audit, a dispute or an inspection: none of them can be
    destroyed until the hold is lifted."""
    unit = _hold_unit(actor, unit_id)
    if kind not in HoldKind.values:
        raise ValidationError("保全事由只能是审计、纠纷或检查。")
    items = _items_by_codes(unit, codes)
    hold = Hold.objects.create(
        unit=unit, kind=kind, reason=_text(reason, "保全说明"), set_by=_user(actor)
    )
    hold.items.set(items)
    audit_record(
        actor=actor,
        action="disposal.hold_set",
        obj=hold,
        after={"kind": kind, "reason": hold.reason, "codes": [i.reference_code for i in items]},
        summary=f"{unit.name} {len(items)} 件档案{hold.get_kind_display()}保全：{hold.reason}",
    )
    return hold


@transaction.atomic
def hold_lift(*, actor: Any, hold_id: int, reason: str) -> Hold:
    hold = access_hold(actor, hold_id)
    _hold_unit(actor, hold.unit_id)
    if hold.lifted_at is not None:
        raise ValidationError(f"{hold}已于 {timezone.localtime(hold.lifted_at):%Y-%m-%d} 解除。")
    hold.lift_reason = _text(reason, "解除保全的理由")
    hold.lifted_at, hold.lifted_by = timezone.now(), _user(actor)
    hold.save(update_fields=["lift_reason", "lifted_at", "lifted_by"])
    audit_record(
        actor=actor,
        action="disposal.hold_lift",
        obj=hold,
        after={"reason": hold.lift_reason},
        summary=f"解除{hold}：{hold.lift_reason}",
    )
    return hold


def _user(actor: Any) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


# ------------------------------------------------------------------------ appraisal (鉴定)


def _next_number(model: type[Appraisal] | type[Register], unit: Unit, mark: str) -> str:
    year = timezone.localdate().year
    stem = f"{unit.fonds_code}-{mark}-{year}-"
    taken = model.objects.filter(number__startswith=stem).count()
    return f"{stem}{taken + 1:03d}"


@transaction.atomic
def appraisal_create(*, actor: Any, unit_id: int, item_ids: Sequence[int]) -> Appraisal:
    """A batch of records of one fonds whose keeping has ended (or is about to) for the
    appraisal group to review."""
    unit = custody_unit(actor, unit_id)
    members = group_of(unit)
    if len(members) < 2:
        raise ValidationError(
            f"{unit.name}的鉴定小组至少应有 2 名成员，请先在“鉴定小组”中登记成员及职务。"
        )
    ids = sorted(set(item_ids))
    if not ids:
        raise ValidationError("请选择要鉴定的档案。")
    items = list(kept_items().filter(unit=unit, pk__in=ids))
    problems = [
        Problem("disposal.not_in_fonds", f"第 {i} 号文件不是本全宗保管中的已归档档案。")
        for i in sorted(set(ids) - {i.pk for i in items})
    ]
    problems += [
        Problem("disposal.permanent", f"{i.reference_code}《{i.title[:40]}》永久保存，无需鉴定。")
        for i in items
        if retention.years(getattr(i, "kept", i.retention)) is None
    ]
    busy = open_appraisal_of(ids)
    problems += [
        Problem("disposal.in_appraisal", f"{i.reference_code} 已在鉴定 {busy[i.pk]} 中。")
        for i in items
        if i.pk in busy
    ]
    if problems:
        raise ProblemError(problems)
    appraisal = Appraisal.objects.create(
        unit=unit,
        number=_next_number(Appraisal, unit, "JD"),
        members=members,
        created_by=_user(actor),
    )
    AppraisalEntry.objects.bulk_create(AppraisalEntry(appraisal=appraisal, item=i) for i in items)
    audit_record(
        actor=actor,
        action="disposal.appraisal_create",
        obj=appraisal,
        after={"items": ids, "members": members},
        summary=f"{unit.name}发起到期档案鉴定 {appraisal.number}：{len(items)} 件",
    )
    return appraisal


def _open_appraisal(actor: Any, appraisal_id: int) -> Appraisal:
    appraisal = access_appraisal(actor, appraisal_id)
    if appraisal.status != AppraisalStatus.OPEN:
        raise ValidationError(f"鉴定 {appraisal.number} 已完成，不能再修改。")
    return appraisal


@transaction.atomic
def appraisal_decide(
    *, actor: Any, appraisal_id: int, decisions: Sequence[dict[str, Any]]
) -> Appraisal:
    """Record the group's decision per record: keep with a longer retention and a reason, or
    propose destruction with a reason. A proposal for a record that must stay refuses the
    whole set, naming each such record."""
    appraisal = _open_appraisal(actor, appraisal_id)
    entries = {
        e.item_id: e
        for e in appraisal.entries.select_related("item").annotate(kept=kept_retention("item__"))
    }
    problems: list[Problem] = []
    to_destroy: list[int] = []
    changed: list[AppraisalEntry] = []
    for row, wanted in enumerate(decisions, start=1):
        entry = entries.get(int(wanted.get("item_id") or 0))
        if entry is None:
            problems.append(Problem("disposal.not_listed", f"第 {row} 条：该文件不在本次鉴定中。"))
            continue
        problems += _decision(entry, wanted, row)
        if entry.decision == Decision.DESTROY:
            to_destroy.append(entry.item_id)
        changed.append(entry)
    if problems:
        raise ProblemError(problems)
    refuse_blocked(to_destroy)
    AppraisalEntry.objects.bulk_update(changed, ["decision", "new_retention", "reason"])
    audit_record(
        actor=actor,
        action="disposal.appraisal_decide",
        obj=appraisal,
        after={
            "decisions": [
                {"item": e.item_id, "decision": e.decision, "retention": e.new_retention}
                for e in changed
            ]
        },
        summary=f"鉴定 {appraisal.number} 记录鉴定意见 {len(changed)} 条",
    )
    return appraisal


def _decision(entry: AppraisalEntry, wanted: dict[str, Any], row: int) -> list[Problem]:
    code = entry.item.reference_code
    decision = wanted.get("decision") or ""
    reason = " ".join(str(wanted.get("reason") or "").split())[:300]
    if decision not in (Decision.KEEP, Decision.DESTROY):
        return [Problem("disposal.decision", f"{code}：请选择“继续保存”或“建议销毁”。", row=row)]
    if not reason:
        return [Problem("disposal.reason", f"{code}：请填写鉴定理由。", row=row)]
    new = None
    if decision == Decision.KEEP:
        new = retention.parse(wanted.get("new_retention"))
        current = getattr(entry, "kept", entry.item.retention)
        if new is None or retention.rank(new) <= retention.rank(current):
            longer = [c for c in retention.CODES if retention.rank(c) > retention.rank(current)]
            return [
                Problem(
                    "disposal.retention",
                    f"{code}：继续保存须定一个比现在（{retention.label(current)}）更长的保管期限"
                    f"（可选：{'、'.join(map(retention.label, longer))}）。",
                    row=row,
                )
            ]
    entry.decision, entry.new_retention, entry.reason = decision, new, reason
    return []


@transaction.atomic
def appraisal_conclude(*, actor: Any, appraisal_id: int, opinion: str = "") -> Appraisal:
    """Close the batch: kept records take their new retention (their 档号 stays)."""
    appraisal = _open_appraisal(actor, appraisal_id)
    entries = list(appraisal.entries.select_related("item"))
    if undecided := [e.item.reference_code for e in entries if not e.decision]:
        shown = "、".join(c or "" for c in undecided[:20])
        raise ValidationError(f"还有 {len(undecided)} 件未鉴定：{shown}。")
    refuse_blocked([e.item_id for e in entries if e.decision == Decision.DESTROY])
    kept = [e for e in entries if e.decision == Decision.KEEP]
    for entry in kept:
        RecordItem.objects.filter(pk=entry.item_id).update(appraised_retention=entry.new_retention)
    appraisal.status, appraisal.concluded_at = AppraisalStatus.CONCLUDED, timezone.now()
    appraisal.opinion = " ".join((opinion or "").split())[:500]
    appraisal.save(update_fields=["status", "concluded_at", "opinion"])
    audit_record(
        actor=actor,
        action="disposal.appraisal_conclude",
        obj=appraisal,
        after={
            "kept": {e.item.reference_code: e.new_retention for e in kept},
            "destroy": [e.item.reference_code for e in entries if e.decision == Decision.DESTROY],
        },
        summary=(
            f"鉴定 {appraisal.number} 完成：继续保存 {len(kept)} 件，"
            f"建议销毁 {len(entries) - len(kept)} 件"
        ),
    )
    return appraisal


# ------------------------------------------------------------------- register (销毁清册)


@transaction.atomic
def register_create(
    *, actor: Any, appraisal_id: int, supervisor_1: str, supervisor_2: str
) -> Register:
    """The destruction register of an appraisal's proposals, with its two supervisors."""
    appraisal = access_appraisal(actor, appraisal_id)
    custody_unit(actor, appraisal.unit_id)
    if appraisal.status != AppraisalStatus.CONCLUDED:
        raise ValidationError(f"鉴定 {appraisal.number} 尚未完成，不能编制销毁清册。")
    first, second = _text(supervisor_1, "第一位监销人", 50), _text(supervisor_2, "第二位监销人", 50)
    if first == second:
        raise ValidationError("两位监销人应为不同的人。")
    entries = list(
        appraisal.entries.filter(decision=Decision.DESTROY)
        .select_related("item")
        .annotate(kept=kept_retention("item__"))
        .order_by("item__year", "item__reference_code")
    )
    if not entries:
        raise ValidationError(f"鉴定 {appraisal.number} 没有建议销毁的档案。")
    refuse_blocked([e.item_id for e in entries])
    unit = appraisal.unit
    register = Register.objects.create(
        unit=unit,
        number=_next_number(Register, unit, "XH"),
        appraisal=appraisal,
        supervisor_1=first,
        supervisor_2=second,
        created_by=_user(actor),
        filing_required=unit.kind != UnitKind.ARCHIVE_BUREAU,
    )
    today = timezone.localdate()
    RegisterEntry.objects.bulk_create(
        RegisterEntry(
            register=register,
            seq=seq,
            item=e.item,
            title=e.item.display_title,
            year=e.item.year,
            reference_code=e.item.reference_code or "",
            retention=e.kept,
            kept_years=retention.kept_years(e.item.year, today),
            pages=e.item.pages,
            notes=e.reason[:300],
        )
        for seq, e in enumerate(entries, start=1)
    )
    audit_record(
        actor=actor,
        action="disposal.register_create",
        obj=register,
        after={"codes": [e.item.reference_code for e in entries], "supervisors": [first, second]},
        summary=f"{unit.name}编制销毁清册 {register.number}：{len(entries)} 件",
    )
    return register


def _custodian_register(actor: Any, register_id: int, *statuses: str) -> Register:
    register = access_register(actor, register_id)
    custody_unit(actor, register.unit_id)
    register = Register.objects.select_for_update().select_related("unit").get(pk=register.pk)
    if register.status not in statuses:
        raise ValidationError(
            f"{register}当前状态为“{register.get_status_display()}”，不能办理此步。"
        )
    return register


def _entry_ids(register: Register) -> list[int]:
    return list(register.entries.values_list("item_id", flat=True))


@transaction.atomic
def register_approve(
    *,
    actor: Any,
    register_id: int,
    approved: bool,
    approver_name: str = "",
    approved_on: datetime.date | None = None,
    opinion: str = "",
) -> Register:
    """Record the decision of the unit's leader in charge (分管领导), who signs the paper
    register; the archivist who records it is the actor. Only the leader registered on the
    unit may approve."""
    register = _custodian_register(actor, register_id, RegisterStatus.DRAFT)
    leader = register.unit.leader.strip()
    if not leader:
        raise ValidationError(
            f"{register.unit.name}尚未登记分管领导，请先在立档单位信息中填写分管领导后再记录审批。"
        )
    name = " ".join((approver_name or leader).split())
    if name != leader:
        raise ValidationError(
            f"批准人应为本单位登记的分管领导（{leader}）；如分管领导已变更，请先更新单位信息。"
        )
    day = approved_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError("批准日期不能晚于今天。")
    if approved:
        refuse_blocked(_entry_ids(register), register_id=register.pk)
        register.status = (
            RegisterStatus.APPROVED if register.filing_required else RegisterStatus.READY
        )
    else:
        opinion = _text(opinion, "不同意销毁的意见")
        register.status = RegisterStatus.REFUSED
    register.approver_name, register.approved_on = name, day
    register.approval_opinion = " ".join((opinion or "").split())[:300]
    register.approval_recorded_by = _user(actor)
    register.save()
    audit_record(
        actor=actor,
        action="disposal.register_approve" if approved else "disposal.register_refuse",
        obj=register,
        after={"approver": name, "on": day, "opinion": register.approval_opinion},
        summary=f"{register}经分管领导{name}{'批准' if approved else '不同意'}（{day:%Y-%m-%d}）",
    )
    return register


@transaction.atomic
def register_file(*, actor: Any, register_id: int, accepted: bool, opinion: str = "") -> Register:
    """The archive bureau takes an approved register on file (备案), or returns it."""
    register = access_register(actor, register_id)
    if not user_scope(actor).covers_region(Cap.FILING_ARCHIVE, register.unit.region_id):
        raise PermissionDenied("只有上级档案局可以办理销毁清册备案。")
    register = Register.objects.select_for_update().select_related("unit").get(pk=register.pk)
    if register.status != RegisterStatus.APPROVED:
        raise ValidationError(f"{register}当前状态为“{register.get_status_display()}”，不能备案。")
    if not accepted:
        opinion = _text(opinion, "退回理由")
    register.status = RegisterStatus.READY if accepted else RegisterStatus.RETURNED
    register.filed_by, register.filed_at = _user(actor), timezone.now()
    register.filing_opinion = " ".join((opinion or "").split())[:300]
    register.save()
    audit_record(
        actor=actor,
        action="disposal.register_file" if accepted else "disposal.register_return",
        obj=register,
        after={"accepted": accepted, "opinion": register.filing_opinion},
        summary=f"{register}{'已备案' if accepted else '被退回：' + register.filing_opinion}",
    )
    return register


# ---------------------------------------------------------------------- destruction (销毁)


def register_destroy(
    *,
    actor: Any,
    register_id: int,
    supervisors: Sequence[str] = (),
    destroyed_on: datetime.date | None = None,
    method: str = "",
    place: str = "",
    paper_destroyed: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Register:
    """Carry out a ready register: the two supervisors confirm the paper is destroyed, the
    catalogue marks every record 已销毁 and lets go of its files in one transaction, then the
    files' bytes are deleted one by one. Run again on a register left "销毁中" (a stopped run),
    it finishes the deletions."""
    register = access_register(actor, register_id)
    if register.status == RegisterStatus.READY:
        _destroy_catalogue(
            actor, register.pk, supervisors, destroyed_on, method, place, paper_destroyed
        )
    elif register.status != RegisterStatus.DESTROYING:
        raise ValidationError(
            f"{register}当前状态为“{register.get_status_display()}”，"
            "须经分管领导批准并报档案局备案后才能销毁。"
        )
    custody_unit(actor, register.unit_id)
    return _delete_bytes(actor, register.pk, progress)


@transaction.atomic
def _destroy_catalogue(
    actor: Any,
    register_id: int,
    supervisors: Sequence[str],
    destroyed_on: datetime.date | None,
    method: str,
    place: str,
    paper_destroyed: bool,
) -> None:
    register = _custodian_register(actor, register_id, RegisterStatus.READY)
    named = {register.supervisor_1, register.supervisor_2}
    confirmed = {" ".join(s.split()) for s in supervisors if s.strip()}
    if confirmed != named:
        raise ValidationError(
            f"须由清册所列两位监销人（{register.supervisor_1}、{register.supervisor_2}）确认监销。"
        )
    if not paper_destroyed:
        raise ValidationError("请由监销人确认纸质档案已全部销毁（勾选“纸质档案已销毁”）。")
    day = destroyed_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError("销毁日期不能晚于今天。")
    items = _entry_ids(register)
    refuse_blocked(items, register_id=register.pk)
    now = timezone.now()
    files = _let_go_of_files(register, items)
    RecordItem.objects.filter(pk__in=items).update(
        destroyed_at=now, destruction_register=register.number
    )
    # An opened record leaves the public catalogue (kept withdrawn, so harvesters delete it).
    PublicRecord.objects.filter(item_id__in=items, withdrawn=False).update(
        withdrawn=True, changed_at=now
    )
    register.status, register.started_at = RegisterStatus.DESTROYING, now
    register.destroyed_on, register.confirmed_by = day, _user(actor)
    register.method = _text(method or "粉碎", "销毁方式", 100)
    register.place = " ".join((place or "").split())[:100]
    register.save()
    audit_record(
        actor=actor,
        action="disposal.destroy",
        obj=register,
        after={
            "items": [c for c in register.entries.values_list("reference_code", flat=True)],
            "supervisors": sorted(named),
            "method": register.method,
            "files": [{"sha256": f.sha256, "sm3": f.sm3, "shared": f.shared} for f in files],
        },
        summary=(
            f"{register}实施销毁：{len(items)} 件纸质档案经监销人"
            f"{register.supervisor_1}、{register.supervisor_2}确认已销毁，"
            f"{len(files)} 个电子文件待删除"
        ),
    )


def _let_go_of_files(register: Register, item_ids: list[int]) -> list[DestroyedFile]:
    """The records' files leave the catalogue (rows, scan pages with their text, photo
    thumbnails); what was stored is listed for deletion with its digests."""
    item_files = list(ItemFile.objects.filter(item_id__in=item_ids).select_related("object"))
    sources = {f.object_id for f in item_files}
    elsewhere = set(
        ItemFile.objects.filter(object_id__in=sources)
        .exclude(item_id__in=item_ids)
        .values_list("object_id", flat=True)
    )
    rows: list[DestroyedFile] = []
    for item_file in item_files:
        shared = item_file.object_id in elsewhere
        rows.append(
            _listed(register, item_file.item_id, item_file.object, item_file.filename, shared)
        )
        derived = Derivative.objects.filter(source=item_file.object).select_related("object")
        for d in derived:
            label = (
                f"{item_file.filename} 第{d.page}页缩略图"
                if d.page
                else f"{item_file.filename} 缩略图"
            )
            rows.append(_listed(register, item_file.item_id, d.object, label, shared, derived=True))
    ScanPage.objects.filter(item_id__in=item_ids).delete()
    PhotoDetails.objects.filter(item_id__in=item_ids).update(thumbnail=None)
    ItemFile.objects.filter(item_id__in=item_ids).delete()
    return DestroyedFile.objects.bulk_create(rows)


def _listed(
    register: Register,
    item_id: int,
    obj: StoredObject,
    filename: str,
    shared: bool,
    derived: bool = False,
) -> DestroyedFile:
    digests = dict(obj.digests.values_list("algorithm", "value"))
    return DestroyedFile(
        register=register,
        item_id=item_id,
        object=obj,
        role=FileRole.DERIVATIVE if derived else FileRole.FILE,
        filename=filename[:255],
        sha256=obj.sha256,
        sm3=digests.get(DigestAlgorithm.SM3, ""),
        size=obj.size,
        format=obj.format,
        shared=shared,
    )


def _delete_bytes(
    actor: Any, register_id: int, progress: Callable[[int, int], None] | None
) -> Register:
    pending = list(
        DestroyedFile.objects.filter(register_id=register_id, deleted_at__isnull=True)
        .select_related("object", "register")
        .order_by("pk")
    )
    total = len(pending)
    for done, row in enumerate(pending, start=1):
        stores = (
            []
            if row.shared
            else purge_object_bytes(
                actor=actor, obj=row.object, reason=f"销毁清册 {row.register.number}"
            )
        )
        if not row.shared and not stores:
            raise ValidationError(
                f"电子文件 {row.filename} 未能从存储中删除，请检查存储后重新运行。"
            )
        # Confirmed one file at a time: a run stopped here resumes with the next file.
        DestroyedFile.objects.filter(pk=row.pk).update(stores=stores, deleted_at=timezone.now())
        if progress:
            progress(done, total)
    with transaction.atomic():
        register = Register.objects.select_for_update().select_related("unit").get(pk=register_id)
        if register.status == RegisterStatus.DESTROYING:
            register.status, register.finished_at = RegisterStatus.DESTROYED, timezone.now()
            register.save(update_fields=["status", "finished_at"])
            files = register.files.all()
            audit_record(
                actor=actor,
                action="disposal.destroyed",
                obj=register,
                after={
                    "deleted": files.filter(shared=False).count(),
                    "shared": files.filter(shared=True).count(),
                },
                summary=f"{register}销毁完成：电子文件 {files.count()} 个已从全部存储中删除",
            )
    return register


# ------------------------------------------------------------------ opening review (开放审核)


@transaction.atomic
def opening_decide(
    *,
    actor: Any,
    item_ids: Sequence[int],
    decision: str,
    reason: str,
    release_files: bool = False,
) -> list[OpeningDecision]:
    """The archives decides, per record reaching its opening date, 开放 or 控制 with a reason;
    opened records enter the public catalogue with their description only."""
    if decision not in Opening.values:
        raise ValidationError("审核结论只能是“开放”或“控制”。")
    text = _text(reason, "审核理由")
    if release_files and decision != Opening.OPEN:
        raise ValidationError("只有开放的档案才能公布电子文件。")
    ids = sorted(set(item_ids))
    scope = user_scope(actor)
    items = list(
        RecordItem.objects.filter(
            scope.region_q(Cap.RECEIVE, "unit__region__code"),
            unit__kind=UnitKind.ARCHIVES,
            pk__in=ids,
        ).select_related("unit", "class_code")
    )
    if not items or len(items) != len(ids):
        raise Http404("所选档案中有不属于本馆馆藏或不在您管辖范围内的。")
    today = timezone.localdate()
    problems = [
        Problem(f"opening.{code}", f"{i.reference_code}《{i.title[:40]}》：{message}")
        for i in items
        if (found := opening_refusal(i, today)) is not None
        for code, message in [found]
    ]
    if problems:
        raise ProblemError(problems)
    now = timezone.now()
    made = OpeningDecision.objects.bulk_create(
        OpeningDecision(
            item=i,
            decision=decision,
            reason=text,
            release_files=release_files,
            decided_by=_user(actor),
        )
        for i in items
    )
    for item in items:
        _publish(item, decision == Opening.OPEN, release_files, now)
    audit_record(
        actor=actor,
        action="disposal.opening",
        object_type="records.recorditem",
        object_id=ids[0],
        region_code=items[0].unit.region_id,
        after={"items": [i.reference_code for i in items], "decision": decision, "reason": text},
        summary=f"开放审核：{len(items)} 件划为{Opening(decision).label}（{text}）",
    )
    return made


def _publish(item: RecordItem, opened: bool, release_files: bool, now: datetime.datetime) -> None:
    found = PublicRecord.objects.filter(item=item).first()
    if not opened:
        if found is not None and not found.withdrawn:
            PublicRecord.objects.filter(pk=found.pk).update(withdrawn=True, changed_at=now)
        return
    values = {
        "reference_code": item.reference_code or "",
        "title": item.display_title,
        "date": item.date,
        "year": item.year,
        "fonds_code": item.unit.fonds_code,
        "fonds_name": item.unit.fonds_name,
        "category": item.get_category_display(),
        "class_name": item.class_code.name,
        "responsible": item.responsible,
        "files_released": release_files,
        "withdrawn": False,
        "changed_at": now,
    }
    PublicRecord.objects.update_or_create(item=item, defaults=values)


# ------------------------------------------- villagers' own use (查档登记 and 档案证明)

# Unguessable: 144 random bits, printed only inside the certificate's QR code.
VERIFY_CODE_BYTES = 18


def _masked_id(text: str) -> str:
    raw = " ".join((text or "").split())
    if not raw:
        raise ValidationError("请填写查档人身份证号（系统只保存遮挡后的号码）。")
    if "*" in raw:
        if len(raw) != 18 or not (raw[:6].isdigit() and raw[-4:-1].isdigit()):
            raise ValidationError("遮挡后的身份证号应为 18 位，形如 420322********1234。")
        return raw.upper()
    found = idcard.check(raw)
    if found.error:
        raise ValidationError(f"查档人身份证号有误：{found.error}。")
    return idcard.mask(found.value)


@transaction.atomic
def walkin_register(
    *,
    actor: Any,
    unit_id: int,
    visitor_name: str,
    id_number: str,
    purpose: str,
    consulted: str,
    copies: int = 0,
    household_id: int | None = None,
    visited_on: datetime.date | None = None,
) -> WalkIn:
    """查档登记 by a village clerk, a township archivist or the archives: who came (the ID
    number is masked before it is kept), why, what they consulted and how many pages were
    copied for them."""
    unit = custody_unit(actor, unit_id)
    if not isinstance(copies, int) or not 0 <= copies <= 10000:
        raise ValidationError("复制页数应为 0 至 10000 之间的整数。")
    day = visited_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError("查档日期不能晚于今天。")
    household = _household_of(actor, unit, household_id) if household_id else None
    walk_in = WalkIn.objects.create(
        unit=unit,
        visited_on=day,
        visitor_name=_text(visitor_name, "查档人姓名", 50),
        id_masked=_masked_id(id_number),
        purpose=_text(purpose, "查档目的"),
        consulted=_text(consulted, "查阅内容", 500),
        household=household,
        copies=copies,
        registered_by=_user(actor),
    )
    audit_record(
        actor=actor,
        action="disposal.walkin_register",
        obj=walk_in,
        after={
            "visitor": walk_in.visitor_name,
            "id": walk_in.id_masked,
            "purpose": walk_in.purpose,
            "consulted": walk_in.consulted,
            "copies": copies,
            "household": household.household_no if household else "",
        },
        summary=f"{unit.name}查档登记：{walk_in.visitor_name}，{walk_in.purpose}",
    )
    return walk_in


def _household_of(actor: Any, unit: Unit, household_id: int) -> Household:
    household = access_household(actor, household_id)
    if not household.village_id.startswith(unit.region_id):
        raise ValidationError(f"该户不在{unit.name}的辖区内。")
    return household


def _certificate_number(unit: Unit) -> str:
    stem = f"{unit.fonds_code}-ZM-{timezone.localdate().year}-"
    taken = Certificate.objects.filter(number__startswith=stem).count()
    return f"{stem}{taken + 1:04d}"


def _household_statement(household: Household) -> tuple[str, str]:
    """The household's registration as its file records it: (subject, statement)."""
    file = HouseholdFile.objects.filter(household=household).select_related("volume").first()
    if file is None:
        raise ValidationError(
            f"{household.head_name}户（{household.household_no}）尚未建立一户一档，"
            "不能依档出具证明。"
        )
    if household.status == HouseholdStatus.REMOVED:
        raise ValidationError(f"{household.head_name}户已清退，不能出具建档立卡证明。")
    if household.identified_year is None:  # entered by hand without it: imports always know
        raise ValidationError(
            f"{household.head_name}户的识别年度未登记，请先核实建档立卡信息后再出具证明。"
        )
    village = household.village
    place = f"{village.parent.name}{village.name}" if village.parent else village.name
    exit_year = file.exit_accepted_year or household.exit_year
    if household.identified_basis == IdentifiedBasis.REGISTERED:
        # Only the data year of the sheet that first brought it in is known, not the year it
        # was identified: the certificate says what the registry holds, no more.
        registered = f"已列入 {household.identified_year} 年度建档立卡信息，登记为建档立卡贫困户"
    else:
        registered = f"于 {household.identified_year} 年经精准识别登记为建档立卡贫困户"
    text = (
        f"兹证明：{place}{household.head_name}户（户编号 {household.household_no}），"
        f"{registered}（{household.attribute}，主要致贫原因：{household.main_cause}）"
    )
    if exit_year:
        text += f"，{exit_year} 年脱贫退出"
    elif household.status != HouseholdStatus.POOR:
        text += f"，现为{household.get_status_display()}"
    text += f"。\n以上情况与本单位保存的该户一户一档（档号 {file.volume.reference_code}）记载一致。"
    return f"{household.head_name}户", text


def _copy_statement(actor: Any, unit: Unit, item_id: int) -> tuple[RecordItem, str, str]:
    item = (
        RecordItem.objects.filter(custody_q(actor), pk=item_id, unit=unit)
        .select_related("unit")
        .first()
    )
    if item is None:
        raise Http404(f"{unit.name}保管的档案中没有这件文件。")
    if item.destroyed_at is not None:
        raise ValidationError(f"文件 {item.reference_code} 已销毁，不能出具复制件证明。")
    if item.status != ItemStatus.LOCKED:
        raise ValidationError("只能为已归档的档案出具复制件证明。")
    text = (
        f"兹证明：所附复制件与本单位保存的档案原件内容一致。\n"
        f"档号：{item.reference_code}；题名：{item.display_title}；"
        f"日期：{item.date:%Y年%m月%d日}；页数：{item.pages}。"
    )
    return item, item.reference_code or item.display_title[:100], text


@transaction.atomic
def certificate_issue(
    *,
    actor: Any,
    unit_id: int,
    kind: str,
    household_id: int | None = None,
    item_id: int | None = None,
    walk_in_id: int | None = None,
) -> Certificate:
    """档案证明: from a household's file, or a certified copy of one record. It carries an
    unguessable verification code, printed as a QR code, that the public page checks."""
    unit = custody_unit(actor, unit_id)
    household, item = None, None
    if kind == CertificateKind.HOUSEHOLD:
        if not household_id:
            raise ValidationError("请选择要出具证明的农户。")
        household = _household_of(actor, unit, household_id)
        subject, statement = _household_statement(household)
    elif kind == CertificateKind.COPY:
        if not item_id:
            raise ValidationError("请选择要出具复制件证明的档案。")
        item, subject, statement = _copy_statement(actor, unit, item_id)
    else:
        raise ValidationError("证明类别只能是“建档立卡信息证明”或“档案复制件证明”。")
    walk_in = None
    if walk_in_id:
        walk_in = WalkIn.objects.filter(pk=walk_in_id, unit=unit).first()
        if walk_in is None:
            raise ValidationError(f"{unit.name}没有这条查档登记。")
    certificate = Certificate.objects.create(
        unit=unit,
        number=_certificate_number(unit),
        kind=kind,
        code=secrets.token_urlsafe(VERIFY_CODE_BYTES),
        issuer=unit.name,
        issued_on=timezone.localdate(),
        subject=subject[:100],
        statement=statement,
        household=household,
        item=item,
        walk_in=walk_in,
        issued_by=_user(actor),
    )
    audit_record(
        actor=actor,
        action="disposal.certificate_issue",
        obj=certificate,
        # The verification code stays out of the trail: whoever reads it could verify.
        after={"number": certificate.number, "kind": kind, "subject": certificate.subject},
        summary=f"{unit.name}出具{certificate.get_kind_display()} {certificate.number}",
    )
    return certificate


@transaction.atomic
def certificate_revoke(*, actor: Any, certificate_id: int, reason: str) -> Certificate:
    """Withdraw a certificate: its public page says so from now on."""
    found = access_certificate(actor, certificate_id)
    custody_unit(actor, found.unit_id)
    certificate = Certificate.objects.select_for_update().get(pk=found.pk)
    if certificate.revoked_at is not None:
        raise ValidationError(
            f"{certificate}已于 {timezone.localtime(certificate.revoked_at):%Y-%m-%d} 撤销。"
        )
    certificate.revoke_reason = _text(reason, "撤销理由")
    certificate.revoked_at, certificate.revoked_by = timezone.now(), _user(actor)
    certificate.save(update_fields=["revoke_reason", "revoked_at", "revoked_by"])
    audit_record(
        actor=actor,
        action="disposal.certificate_revoke",
        obj=certificate,
        after={"reason": certificate.revoke_reason},
        summary=f"撤销{certificate}：{certificate.revoke_reason}",
    )
    return certificate
