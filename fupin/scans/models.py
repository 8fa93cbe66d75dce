"""Scanned pages of record items, the text read from them, and the background jobs reading it."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class ScanPage(models.Model):
    """One page of an item's scan, in reading order, with its OCR text ("" until read)."""

    item = models.ForeignKey(
        "records.RecordItem", on_delete=models.PROTECT, related_name="scan_pages"
    )
    number = models.PositiveIntegerField("页号")
    text = models.TextField("识别文本", blank=True)
    # Where the page comes from: page `file_page` of one of the item's files.
    file = models.ForeignKey(
        "records.ItemFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scan_pages",
    )
    file_page = models.PositiveIntegerField("文件内页号", null=True, blank=True)
    # Set once the page has been read: a blank page is read and still has no text.
    read_at = models.DateTimeField("识别时间", null=True, blank=True)
    # The lines found, [x0, y0, x1, y1, text] in pixels of the image read (width × height);
    # they place the invisible text of the searchable PDF over the words.
    lines = models.JSONField("识别行", default=list, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["item_id", "number"]
        verbose_name = "扫描页"
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="scan_page_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="scan_page_number_positive"),
            models.UniqueConstraint(
                fields=["file", "file_page"],
                condition=Q(file__isnull=False),
                name="scan_page_once_per_file_page",
            ),
        ]

    def __str__(self) -> str:
        return f"第{self.number}页"


class JobKind(models.TextChoices):
    OCR = "ocr", "文字识别"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ScanJob(models.Model):
    """A background job on an item's scan, with the progress the pages and `fupin jobs` show.
    The queue itself is django-tasks' database backend; this row is what people read."""

    item = models.ForeignKey("records.RecordItem", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=JobKind.choices, default=JobKind.OCR)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    pages_total = models.PositiveIntegerField(default=0)
    pages_done = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    error = models.CharField("错误", max_length=500, blank=True)
    # The id of the django-tasks result now carrying the job (a retry gets a new one).
    task_id = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The worker process running it ("host:pid") and its last sign of life (the claim, each
    # page read): a job whose worker stopped is found by either and given back to the queue.
    worker = models.CharField(max_length=120, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "后台任务"
        indexes = [models.Index(fields=["status", "created_at"], name="scan_job_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(pages_done__lte=F("pages_total")), name="scan_job_progress_bounded"
            ),
            models.CheckConstraint(
                condition=Q(status__in=JobStatus.values), name="scan_job_known_status"
            ),
            models.CheckConstraint(
                condition=Q(attempts__lte=F("max_attempts")), name="scan_job_attempts_bounded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}（{self.get_status_display()}）"

    @property
    def audit_region_code(self) -> str:
        return self.item.unit.region_id

    @property
    def percent(self) -> int:
        return round(100 * self.pages_done / self.pages_total) if self.pages_total else 100
