"""The inspector's pages: the list of inspections and orders, record an inspection (scores,
findings, evidence files, orders), an inspection, set up a checklist, open an evidence file,
close an order, the assessments."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fupin.accounts.access import visible_units
from fupin.accounts.roles import Cap
from fupin.core.downloads import download
from fupin.core.problems import said
from fupin.custody.selectors import unit_storage
from fupin.objects.selectors import object_open
from fupin.supervision.inspections import services
from fupin.supervision.inspections.selectors import (
    access_inspection,
    can_inspect,
    rating_bars,
    visible_assessments,
    visible_inspections,
    visible_orders,
)
from fupin.supervision.models import Checklist, FindingEvidence, Inspection, Rating
from fupin.supervision.reports.quarters import FIRST_YEAR

ORDER_ROWS = 3


def _date(text: str, label: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValidationError(f"{label}“{text}”不是有效日期，应写作 2026-03-10。") from exc


def _score(text: str, item: Any) -> int:
    if not text.strip().isdigit():
        raise ValidationError(f"请为“{item.text}”填写 0 到 {item.max_score} 的整数得分。")
    return int(text)


def _input(post: QueryDict, files: Any, checklist: Checklist) -> dict[str, Any]:
    """The service's arguments from the form; a bad value is a Chinese refusal."""
    unit = post.get("unit_id", "")
    if not unit.isdigit():
        raise ValidationError("请选择被检查单位。")
    items = list(checklist.items.all())
    findings = [
        {
            "item_id": item.pk,
            "score": _score(post.get(f"score-{item.pk}", ""), item),
            "note": post.get(f"note-{item.pk}", ""),
            "serious_hazard": post.get(f"hazard-{item.pk}") == "1",
            "evidence": post.get(f"evidence-{item.pk}", ""),
        }
        for item in items
    ]
    orders = [
        (post[f"requirement-{n}"], _date(post.get(f"deadline-{n}", ""), "整改期限"))
        for n in range(1, ORDER_ROWS + 1)
        if post.get(f"requirement-{n}", "").strip()
    ]
    evidence = {
        item.pk: [(f.name, f) for f in files.getlist(f"files-{item.pk}")]
        for item in items
        if files.getlist(f"files-{item.pk}")
    }
    return {
        "unit_id": int(unit),
        "checklist_id": checklist.pk,
        "inspected_on": _date(post.get("inspected_on", ""), "检查日期"),
        "findings": findings,
        "notes": post.get("notes", ""),
        "orders": orders,
        "evidence": evidence,
    }


@login_required
def inspection_new(request: HttpRequest) -> HttpResponse:
    if not can_inspect(request.user):
        raise PermissionDenied("只有档案局监督检查员可以记录执法检查。")
    checklists = list(Checklist.objects.filter(active=True))
    chosen = request.POST.get("checklist_id") or request.GET.get("checklist", "")
    checklist = next((c for c in checklists if str(c.pk) == chosen), None)
    if checklist is None and len(checklists) == 1:
        checklist = checklists[0]
    if request.method == "POST" and checklist is not None:
        try:
            done = services.inspection_record(
                actor=request.user, **_input(request.POST, request.FILES, checklist)
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _recorded(done))
            return redirect("supervision:inspection", inspection_id=done.pk)
    return render(
        request, "supervision/inspection_form.html", _form(request, checklists, checklist)
    )


def _form(request: HttpRequest, checklists: list, checklist: Checklist | None) -> dict:
    post = request.POST
    rows = [
        (item, {k: post.get(f"{k}-{item.pk}", "") for k in ("score", "note", "hazard", "evidence")})
        for item in (checklist.items.all() if checklist else [])
    ]
    orders = [
        (n, post.get(f"requirement-{n}", ""), post.get(f"deadline-{n}", ""))
        for n in range(1, ORDER_ROWS + 1)
    ]
    units = visible_units(request.user, Cap.INSPECT).select_related("region__parent")
    return {
        "checklists": checklists,
        "checklist": checklist,
        "rows": rows,
        "orders": orders,
        "units": units.order_by("region_id", "name")[:1000],
        "values": post,
        "today": timezone.localdate(),
    }


def _recorded(inspection: Inspection) -> str:
    orders = inspection.orders.count()
    files = FindingEvidence.objects.filter(finding__inspection=inspection).count()
    return (
        f"已记录对{inspection.unit.name}的检查：得分 {inspection.total_score}，"
        f"结论：{inspection.conclusion}；证据文件 {files} 个，整改通知 {orders} 份。"
    )


