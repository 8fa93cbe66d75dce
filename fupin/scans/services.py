"""Digitisation: scans uploaded to an item become its pages, in order, with thumbnails; the
text of each page is read by OCR in the background worker; a searchable PDF is produced."""

import datetime
import os
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import IO, Any, BinaryIO, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.db.models.functions import Least
from django.utils import timezone

from fupin.accounts.roles import Cap
from fupin.audit.services import audit_read_event, audit_record
from fupin.objects.digests import CHUNK
from fupin.objects.formats import LABELS, identify
from fupin.objects.selectors import object_open
from fupin.objects.services import derivative_store, size_text
from fupin.records.files import Finish, item_attach
from fupin.records.models import ItemFile, RecordItem
from fupin.records.selectors import access_item
from fupin.scans.models import JobStatus, ScanJob, ScanPage
from fupin.scans.ocr import read_lines
from fupin.scans.pages import SCAN_FORMATS, page_images, thumbnails
from fupin.scans.searchable import PdfPage, searchable_pdf


@dataclass
class ScanUpload:
    file: ItemFile
    pages: list[ScanPage]
    job: ScanJob | None  # None when the same scan was attached and read already
    notes: list[str]


@contextmanager
def _spooled(stream: BinaryIO) -> Iterator[IO[bytes]]:
    """The upload copied once, so it can be checked page by page before anything is kept."""
    limit = int(settings.FUPIN_MAX_UPLOAD_BYTES)
    with tempfile.TemporaryFile() as spool:
        size = 0
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise ValidationError(f"文件超过允许的大小上限（{size_text(limit)}），未接收。")
            spool.write(chunk)
        if size == 0:
            raise ValidationError("文件是空的（0 字节），请检查后重新上传。")
        spool.seek(0)
        yield spool


