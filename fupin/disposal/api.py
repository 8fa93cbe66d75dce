"""Appraisal and destruction, walk-ins and certificates over the API. The dicts built here are
also what `fupin disposal … --json` and `fupin certificates … --json` print."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import Status

from fupin.disposal import services
from fupin.disposal.models import Appraisal, Certificate, Register, WalkIn
from fupin.disposal.selectors import (
    access_appraisal,
    access_certificate,
    access_register,
    expiring_items,
    expiry_groups,
    household_id_by_no,
    item_id_by_code,
    visible_certificates,
    visible_walkins,
)
from fupin.schedule import retention

router = Router(tags=["鉴定销毁与档案证明"])


class ExpiryGroupOut(Schema):
    unit_id: int
    fonds_code: str
    unit_name: str
    year: int
    retention: str
    class_name: str
    count: int
    ends_on: datetime.date | None


class ExpiringItemOut(Schema):
    id: int
    unit_id: int
    reference_code: str | None
    title: str
    year: int
    retention: str
    ends_on: datetime.date | None


class ExpiringOut(Schema):
    today: datetime.date
    months: int
    total: int
    groups: list[ExpiryGroupOut]
    items: list[ExpiringItemOut]


class AppraisalIn(Schema):
    unit_id: int
    item_ids: list[int]


class DecisionIn(Schema):
    item_id: int
    decision: str
    new_retention: str | None = None
    reason: str = ""


class DecisionsIn(Schema):
    decisions: list[DecisionIn]


class OpinionIn(Schema):
    opinion: str = ""


class EntryOut(Schema):
    item_id: int
    reference_code: str | None
    title: str
    decision: str
    new_retention: str | None
    reason: str


class AppraisalOut(Schema):
    id: int
    number: str
    unit_id: int
    status: str
    status_label: str
    members: list[dict[str, str]]
    entries: list[EntryOut]


class RegisterIn(Schema):
    appraisal_id: int
    supervisor_1: str
    supervisor_2: str


class ApproveIn(Schema):
    approved: bool
    approver_name: str = ""
    approved_on: datetime.date | None = None
    opinion: str = ""


class FileIn(Schema):
    accepted: bool
    opinion: str = ""


class DestroyIn(Schema):
    supervisors: list[str]
    paper_destroyed: bool = False
    destroyed_on: datetime.date | None = None
    method: str = ""
    place: str = ""


class RegisterEntryOut(Schema):
    seq: int
    item_id: int
    reference_code: str
    title: str
    year: int
    retention: str
    kept_years: int
    pages: int
    notes: str


class DestroyedFileOut(Schema):
    item_id: int
    filename: str
    sha256: str
    sm3: str
    shared: bool
    deleted_at: datetime.datetime | None


class RegisterOut(Schema):
    id: int
    number: str
    unit_id: int
    status: str
    status_label: str
    supervisors: list[str]
    approver_name: str
    entries: list[RegisterEntryOut]
    files: list[DestroyedFileOut]


class WalkInIn(Schema):
    unit_id: int
    visitor_name: str
    id_number: str
    purpose: str
    consulted: str
    copies: int = 0
    household_no: str = ""
    visited_on: datetime.date | None = None


class WalkInOut(Schema):
    id: int
    unit_id: int
    visited_on: datetime.date
    visitor_name: str
    id_masked: str
    purpose: str
    consulted: str
    household_no: str
    copies: int


class CertificateIn(Schema):
    unit_id: int
    kind: str
    household_no: str = ""
    item_code: str = ""
    walk_in_id: int | None = None


class CertificateOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    unit_id: int
    issuer: str
    issued_on: datetime.date
    subject: str
    statement: str
    verify_path: str
    revoked: bool
    revoke_reason: str


class ReasonIn(Schema):
    reason: str


def expiring_data(actor: Any, months: int, unit_id: int | None = None) -> dict[str, Any]:
    today = timezone.localdate()
    items = expiring_items(actor, months=months, today=today)
    if unit_id:
        items = items.filter(unit_id=unit_id)
    groups = expiry_groups(items)
    return {
        "today": today,
        "months": months,
        "total": sum(g.count for g in groups),
        "groups": [g.__dict__ for g in groups],
        "items": [
            {
                "id": i.pk,
                "unit_id": i.unit_id,
                "reference_code": i.reference_code,
                "title": i.display_title,
                "year": i.year,
                "retention": i.kept,
                "ends_on": retention.ends_on(i.year, i.kept),
            }
            for i in items[:2000]
        ],
    }


def appraisal_data(appraisal: Appraisal) -> dict[str, Any]:
    entries = appraisal.entries.select_related("item").order_by(
        "item__year", "item__reference_code"
    )
    return {
        "id": appraisal.pk,
        "number": appraisal.number,
        "unit_id": appraisal.unit_id,
        "status": appraisal.status,
        "status_label": appraisal.get_status_display(),
        "members": appraisal.members,
        "entries": [
            {
                "item_id": e.item_id,
                "reference_code": e.item.reference_code,
                "title": e.item.display_title,
                "decision": e.decision,
                "new_retention": e.new_retention,
                "reason": e.reason,
            }
            for e in entries
        ],
    }


def register_data(register: Register) -> dict[str, Any]:
    register.refresh_from_db()
    return {
        "id": register.pk,
        "number": register.number,
        "unit_id": register.unit_id,
        "status": register.status,
        "status_label": register.get_status_display(),
        "supervisors": [register.supervisor_1, register.supervisor_2],
        "approver_name": register.approver_name,
        "entries": list(
            register.entries.values(
                "seq",
                "item_id",
                "reference_code",
                "title",
                "year",
                "retention",
                "kept_years",
                "pages",
                "notes",
            )
        ),
        "files": list(
            register.files.values("item_id", "filename", "sha256", "sm3", "shared", "deleted_at")
        ),
    }


def walkin_data(walk_in: WalkIn) -> dict[str, Any]:
    return {
        "id": walk_in.pk,
        "unit_id": walk_in.unit_id,
        "visited_on": walk_in.visited_on,
        "visitor_name": walk_in.visitor_name,
        "id_masked": walk_in.id_masked,
        "purpose": walk_in.purpose,
        "consulted": walk_in.consulted,
        "household_no": walk_in.household.household_no if walk_in.household else "",
        "copies": walk_in.copies,
    }


def certificate_data(certificate: Certificate) -> dict[str, Any]:
    return {
        "id": certificate.pk,
        "number": certificate.number,
        "kind": certificate.kind,
        "kind_label": certificate.get_kind_display(),
        "unit_id": certificate.unit_id,
        "issuer": certificate.issuer,
        "issued_on": certificate.issued_on,
        "subject": certificate.subject,
        "statement": certificate.statement,
        "verify_path": f"/public/certificates/{certificate.code}/",
        "revoked": certificate.revoked_at is not None,
        "revoke_reason": certificate.revoke_reason,
    }


def issue_from(actor: Any, payload: CertificateIn) -> Certificate:
    """Resolve the household's 户编号 or the record's 档号 in the actor's scope, then issue."""
    household_id = item_id = None
    if payload.kind == "household":
        household_id = household_id_by_no(actor, payload.household_no)
        if household_id is None:
            raise ValidationError(f"未找到户编号“{payload.household_no}”的农户。")
    elif payload.kind == "copy":
        item_id = item_id_by_code(actor, payload.unit_id, payload.item_code)
        if item_id is None:
            raise ValidationError(f"所选单位保管的档案中没有档号“{payload.item_code}”。")
    return services.certificate_issue(
        actor=actor, unit_id=payload.unit_id, kind=payload.kind, household_id=household_id,
        item_id=item_id, walk_in_id=payload.walk_in_id,
    )  # fmt: skip


