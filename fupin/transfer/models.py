"""Transfer to the archives (移交进馆): batches planned by a unit, signed by both sides, built
into a package, and taken into the archives' independent fonds (独立全宗) with provenance."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from fupin.records.models import AccessMarking

DEFAULT_FONDS_NAME = "精准扶贫档案"
# The archives' own 档号: its independent fonds, then the record's class, year and retention,
# then its number there; the original 档号 stays on the record as provenance.
DEFAULT_ARCHIVES_TEMPLATE = "{全宗号}-{门类}·{年度}-{保管期限}-{件号}"


class ArchivesFonds(models.Model):
    """The independent fonds an archives keeps poverty-alleviation records in: one per
    archives unless it configures more (then one is the default)."""

    archives = models.ForeignKey("regions.Unit", on_delete=models.PROTECT, related_name="+")
    fonds_code = models.CharField("全宗号", max_length=20, unique=True)
    name = models.CharField("全宗名称", max_length=200, default=DEFAULT_FONDS_NAME)
    code_template = models.CharField("档号格式", max_length=120, default=DEFAULT_ARCHIVES_TEMPLATE)
    is_default = models.BooleanField("默认全宗", default=True)

    class Meta:
        verbose_name = "进馆独立全宗"
        constraints = [
            models.UniqueConstraint(
                fields=["archives"], condition=Q(is_default=True), name="one_default_fonds"
            )
        ]

    def __str__(self) -> str:
        return f"{self.fonds_code} {self.name}"

    @property
    def audit_region_code(self) -> str:
        return self.archives.region_id


class BatchStatus(models.TextChoices):
    PLANNED = "planned", "计划中"
    BUILT = "built", "已生成移交包"
    SENT = "sent", "已移交待接收"
    ACCEPTED = "accepted", "已接收进馆"
    RETURNED = "returned", "已退回"
    CANCELLED = "cancelled", "已撤销"


OPEN_STATUSES = (BatchStatus.PLANNED, BatchStatus.BUILT, BatchStatus.SENT)


class Nature(models.TextChoices):
    TRANSFER = "移交", "移交"
    DEPOSIT = "寄存", "寄存"
    PURCHASE = "征购", "征购"
    DONATION = "捐赠", "捐赠"


class Batch(models.Model):
    """One transfer: a unit's locked records for one archives, by fonds, year, class and
    retention. Unfinished while planned, built or sent."""

    number = models.CharField("移交批次号", max_length=40, unique=True)
    unit = models.ForeignKey("regions.Unit", on_delete=models.PROTECT, related_name="+")
    archives = models.ForeignKey(
        "regions.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="接收档案馆"
    )
    status = models.CharField(
        "状态", max_length=10, choices=BatchStatus.choices, default=BatchStatus.PLANNED
    )
    nature = models.CharField("交接性质", max_length=4, choices=Nature.choices, default="移交")
    # What the batch was planned by: years, 门类, retention, class codes (empty: all).
    selection = models.JSONField("选取条件", default=dict)
    early_reason = models.CharField("提前移交理由", max_length=300, blank=True)
    synchronous = models.BooleanField("同步接收", default=False)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    planned_at = models.DateTimeField(auto_now_add=True)
    # The sender's and the receiver's signatures (names, dates and opinions, audited).
    sender_leader = models.CharField("移交单位负责人", max_length=50, blank=True)
    sender_name = models.CharField("移交人", max_length=50, blank=True)
    sender_opinion = models.TextField("移交说明", blank=True)
    sender_signed_at = models.DateTimeField("移交签署时间", null=True, blank=True)
    receiver_leader = models.CharField("接收单位负责人", max_length=50, blank=True)
    receiver_name = models.CharField("接收人", max_length=50, blank=True)
    receiver_opinion = models.TextField("接收意见", blank=True)
    receiver_signed_at = models.DateTimeField("接收签署时间", null=True, blank=True)
    # The built package (kept by its digest) and its check results.
    package_name = models.CharField("移交包", max_length=200, blank=True)
    package_sha256 = models.CharField(max_length=64, blank=True)
    package_bytes = models.BigIntegerField("移交包字节数", default=0)
    digest_algorithms = models.CharField("摘要算法", max_length=40, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Each stage's result in short (printed on the 交接文据) and the full run it came from.
    checks = models.JSONField("四性检测结果", default=list, blank=True)
    receipt_checks = models.JSONField("接收检测结果", default=list, blank=True)
    transfer_run = models.ForeignKey(
        "checks.CheckRun", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    receipt_run = models.ForeignKey(
        "checks.CheckRun", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.CharField("退回理由", max_length=500, blank=True)

    class Meta:
        ordering = ["-planned_at", "-pk"]
        verbose_name = "移交批次"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=BatchStatus.values), name="batch_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="batch_returned_with_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["sent", "accepted"]) | Q(sender_signed_at__isnull=False),
                name="batch_sent_signed",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(receiver_signed_at__isnull=False),
                name="batch_accepted_signed",
            ),
        ]

    def __str__(self) -> str:
        return f"移交批次 {self.number}"

    @property
    def audit_region_code(self) -> str:
        return self.unit.region_id

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class BatchItem(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="items")
    # A draft deleted while only planned leaves the plan with it (a locked record, the only
    # kind that can be built and sent, cannot be deleted).
    item = models.ForeignKey("records.RecordItem", on_delete=models.CASCADE, related_name="+")
    return_reason = models.CharField("退回理由", max_length=300, blank=True)

    class Meta:
        ordering = ["batch_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "item"], name="batch_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}#{self.item_id}"


class BatchVolume(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="volumes")
    volume = models.ForeignKey("records.Volume", on_delete=models.CASCADE, related_name="+")
    return_reason = models.CharField("退回理由", max_length=300, blank=True)

    class Meta:
        ordering = ["batch_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "volume"], name="batch_volume_once"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}#卷{self.volume_id}"


class Holding(models.Model):
    """A record taken into an archives' fonds: its archives 档号 and where it came from."""

    fonds = models.ForeignKey(ArchivesFonds, on_delete=models.PROTECT, related_name="holdings")
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="holdings")
    item = models.OneToOneField(
        "records.RecordItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    volume = models.OneToOneField(
        "records.Volume", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    category = models.CharField("门类", max_length=2)
    retention = models.CharField("保管期限", max_length=3)
    number = models.PositiveIntegerField("馆内件（卷）号")
    archives_code = models.CharField("馆藏档号", max_length=120, unique=True)
    original_code = models.CharField("原档号", max_length=120)
    original_fonds_code = models.CharField("原全宗号", max_length=20)
    original_unit = models.ForeignKey("regions.Unit", on_delete=models.PROTECT, related_name="+")
    access_marking = models.CharField("开放/控制", max_length=10, choices=AccessMarking.choices)
    accepted_at = models.DateTimeField("进馆时间")

    class Meta:
        ordering = ["fonds_id", "year", "category", "retention", "number"]
        verbose_name = "进馆档案"
        constraints = [
            models.CheckConstraint(
                condition=Q(item__isnull=False, volume__isnull=True)
                | Q(item__isnull=True, volume__isnull=False),
                name="holding_item_or_volume",
            ),
            models.UniqueConstraint(
                fields=["fonds", "year", "category", "retention", "number"],
                condition=Q(item__isnull=False),
                name="holding_item_number",
            ),
            models.UniqueConstraint(
                fields=["fonds", "year", "category", "retention", "number"],
                condition=Q(volume__isnull=False),
                name="holding_volume_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.archives_code}（原 {self.original_code}）"

    @property
    def audit_region_code(self) -> str:
        return self.original_unit.region_id


class SyncReceiving(models.Model):
    """同步接收: each year's locked records of this unit are offered to the archives."""

    unit = models.OneToOneField("regions.Unit", on_delete=models.CASCADE, related_name="+")
    archives = models.ForeignKey("regions.Unit", on_delete=models.PROTECT, related_name="+")
    enabled = models.BooleanField("同步接收", default=True)
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "同步接收设置"

    def __str__(self) -> str:
        return f"{self.unit_id} 同步接收{'开' if self.enabled else '关'}"

    @property
    def audit_region_code(self) -> str:
        return self.unit.region_id
