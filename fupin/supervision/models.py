"""Quarterly reports (季报) and the ledger they make, inspections, assessments, rectification
orders."""

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from fupin.filing.models import Decision, Filed, FilingStatus


def actor_name(actor: Any) -> str:
    """The name kept with a record: the login, or 系统 for the operator at the command line."""
    return actor.get_username() if actor is not None else "系统"


def signed_in(actor: Any) -> Any:
    """The user behind an action, or None for the operator at the command line."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def person(user: Any, recorded: str) -> str:
    """Who did it, as pages show people: 姓名（登录名）; the operator at the command line, whose
    actions carry no account, as such."""
    if user is not None:
        return user.name_and_login
    return "系统（服务器命令行）" if recorded in ("", "系统") else recorded


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"
    ACCEPTED = "accepted", "已审核通过"
    RETURNED = "returned", "已退回"


class QuarterReport(models.Model):
    """One quarter's report of a region level or of a unit. Its figures are computed from the
    data when it is built and frozen when it is submitted; accepted reports are the ledger."""

    quarter = models.CharField("季度", max_length=6)
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "regions.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=ReportStatus.choices)
    round = models.PositiveIntegerField("报送次数", default=0)
    figures = models.JSONField("计算数据", default=dict)
    entered = models.JSONField("填报数据", default=dict)
    built_at = models.DateTimeField()
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by_name = models.CharField(max_length=150, blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_reason = models.CharField("退回理由", max_length=500, blank=True)
    # The subordinates it went up without (or with late), as confirmed when it was submitted:
    # [{"name": ..., "kind": ..., "state": "未报送" | "逾期报送"}].
    submitted_without = models.JSONField("报送时未报下级", default=list, blank=True)
    # Set when the report came in as a federation package: who sent it, and its digest.
    sender = models.CharField("报送方", max_length=100, blank=True)
    package_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["quarter", "region_id", "unit_id"]
        verbose_name = "季度报表"
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=True) ^ Q(unit__isnull=True),
                name="report_of_region_or_unit",
            ),
            models.UniqueConstraint(
                fields=["quarter", "region"],
                condition=Q(region__isnull=False),
                name="one_report_per_region_quarter",
            ),
            models.UniqueConstraint(
                fields=["quarter", "unit"],
                condition=Q(unit__isnull=False),
                name="one_report_per_unit_quarter",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="report_return_needs_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="report_status_known"
            ),
        ]
        indexes = [models.Index(fields=["quarter", "status"], name="report_quarter_status")]

    def __str__(self) -> str:
        return f"{self.subject_name} {self.quarter} 季报"

    @property
    def subject_name(self) -> str:
        return self.unit.name if self.unit_id else self.region.name  # type: ignore[union-attr]

    @property
    def submitter_label(self) -> str:
        if self.sender:
            return f"{self.sender}（数据包）"
        return person(self.submitted_by, "") if self.submitted_at else ""

    @property
    def decider_label(self) -> str:
        return person(self.decided_by, self.decided_by_name) if self.decided_at else ""

    @property
    def audit_region_code(self) -> str:
        return self.unit.region_id if self.unit_id else self.region_id  # type: ignore[union-attr,return-value]

    @property
    def parent_code(self) -> str:
        """The region whose offices receive this report."""
        if self.unit_id:
            return self.unit.region_id  # type: ignore[union-attr]
        return self.region.parent_id or ""  # type: ignore[union-attr]


class Checklist(models.Model):
    """An inspection checklist (检查表) with scored items; configured by the archive bureau."""

    name = models.CharField("名称", max_length=200, unique=True)
    pass_score = models.PositiveIntegerField("合格分")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "检查表"

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    text = models.CharField("检查内容", max_length=300)
    max_score = models.PositiveIntegerField("分值")

    class Meta:
        ordering = ["checklist_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["checklist", "position"], name="checklist_item_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}（{self.max_score}分）"


class Inspection(models.Model):
    """An inspection (执法检查) of one unit against a checklist."""

    unit = models.ForeignKey("regions.Unit", on_delete=models.PROTECT, related_name="+")
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="+")
    inspected_on = models.DateField("检查日期")
    inspector_name = models.CharField("检查人", max_length=150)
    inspector = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField("检查意见", blank=True)
    total_score = models.PositiveIntegerField("得分", default=0)
    # The score reached the checklist's pass mark; whether the inspection passed also depends
    # on serious hazards (see `qualified`).
    passed = models.BooleanField("达到合格分", default=True)
    serious_hazard = models.BooleanField("发现严重安全隐患", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-inspected_on", "-pk"]
        verbose_name = "执法检查"

    def __str__(self) -> str:
        return f"{self.unit} {self.inspected_on:%Y-%m-%d} 检查"

    @property
    def inspector_label(self) -> str:
        return person(self.inspector, self.inspector_name)

    @property
    def qualified(self) -> bool:
        """合格: the pass mark reached and no serious security hazard, whatever the score."""
        return self.passed and not self.serious_hazard

    @property
    def conclusion(self) -> str:
        if self.serious_hazard:
            return "不合格（发现严重安全隐患）"
        return "合格" if self.passed else "不合格"

    @property
    def audit_region_code(self) -> str:
        return self.unit.region_id


class Finding(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveIntegerField("得分")
    note = models.CharField("发现的问题", max_length=500, blank=True)
    serious_hazard = models.BooleanField("严重安全隐患", default=False)
    # What was seen and where it is kept (photo numbers, document references).
    evidence = models.CharField("证据", max_length=500, blank=True)

    class Meta:
        ordering = ["inspection_id", "item__position"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="one_finding_per_item"),
            models.CheckConstraint(
                condition=Q(serious_hazard=False) | ~Q(note=""), name="hazard_needs_note"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.text}：{self.score}分"


class FindingEvidence(models.Model):
    """A file kept as evidence of a finding (a photo of the store room, a scanned page),
    taken in through the objects app's capture like every other file."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="files")
    object = models.ForeignKey("objects.StoredObject", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField("文件名", max_length=255)

    class Meta:
        ordering = ["finding_id", "pk"]
        verbose_name = "检查证据文件"

    def __str__(self) -> str:
        return self.filename


class OrderStatus(models.TextChoices):
    OPEN = "open", "整改中"
    CLOSED = "closed", "已整改"


class RectificationOrder(models.Model):
    """A rectification order with a deadline (限期整改), followed until it is closed."""

    unit = models.ForeignKey("regions.Unit", on_delete=models.PROTECT, related_name="+")
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    requirement = models.CharField("整改要求", max_length=500)
    deadline = models.DateField("整改期限")
    status = models.CharField(max_length=10, choices=OrderStatus.choices, default=OrderStatus.OPEN)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.CharField("整改情况", max_length=500, blank=True)
    opened_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = "整改通知"
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | (Q(status="closed", closed_at__isnull=False) & ~Q(closing_note="")),
                name="order_closed_with_date_and_note",
            )
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="order_status_deadline")]

    def __str__(self) -> str:
        return f"{self.unit} 限{self.deadline:%Y-%m-%d}前整改：{self.requirement[:30]}"

    @property
    def opener_label(self) -> str:
        return person(self.opened_by, "")

    @property
    def closer_label(self) -> str:
        return person(self.closed_by, "") if self.closed_at else ""

    @property
    def audit_region_code(self) -> str:
        return self.unit.region_id


