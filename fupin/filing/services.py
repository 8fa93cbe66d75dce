"""The filing workflow's moves, each writing its audit row: submit (a new round) and one office's
answer. The caller holds the filed row's lock (`select_for_update` in its transaction) and has
checked that the actor may submit it; who may answer is decided here."""

from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from fupin.accounts.access import user_scope
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_record
from fupin.filing.models import TRANSITIONS, Filed, FilingStatus, Office, status_after

F = TypeVar("F", bound=Filed)


@dataclass(frozen=True)
class FilingKind:
    """What differs between filed kinds: the noun people read and the audit actions."""

    noun: str  # 细化方案, 实施细则
    submit_action: str
    decide_action: str


def decider_offices(actor: Any, filed: Filed) -> list[str]:
    """Which offices (poverty, archive) the actor speaks for on this filing."""
    scope = user_scope(actor)
    region = filed.filing_region()
    offices = []
    if region in scope.prefixes(Cap.FILING_POVERTY):
        offices.append(Office.POVERTY.value)
    if region in scope.prefixes(Cap.FILING_ARCHIVE):
        offices.append(Office.ARCHIVE.value)
    return offices


def _move(filed: Filed, kind: FilingKind, to: FilingStatus) -> None:
    if to not in TRANSITIONS[filed.status]:
        if to == FilingStatus.SUBMITTED:
            raise ValidationError(f"该{kind.noun}已报备案，不能重复报送。")
        raise ValidationError(f"该{kind.noun}不在待备案状态。")
    filed.status = to


def filing_submit(*, actor: Any, filed: F, kind: FilingKind) -> F:
    """Draft or returned → submitted, as the next round, to the offices one level up."""
    with transaction.atomic():
        _move(filed, kind, FilingStatus.SUBMITTED)
        filed.round += 1
        filed.save(update_fields=["status", "round"])
        audit_record(
            actor=actor,
            action=kind.submit_action,
            obj=filed,
            after={"status": filed.status, "round": filed.round, "to": filed.filing_region()},
            summary=f"{kind.noun}“{filed}”报上一级扶贫办、档案局备案",
        )
    return filed


def filing_decide(
    *, actor: Any, filed: F | None, kind: FilingKind, office: str, accept: bool, reason: str = ""
) -> F:
    """One office's answer to the current round; a return needs its reason. Both offices
    accepting puts it in force; either returning sends it back to its owner."""
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationError("退回时必须说明理由。")
    if filed is None or office not in decider_offices(actor, filed):
        raise PermissionDenied(f"只有上一级扶贫办或档案局可以审查这个{kind.noun}。")
    if filed.status != FilingStatus.SUBMITTED:
        raise ValidationError(f"该{kind.noun}不在待备案状态。")
    answered = f"{Office(office).label}已对本次报送作出答复。"
    if filed.filing_decisions().filter(round=filed.round, office=office).exists():
        raise ValidationError(answered)
    with transaction.atomic():
        try:
            with transaction.atomic():
                filed.filing_decision_add(office=office, accept=accept, reason=reason, actor=actor)
        except IntegrityError:
            # Another answer of the same office landed first (one per office and round).
            raise ValidationError(answered) from None
        answers = dict(
            filed.filing_decisions().filter(round=filed.round).values_list("office", "accept")
        )
        after = status_after(answers)
        if after != filed.status:
            _move(filed, kind, after)
            filed.save(update_fields=["status"])
        verdict = "同意备案" if accept else "退回"
        audit_record(
            actor=actor,
            action=kind.decide_action,
            obj=filed,
            after={"office": office, "accept": accept, "reason": reason, "status": filed.status},
            summary=f"{Office(office).label}{verdict}{kind.noun}“{filed}”",
        )
    return filed