def _later(seconds: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(seconds=seconds)


def _enqueue(job: ScanJob, delay_seconds: int = 0) -> None:
    """Hand the job to the task queue once the rows it reads are committed."""
    from fupin.scans.tasks import ocr_job

    def send() -> None:
        task = ocr_job
        if delay_seconds:
            task = task.using(run_after=_later(delay_seconds))
        result = task.enqueue(job.pk)
        ScanJob.objects.filter(pk=job.pk).update(task_id=str(result.id))

    transaction.on_commit(send)


def _ocr_job(actor: Any, item: RecordItem) -> ScanJob | None:
    """One OCR job for the item's unread pages; an active job already covering them is kept."""
    unread = ScanPage.objects.filter(item=item, read_at__isnull=True).count()
    active = ScanJob.objects.filter(item=item, status=JobStatus.QUEUED).first()
    if active is not None:
        ScanJob.objects.filter(pk=active.pk).update(pages_total=F("pages_done") + unread)
        active.refresh_from_db()
        return active
    if not unread:
        return None
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    job = ScanJob.objects.create(
        item=item,
        pages_total=unread,
        max_attempts=settings.FUPIN_OCR_ATTEMPTS,
        requested_by=actor if signed_in else None,
    )
    _enqueue(job)
    return job


def scan_upload(*, actor: Any, item_id: int, stream: BinaryIO, filename: str) -> ScanUpload:
    """Take a scan (multi-page PDF or TIFF, JPEG, PNG) as the item's next pages. Every page is
    read before the attachment commits: a file that cannot be read is refused and leaves no
    row (its bytes, already stored, are an orphan the objects sweep removes)."""
    item = access_item(actor, item_id, Cap.DATA_WRITE)
    with _spooled(stream) as spool:
        fmt = identify(spool)
        if fmt not in SCAN_FORMATS:
            label = LABELS.get(fmt, "无法识别的格式")
            raise ValidationError(f"{label}不是扫描件：只接受 PDF、TIFF、JPEG、PNG 格式。")
        spool.seek(0)
        with transaction.atomic():
            attached, _capture, notes = item_attach(
                actor=actor, item_id=item.pk, stream=cast(BinaryIO, spool), filename=filename
            )
            pages = list(ScanPage.objects.filter(file=attached).order_by("number"))
            job = _ocr_job(actor, item)
    return ScanUpload(file=attached, pages=pages, job=job, notes=notes)


def scan_pages_follow(item: RecordItem, stream: IO[bytes]) -> Finish | None:
    """An attached scan, however it came, becomes the item's next pages and is queued for OCR
    (registered with `records.files` at start-up). Every page is read here, before anything is
    stored: an unreadable scan is refused whole. Photos and recordings are not scans."""
    if item.category in NOT_SCANNED:
        return None
    fmt = identify(stream)
    if fmt not in SCAN_FORMATS:
        return None
    thumbs = thumbnails(stream, fmt)
    return partial(_pages_of_attached, thumbs=thumbs)


def _pages_of_attached(actor: Any, attached: ItemFile, *, thumbs: list[bytes]) -> list[str]:
    item = attached.item
    pages = _add_pages(actor, item, attached, thumbs)
    _ocr_job(actor, item)
    audit_record(
        actor=actor,
        action="scans.upload",
        obj=item,
        summary=(
            f"扫描件 {attached.filename}：{len(pages)} 页"
            f"（第{pages[0].number}–{pages[-1].number}页），已排队文字识别"
        ),
        after={"file": attached.filename, "pages": [p.number for p in pages]},
    )
    return []


def _add_pages(
    actor: Any, item: RecordItem, attached: ItemFile, thumbs: list[bytes]
) -> list[ScanPage]:
    last = ScanPage.objects.filter(item=item).aggregate(m=Max("number"))["m"] or 0
    pages = ScanPage.objects.bulk_create(
        [
            ScanPage(item=item, number=last + n, file=attached, file_page=n)
            for n in range(1, len(thumbs) + 1)
        ]
    )
    for n, thumb in enumerate(thumbs, start=1):
        derivative_store(
            actor=actor, source=attached.object, make=partial(bytes, thumb), fmt="jpeg", page=n
        )
    return pages


NOT_SCANNED = frozenset({"ZP", "LY", "LX"})


def _adopt_files(actor: Any, item: RecordItem) -> list[ScanPage]:
    """Scans attached to the item by other ways (the item page's file list, `fupin records
    import --files`) become pages too, after the pages there are, in the files' order."""
    adopted: list[ScanPage] = []
    files = item.files.select_related("object").filter(
        object__format__in=SCAN_FORMATS, scan_pages__isnull=True
    )
    for file in files.order_by("position"):
        with object_open(file.object) as handle:
            try:
                thumbs = thumbnails(handle, file.object.format)
            except ValidationError as exc:
                raise ValidationError(f"{file.filename}：{'；'.join(exc.messages)}") from exc
        adopted += _add_pages(actor, item, file, thumbs)
    return adopted


def scan_ocr_request(*, actor: Any, item_id: int, again: bool = False) -> ScanJob | None:
    """Queue the reading of the item's unread pages (all pages with `again`), taking in its
    scans that are not pages yet; None when every page has been read already."""
    item = access_item(actor, item_id, Cap.DATA_WRITE)
    with transaction.atomic():
        if ScanJob.objects.filter(item=item, status=JobStatus.RUNNING).exists():
            raise ValidationError("本件的文字识别正在进行，请等待完成后再重新识别。")
        adopted = _adopt_files(actor, item)
        if again:
            ScanPage.objects.filter(item=item).update(read_at=None)
            # A queued job now covers every page again, counted from the start.
            ScanJob.objects.filter(item=item, status=JobStatus.QUEUED).update(pages_done=0)
        job = _ocr_job(actor, item)
        audit_record(
            actor=actor,
            action="scans.ocr_request",
            obj=item,
            summary=f"请求文字识别：{job.pages_total if job else 0} 页",
            after={
                "again": again,
                "job": job.pk if job else None,
                "pages_added": [p.number for p in adopted],
            },
        )
    return job


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    if isinstance(exc, FileNotFoundError):
        return "存储中找不到扫描件文件，请运行 fupin objects verify 检查。"
    return f"识别程序出错（{type(exc).__name__}：{exc}）"[:300]


def _claim(job_id: int) -> ScanJob | None:
    with transaction.atomic():
        job = ScanJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != JobStatus.QUEUED:
            return None
        job.status, job.attempts, job.error = JobStatus.RUNNING, job.attempts + 1, ""
        job.started_at = job.started_at or timezone.now()
        job.worker, job.heartbeat_at = _this_worker(), timezone.now()
        fields = ["status", "attempts", "error", "started_at", "worker", "heartbeat_at"]
        job.save(update_fields=fields)
        _watch(job)
    return job


def _this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _watch(job: ScanJob) -> None:
    """Have the queue look at this attempt again once it could have lost its worker."""
    from fupin.scans.tasks import ocr_watch

    later = ocr_watch.using(run_after=_later(settings.FUPIN_OCR_STALE_SECONDS))
    attempt = job.attempts
    transaction.on_commit(lambda: later.enqueue(job.pk, attempt))


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


def _abandoned(job: ScanJob) -> bool:
    """Its worker has stopped: a process of this machine that no longer exists, or nothing
    heard of it (claim, page read) for FUPIN_OCR_STALE_SECONDS."""
    last = job.heartbeat_at or job.started_at
    stale = timezone.now() - datetime.timedelta(seconds=settings.FUPIN_OCR_STALE_SECONDS)
    if last is None or last <= stale:
        return True
    host, _, pid = job.worker.rpartition(":")
    return host == socket.gethostname() and pid.isdigit() and not _process_exists(int(pid))


def _reclaim(job: ScanJob, actor: Any) -> None:
    """A job whose worker stopped counts as a failed attempt: queued again while attempts
    remain (the pages already read are kept), else failed."""
    retry = job.attempts < job.max_attempts
    audit_record(
        actor=actor,
        action="scans.ocr_reclaimed",
        obj=job.item,
        summary=f"识别任务 #{job.pk} 的工作进程已停止，{'重新排队' if retry else '不再重试'}",
        after={"job": job.pk, "worker": job.worker, "attempts": job.attempts},
    )
    _failed(job, job.item, "识别进程中断（工作进程已停止或机器重启）")


def _running_jobs() -> QuerySet[ScanJob]:
    """Running jobs, locked (the job rows only) until the transaction ends, with their item."""
    locked = ScanJob.objects.select_for_update(of=("self",)).select_related("item__unit")
    return locked.filter(status=JobStatus.RUNNING)


def scan_job_watch(*, job_id: int, attempt: int) -> str:
    """The queue's later look at one attempt of a job (the worker's side): given back to the
    queue if its worker has stopped, else looked at again later."""
    with transaction.atomic():
        job = _running_jobs().filter(pk=job_id, attempts=attempt).first()
        if job is None:
            return "finished"
        if _abandoned(job):
            _reclaim(job, actor=None)
            return "reclaimed"
        _watch(job)
        return "running"


def scan_task_lost(*, job_id: int) -> bool:
    """The worker running this job's task was found stopped by its heartbeat (any task's
    take-over, fupin.worker): the job is given back like one reclaimed here. False when the
    job is not running: its task is then simply queued again."""
    with transaction.atomic():
        job = _running_jobs().filter(pk=job_id).first()
        if job is None:
            return False
        _reclaim(job, actor=None)
        return True


def scan_jobs_reclaim(*, actor: Any) -> list[ScanJob]:
    """Every running job whose worker has stopped, given back now (after a machine restart,
    without waiting for the queue's own look)."""
    reclaimed = []
    with transaction.atomic():
        for job in _running_jobs():
            if _abandoned(job):
                _reclaim(job, actor)
                reclaimed.append(job)
    for job in reclaimed:
        job.refresh_from_db()
    return reclaimed


def scan_ocr_run(*, job_id: int) -> ScanJob | None:
    """Run one OCR job (the worker's side; actor is the system). Each page's text is saved as
    soon as it is read, so progress shows and a retry resumes where the failure stopped."""
    job = _claim(job_id)
    if job is None:
        return None
    item = RecordItem.objects.select_related("unit").get(pk=job.item_id)
    try:
        for file in ItemFile.objects.filter(scan_pages__item=item).distinct().order_by("position"):
            _read_file(job, item, file)
    except Exception as exc:
        _failed(job, item, _reason(exc))
    else:
        with transaction.atomic():
            ScanJob.objects.filter(pk=job.pk).update(
                status=JobStatus.DONE, finished_at=timezone.now()
            )
            audit_record(
                actor=None,
                action="scans.ocr_done",
                obj=item,
                summary=f"文字识别完成：{job.pages_total} 页",
                after={"job": job.pk, "attempts": job.attempts},
            )
    job.refresh_from_db()
    return job


def _read_file(job: ScanJob, item: RecordItem, file: ItemFile) -> None:
    unread = {p.file_page: p for p in file.scan_pages.filter(read_at__isnull=True)}
    if not unread:
        return
    with object_open(file.object) as handle:
        for number, image in enumerate(page_images(handle, file.object.format), start=1):
            page = unread.get(number)
            if page is None:
                continue
            lines = read_lines(image)
            with transaction.atomic():
                page.text = "\n".join(line.text for line in lines)
                page.lines = [line.as_list() for line in lines]
                page.width, page.height = image.size
                page.read_at = timezone.now()
                page.save(update_fields=["text", "lines", "width", "height", "read_at"])
                ScanJob.objects.filter(pk=job.pk).update(
                    pages_done=Least(F("pages_done") + 1, F("pages_total")),
                    heartbeat_at=timezone.now(),
                )
                audit_record(
                    actor=None,
                    action="scans.page_read",
                    obj=item,
                    summary=f"识别第{page.number}页：{len(page.text)} 字",
                    after={"page": page.number, "chars": len(page.text)},
                )


def _failed(job: ScanJob, item: RecordItem, reason: str) -> None:
    retry = job.attempts < job.max_attempts
    with transaction.atomic():
        if retry:
            error = f"第{job.attempts}次识别失败：{reason}。将自动重试。"
            ScanJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, error=error[:500])
            _enqueue(job, settings.FUPIN_OCR_RETRY_SECONDS * job.attempts)
            return
        error = f"文字识别失败（已尝试{job.attempts}次）：{reason}"
        ScanJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=error[:500], finished_at=timezone.now()
        )
        audit_record(
            actor=None,
            action="scans.ocr_failed",
            obj=item,
            summary=error[:200],
            after={"job": job.pk, "attempts": job.attempts},
        )


