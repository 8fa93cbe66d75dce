import datetime

from django.http import HttpResponse
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from fupin.core.downloads import download
from fupin.scans import services
from fupin.scans.models import ScanPage
from fupin.scans.selectors import access_job, item_scan, job_dict

router = Router(tags=["数字化与全文识别"])


class JobOut(Schema):
    id: int
    record_id: int
    kind: str
    status: str
    status_label: str
    pages_done: int
    pages_total: int
    percent: int
    attempts: int
    max_attempts: int
    error: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


class PageOut(Schema):
    number: int
    file_id: int | None
    file_page: int | None
    read: bool
    text: str


class ScanOut(Schema):
    record_id: int
    pages_described: int
    pages_scanned: int
    pages_read: int
    warning: str
    pages: list[PageOut]
    jobs: list[JobOut]


class UploadOut(Schema):
    record_id: int
    file_id: int
    filename: str
    sha256: str
    pages: list[int]
    job: JobOut
    notes: list[str]


def _page(page: ScanPage) -> dict:
    return {
        "number": page.number,
        "file_id": page.file_id,
        "file_page": page.file_page,
        "read": page.read_at is not None,
        "text": page.text,
    }


@router.get("/items/{record_id}", response=ScanOut, summary="一件文件的扫描页、逐页文字与识别任务")
def item_pages(request, record_id: int) -> dict:
    scan = item_scan(request.user, record_id)
    return {
        "record_id": scan.item.pk,
        "pages_described": scan.item.pages,
        "pages_scanned": len(scan.pages),
        "pages_read": scan.read,
        "warning": scan.warning,
        "pages": [_page(p) for p in scan.pages],
        "jobs": [job_dict(j) for j in scan.jobs],
    }


@router.post(
    "/items/{record_id}/files",
    response={201: UploadOut},
    summary="上传扫描件（多页 PDF、TIFF、JPEG、PNG），排队文字识别",
)
def upload(request, record_id: int, file: File[UploadedFile]) -> Status:
    done = services.scan_upload(
        actor=request.user, item_id=record_id, stream=file, filename=file.name or ""
    )
    return Status(
        201,
        {
            "record_id": record_id,
            "file_id": done.file.pk,
            "filename": done.file.filename,
            "sha256": done.file.object.sha256,
            "pages": [p.number for p in done.pages],
            "job": job_dict(done.job) if done.job else None,
            "notes": done.notes,
        },
    )


@router.post(
    "/items/{record_id}/ocr",
    response={202: JobOut, 200: None},
    summary="全部重新识别（无扫描页时不排队）",
)
def ocr_again(request, record_id: int) -> Status:
    job = services.scan_ocr_request(actor=request.user, item_id=record_id, again=True)
    return Status(202, job_dict(job)) if job else Status(200, None)


@router.get("/jobs/{job_id}", response=JobOut, summary="后台任务的状态与进度")
def job(request, job_id: int) -> dict:
    return job_dict(access_job(request.user, job_id))


@router.get(
    "/items/{record_id}/searchable.pdf",
    summary="可检索 PDF（扫描图像加不可见文字层）",
    response={200: None},
)
def searchable_pdf(request, record_id: int) -> HttpResponse:
    body = services.scan_pdf_export(actor=request.user, item_id=record_id)
    return download(body, f"可检索PDF-{record_id}.pdf", "application/pdf")
