"""Importing the registration sheet from the browser: upload, preview, confirm, apply — the
same service as `fupin households import`; a large sheet runs on the task queue."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from fupin.accounts.access import require_cap
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_read_event
from fupin.households.registry import import_jobs
from fupin.households.registry.services import PLAN_LABELS


@login_required
def import_sheet(request: HttpRequest) -> HttpResponse:
    require_cap(request.user, Cap.DATA_WRITE)
    if request.method == "POST":
        for refused in getattr(request, "upload_errors", []):
            messages.error(request, refused)
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "请选择要导入的建档立卡表。")
        else:
            try:
                job = import_jobs.import_begin(
                    actor=request.user,
                    upload=upload,
                    skip_invalid=request.POST.get("skip_invalid") == "1",
                    data_year=_year(request.POST.get("data_year", "")),
                )
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                return redirect("households:import_job", token=job["token"])
    return render(request, "households/import.html", {"this_year": timezone.localdate().year})


def _year(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValidationError("数据年度应为四位年份，如 2016。")
    return int(text)


@require_safe
@login_required
def import_job(request: HttpRequest, token: str) -> HttpResponse:
    job = import_jobs.import_job(request.user, token)
    context = {
        "job": job,
        "report": job.get("report"),
        "labels": PLAN_LABELS,
        "stage": import_jobs.STAGE_LABELS[job["stage"]],
        "state": import_jobs.STATE_LABELS[job["state"]],
        "waiting": job["state"] in (import_jobs.QUEUED, import_jobs.RUNNING),
    }
    return render(request, "households/import_job.html", context)


@require_POST
@login_required
def import_apply(request: HttpRequest, token: str) -> HttpResponse:
    try:
        import_jobs.import_confirm(
            actor=request.user, token=token, digest=request.POST.get("digest", "")
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("households:import_job", token=token)


@require_safe
@login_required
def import_errors(request: HttpRequest, token: str) -> FileResponse:
    """The error workbook of one's own upload; nobody else's."""
    path = import_jobs.error_workbook(request.user, token)
    audit_read_event(
        actor=request.user,
        action="households.import_errors",
        summary=f"下载建档立卡表错误清单 {Path(path).name}",
    )
    return FileResponse(Path(path).open("rb"), as_attachment=True, filename=Path(path).name)