@router.get("/expiring", response=ExpiringOut, summary="已到期或即将到期的档案")
def expiring(request: HttpRequest, months: int = 3, unit_id: int | None = None) -> dict:
    return expiring_data(request.user, max(0, min(months, 120)), unit_id)


@router.post("/appraisals", response={201: AppraisalOut}, summary="发起到期档案鉴定")
def appraisal_create(request: HttpRequest, payload: AppraisalIn) -> Status:
    made = services.appraisal_create(
        actor=request.user, unit_id=payload.unit_id, item_ids=payload.item_ids
    )
    return Status(201, appraisal_data(made))


@router.get("/appraisals/{appraisal_id}", response=AppraisalOut, summary="查看一次鉴定")
def appraisal_get(request: HttpRequest, appraisal_id: int) -> dict:
    return appraisal_data(access_appraisal(request.user, appraisal_id))


@router.post("/appraisals/{appraisal_id}/decisions", response=AppraisalOut, summary="填写鉴定意见")
def appraisal_decide(request: HttpRequest, appraisal_id: int, payload: DecisionsIn) -> dict:
    decisions = [d.dict() for d in payload.decisions]
    done = services.appraisal_decide(
        actor=request.user, appraisal_id=appraisal_id, decisions=decisions
    )
    return appraisal_data(done)


