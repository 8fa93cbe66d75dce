"""Guidance visits (指导服务): the archive bureau records each visit to a unit or a village;
the visits show on that unit's and village's pages and count in the quarterly report."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from fupin.accounts.access import user_scope
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_record
from fupin.regions.models import Level, Region, Unit
from fupin.supervision.models import GuidanceVisit

TEXTS = {"problems": "发现的问题", "advice": "指导意见", "follow_up": "后续跟进"}


def _place(actor: Any, unit_id: int | None, village_code: str) -> tuple[Unit | None, Region]:
    if bool(unit_id) == bool(village_code):
        raise ValidationError("请选择一个被指导的单位或一个村（二者选一）。")
    scope = user_scope(actor)
    if unit_id:
        unit = Unit.objects.select_related("region").filter(pk=unit_id).first()
        if unit is None or not scope.covers_unit(Cap.INSPECT, unit):
            raise PermissionDenied("您没有指导这个单位的权限。")
        return unit, unit.region
    village = Region.objects.filter(code=village_code).first()
    if village is None or not scope.covers_region(Cap.INSPECT, village.code):
        raise PermissionDenied("您没有指导这个村的权限。")
    if village.level != Level.VILLAGE:
        raise ValidationError(f"{village.name}不是村，请选择村或单位。")
    return None, village


def guidance_record(
    *,
    actor: Any,
    visited_on: datetime.date,
    topics: str,
    guides: str = "",
    unit_id: int | None = None,
    village_code: str = "",
    problems: str = "",
    advice: str = "",
    follow_up: str = "",
) -> GuidanceVisit:
    """Record one visit. Who went defaults to the person recording it."""
    topics, guides = " ".join(topics.split()), " ".join(guides.split())
    if not topics:
        raise ValidationError("请写明指导内容。")
    if visited_on > timezone.localdate():
        raise ValidationError("指导日期不能晚于今天。")
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    recorder = actor.get_username() if signed_in else "系统"
    guides = guides or (actor.name_and_login if signed_in else "")
    if not guides:
        raise ValidationError("请写明指导人员。")
    with transaction.atomic():
        unit, region = _place(actor, unit_id, village_code)
        visit = GuidanceVisit.objects.create(
            visited_on=visited_on,
            unit=unit,
            village=None if unit else region,
            region=region,
            guides=guides[:300],
            topics=topics[:500],
            problems=problems.strip(),
            advice=advice.strip(),
            follow_up=follow_up.strip(),
            recorded_by=actor if signed_in else None,
            recorded_by_name=recorder,
        )
        audit_record(
            actor=actor,
            action="supervision.guidance_record",
            obj=visit,
            after={"visited_on": visited_on.isoformat(), "guides": guides, "topics": topics},
            summary=f"记录 {visited_on:%Y-%m-%d} 对{visit.place}的指导服务：{topics[:60]}",
        )
    return visit


def visible_visits(actor: Any) -> QuerySet[GuidanceVisit]:
    scope = user_scope(actor)
    q = scope.region_q(Cap.DATA_READ, "region__code") | scope.unit_q(
        Cap.DATA_READ, "unit", "unit__region__code"
    )
    return GuidanceVisit.objects.filter(q).select_related("unit", "village", "recorded_by")


def visits_to_unit(actor: Any, unit: Unit) -> QuerySet[GuidanceVisit]:
    return visible_visits(actor).filter(unit=unit)


def visits_to_village(actor: Any, village: Region) -> QuerySet[GuidanceVisit]:
    return visible_visits(actor).filter(village=village)