class Rating(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class Assessment(models.Model):
    """A unit's yearly target-management assessment (目标管理考评) and its rating."""

    unit = models.ForeignKey("regions.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    rating = models.CharField("等次", max_length=10, choices=Rating.choices)
    cancelled = models.BooleanField("已取消", default=False)
    cancel_reason = models.CharField("取消原因", max_length=500, blank=True)
    # The inspection whose serious hazard cancelled the rating.
    cancelled_by = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="cancelled"
    )
    rated_by_name = models.CharField(max_length=150)
    rated_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField()

    class Meta:
        ordering = ["-year", "unit_id"]
        verbose_name = "目标管理考评"
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_assessment_per_unit_year"),
            models.CheckConstraint(
                condition=Q(cancelled=False) | ~Q(cancel_reason=""),
                name="cancel_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年 {self.get_rating_display()}"

    @property
    def rater_label(self) -> str:
        return person(self.rated_by, self.rated_by_name)

    @property
    def audit_region_code(self) -> str:
        return self.unit.region_id


class LocalRule(Filed):
    """A city's or county's implementation rules (实施细则), filed like a schedule refinement
    with the poverty office and the archive bureau one level up."""

    owner_region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="制定地区"
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    effective_from = models.DateField("施行日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "实施细则"
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="local_rule_has_title"),
            models.CheckConstraint(
                condition=Q(status__in=FilingStatus.values), name="local_rule_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_region_code(self) -> str:
        return self.owner_region_id

    def filing_region(self) -> str:
        """Filed with the offices of the region above the city or county that made them."""
        return self.owner_region.parent_id or ""

    def filing_decisions(self) -> QuerySet["LocalRuleDecision"]:
        return self.decisions.all()

    def filing_decision_add(self, *, office: str, accept: bool, reason: str, actor: Any) -> None:
        LocalRuleDecision.objects.create(
            rule=self,
            round=self.round,
            office=office,
            accept=accept,
            reason=reason,
            decided_by=actor,
        )


class LocalRuleDecision(Decision):
    rule = models.ForeignKey(LocalRule, on_delete=models.CASCADE, related_name="decisions")

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "round", "office"], name="local_rule_one_answer_per_office"
            ),
            models.CheckConstraint(
                condition=Q(accept=True) | ~Q(reason=""), name="local_rule_return_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id}·{self.round}·{self.office}"


class GuidanceVisit(models.Model):
    """A guidance visit (指导服务) of the archive bureau to a unit or a village: the policy's
    "开展到哪里，档案指导服务就跟进到哪里"."""

    visited_on = models.DateField("指导日期")
    unit = models.ForeignKey(
        "regions.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Where the visit counts in the quarterly report: the unit's region, or the village.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    guides = models.CharField("指导人员", max_length=300)
    topics = models.CharField("指导内容", max_length=500)
    problems = models.TextField("发现的问题", blank=True)
    advice = models.TextField("指导意见", blank=True)
    follow_up = models.TextField("后续跟进", blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = "指导服务"
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=True) ^ Q(village__isnull=True),
                name="guidance_to_unit_or_village",
            ),
            models.CheckConstraint(condition=~Q(topics=""), name="guidance_has_topics"),
        ]
        indexes = [models.Index(fields=["region", "visited_on"], name="guidance_region_day")]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} 指导{self.place}：{self.topics[:30]}"

    @property
    def place(self) -> str:
        return self.unit.name if self.unit_id else self.village.name  # type: ignore[union-attr]

    @property
    def recorder_label(self) -> str:
        return person(self.recorded_by, self.recorded_by_name)

    @property
    def audit_region_code(self) -> str:
        return self.region_id