@router.post("/appraisals/{appraisal_id}/conclude", response=AppraisalOut, summary="完成鉴定")
def appraisal_conclude(request: HttpRequest, appraisal_id: int, payload: OpinionIn) -> dict:
    done = services.appraisal_conclude(
        actor=request.user, appraisal_id=appraisal_id, opinion=payload.opinion
    )
    return appraisal_data(done)


@router.post("/registers", response={201: RegisterOut}, summary="编制销毁清册")
def register_create(request: HttpRequest, payload: RegisterIn) -> Status:
    made = services.register_create(
        actor=request.user, appraisal_id=payload.appraisal_id,
        supervisor_1=payload.supervisor_1, supervisor_2=payload.supervisor_2,
    )  # fmt: skip
    return Status(201, register_data(made))


@router.get("/registers/{register_id}", response=RegisterOut, summary="查看销毁清册")
def register_get(request: HttpRequest, register_id: int) -> dict:
    return register_data(access_register(request.user, register_id))


@router.post(
    "/registers/{register_id}/approve", response=RegisterOut, summary="记录分管领导审批意见"
)
def register_approve(request: HttpRequest, register_id: int, payload: ApproveIn) -> dict:
    done = services.register_approve(
        actor=request.user, register_id=register_id, approved=payload.approved,
        approver_name=payload.approver_name, approved_on=payload.approved_on,
        opinion=payload.opinion,
    )  # fmt: skip
    return register_data(done)


@router.post("/registers/{register_id}/file", response=RegisterOut, summary="档案局备案或退回")
def register_file(request: HttpRequest, register_id: int, payload: FileIn) -> dict:
    done = services.register_file(
        actor=request.user, register_id=register_id, accepted=payload.accepted,
        opinion=payload.opinion,
    )  # fmt: skip
    return register_data(done)


@router.post(
    "/registers/{register_id}/destroy", response=RegisterOut, summary="实施销毁（监销人确认）"
)
def register_destroy(request: HttpRequest, register_id: int, payload: DestroyIn) -> dict:
    done = services.register_destroy(
        actor=request.user, register_id=register_id, supervisors=payload.supervisors,
        destroyed_on=payload.destroyed_on, method=payload.method, place=payload.place,
        paper_destroyed=payload.paper_destroyed,
    )  # fmt: skip
    return register_data(done)


@router.get("/walkins", response=list[WalkInOut], summary="查档登记")
def walkins(request: HttpRequest) -> list[dict]:
    return [walkin_data(w) for w in visible_walkins(request.user)[:500]]


@router.post("/walkins", response={201: WalkInOut}, summary="登记一次查档")
def walkin_register(request: HttpRequest, payload: WalkInIn) -> Status:
    household = None
    if payload.household_no.strip():
        household = household_id_by_no(request.user, payload.household_no)
        if household is None:
            raise ValidationError(f"未找到户编号 {payload.household_no}。")
    made = services.walkin_register(
        actor=request.user, unit_id=payload.unit_id, visitor_name=payload.visitor_name,
        id_number=payload.id_number, purpose=payload.purpose, consulted=payload.consulted,
        copies=payload.copies, household_id=household, visited_on=payload.visited_on,
    )  # fmt: skip
    return Status(201, walkin_data(made))


@router.get("/certificates", response=list[CertificateOut], summary="档案证明")
def certificates(request: HttpRequest) -> list[dict]:
    return [certificate_data(c) for c in visible_certificates(request.user)[:500]]


@router.post("/certificates", response={201: CertificateOut}, summary="出具档案证明")
def certificate_issue(request: HttpRequest, payload: CertificateIn) -> Status:
    return Status(201, certificate_data(issue_from(request.user, payload)))


@router.get("/certificates/{certificate_id}", response=CertificateOut, summary="查看档案证明")
def certificate_get(request: HttpRequest, certificate_id: int) -> dict:
    return certificate_data(access_certificate(request.user, certificate_id))


@router.post(
    "/certificates/{certificate_id}/revoke", response=CertificateOut, summary="撤销档案证明"
)
def certificate_revoke(request: HttpRequest, certificate_id: int, payload: ReasonIn) -> dict:
    done = services.certificate_revoke(
        actor=request.user, certificate_id=certificate_id, reason=payload.reason
    )
    return certificate_data(done)
