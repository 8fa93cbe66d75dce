"""Reads of scans and jobs, always through the records access layer."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from fupin.accounts.roles import Cap
from fupin.objects.models import Derivative, DerivativeKind, StoredObject
from fupin.records.models import RecordItem
from fupin.records.selectors import access_item, visible_items
from fupin.scans.models import JobStatus, ScanJob, ScanPage


@dataclass
class ScanSummary:
    item: RecordItem
    pages: list[ScanPage]
    jobs: list[ScanJob]

    @property
    def read(self) -> int:
        return sum(1 for p in self.pages if p.read_at)

    @property
    def warning(self) -> str:
        """The scan and the description disagree on the number of pages: say so."""
        if self.pages and len(self.pages) != self.item.pages:
            return (
                f"扫描页数 {len(self.pages)} 页，与著录页数 {self.item.pages} 页不一致，"
                "请核对是否漏扫、重扫或著录有误。"
            )
        return ""

    @property
    def active(self) -> bool:
        return any(j.status in (JobStatus.QUEUED, JobStatus.RUNNING) for j in self.jobs)


def item_scan(actor: Any, item_id: int) -> ScanSummary:
    item = access_item(actor, item_id)
    pages = list(ScanPage.objects.filter(item=item).select_related("file").order_by("number"))
    jobs = list(ScanJob.objects.filter(item=item).order_by("-created_at", "-pk")[:5])
    return ScanSummary(item, pages, jobs)


def visible_jobs(actor: Any, statuses: list[str] | None = None) -> QuerySet[ScanJob]:
    jobs = ScanJob.objects.filter(item__in=visible_items(actor, Cap.DATA_READ).values("pk"))
    if statuses:
        jobs = jobs.filter(status__in=statuses)
    return jobs.select_related("item").order_by("-created_at", "-pk")


def access_job(actor: Any, job_id: int) -> ScanJob:
    job = visible_jobs(actor).filter(pk=job_id).first()
    if job is None:
        raise Http404("未找到该任务，或不在您的管辖范围内。")
    return job


def page_thumbnail(actor: Any, item_id: int, number: int) -> StoredObject:
    item = access_item(actor, item_id)
    page = ScanPage.objects.filter(item=item, number=number).select_related("file").first()
    if page is None or page.file is None:
        raise Http404("没有这一页。")
    made = (
        Derivative.objects.filter(
            source_id=page.file.object_id,
            kind=DerivativeKind.THUMBNAIL,
            page=page.file_page or 0,
        )
        .select_related("object")
        .first()
    )
    if made is None:
        raise Http404("这一页没有缩略图。")
    return made.object


def job_dict(job: ScanJob) -> dict[str, Any]:
    """A job as the pages' poll, the API and `fupin jobs --json` show it."""
    return {
        "id": job.pk,
        "record_id": job.item_id,
        "kind": job.kind,
        "status": job.status,
        "status_label": job.get_status_display(),
        "pages_done": job.pages_done,
        "pages_total": job.pages_total,
        "percent": job.percent,
        "attempts": job.attempts,
        "max_attempts": job.max_attempts,
        "error": job.error,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }
