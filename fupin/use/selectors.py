"""Reads of requests, grants and loans, always through the access layer."""

import datetime
from typing import Any

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from fupin.accounts.access import user_scope
from fupin.accounts.roles import Cap
from fupin.use.models import Loan, RequestStatus, UseRequest

HOLDER = ("unit", "unit__region__code")


def granted_items(actor: Any, at: datetime.datetime) -> dict[int, int]:
    """The grant source the access layer consults: item id → grant (request) id. In SQL of its
    own: every item page and every read of items asks, nearly always to find nothing, and the
    ORM took longer to write this read than the database to answer it."""
    items = UseRequest.items.through._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT i.recorditem_id, i.userequest_id FROM {items} i"
            f" JOIN {UseRequest._meta.db_table} r ON r.id = i.userequest_id"
            " WHERE r.requester_id = %s AND r.status = %s AND r.expires_at > %s",
            [actor.pk, RequestStatus.APPROVED.value, connection.ops.adapt_datetimefield_value(at)],
        )
        return dict(cursor.fetchall())


def _requests() -> QuerySet[UseRequest]:
    return UseRequest.objects.select_related(
        "unit", "unit__region", "requester", "decided_by"
    ).prefetch_related("items", "volumes")


def my_requests(actor: Any) -> QuerySet[UseRequest]:
    return _requests().filter(requester=actor)


def requests_to_decide(actor: Any) -> QuerySet[UseRequest]:
    """Requests for items held in the actor's custody, pending ones first."""
    q = user_scope(actor).unit_q(Cap.USE_APPROVE, *HOLDER)
    return _requests().filter(q).order_by(F("decided_at").desc(nulls_first=True), "-pk")


def can_decide(actor: Any, request: UseRequest) -> bool:
    return user_scope(actor).covers_unit(Cap.USE_APPROVE, request.unit)


def access_request(actor: Any, request_id: int) -> UseRequest:
    """Seen by its requester and by the custodians of the holding unit; by no one else."""
    found = _requests().filter(pk=request_id).first()
    mine = found is not None and actor is not None and found.requester_id == actor.pk
    if found is None or not (mine or can_decide(actor, found)):
        raise Http404("未找到该利用申请，或不在您的管辖范围内。")
    return found


def is_active(request: UseRequest, at: datetime.datetime | None = None) -> bool:
    moment = at or timezone.now()
    approved = request.status == RequestStatus.APPROVED
    return approved and request.expires_at is not None and request.expires_at > moment


def visible_loans(actor: Any) -> QuerySet[Loan]:
    q = user_scope(actor).unit_q(Cap.DATA_READ, *HOLDER)
    return (
        Loan.objects.filter(q)
        .select_related("unit", "lender")
        .prefetch_related("items", "volumes")
        .order_by("returned_on", "due_on", "pk")
    )


def access_loan(actor: Any, loan_id: int, cap: str = Cap.DATA_READ) -> Loan:
    q = user_scope(actor).unit_q(cap, *HOLDER)
    loan = Loan.objects.filter(q, pk=loan_id).select_related("unit").first()
    if loan is None:
        raise Http404("未找到该借阅记录，或不在您的管辖范围内。")
    return loan


def overdue_loans(actor: Any, today: datetime.date | None = None) -> QuerySet[Loan]:
    """Loans not returned by their due date (the due day itself is not yet overdue)."""
    day = today or timezone.localdate()
    return visible_loans(actor).filter(returned_on__isnull=True, due_on__lt=day).order_by("due_on")


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def use_lookups_served(region_code_prefix: str, start: datetime.date, end: datetime.date) -> int:
    """Lookups served (利用人次) for the supervision reports: requests granted plus loans made
    by units in the region, from `start` to `end`, both days included (local time).

    It takes no actor: the report that calls it has already checked the reader's scope."""
    since, until = _day_start(start), _day_start(end + datetime.timedelta(days=1))
    in_region = Q(unit__region__code__startswith=region_code_prefix)
    granted = UseRequest.objects.filter(
        in_region, status=RequestStatus.APPROVED, decided_at__gte=since, decided_at__lt=until
    ).count()
    lent = Loan.objects.filter(in_region, lent_on__gte=start, lent_on__lte=end).count()
    return granted + lent


def items_on_loan(item_ids: list[int]) -> dict[int, str]:
    """Items lent out and not back (themselves or in a lent volume): item id → why.
    What keeps a record from being destroyed or transferred."""
    from fupin.records.models import VolumeEntry

    out = Loan.objects.filter(returned_on__isnull=True)
    touching = Q(items__in=item_ids) | Q(volumes__entries__item__in=item_ids)
    found = {}
    for loan in out.filter(touching).distinct():
        lent = set(loan.items.filter(pk__in=item_ids).values_list("pk", flat=True))
        entries = VolumeEntry.objects.filter(volume__in=loan.volumes.all(), item__in=item_ids)
        lent |= set(entries.values_list("item_id", flat=True))
        for item_id in lent:
            found[item_id] = f"已借出未归还（{loan}，应还 {loan.due_on:%Y-%m-%d}）"
    return found


def items_in_use(item_ids: list[int], now: datetime.datetime) -> dict[int, str]:
    """Items of a pending use request or a grant still running: item id → why."""
    live = Q(status=RequestStatus.PENDING) | Q(status=RequestStatus.APPROVED, expires_at__gt=now)
    rows = UseRequest.items.through.objects.filter(
        recorditem_id__in=item_ids, userequest__in=UseRequest.objects.filter(live)
    ).values_list("recorditem_id", "userequest_id", "userequest__status")
    state: dict[str, str] = {RequestStatus.PENDING: "待审批", RequestStatus.APPROVED: "授权查阅中"}
    return {
        item_id: f"利用申请第{request_id}号{state[status]}" for item_id, request_id, status in rows
    }
