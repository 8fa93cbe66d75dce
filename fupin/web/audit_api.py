from datetime import datetime
from typing import Any

from ninja import Query, Router, Schema

from fupin.accounts.access import audit_q, require_cap
from fupin.accounts.roles import Cap
from fupin.audit.models import AuditEvent
from fupin.audit.services import audit_verify

router = Router(tags=["审计"])


class EventFilter(Schema):
    action: str = ""
    actor: str = ""
    after_seq: int = 0
    limit: int = 100


class EventOut(Schema):
    seq: int
    at: datetime
    actor_name: str
    ip: str
    action: str
    object_type: str
    object_id: str
    region_code: str
    summary: str
    before: Any = None
    after: Any = None
    hash: str


class VerifyOut(Schema):
    ok: bool
    checked: int
    first_broken_seq: int | None
    reason: str
    unkeyed: int
    keys: list[str]
    notes: list[str]


@router.get("/events", response=list[EventOut], summary="按条件读取审计事件（安全审计员）")
def events(request, filters: Query[EventFilter]) -> list[AuditEvent]:
    require_cap(request.user, Cap.AUDIT_READ)
    rows = AuditEvent.objects.filter(audit_q(request.user), seq__gt=filters.after_seq)
    if filters.action:
        rows = rows.filter(action__startswith=filters.action)
    if filters.actor:
        rows = rows.filter(actor_name=filters.actor)
    return list(rows.order_by("seq")[: max(1, min(filters.limit, 1000))])


@router.get("/verify", response=VerifyOut, summary="校验哈希链")
def verify(request) -> dict[str, Any]:
    require_cap(request.user, Cap.AUDIT_READ)
    return audit_verify().as_dict()
