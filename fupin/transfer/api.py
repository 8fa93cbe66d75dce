"""The transfer over the API (/api/v1/transfer/): plan, mark, build, sign and send a batch;
re-check, accept or return it at the archives; the records taken in. The dicts built here are
also what `fupin transfer … --json` prints."""

import datetime
from typing import Any

from ninja import Router, Schema
from ninja.responses import Status

from fupin.transfer import services
from fupin.transfer.models import Batch, BatchStatus, Holding
from fupin.transfer.selectors import (
    access_batch,
    batch_rows,
    can_send,
    visible_batches,
    visible_holdings,
)

router = Router(tags=["移交与接收进馆"])


class PlanIn(Schema):
    unit_id: int
    first_year: int | None = None
    last_year: int | None = None
    categories: list[str] = []
    retentions: list[str] = []
    class_codes: list[str] = []
    households: bool = True
    early_reason: str = ""
    nature: str = "移交"


class MarkIn(Schema):
    marking: str
    reason: str
    item_ids: list[int] = []
    volume_ids: list[int] = []


class SignIn(Schema):
    leader: str
    name: str
    opinion: str = ""


class ReasonIn(Schema):
    reason: str


class ReturnIn(Schema):
    reason: str
    record_reasons: dict[int, str] = {}


class CheckOut(Schema):
    code: str
    property: str
    label: str
    ok: bool
    outcome: str
    failures: list[dict[str, str]]


class BatchOut(Schema):
    id: int
    number: str
    unit: str
    fonds_code: str
    archives: str
    status: str
    status_label: str
    nature: str
    early_reason: str
    synchronous: bool
    items: int
    volumes: int
    planned_at: datetime.datetime
    sent_at: datetime.datetime | None
    package_name: str
    package_sha256: str
    package_bytes: int
    digest_algorithms: str
    checks: list[CheckOut]
    receipt_checks: list[CheckOut]
    transfer_run_id: int | None
    receipt_run_id: int | None
    sender_leader: str
    sender_name: str
    receiver_leader: str
    receiver_name: str
    return_reason: str


class RowOut(Schema):
    kind: str
    id: int
    code: str
    title: str
    year: int
    marking: str
    marking_reason: str
    in_volume: str
    blockers: list[str]
    return_reason: str


class BatchDetailOut(BatchOut):
    records: list[RowOut]


class ReceiptOut(Schema):
    ok: bool
    run_id: int
    problems: list[str]
    checks: list[CheckOut]


class HoldingOut(Schema):
    id: int
    fonds_code: str
    fonds_name: str
    archives_code: str
    title: str
    original_code: str
    original_fonds_code: str
    original_unit: str
    batch: str
    access_marking: str
    accepted_at: datetime.datetime


def batch_out(batch: Batch) -> dict[str, Any]:
    return {
        "id": batch.pk,
        "number": batch.number,
        "unit": batch.unit.name,
        "fonds_code": batch.unit.fonds_code,
        "archives": batch.archives.name,
        "status": batch.status,
        "status_label": batch.get_status_display(),
        "nature": batch.nature,
        "early_reason": batch.early_reason,
        "synchronous": batch.synchronous,
        "items": batch.items.count(),
        "volumes": batch.volumes.count(),
        "planned_at": batch.planned_at,
        "sent_at": batch.sent_at,
        "package_name": batch.package_name,
        "package_sha256": batch.package_sha256,
        "package_bytes": batch.package_bytes,
        "digest_algorithms": batch.digest_algorithms,
        "checks": batch.checks,
        "receipt_checks": batch.receipt_checks,
        "transfer_run_id": batch.transfer_run_id,
        "receipt_run_id": batch.receipt_run_id,
        "sender_leader": batch.sender_leader,
        "sender_name": batch.sender_name,
        "receiver_leader": batch.receiver_leader,
        "receiver_name": batch.receiver_name,
        "return_reason": batch.return_reason,
    }


def batch_detail_out(actor: Any, batch: Batch) -> dict[str, Any]:
    blockers = can_send(actor, batch) and batch.status == BatchStatus.PLANNED
    rows = batch_rows(batch, blockers=blockers)
    return batch_out(batch) | {
        "records": [
            {"kind": r.kind, "id": r.pk, "code": r.code, "title": r.title, "year": r.year,
             "marking": r.marking, "marking_reason": r.marking_reason, "in_volume": r.in_volume,
             "blockers": r.blockers, "return_reason": r.return_reason}
            for r in rows
        ]
    }  # fmt: skip


def holding_out(holding: Holding) -> dict[str, Any]:
    return {
        "id": holding.pk,
        "fonds_code": holding.fonds.fonds_code,
        "fonds_name": holding.fonds.name,
        "archives_code": holding.archives_code,
        "title": holding.item.display_title
        if holding.item
        else getattr(holding.volume, "title", ""),
        "original_code": holding.original_code,
        "original_fonds_code": holding.original_fonds_code,
        "original_unit": holding.original_unit.name,
        "batch": holding.batch.number,
        "access_marking": holding.get_access_marking_display(),
        "accepted_at": holding.accepted_at,
    }


