"""The four-property checks (四性检测, DA/T 70-2018): the catalogue of checks is data (an
administrator may switch one off or change the moments it runs at); each run keeps its itemised
report, every check × result with the failing records named."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Property(models.TextChoices):
    AUTHENTICITY = "authenticity", "真实性"
    INTEGRITY = "integrity", "完整性"
    USABILITY = "usability", "可用性"
    SECURITY = "security", "安全性"


class Stage(models.TextChoices):
    ARCHIVE = "archive", "归档"
    TRANSFER = "transfer", "移交"
    RECEIPT = "receipt", "接收"
    KEEPING = "keeping", "长期保存"


class Outcome(models.TextChoices):
    PASSED = "passed", "通过"
    FAILED = "failed", "不通过"
    NOT_APPLICABLE = "n/a", "不适用"


class CheckDefinition(models.Model):
    """One check of the catalogue. `code` names the Python function that carries it out
    (fupin.checks.catalogue); what it checks and when it runs is kept here as data."""

    code = models.CharField("代码", max_length=40, unique=True)
    property = models.CharField("性质", max_length=12, choices=Property.choices)
    title = models.CharField("检测项目", max_length=60)
    description = models.CharField("检测内容", max_length=500)
    stages = models.JSONField("检测环节")
    position = models.PositiveSmallIntegerField("顺序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = "四性检测项目"
        constraints = [
            models.CheckConstraint(
                condition=Q(property__in=Property.values), name="check_known_property"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_property_display()}·{self.title}"


class CheckRun(models.Model):
    """One run of the checks of a stage over a set of records (and, at transfer and receipt,
    the package that carries them)."""

    stage = models.CharField("检测环节", max_length=10, choices=Stage.choices)
    # The unit whose records were checked; empty when they span several units (then the
    # region is their common prefix) or when only a package from elsewhere was checked.
    unit = models.ForeignKey(
        "regions.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(max_length=12, blank=True, db_index=True)
    scope_label = models.CharField("检测范围", max_length=300)
    package = models.CharField("数据包", max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField("检测人", max_length=150, blank=True)
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("完成时间")
    records = models.PositiveIntegerField("文件件数", default=0)
    files = models.PositiveIntegerField("电子文件数", default=0)
    bytes = models.BigIntegerField("电子文件字节数", default=0)
    passed = models.BooleanField("全部通过")

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = "四性检测记录"
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="check_run_stage")
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}检测 #{self.pk}（{'通过' if self.passed else '不通过'}）"

    @property
    def audit_region_code(self) -> str:
        return self.region_code


class CheckResult(models.Model):
    """One line of a run's report: a check, its outcome, how many things it looked at, and
    each failure as {"record": 档号 or name, "reason": Chinese text}."""

    run = models.ForeignKey(CheckRun, on_delete=models.CASCADE, related_name="results")
    check_def = models.ForeignKey(CheckDefinition, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    outcome = models.CharField("结果", max_length=6, choices=Outcome.choices)
    checked = models.PositiveIntegerField("检测对象数", default=0)
    note = models.CharField("说明", max_length=500, blank=True)
    failures = models.JSONField("不通过的对象", default=list)

    class Meta:
        ordering = ["run_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "check_def"], name="one_result_per_check"),
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="check_known_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.check_def.code}: {self.get_outcome_display()}"
