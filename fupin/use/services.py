"""Use of records (利用): requests, decisions and grants; loans of paper originals (借阅).
Every write is audited in the same transaction."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from fupin.accounts.access import access_unit, item_scope_q
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_record
from fupin.records.models import RecordItem, Volume, VolumeEntry
from fupin.regions.models import Unit
from fupin.use.models import MAX_GRANT_DAYS, Loan, RequestStatus, UseRequest
from fupin.use.selectors import HOLDER, access_loan, access_request, can_decide


@dataclass(frozen=True)
class Wanted:
    """What a list of reference codes (档号) names: items, volumes, and their one holder."""

    unit: Unit
    items: list[RecordItem]
    volumes: list[Volume]


def _codes(codes: Sequence[str]) -> list[str]:
    found: list[str] = []
    for code in codes:
        for part in code.replace("，", ",").replace(",", "\n").splitlines():
            if part.strip() and part.strip() not in found:
                found.append(part.strip())
    if not found:
        raise ValidationError("请填写要查阅的档号（件或案卷），每行一个。")
    return found


def _resolve(codes: Sequence[str], unit: Unit | None = None) -> Wanted:
    wanted = _codes(codes)
    # A destroyed record is not there to consult or lend: its code is "not found" like any other.
    items = list(
        RecordItem.objects.filter(
            reference_code__in=wanted, destroyed_at__isnull=True
        ).select_related("unit")
    )
    volumes = list(Volume.objects.filter(reference_code__in=wanted).select_related("unit"))
    known = {i.reference_code for i in items} | {v.reference_code for v in volumes}
    if missing := [c for c in wanted if c not in known]:
        raise ValidationError(f"未找到档号：{'、'.join(missing)}。")
    holders = {i.unit for i in items} | {v.unit for v in volumes}
    if unit is not None and holders != {unit}:
        raise ValidationError(f"{unit.name}没有这些档号，只能借出本单位保管的档案。")
    if len(holders) > 1:
        raise ValidationError("一次申请只能查阅同一立档单位保管的档案，请按单位分开申请。")
    return Wanted(holders.pop(), items, volumes)


def _purpose(purpose: str) -> str:
    text = (purpose or "").strip()
    if not text:
        raise ValidationError("请填写利用目的。")
    if len(text) > 500:
        raise ValidationError("利用目的不能超过 500 字。")
    return text


def _days(days: int) -> int:
    if not 1 <= days <= MAX_GRANT_DAYS:
        raise ValidationError(f"查阅期限应在 1 至 {MAX_GRANT_DAYS} 天之间。")
    return days


@transaction.atomic
def use_request_create(*, actor: Any, codes: Sequence[str], purpose: str, days: int) -> UseRequest:
    """Ask to consult items (or whole volumes) by their reference codes, with a purpose."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise ValidationError("利用申请须由登录的用户提出。")
    wanted = _resolve(codes)
    text, span = _purpose(purpose), _days(days)
    volume_items = RecordItem.objects.filter(
        pk__in=VolumeEntry.objects.filter(volume__in=wanted.volumes).values("item_id")
    )
    items = {i.pk: i for i in [*wanted.items, *volume_items]}
    if not items:
        raise ValidationError("所选案卷中没有文件。")
    own = RecordItem.objects.filter(item_scope_q(actor, Cap.DATA_READ, *HOLDER), pk__in=items)
    if readable := sorted(c or "" for c in own.values_list("reference_code", flat=True)):
        raise ValidationError(f"您已可查阅这些档案，无需申请：{'、'.join(readable)}。")
    request = UseRequest.objects.create(requester=actor, unit=wanted.unit, purpose=text, days=span)
    request.items.set(items.values())
    request.volumes.set(wanted.volumes)
    audit_record(
        actor=actor,
        action="use.request",
        obj=request,
        after={"codes": _codes(codes), "items": sorted(items), "purpose": text, "days": span},
        summary=f"申请查阅 {wanted.unit.name} {len(items)} 件档案 {span} 天，利用目的：{text}",
    )
    return request


def _to_decide(actor: Any, request_id: int) -> UseRequest:
    request = access_request(actor, request_id)
    if not can_decide(actor, request):
        raise Http404("未找到该利用申请，或不在您的管辖范围内。")
    if request.status != RequestStatus.PENDING:
        raise ValidationError(f"该申请已审批过（{request.get_status_display()}），不能再审批。")
    if actor is not None and request.requester_id == actor.pk:
        raise ValidationError("不能审批自己提出的利用申请。")
    return request


