"""Pages of the four-property checks: the runs in scope, starting a run over a unit's records,
and one run's itemised report (page and PDF)."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fupin.accounts.access import access_unit, visible_units
from fupin.checks.models import CheckDefinition, Stage
from fupin.checks.printed import run_pdf
from fupin.checks.selectors import access_run, run_results, stage_items, visible_runs
from fupin.checks.services import checks_run


@login_required
def index(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _start(request)
    context = {
        "runs": visible_runs(request.user)[:100],
        "units": visible_units(request.user).order_by("region_id", "name"),
        "stages": Stage.choices,
        "catalogue": CheckDefinition.objects.all(),
    }
    return render(request, "checks/index.html", context)


def _start(request: HttpRequest) -> HttpResponse:
    unit_id, year, stage = (request.POST.get(k, "") for k in ("unit", "year", "stage"))
    if not unit_id.isdigit() or stage not in Stage.values or (year and not year.isdigit()):
        messages.error(request, "请选择立档单位和检测环节；年度须为数字。")
        return redirect("checks:index")
    unit = access_unit(request.user, int(unit_id))
    items = stage_items(stage=stage, unit_id=unit.pk, year=int(year) if year else None)
    try:
        run = checks_run(actor=request.user, stage=stage, items=items)
    except (ValidationError, PermissionDenied) as exc:
        text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
        return redirect("checks:index")
    return redirect("checks:run", run_id=run.pk)


@login_required
def run(request: HttpRequest, run_id: int) -> HttpResponse:
    found = access_run(request.user, run_id)
    return render(request, "checks/run.html", {"run": found, "results": run_results(found)})


@login_required
def run_pdf_view(request: HttpRequest, run_id: int) -> HttpResponse:
    found = access_run(request.user, run_id)
    response = HttpResponse(run_pdf(found), content_type="application/pdf")
    name = quote(f"四性检测报告-{found.pk}.pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response
