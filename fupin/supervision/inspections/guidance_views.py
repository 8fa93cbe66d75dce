"""Guidance visits on the pages: the list with the form to record one, and the panels on a
unit's and a village's page."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from fupin.accounts.access import user_scope, visible_units
from fupin.accounts.roles import Cap
from fupin.regions.models import Level, Region, Unit
from fupin.supervision.inspections.guidance import (
    TEXTS,
    guidance_record,
    visible_visits,
    visits_to_unit,
    visits_to_village,
)
from fupin.supervision.inspections.selectors import can_inspect

PANEL = "supervision/_guidance_panel.html"
# A city's inspector reaches thousands of villages: the picker lists the first ones, and the
# village's own page offers the form for any other.
PICKER_LIMIT = 2000


def _visited_on(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValidationError(f"指导日期“{text}”不是有效日期，应写作 2026-03-10。") from exc


def _record(request: HttpRequest) -> str:
    post = request.POST
    target = post.get("target", "")
    kind, _, key = target.partition(":")
    if kind not in ("unit", "village") or not key:
        raise ValidationError("请选择被指导的单位或村。")
    if kind == "unit" and not key.isdigit():
        raise ValidationError("请选择被指导的单位或村。")
    visit = guidance_record(
        actor=request.user,
        visited_on=_visited_on(post.get("visited_on", "")),
        topics=post.get("topics", ""),
        guides=post.get("guides", ""),
        unit_id=int(key) if kind == "unit" else None,
        village_code=key if kind == "village" else "",
        **{field: post.get(field, "") for field in TEXTS},
    )
    return f"已记录 {visit.visited_on:%Y年%m月%d日} 对{visit.place}的指导服务，计入当季季报。"


@login_required
def guidance(request: HttpRequest) -> HttpResponse:
    guide = can_inspect(request.user)
    if request.method == "POST":
        if not guide:
            raise PermissionDenied("只有档案局监督检查员可以记录指导服务。")
        try:
            messages.success(request, _record(request))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            return redirect(_back(request))
    context = {
        "visits": visible_visits(request.user)[:200],
        "guide": guide,
        "form": _form(request) if guide else None,
    }
    return render(request, "supervision/guidance.html", context)


def _back(request: HttpRequest) -> str:
    """Back to the page the form was on (a unit's or village's page), never to another site."""
    back = request.POST.get("back", "")
    safe = url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())
    return back if back and safe else reverse("supervision:guidance")


def _form(request: HttpRequest, fixed: str = "", fixed_name: str = "") -> dict[str, Any]:
    """The form's choices and what was typed (kept when it was refused)."""
    targets: list[tuple[str, str]] = []
    if fixed:
        targets = [(fixed, fixed_name)]
    else:
        units = visible_units(request.user, Cap.INSPECT).select_related("region__parent")
        for u in units.order_by("region_id", "name")[:PICKER_LIMIT]:
            targets.append((f"unit:{u.pk}", f"单位：{u.name}（{_where(u.region)}）"))
        villages = Region.objects.filter(
            user_scope(request.user).region_q(Cap.INSPECT, "code"), level=Level.VILLAGE
        ).select_related("parent")
        for v in villages.order_by("code")[:PICKER_LIMIT]:
            targets.append((f"village:{v.code}", f"村：{_where(v)}"))
    return {
        "targets": targets,
        "values": request.POST,
        "today": timezone.localdate(),
        "texts": TEXTS,
    }


def _where(region: Region) -> str:
    return f"{region.parent.name}{region.name}" if region.parent_id else region.name  # type: ignore[union-attr]


def unit_panel(actor: Any, unit: Unit) -> dict[str, Any] | None:
    return _panel(actor, visits_to_unit(actor, unit), f"unit:{unit.pk}", unit.name, unit)


def village_panel(actor: Any, region: Region) -> dict[str, Any] | None:
    if region.level != Level.VILLAGE:
        return None
    visits = visits_to_village(actor, region)
    return _panel(actor, visits, f"village:{region.code}", region.name, None, region)


def _panel(
    actor: Any, visits: Any, target: str, name: str, unit: Unit | None, village: Any = None
) -> dict[str, Any]:
    scope = user_scope(actor)
    guide = (
        scope.covers_unit(Cap.INSPECT, unit)
        if unit
        else scope.covers_region(Cap.INSPECT, village.code)
    )
    return {
        "template": PANEL,
        "visits": list(visits[:50]),
        "target": target,
        "name": name,
        "guide": guide,
        "texts": TEXTS,
        "today": timezone.localdate(),
    }