@login_required
@require_POST
def checklist_new(request: HttpRequest) -> HttpResponse:
    try:
        items = [_item_line(line) for line in request.POST.get("items", "").splitlines()]
        score = request.POST.get("pass_score", "").strip()
        if not score.isdigit():
            raise ValidationError("合格分应为整数。")
        checklist = services.checklist_create(
            actor=request.user,
            name=request.POST.get("name", ""),
            pass_score=int(score),
            items=[i for i in items if i],
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect("supervision:inspections")
    count = checklist.items.count()
    messages.success(request, f"已新建检查表“{checklist.name}”：{count} 项，合格分 {score}。")
    return redirect("supervision:inspections")


def _item_line(line: str) -> tuple[str, int] | None:
    """ "档案安全保管，20" — an item and its points; blank lines are skipped."""
    if not line.strip():
        return None
    text, _, points = line.replace(",", "，").rpartition("，")
    if not text.strip() or not points.strip().isdigit():
        raise ValidationError(f"检查项“{line.strip()}”应写作“内容，分值”，分值为整数。")
    return text.strip(), int(points)


@login_required
def evidence_file(request: HttpRequest, inspection_id: int, evidence_id: int) -> HttpResponse:
    inspection = access_inspection(request.user, inspection_id)
    found = (
        FindingEvidence.objects.select_related("object")
        .filter(pk=evidence_id, finding__inspection=inspection)
        .first()
    )
    if found is None:
        raise Http404("未找到该证据文件，或不在您的管辖范围内。")
    with object_open(found.object) as handle:
        body = handle.read()
    return download(body, found.filename, found.object.mime, inline=True)


POLICY = (
    "对承担精准扶贫工作任务但未规范管理本单位和驻点村精准扶贫档案工作的单位，不得组织该单位"
    "当年档案工作目标管理考评工作；存在严重安全隐患的，应取消该单位原档案工作目标管理考评等级并限期整改。"
)


def _year(request: HttpRequest, years: list[int]) -> int:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and int(text) in years else years[0]


@login_required
def assessments(request: HttpRequest) -> HttpResponse:
    """目标管理考评: each unit's rating of the year, or why it may not be rated."""
    years = list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))
    year = _year(request, years)
    inspector = can_inspect(request.user)
    cap = Cap.INSPECT if inspector else Cap.DATA_READ
    units = list(visible_units(request.user, cap).order_by("region_id", "name")[:500])
    rated = {a.unit_id: a for a in visible_assessments(request.user).filter(year=year)}
    bars = rating_bars(units, year)
    context = {
        "year": year,
        "years": years,
        "rows": [(u, rated.get(u.pk), bars[u.pk]) for u in units],
        "ratings": Rating.choices,
        "inspector": inspector,
        "policy": POLICY,
    }
    return render(request, "supervision/assessments.html", context)


@login_required
@require_POST
def assessment_rate(request: HttpRequest) -> HttpResponse:
    unit, year = request.POST.get("unit_id", ""), request.POST.get("year", "")
    try:
        if not unit.isdigit() or not year.isdigit():
            raise ValidationError("请选择单位和年度。")
        done = services.assessment_rate(
            actor=request.user, unit_id=int(unit), year=int(year),
            rating=request.POST.get("rating", ""),
        )  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        label = done.get_rating_display()
        messages.success(request, f"已评定{done.unit.name}{done.year}年度考评等次：{label}。")
    return redirect(f"{reverse('supervision:assessments')}?year={year}")


@login_required
def inspections(request: HttpRequest) -> HttpResponse:
    context = {
        "inspections": visible_inspections(request.user)[:100],
        "orders": visible_orders(request.user).order_by("status", "deadline")[:200],
        "today": timezone.localdate(),
        "checklists": Checklist.objects.filter(active=True).prefetch_related("items"),
        "inspector": can_inspect(request.user),
    }
    return render(request, "supervision/inspections.html", context)


@login_required
def inspection(request: HttpRequest, inspection_id: int) -> HttpResponse:
    found = access_inspection(request.user, inspection_id)
    findings = found.findings.select_related("item").prefetch_related("files")
    context = {"inspection": found, "findings": findings}
    context["storage"] = unit_storage(found.unit_id)  # custody's read-only panel
    return render(request, "supervision/inspection.html", context)


@login_required
@require_POST
def order_close(request: HttpRequest, order_id: int) -> HttpResponse:
    if not visible_orders(request.user).filter(pk=order_id).exists():
        raise Http404("未找到该整改通知，或不在您的管辖范围内。")
    try:
        services.order_close(
            actor=request.user, order_id=order_id, note=request.POST.get("note", "")
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, said(exc))
    else:
        messages.success(request, "整改已销号。")
    return redirect("supervision:inspections")
