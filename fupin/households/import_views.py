"""Importing the registration sheet from the browser (and the API): the same service as
`fupin households import`; the error workbook goes back to whoever uploaded the sheet."""

import secrets
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from fupin.accounts.access import require_cap
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_read_event
from fupin.households.services import ImportReport, households_import

SESSION_KEY = "household-import-errors"
SUFFIXES = (".xlsx", ".xls", ".csv")


def import_upload(request: HttpRequest, upload: Any, skip_invalid: bool) -> ImportReport:
    """Keep the upload under the data folder (its error workbook is written beside it)."""
    name = Path(upload.name or "").name
    if Path(name).suffix.lower() not in SUFFIXES:
        raise ValidationError("请上传 .xlsx、.xls 或 .csv 格式的建档立卡表。")
    token = secrets.token_urlsafe(12)
    folder = Path(settings.DATA_DIR) / "imports" / token
    folder.mkdir(parents=True)
    path = folder / name
    with path.open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    try:
        report = households_import(actor=request.user, path=path, skip_invalid=skip_invalid)
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if report.error_workbook:
        request.session.setdefault(SESSION_KEY, {})[token] = report.error_workbook
        request.session.modified = True
        report.error_workbook = token
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return report


@login_required
def import_sheet(request: HttpRequest) -> HttpResponse:
    require_cap(request.user, Cap.DATA_WRITE)
    report = None
    if request.method == "POST":
        for refused in getattr(request, "upload_errors", []):
            messages.error(request, refused)
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "请选择要导入的建档立卡表。")
        else:
            try:
                report = import_upload(request, upload, request.POST.get("skip_invalid") == "1")
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
    return render(request, "households/import.html", {"report": report})


@require_safe
@login_required
def import_errors(request: HttpRequest, token: str) -> FileResponse:
    """The error workbook of one's own upload in this session; nobody else's."""
    path = request.session.get(SESSION_KEY, {}).get(token)
    if not path or not Path(path).is_file():
        raise Http404("该错误清单不存在或已过期，请重新导入。")
    audit_read_event(
        actor=request.user,
        action="households.import_errors",
        summary=f"下载建档立卡表错误清单 {Path(path).name}",
    )
    return FileResponse(Path(path).open("rb"), as_attachment=True, filename=Path(path).name)
