"""Pages of quarterly reports: build, a report with its subordinates, trace-down, printout and
workbook, a region's ledger."""

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fupin.accounts.access import access_region
from fupin.audit.anchors import anchor_line
from fupin.core.downloads import download
from fupin.core.problems import said
from fupin.printing.report import ReportSheet, report_pdf, report_xlsx
from fupin.regions.models import Region
from fupin.supervision.models import QuarterReport, ReportStatus
from fupin.supervision.reports import charts, services
from fupin.supervision.reports.figures import BY_KEY, ENTERED
from fupin.supervision.reports.present import report_lines, trace
from fupin.supervision.reports.quarters import Quarter
from fupin.supervision.reports.rollup import Subtree, subtree, unit_figures
from fupin.supervision.reports.selectors import (
    Subordinate,
    access_report,
    can_decide,
    can_file,
    ledger,
    not_reported,
    subordinates,
)

# The figures shown beside each subordinate's status on a report page.
BESIDE = ("households", "households_complete", "items", "items_locked")


@login_required
@require_POST
def build(request: HttpRequest) -> HttpResponse:
    unit = request.POST.get("unit_id", "")
    try:
        report = services.report_build(
            actor=request.user,
            quarter=request.POST.get("quarter", ""),
            region_code=request.POST.get("region_code") or None,
            unit_id=int(unit) if unit.isdigit() else None,
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, said(exc))
        return redirect("supervision:index")
    label = Quarter.parse(report.quarter).label
    messages.success(request, f"已按当前数据生成{report.subject_name}{label}季报（草稿）。")
    return redirect("supervision:report", report_id=report.pk)


@login_required
def report(request: HttpRequest, report_id: int) -> HttpResponse:
    found = access_report(request.user, report_id)
    if request.method == "POST":
        _act(request, found.pk)
        return redirect("supervision:report", report_id=found.pk)
    quarter = Quarter.parse(found.quarter)
    tree = subtree(quarter, found.region_id) if found.region_id else None
    editable = found.status not in services.FROZEN and can_file(request.user, found)
    context = {
        "report": found,
        "lines": report_lines(found),
        "entered": [(e, found.entered.get(e.key, "")) for e in ENTERED],
        "editable": editable,
        "decidable": found.status == ReportStatus.SUBMITTED and can_decide(request.user, found),
        "below": _below(found, quarter, tree) if tree else [],
        "beside": [BY_KEY[k].label for k in BESIDE],
        "not_reported": not_reported(found) if editable else [],
        "chart": _progress(found.region_id or "", tree) if tree else None,
    }
    return render(request, "supervision/report.html", context)


def _below(report: QuarterReport, quarter: Quarter, tree: Subtree) -> list:
    """Each subordinate with its status and, beside it, its figures from the data."""
    rows: list[Subordinate] = subordinates(report.region, quarter)  # type: ignore[arg-type]
    units = unit_figures(quarter.span(), [r.unit_id for r in rows if r.unit_id])
    return [
        (row, [(units[row.unit_id] if row.unit_id else tree.totals[row.code])[k] for k in BESIDE])
        for row in rows
    ]


def _progress(code: str, tree: Subtree) -> dict:
    """Share digitised in each region directly below, from the data as it stands."""
    names = dict(Region.objects.filter(parent_id=code).values_list("code", "name"))
    rows = []
    for child in tree.children(code):
        f = tree.totals[child]
        share = f["items_scanned"] / f["items"] if f["items"] else 0.0
        rows.append((names[child], share, f"{share:.0%}（{f['items_scanned']}/{f['items']} 件）"))
    return charts.bars(rows, maximum=1.0)


