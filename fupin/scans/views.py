from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from fupin.core.downloads import download
from fupin.objects.selectors import object_open
from fupin.scans import services
from fupin.scans.selectors import item_scan, job_dict, page_thumbnail


@login_required
def item_scans(request: HttpRequest, record_id: int) -> HttpResponse:
    scan = item_scan(request.user, record_id)
    if request.method == "POST":
        _upload(request, record_id)
        return redirect("scans:item", record_id=record_id)
    return render(request, "scans/item.html", {"scan": scan, "item": scan.item})


def _upload(request: HttpRequest, record_id: int) -> None:
    uploads = request.FILES.getlist("file")
    for refused in getattr(request, "upload_errors", []):
        messages.error(request, refused)
    if not uploads:
        messages.error(request, "请选择要上传的扫描件。")
    for upload in uploads:
        try:
            done = services.scan_upload(
                actor=request.user, item_id=record_id, stream=upload, filename=upload.name or ""
            )
        except ValidationError as exc:
            messages.error(request, f"{upload.name}：{'；'.join(exc.messages)}")
            continue
        if done.pages:
            first, last = done.pages[0].number, done.pages[-1].number
            queued = "，已排队文字识别" if done.job else ""
            messages.success(request, f"已接收 {upload.name}：第{first}–{last}页{queued}。")
        for note in done.notes:
            messages.warning(request, note)


@login_required
@require_POST
def ocr_again(request: HttpRequest, record_id: int) -> HttpResponse:
    try:
        job = services.scan_ocr_request(actor=request.user, item_id=record_id, again=True)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已排队重新识别。" if job else "本件尚无扫描页。")
    return redirect("scans:item", record_id=record_id)


@require_safe
@login_required
def progress(request: HttpRequest, record_id: int) -> JsonResponse:
    scan = item_scan(request.user, record_id)
    body = {
        "active": scan.active,
        "pages": len(scan.pages),
        "read": scan.read,
        "jobs": [job_dict(j) for j in scan.jobs],
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


# Not audited, like photo thumbnails: a preview, not the record.
@require_safe
@login_required
def thumbnail(request: HttpRequest, record_id: int, page: int) -> HttpResponse:
    thumb = page_thumbnail(request.user, record_id, page)
    with object_open(thumb) as handle:
        response = HttpResponse(handle.read(), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_safe
@login_required
def searchable_pdf(request: HttpRequest, record_id: int) -> HttpResponse:
    try:
        body = services.scan_pdf_export(actor=request.user, item_id=record_id)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("scans:item", record_id=record_id)
    return download(body, f"可检索PDF-{record_id}.pdf", "application/pdf")
