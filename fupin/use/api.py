import datetime

from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import Status

from fupin.accounts.access import access_region
from fupin.use import services
from fupin.use.models import Loan, UseRequest
from fupin.use.selectors import (
    access_request,
    can_decide,
    is_active,
    my_requests,
    overdue_loans,
    requests_to_decide,
    use_lookups_served,
    visible_loans,
)

router = Router(tags=["档案利用与借阅"])


class RequestIn(Schema):
    codes: list[str]
    purpose: str
    days: int = 7


class ApproveIn(Schema):
    days: int | None = None


class RefuseIn(Schema):
    reason: str


class RequestedItemOut(Schema):
    id: int
    reference_code: str | None
    # Shown once the request is granted (to the requester) or to the deciding custodian.
    title: str | None


class RequestOut(Schema):
    id: int
    requester: str
    unit_id: int
    unit_name: str
    purpose: str
    days: int
    status: str
    status_label: str
    created_at: datetime.datetime
    decided_by: str | None
    decided_at: datetime.datetime | None
    expires_at: datetime.datetime | None
    active: bool
    reason: str
    items: list[RequestedItemOut]
    volumes: list[str]


class LoanIn(Schema):
    unit_id: int
    codes: list[str]
    borrower_name: str
    borrower_unit: str = ""
    purpose: str
    lent_on: datetime.date | None = None
    due_on: datetime.date


class ReturnIn(Schema):
    returned_on: datetime.date | None = None


class LoanOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    borrower_name: str
    borrower_unit: str
    purpose: str
    codes: list[str]
    lent_on: datetime.date
    due_on: datetime.date
    returned_on: datetime.date | None
    overdue: bool
    lender: str | None


class LookupsOut(Schema):
    region: str
    start: datetime.date
    end: datetime.date
    lookups_served: int


def request_out(found: UseRequest, actor) -> dict:
    active = is_active(found)
    shown = can_decide(actor, found) or (
        active and found.requester_id == getattr(actor, "pk", None)
    )
    return {
        "id": found.pk,
        "requester": found.requester.username,
        "unit_id": found.unit_id,
        "unit_name": found.unit.name,
        "purpose": found.purpose,
        "days": found.days,
        "status": found.status,
        "status_label": found.get_status_display(),
        "created_at": found.created_at,
        "decided_by": found.decided_by.username if found.decided_by else None,
        "decided_at": found.decided_at,
        "expires_at": found.expires_at,
        "active": active,
        "reason": found.reason,
        "items": [
            {
                "id": i.pk,
                "reference_code": i.reference_code,
                "title": i.display_title if shown else None,
            }
            for i in found.items.all()
        ],
        "volumes": [v.reference_code for v in found.volumes.all()],
    }


def loan_out(loan: Loan) -> dict:
    codes = [i.reference_code or "" for i in loan.items.all()]
    return {
        "id": loan.pk,
        "unit_id": loan.unit_id,
        "unit_name": loan.unit.name,
        "codes": codes + [v.reference_code for v in loan.volumes.all()],
        "overdue": loan.returned_on is None and loan.due_on < timezone.localdate(),
        "lender": loan.lender.username if loan.lender else None,
    } | {
        f: getattr(loan, f)
        for f in ("borrower_name", "borrower_unit", "purpose", "lent_on", "due_on", "returned_on")
    }


@router.get("/requests", response=list[RequestOut], summary="我提出的利用申请")
def requests(request) -> list[dict]:
    return [request_out(r, request.user) for r in my_requests(request.user)]


@router.post("/requests", response={201: RequestOut}, summary="提出利用申请（按档号，件或案卷）")
def request_create(request, payload: RequestIn) -> Status:
    made = services.use_request_create(actor=request.user, **payload.dict())
    return Status(201, request_out(access_request(request.user, made.pk), request.user))


@router.get("/requests/to-decide", response=list[RequestOut], summary="待我审批的利用申请")
def to_decide(request) -> list[dict]:
    return [request_out(r, request.user) for r in requests_to_decide(request.user)]


@router.get("/requests/{request_id}", response=RequestOut, summary="一件利用申请（授权）")
def request_detail(request, request_id: int) -> dict:
    return request_out(access_request(request.user, request_id), request.user)


@router.post("/requests/{request_id}/approve", response=RequestOut, summary="批准利用申请")
def approve(request, request_id: int, payload: ApproveIn) -> dict:
    services.use_request_approve(actor=request.user, request_id=request_id, days=payload.days)
    return request_out(access_request(request.user, request_id), request.user)


@router.post("/requests/{request_id}/refuse", response=RequestOut, summary="不予批准")
def refuse(request, request_id: int, payload: RefuseIn) -> dict:
    services.use_request_refuse(actor=request.user, request_id=request_id, reason=payload.reason)
    return request_out(access_request(request.user, request_id), request.user)


@router.post("/requests/{request_id}/withdraw", response=RequestOut, summary="立即收回授权")
def withdraw(request, request_id: int) -> dict:
    services.use_grant_shorten(actor=request.user, request_id=request_id, expires_at=timezone.now())
    return request_out(access_request(request.user, request_id), request.user)


@router.get("/loans", response=list[LoanOut], summary="借阅记录（未还的在前）")
def loans(request, open_only: bool = False) -> list[dict]:
    found = visible_loans(request.user)
    if open_only:
        found = found.filter(returned_on__isnull=True)
    return [loan_out(loan) for loan in found]


@router.post("/loans", response={201: LoanOut}, summary="登记借出纸质原件")
def loan_create(request, payload: LoanIn) -> Status:
    loan = services.loan_create(actor=request.user, **payload.dict())
    return Status(201, loan_out(loan))


@router.get("/loans/overdue", response=list[LoanOut], summary="逾期未还的借阅")
def overdue(request) -> list[dict]:
    return [loan_out(loan) for loan in overdue_loans(request.user)]


@router.post("/loans/{loan_id}/return", response=LoanOut, summary="登记归还")
def loan_return(request, loan_id: int, payload: ReturnIn) -> dict:
    loan = services.loan_return(actor=request.user, loan_id=loan_id, **payload.dict())
    return loan_out(loan)


@router.get("/lookups", response=LookupsOut, summary="利用人次（批准的申请与借出之和）")
def lookups(request, region: str, start: datetime.date, end: datetime.date) -> dict:
    access_region(request.user, region)
    count = use_lookups_served(region, start, end)
    return {"region": region, "start": start, "end": end, "lookups_served": count}
