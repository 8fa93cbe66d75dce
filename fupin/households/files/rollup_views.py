"""Completeness pages: the roll-up with drill-down, the to-do export, the clerk's panel."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from fupin import printing
from fupin.accounts.access import scope_roots, user_scope
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_read_event
from fupin.core.downloads import download
from fupin.households.files.checklist import TYPES
from fupin.households.files.rollup import (
    completeness_rollup,
    households_by_missing,
    missing_labels,
    todo_entries,
)
from fupin.households.models import Household

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_safe
@login_required
def completeness(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("region", "")
    if not code:
        root = scope_roots(request.user).first()
        if root is None:
            return render(request, "households/completeness.html", {"region": None})
        return redirect(f"{request.path}?region={root.code}")
    region, total, rows = completeness_rollup(request.user, code)
    page = Paginator(households_by_missing(request.user, region.code), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "region": region,
        "total": total,
        "rows": rows,
        "types": TYPES,
        "page": page,
        "listed": list(missing_labels(page)),
        "parent_visible": bool(region.parent_id)
        and user_scope(request.user).covers_region(Cap.DATA_READ, region.parent_id),
    }
    return render(request, "households/completeness.html", context)


@require_safe
@login_required
def todo_export(request: HttpRequest, code: str) -> HttpResponse:
    region, total, _ = completeness_rollup(request.user, code)
    entries = todo_entries(households_by_missing(request.user, region.code))
    subtitle = (
        f"{region.name}（{region.code}）　应建档 {total.households} 户，"
        f"档案齐全 {total.complete} 户（{total.rate_label}）"
        f"　导出时间：{timezone.localtime():%Y-%m-%d %H:%M}"
    )
    body = printing.household_todo_xlsx(subtitle, entries)
    audit_read_event(
        actor=request.user,
        action="households.todo_export",
        region_code=region.code,
        summary=f"导出一户一档缺项清单：{region.name}（{len(entries)} 户）",
    )
    return download(body, f"一户一档缺项清单-{region.name}-{region.code}.xlsx", XLSX)


# Scopes at or below a township (9-digit codes) list households on the home page; above that
# the list would sort every household of a county or more on each visit (the completeness
# roll-up is the view from there).
PANEL_PREFIX_LENGTH = 9


def households_panel(user: Any) -> dict[str, Any] | None:
    """The village or township clerk's home: their households, most missing first."""
    prefixes = user_scope(user).prefixes(Cap.DATA_READ)
    if not prefixes or any(len(p) < PANEL_PREFIX_LENGTH for p in prefixes):
        return None
    found = households_by_missing(user)
    if not found.exists():
        return None
    top: list[Household] = list(found.select_related("village")[:10])
    return {
        "template": "households/home_panel.html",
        "listed": list(missing_labels(top)),
        "count": found.count(),
    }