def _act(request: HttpRequest, report_id: int) -> None:
    action, user, post = request.POST.get("action", ""), request.user, request.POST
    try:
        if action == "build":
            found = access_report(user, report_id)
            done = services.report_build(
                actor=user, quarter=found.quarter, region_code=found.region_id,
                unit_id=found.unit_id,
            )  # fmt: skip
            text = f"已按最新数据重新计算{_named(done)}。"
        elif action == "enter":
            done = services.report_enter(actor=user, report_id=report_id, values=post.dict())
            text = f"已保存{_named(done)}的人工填报数据，合计已随之重算。"
        elif action == "submit":
            done = services.report_submit(
                actor=user, report_id=report_id, confirmed=post.get("confirm") == "1"
            )
            text = _submitted(done)
        elif action in ("accept", "return"):
            done = services.report_decide(
                actor=user, report_id=report_id, accept=action == "accept",
                reason=post.get("reason", ""),
            )  # fmt: skip
            text = (
                f"已审核通过{_named(done)}。"
                if action == "accept"
                else f"已退回{_named(done)}，理由：{done.return_reason}"
            )
        else:
            raise ValidationError("未知的操作。")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, said(exc))
    else:
        messages.success(request, text)


def _named(report: QuarterReport) -> str:
    return f"{report.subject_name}{Quarter.parse(report.quarter).label}季报"


def _submitted(report: QuarterReport) -> str:
    above = Region.objects.filter(code=report.parent_code).values_list("name", flat=True).first()
    text = f"已将{_named(report)}报送{above or '上一级'}（第{report.round}次），数据已固定。"
    if report.submitted_without:
        names = "、".join(f"{w['name']}（{w['state']}）" for w in report.submitted_without)
        text += f"报送时未等待：{names}，已记入季报。"
    return text


@login_required
def report_trace(request: HttpRequest, report_id: int, key: str) -> HttpResponse:
    found = access_report(request.user, report_id)
    try:
        traced = trace(found, key)
    except KeyError as exc:
        raise Http404("季报中没有这一项。") from exc
    return render(request, "supervision/trace.html", {"report": found, "trace": traced})


def _sheet(report_id: int, request: HttpRequest) -> tuple[ReportSheet, str]:
    found = access_report(request.user, report_id)
    rows = [
        (line.label, line.measure, str(line.value),
         "" if line.previous is None else str(line.previous),
         "" if line.delta is None else f"{line.delta:+d}")
        for line in report_lines(found)
    ]  # fmt: skip
    title = f"{found.subject_name}精准扶贫档案工作季度报表"
    sent = (
        f"{timezone.localdate(found.submitted_at):%Y年%m月%d日}"
        if found.submitted_at
        else "（尚未报送）"
    )
    footer = f"单位负责人：            填表人：            报送日期：{sent}"
    if found.submitted_without:
        names = "、".join(f"{w['name']}（{w['state']}）" for w in found.submitted_without)
        footer += f"\n报送时未等待的下级：{names}"
    sheet = ReportSheet(
        title, Quarter.parse(found.quarter).label, found.subject_name,
        found.get_status_display(), rows, footer,
    )  # fmt: skip
    return sheet, f"{found.quarter}-{found.region_id or found.unit_id}"


@login_required
def report_print(request: HttpRequest, report_id: int) -> HttpResponse:
    sheet, name = _sheet(report_id, request)
    # The printout is one of the places outside the database that holds the audit chain's head.
    sheet = replace(sheet, footer=f"{sheet.footer}\n审计链锚点：{anchor_line()}")
    return download(report_pdf(sheet), f"季度报表-{name}.pdf", "application/pdf", inline=True)


@login_required
def report_workbook(request: HttpRequest, report_id: int) -> HttpResponse:
    sheet, name = _sheet(report_id, request)
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return download(report_xlsx(sheet), f"季度报表-{name}.xlsx", mime)


@login_required
def region_ledger(request: HttpRequest, code: str) -> HttpResponse:
    region = access_region(request.user, code)
    reports = ledger(request.user, region.code)
    key = request.GET.get("figure", "items")
    points = [(r.quarter, int(r.figures.get(key, 0))) for r in reports]
    lines = [(r, report_lines(r)) for r in reports]
    context = {"region": region, "lines": lines, "chart": charts.trend(points), "key": key}
    return render(request, "supervision/ledger.html", context)
