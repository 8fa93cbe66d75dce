from django.db import models
from django.db.models import Q


class StoredObject(models.Model):
    """Bytes kept once under their SHA-256, never overwritten: a new version is a new object."""

    sha256 = models.CharField(max_length=64, unique=True)
    size = models.BigIntegerField()
    format = models.CharField("格式", max_length=10)
    mime = models.CharField(max_length=100)
    storage_name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "电子文件对象"
        constraints = [models.CheckConstraint(condition=Q(size__gte=1), name="object_not_empty")]

    def __str__(self) -> str:
        return f"{self.sha256[:12]}…（{self.format}，{self.size} 字节）"


class Digest(models.Model):
    """Each fixity value with the algorithm that produced it (GB/T 18894, DA/T 70)."""

    object = models.ForeignKey(StoredObject, on_delete=models.CASCADE, related_name="digests")
    algorithm = models.CharField(max_length=10)
    value = models.CharField(max_length=128)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["object", "algorithm"], name="one_digest_per_algorithm")
        ]

    def __str__(self) -> str:
        return f"{self.algorithm}:{self.value}"


class FormatPolicy(models.Model):
    """Formats accepted for long-term keeping per 门类; others are flagged or refused.
    Shipped with GB/T 18894-2016 defaults and changed by administrators as data."""

    category = models.CharField("门类", max_length=2, unique=True)
    allowed = models.JSONField("允许的格式")
    on_other = models.CharField(
        "其他格式", max_length=6, choices=[("flag", "标记"), ("reject", "拒收")], default="flag"
    )

    def __str__(self) -> str:
        return f"{self.category}: {', '.join(self.allowed)}"


class CaptureOutcome(models.TextChoices):
    STORED = "stored", "已保存"
    DUPLICATE = "duplicate", "内容重复"
    FLAGGED = "flagged", "已保存但有提示"


class CaptureEvent(models.Model):
    """One accepted capture: who offered which file, and what the system noticed about it."""

    object = models.ForeignKey(StoredObject, on_delete=models.PROTECT, related_name="captures")
    at = models.DateTimeField(auto_now_add=True)
    actor_name = models.CharField(max_length=150, blank=True)
    filename = models.CharField(max_length=255)
    category = models.CharField(max_length=2)
    outcome = models.CharField(max_length=10, choices=CaptureOutcome.choices)
    message = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.filename}: {self.get_outcome_display()}"