@transaction.atomic
def use_request_approve(*, actor: Any, request_id: int, days: int | None = None) -> UseRequest:
    """Grant the request: the requester reads exactly its items until the expiry."""
    request = _to_decide(actor, request_id)
    span = _days(request.days if days is None else days)
    now = timezone.now()
    request.status = RequestStatus.APPROVED
    request.decided_by = actor
    request.decided_at = now
    request.expires_at = now + datetime.timedelta(days=span)
    request.save(update_fields=["status", "decided_by", "decided_at", "expires_at"])
    expiry = timezone.localtime(request.expires_at).strftime("%Y-%m-%d %H:%M")
    audit_record(
        actor=actor,
        action="use.approve",
        obj=request,
        after={"status": request.status, "days": span, "expires_at": request.expires_at},
        summary=f"批准{request}（{request.requester}），查阅至 {expiry}",
    )
    return request


@transaction.atomic
def use_request_refuse(*, actor: Any, request_id: int, reason: str) -> UseRequest:
    request = _to_decide(actor, request_id)
    text = (reason or "").strip()
    if not text:
        raise ValidationError("不予批准时请写明理由。")
    request.status = RequestStatus.REFUSED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.reason = text[:500]
    request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    audit_record(
        actor=actor,
        action="use.refuse",
        obj=request,
        after={"status": request.status, "reason": request.reason},
        summary=f"不批准{request}（{request.requester}）：{request.reason}",
    )
    return request


@transaction.atomic
def use_grant_shorten(*, actor: Any, request_id: int, expires_at: datetime.datetime) -> UseRequest:
    """End a grant early (or move its expiry nearer): the custodian's way to withdraw it."""
    request = access_request(actor, request_id)
    if not can_decide(actor, request):
        raise Http404("未找到该利用申请，或不在您的管辖范围内。")
    if request.status != RequestStatus.APPROVED or request.expires_at is None:
        raise ValidationError("只有已批准的申请才能调整授权期限。")
    if expires_at > request.expires_at:
        raise ValidationError("授权期限只能缩短，延长请重新申请。")
    before = request.expires_at
    request.expires_at = expires_at
    request.save(update_fields=["expires_at"])
    audit_record(
        actor=actor,
        action="use.shorten",
        obj=request,
        before={"expires_at": before},
        after={"expires_at": expires_at},
        summary=f"调整{request}的授权期限至 {timezone.localtime(expires_at):%Y-%m-%d %H:%M}",
    )
    return request


@transaction.atomic
def loan_create(
    *,
    actor: Any,
    unit_id: int,
    borrower_name: str,
    codes: Sequence[str],
    purpose: str,
    due_on: datetime.date,
    borrower_unit: str = "",
    lent_on: datetime.date | None = None,
) -> Loan:
    """Lend paper originals of one unit; an item or volume already out cannot go out again."""
    unit = access_unit(actor, unit_id, Cap.USE_APPROVE)
    wanted = _resolve(codes, unit)
    name = (borrower_name or "").strip()
    if not name:
        raise ValidationError("请填写借阅人姓名。")
    day = lent_on or timezone.localdate()
    if due_on < day:
        raise ValidationError("应还日期不能早于借出日期。")
    out = Loan.objects.filter(returned_on__isnull=True)
    taken = [i.reference_code for i in wanted.items if out.filter(items=i).exists()]
    taken += [v.reference_code for v in wanted.volumes if out.filter(volumes=v).exists()]
    if taken:
        raise ValidationError(f"已借出尚未归还：{'、'.join(c or '' for c in taken)}。")
    loan = Loan.objects.create(
        unit=unit,
        borrower_name=name[:50],
        borrower_unit=(borrower_unit or "").strip()[:200],
        purpose=_purpose(purpose),
        lent_on=day,
        due_on=due_on,
        lender=actor,
    )
    loan.items.set(wanted.items)
    loan.volumes.set(wanted.volumes)
    audit_record(
        actor=actor,
        action="use.loan",
        obj=loan,
        after={"codes": _codes(codes), "borrower": name, "lent_on": day, "due_on": due_on},
        summary=f"借出 {'、'.join(_codes(codes))} 给 {name}，应还 {due_on:%Y-%m-%d}",
    )
    return loan


@transaction.atomic
def loan_return(*, actor: Any, loan_id: int, returned_on: datetime.date | None = None) -> Loan:
    loan = access_loan(actor, loan_id, Cap.USE_APPROVE)
    if loan.returned_on is not None:
        raise ValidationError(f"该借阅已于 {loan.returned_on:%Y-%m-%d} 归还。")
    day = returned_on or timezone.localdate()
    if day < loan.lent_on or day > timezone.localdate():
        raise ValidationError("归还日期应在借出日期与今天之间。")
    loan.returned_on = day
    loan.save(update_fields=["returned_on"])
    audit_record(
        actor=actor,
        action="use.loan_return",
        obj=loan,
        after={"returned_on": day},
        summary=f"{loan}归还，{day:%Y-%m-%d}",
    )
    return loan