def _detail(request: Any, batch_id: int) -> dict[str, Any]:
    return batch_detail_out(request.user, access_batch(request.user, batch_id))


@router.get(
    "/batches", response=list[BatchOut], summary="移交批次列表（本单位移交的与移交到本馆的）"
)
def batches(request: Any, status: str = "") -> list[dict[str, Any]]:
    found = visible_batches(request.user)
    if status:
        found = found.filter(status=status)
    return [batch_out(b) for b in found[:500]]


@router.post("/batches", response={201: BatchDetailOut}, summary="制定移交计划")
def plan(request: Any, payload: PlanIn) -> Status:
    first, last = payload.first_year, payload.last_year
    years = (first or 0, last or 9999) if first or last else None
    batch = services.batch_plan(
        actor=request.user, unit_id=payload.unit_id, years=years,  # type: ignore[arg-type]
        categories=payload.categories, retentions=payload.retentions,
        class_codes=payload.class_codes, households=payload.households,
        early_reason=payload.early_reason, nature=payload.nature,
    )  # fmt: skip
    return Status(201, _detail(request, batch.pk))


@router.get(
    "/batches/{transfer_id}", response=BatchDetailOut, summary="一个移交批次：档案与受阻原因"
)
def batch(request: Any, transfer_id: int) -> dict[str, Any]:
    return _detail(request, transfer_id)


@router.post("/batches/{transfer_id}/marking", response=BatchDetailOut, summary="划定开放或控制")
def mark(request: Any, transfer_id: int, payload: MarkIn) -> dict[str, Any]:
    found = access_batch(request.user, transfer_id)
    services.batch_mark(
        actor=request.user, batch_id=found.pk, marking=payload.marking, reason=payload.reason,
        item_ids=payload.item_ids, volume_ids=payload.volume_ids,
    )  # fmt: skip
    return _detail(request, found.pk)


@router.post("/batches/{transfer_id}/drop-blocked", response=BatchDetailOut, summary="移出受阻档案")
def drop_blocked(request: Any, transfer_id: int) -> dict[str, Any]:
    services.batch_drop_blocked(actor=request.user, batch_id=transfer_id)
    return _detail(request, transfer_id)


@router.post(
    "/batches/{transfer_id}/build", response=BatchDetailOut, summary="四性检测并生成移交包"
)
def build(request: Any, transfer_id: int) -> dict[str, Any]:
    services.batch_build(actor=request.user, batch_id=transfer_id)
    return _detail(request, transfer_id)


@router.post(
    "/batches/{transfer_id}/send", response=BatchDetailOut, summary="签署档案交接文据并移交"
)
def send(request: Any, transfer_id: int, payload: SignIn) -> dict[str, Any]:
    services.batch_send(actor=request.user, batch_id=transfer_id, **payload.dict())
    return _detail(request, transfer_id)


@router.post("/batches/{transfer_id}/cancel", response=BatchDetailOut, summary="撤销移交批次")
def cancel(request: Any, transfer_id: int, payload: ReasonIn) -> dict[str, Any]:
    services.batch_cancel(actor=request.user, batch_id=transfer_id, reason=payload.reason)
    return _detail(request, transfer_id)


@router.post(
    "/batches/{transfer_id}/receipt-check",
    response=ReceiptOut,
    summary="接收检测（重新核验移交包）",
)
def receipt_check(request: Any, transfer_id: int) -> dict[str, Any]:
    found = services.batch_receipt_check(actor=request.user, batch_id=transfer_id)
    return {
        "ok": found.ok,
        "run_id": found.run.pk,
        "problems": found.problems,
        "checks": services.run_summary(found.run),
    }


@router.post("/batches/{transfer_id}/accept", response=BatchDetailOut, summary="检测并签署接收进馆")
def accept(request: Any, transfer_id: int, payload: SignIn) -> dict[str, Any]:
    services.batch_accept(actor=request.user, batch_id=transfer_id, **payload.dict())
    return _detail(request, transfer_id)


@router.post("/batches/{transfer_id}/return", response=BatchDetailOut, summary="退回移交批次")
def return_(request: Any, transfer_id: int, payload: ReturnIn) -> dict[str, Any]:
    services.batch_return(
        actor=request.user, batch_id=transfer_id, reason=payload.reason,
        record_reasons=payload.record_reasons,
    )  # fmt: skip
    return _detail(request, transfer_id)


@router.get("/holdings", response=list[HoldingOut], summary="进馆档案（独立全宗，含原档号与来源）")
def holdings(request: Any, q: str = "") -> list[dict[str, Any]]:
    found = visible_holdings(request.user)
    if q:
        found = found.filter(archives_code__icontains=q) | found.filter(original_code__icontains=q)
    return [holding_out(h) for h in found.order_by("fonds_id", "year", "number")[:500]]
