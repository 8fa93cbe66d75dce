"""Reads of inspections, orders and assessments, all through the access layer."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from fupin.accounts.access import user_scope
from fupin.accounts.roles import Cap
from fupin.regions.models import Unit
from fupin.supervision.models import (
    Assessment,
    Inspection,
    OrderStatus,
    RectificationOrder,
)


def can_inspect(actor: Any) -> bool:
    """Whether this person inspects anywhere (档案局监督检查员)."""
    return user_scope(actor).has(Cap.INSPECT)


def visible_inspections(actor: Any) -> QuerySet[Inspection]:
    q = user_scope(actor).unit_q(Cap.DATA_READ, "unit", "unit__region__code")
    return Inspection.objects.filter(q).select_related("unit", "checklist", "inspector")


def access_inspection(actor: Any, inspection_id: int) -> Inspection:
    found = visible_inspections(actor).filter(pk=inspection_id).first()
    if found is None:
        raise Http404("未找到该检查记录，或不在您的管辖范围内。")
    return found


def visible_orders(actor: Any) -> QuerySet[RectificationOrder]:
    q = user_scope(actor).unit_q(Cap.DATA_READ, "unit", "unit__region__code")
    return RectificationOrder.objects.filter(q).select_related("unit", "opened_by", "closed_by")


def overdue_orders(actor: Any, today: Any = None) -> QuerySet[RectificationOrder]:
    today = today or timezone.localdate()
    return visible_orders(actor).filter(status=OrderStatus.OPEN, deadline__lt=today)


def rating_bars(units: list[Unit], year: int) -> dict[int, str]:
    """Why each unit may not be rated that year ("" when it may): its own archives or those
    of the villages it is stationed in were not managed to the rules — an inspection that
    year failed or found a serious hazard, or an order is past its deadline. The policy: 未规范
    管理本单位和驻点村精准扶贫档案工作的单位，不得组织该单位当年档案工作目标管理考评。"""
    ids = [u.pk for u in units]
    stationed = Unit.stationed_villages.through.objects.filter(unit_id__in=ids)
    villages_of: dict[int, set[str]] = {}
    for unit_id, code in stationed.values_list("unit_id", "region_id"):
        villages_of.setdefault(unit_id, set()).add(code)
    codes = {c for found in villages_of.values() for c in found}
    in_village = dict(Unit.objects.filter(region_id__in=codes).values_list("pk", "region_id"))
    related = set(ids) | set(in_village)
    failed = (
        Inspection.objects.filter(unit_id__in=related, inspected_on__year=year)
        .filter(Q(passed=False) | Q(serious_hazard=True))
        .select_related("unit")
        .order_by("inspected_on", "pk")
    )
    overdue = (
        RectificationOrder.objects.filter(
            unit_id__in=related, status=OrderStatus.OPEN, deadline__lt=timezone.localdate()
        )
        .select_related("unit")
        .order_by("deadline", "pk")
    )
    why: dict[int, str] = {}
    for i in failed:
        word = "发现严重安全隐患" if i.serious_hazard else "检查不合格"
        why.setdefault(i.unit_id, f"{i.unit.name} {i.inspected_on:%Y-%m-%d} {word}")
    for o in overdue:
        why.setdefault(o.unit_id, f"{o.unit.name} 有逾期未整改事项（限 {o.deadline:%Y-%m-%d}）")
    found = {}
    for unit in units:
        mine = [unit.pk] + [u for u, c in in_village.items() if c in villages_of.get(unit.pk, ())]
        found[unit.pk] = next((why[u] for u in mine if u in why), "")
    return found


def visible_assessments(actor: Any) -> QuerySet[Assessment]:
    q = user_scope(actor).unit_q(Cap.DATA_READ, "unit", "unit__region__code")
    return Assessment.objects.filter(q).select_related("unit", "cancelled_by", "rated_by")
