from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fupin.accounts.access import user_scope, visible_regions, visible_units
from fupin.accounts.roles import Cap
from fupin.filing.models import EDITABLE, FilingStatus
from fupin.filing.services import decider_offices
from fupin.regions.models import Level
from fupin.schedule import services
from fupin.schedule.forms import DecisionForm, ItemForm, RefinementForm
from fupin.schedule.models import Category, ScheduleLevel
from fupin.schedule.selectors import (
    access_refinement,
    can_author,
    context_version,
    filter_rows,
    pending_for,
    rows_in_force,
    visible_refinements,
)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    f = {k: request.GET.get(k, "").strip() for k in ("q", "level", "category")}
    version = context_version(request.user)
    rows = filter_rows(rows_in_force(version), **f)
    context = {
        "rows": rows,
        "f": f,
        "version": version,
        "levels": ScheduleLevel.choices,
        "categories": Category.choices,
    }
    return render(request, "schedule/index.html", context)


def _owner_choices(request: HttpRequest) -> list[tuple[str, str]]:
    scope = user_scope(request.user)
    regions = visible_regions(request.user, Cap.SCHEDULE_REFINE).filter(
        code__in=scope.prefixes(Cap.SCHEDULE_REFINE), level__in=[Level.CITY, Level.COUNTY]
    )
    units = visible_units(request.user, Cap.SCHEDULE_REFINE).filter(
        pk__in=scope.unit_ids(Cap.SCHEDULE_REFINE)
    )
    return [(f"r:{r.code}", str(r)) for r in regions] + [(f"u:{u.pk}", u.name) for u in units]


@login_required
def refinements(request: HttpRequest) -> HttpResponse:
    context = {
        "refinements": visible_refinements(request.user).order_by("-pk"),
        "pending": pending_for(request.user),
        "can_create": bool(_owner_choices(request)),
    }
    return render(request, "schedule/refinements.html", context)


@login_required
def refinement_create(request: HttpRequest) -> HttpResponse:
    form = RefinementForm(request.POST or None, owners=_owner_choices(request))
    if request.method == "POST" and form.is_valid():
        kind, _, key = form.cleaned_data["owner"].partition(":")
        try:
            version = services.refinement_create(
                actor=request.user,
                title=form.cleaned_data["title"],
                effective_from=form.cleaned_data["effective_from"],
                owner_region=key if kind == "r" else "",
                owner_unit=int(key) if kind == "u" else None,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("schedule:refinement_detail", refinement_id=version.pk)
    return render(request, "schedule/refinement_form.html", {"form": form})


@login_required
def refinement_detail(request: HttpRequest, refinement_id: int) -> HttpResponse:
    version = access_refinement(request.user, refinement_id)
    base_rows = [r for r in rows_in_force(version.parent) if r.parent_row_id is None]
    editable = can_author(request.user, version) and version.status in EDITABLE
    context = {
        "version": version,
        "items": version.rows.select_related("parent_row"),
        "decisions": version.decisions.all(),
        "deciding_region": version.filing_region(),
        "editable": editable,
        "item_form": ItemForm(rows=base_rows) if editable else None,
        "offices": decider_offices(request.user, version)
        if version.status == FilingStatus.SUBMITTED
        else [],
        "decision_form": DecisionForm(),
    }
    return render(request, "schedule/refinement_detail.html", context)


def _act(request: HttpRequest, refinement_id: int, action: Callable[[], object], ok: str):
    access_refinement(request.user, refinement_id)
    try:
        action()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, ok)
    return redirect("schedule:refinement_detail", refinement_id=refinement_id)


@login_required
@require_POST
def item_add(request: HttpRequest, refinement_id: int) -> HttpResponse:
    post = request.POST
    return _act(
        request,
        refinement_id,
        lambda: services.refinement_item_add(
            actor=request.user,
            refinement_id=refinement_id,
            parent_row_id=int(post.get("parent_row") or 0),
            scope_text=post.get("scope_text", ""),
            retention_options=post.getlist("retention_options"),
        ),
        "已添加细化条目。",
    )


@login_required
@require_POST
def item_remove(request: HttpRequest, refinement_id: int, item_id: int) -> HttpResponse:
    return _act(
        request,
        refinement_id,
        lambda: services.refinement_item_remove(
            actor=request.user,
            refinement_id=refinement_id,
            item_id=item_id,
        ),
        "已删除细化条目。",
    )


@login_required
@require_POST
def submit(request: HttpRequest, refinement_id: int) -> HttpResponse:
    return _act(
        request,
        refinement_id,
        lambda: services.refinement_submit(
            actor=request.user,
            refinement_id=refinement_id,
        ),
        "已报上一级扶贫办和档案局备案。",
    )


@login_required
@require_POST
def decide(request: HttpRequest, refinement_id: int) -> HttpResponse:
    access_refinement(request.user, refinement_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择审查机关和意见。")
        return redirect("schedule:refinement_detail", refinement_id=refinement_id)
    return _act(
        request,
        refinement_id,
        lambda: services.refinement_decide(
            actor=request.user,
            refinement_id=refinement_id,
            **form.cleaned_data,
        ),
        "已记录审查意见。",
    )
