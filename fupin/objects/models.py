from django.conf import settings
from django.db import models
from django.db.models import Q


class Category(models.TextChoices):
    """门类 codes of DA/T 13, as used in reference codes and in the format policy."""

    WS = "WS", "文书"
    KJ = "KJ", "科技"
    ZY = "ZY", "专业"
    ZP = "ZP", "照片"
    LY = "LY", "录音"
    LX = "LX", "录像"
    SJ = "SJ", "电子数据"


class DigestAlgorithm(models.TextChoices):
    SHA256 = "SHA-256", "SHA-256"
    SM3 = "SM3", "SM3（GB/T 32905）"


class StoredObject(models.Model):
    """Bytes kept once under their SHA-256, never overwritten: a new version is a new object."""

    sha256 = models.CharField(max_length=64, unique=True)
    size = models.BigIntegerField()
    format = models.CharField("格式", max_length=10)
    mime = models.CharField(max_length=100)
    storage_name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the fixity cycle last read it through: the cycle takes the longest-unchecked first.
    fixity_checked_at = models.DateTimeField("最近固定性检查", null=True, blank=True)
    # What the last fixity check found wrong and could not repair ('' when every copy is good):
    # what the custodian's home page and the quarterly report show.
    fixity_problem = models.CharField("未修复的问题", max_length=500, blank=True)

    class Meta:
        verbose_name = "电子文件对象"
        indexes = [models.Index(fields=["fixity_checked_at", "id"], name="object_fixity_due")]
        constraints = [models.CheckConstraint(condition=Q(size__gte=1), name="object_not_empty")]

    def __str__(self) -> str:
        return f"{self.sha256[:12]}…（{self.format}，{self.size} 字节）"


class Digest(models.Model):
    """Each fixity value with the algorithm that produced it (GB/T 18894, DA/T 70)."""

    object = models.ForeignKey(StoredObject, on_delete=models.CASCADE, related_name="digests")
    algorithm = models.CharField(max_length=10, choices=DigestAlgorithm.choices)
    value = models.CharField(max_length=128)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["object", "algorithm"], name="one_digest_per_algorithm"
            ),
            models.CheckConstraint(
                condition=Q(algorithm__in=DigestAlgorithm.values), name="digest_known_algorithm"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.algorithm}:{self.value}"


class DerivativeKind(models.TextChoices):
    THUMBNAIL = "thumbnail", "缩略图"


class Derivative(models.Model):
    """A rendition made from an object (a photo's thumbnail, a scan page's thumbnail); the
    source stays untouched."""

    source = models.ForeignKey(StoredObject, on_delete=models.PROTECT, related_name="derivatives")
    kind = models.CharField(max_length=20, choices=DerivativeKind.choices)
    # 0 for the whole object (a photo); n for page n of a multi-page scan (PDF, TIFF).
    page = models.PositiveIntegerField("页", default=0)
    object = models.ForeignKey(StoredObject, on_delete=models.PROTECT, related_name="derived_from")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "page"], name="one_derivative_per_kind_and_page"
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("object")), name="derivative_not_its_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.get_kind_display()}"


class PolicyAction(models.TextChoices):
    FLAG = "flag", "标记"
    REJECT = "reject", "拒收"


class FormatPolicy(models.Model):
    """Formats accepted for long-term keeping per 门类; others are flagged or refused.
    Shipped with GB/T 18894-2016 defaults and changed by administrators as data."""

    category = models.CharField("门类", max_length=2, unique=True, choices=Category.choices)
    allowed = models.JSONField("允许的格式")
    on_other = models.CharField(
        "其他格式", max_length=6, choices=PolicyAction.choices, default=PolicyAction.FLAG
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(on_other__in=PolicyAction.values), name="policy_known_action"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category}: {', '.join(self.allowed)}"


class CaptureOutcome(models.TextChoices):
    STORED = "stored", "已保存"
    DUPLICATE = "duplicate", "内容重复"
    FLAGGED = "flagged", "已保存但有提示"
    REJECTED = "rejected", "拒收"
    REPAIRED = "repaired", "已用本次内容修复已存文件"


class CaptureEvent(models.Model):
    """One file offered for capture: who, which file, what the system noticed, what it did.
    Refusals are kept too (GB/T 39784: a marked list of failures), without an object."""

    object = models.ForeignKey(
        StoredObject, null=True, blank=True, on_delete=models.PROTECT, related_name="captures"
    )
    unit = models.ForeignKey(
        "regions.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="captures"
    )
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    filename = models.CharField(max_length=255)
    extension = models.CharField("声明的扩展名", max_length=20, blank=True)
    category = models.CharField(max_length=2, choices=Category.choices)
    outcome = models.CharField(max_length=10, choices=CaptureOutcome.choices)
    message = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["unit", "at"], name="capture_unit_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=CaptureOutcome.REJECTED, object__isnull=True)
                | (~Q(outcome=CaptureOutcome.REJECTED) & Q(object__isnull=False)),
                name="capture_object_iff_accepted",
            )
        ]

    def __str__(self) -> str:
        return f"{self.filename}: {self.get_outcome_display()}"

    @property
    def audit_region_code(self) -> str:
        return self.unit.region_id if self.unit_id and self.unit else ""


class EventType(models.TextChoices):
    """PREMIS event types (eventType) of what happens to an object while it is kept."""

    FIXITY = "fixity check", "固定性检查"
    REPLICATION = "replication", "复制到第二存储"
    REPAIR = "repair", "修复"


class EventOutcome(models.TextChoices):
    SUCCESS = "success", "成功"
    FAILURE = "failure", "失败"


class PreservationEvent(models.Model):
    """One PREMIS-style event of one object: what was done, to which store's copy, how it went,
    when, and by whom (a person, or the system's fixity cycle)."""

    object = models.ForeignKey(StoredObject, on_delete=models.PROTECT, related_name="events")
    type = models.CharField("事件类型", max_length=20, choices=EventType.choices)
    outcome = models.CharField("结果", max_length=10, choices=EventOutcome.choices)
    store = models.CharField("存储", max_length=10, blank=True)
    detail = models.CharField("详情", max_length=500, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agent = models.CharField("执行者", max_length=150)

    class Meta:
        verbose_name = "保存事件"
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["object", "type", "at"], name="event_object_type_at"),
            models.Index(fields=["outcome", "at"], name="event_outcome_at"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(type__in=EventType.values), name="event_known_type"),
            models.CheckConstraint(
                condition=Q(outcome__in=EventOutcome.values), name="event_known_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()}：{self.get_outcome_display()}"