def scan_pdf_export(*, actor: Any, item_id: int) -> bytes:
    """The item's scan as a searchable PDF (page images with their text); the export is
    audited. Pages not read yet are included as images only."""
    item = access_item(actor, item_id)
    pages = list(item.scan_pages.select_related("file__object").order_by("number"))
    if not pages:
        raise ValidationError("本件尚无扫描页，无法生成可检索的 PDF。")
    body = searchable_pdf(_pdf_pages(pages), title=str(item))
    audit_read_event(
        actor=actor,
        action="scans.pdf_export",
        summary=f"导出可检索 PDF：{item}（{len(pages)} 页）",
        object_type="records.recorditem",
        object_id=item.pk,
        region_code=item.unit.region_id,
    )
    return body


def _pdf_pages(pages: list[ScanPage]) -> Iterator[PdfPage]:
    """Page images in the item's order (a file's pages are consecutive), each with its lines
    scaled to the image rendered; one file is open at a time."""
    files: list[ItemFile] = []
    for page in pages:
        if page.file is not None and page.file not in files:
            files.append(page.file)
    for file in files:
        wanted = {p.file_page: p for p in pages if p.file_id == file.pk}
        with object_open(file.object) as handle:
            for number, image in enumerate(page_images(handle, file.object.format), start=1):
                if (found := wanted.get(number)) is not None:
                    yield PdfPage(image, _scaled(found, image))


def _scaled(page: ScanPage, image: Any) -> list[list[Any]]:
    if not page.lines or not page.width:
        return []
    factor = image.width / page.width
    return [[*(round(v * factor) for v in line[:4]), line[4]] for line in page.lines]
