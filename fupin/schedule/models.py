from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet

from fupin.filing.models import Decision, Filed, FilingStatus, Office
from fupin.schedule import retention


class ScheduleLevel(models.TextChoices):
    COUNTY = "county", "省、市、县级"
    TOWNSHIP = "township", "乡镇级"
    VILLAGE = "village", "村级"


class Category(models.TextChoices):
    DOCUMENTS = "documents", "文书"
    SCITECH = "scitech", "科技"
    PROFESSIONAL = "professional", "专业"
    AUDIOVISUAL = "audiovisual", "声像"
    ELECTRONIC = "electronic", "电子"


class ScheduleVersion(Filed):
    """The provincial table, or a locality's refinement of the version in force for it."""

    title = models.CharField("名称", max_length=200)
    owner_region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_unit = models.ForeignKey(
        "regions.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="refinements"
    )
    effective_from = models.DateField("生效日期")
    # None: the operator at the server's command line.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_from", "pk"]
        verbose_name = "归档范围版本"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=FilingStatus.values), name="schedule_version_status"
            ),
            # A province issues at most one table per effective date; loading twice is a no-op.
            models.UniqueConstraint(
                fields=["owner_region", "effective_from"],
                condition=Q(parent__isnull=True),
                name="schedule_one_base_per_date",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(status="draft") | Q(round__gte=1),
                name="schedule_filed_has_round",
            ),
            models.CheckConstraint(
                condition=Q(owner_region__isnull=False, owner_unit__isnull=True)
                | Q(owner_region__isnull=True, owner_unit__isnull=False),
                name="schedule_version_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=False) | Q(status="accepted"),
                name="schedule_base_version_accepted",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_region_code(self) -> str:
        return self.owner_region_id or (self.owner_unit.region_id if self.owner_unit else "")

    @property
    def owner_label(self) -> str:
        return str(self.owner_unit or self.owner_region)

    def filing_region(self) -> str:
        """A region's refinement is filed with its parent's offices, a unit's with the offices
        of the unit's own region (which supervise the units at their level)."""
        if self.owner_unit is not None:
            return self.owner_unit.region_id
        if self.owner_region is None:
            return ""
        return self.owner_region.parent_id or ""

    def filing_decisions(self) -> QuerySet["FilingDecision"]:
        return self.decisions.all()

    def filing_decision_add(self, *, office: str, accept: bool, reason: str, actor: Any) -> None:
        FilingDecision.objects.create(
            version=self,
            round=self.round,
            office=office,
            accept=accept,
            reason=reason,
            region_id=self.filing_region(),
            decided_by=actor,
            decided_by_name=actor.get_username(),
        )


class ScheduleRow(models.Model):
    """One row of the table, or a refinement's sub-item under a row.

    Rows are frozen: records keep the row they were filed under. Triggers (migration 0002)
    refuse any UPDATE, and a DELETE while the row's version is submitted or accepted.
    """

    version = models.ForeignKey(ScheduleVersion, on_delete=models.CASCADE, related_name="rows")
    parent_row = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="sub_items"
    )
    level = models.CharField("层级", max_length=10, choices=ScheduleLevel.choices)
    category = models.CharField("门类", max_length=15, choices=Category.choices)
    category_heading = models.CharField("门类（原表）", max_length=60, blank=True)
    number = models.CharField("序号", max_length=12, blank=True)
    scope_text = models.TextField("归档范围")
    retention_text = models.CharField("保管期限（原表）", max_length=20)
    retention_options = models.JSONField("可选保管期限")
    responsible_units = models.CharField("责任单位", max_length=200, blank=True)
    responsible_inherited = models.BooleanField(default=False)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["version_id", "position"]
        verbose_name = "归档范围条目"
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="schedule_row_position"),
            models.UniqueConstraint(
                fields=["version", "level", "category", "number"],
                condition=Q(parent_row__isnull=True) & ~Q(number=""),
                name="schedule_base_row_number",
            ),
            models.UniqueConstraint(
                fields=["version", "parent_row", "number"],
                condition=Q(parent_row__isnull=False),
                name="schedule_sub_item_number",
            ),
            models.CheckConstraint(
                condition=Q(level__in=ScheduleLevel.values), name="schedule_row_level"
            ),
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="schedule_row_category"
            ),
        ]

    def __str__(self) -> str:
        where = f"{self.get_level_display()}·{self.get_category_display()}·{self.number}"
        return f"{where} {self.scope_text[:30]}"

    @property
    def retention_labels(self) -> str:
        return retention.labels(self.retention_options)


class FilingDecision(Decision):
    """The poverty office's or archive bureau's answer to one submission of a refinement."""

    version = models.ForeignKey(ScheduleVersion, on_delete=models.CASCADE, related_name="decisions")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    decided_by_name = models.CharField(max_length=150)

    class Meta:
        ordering = ["version_id", "round", "office"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "round", "office"], name="one_decision_per_office_and_round"
            ),
            models.CheckConstraint(
                condition=Q(accept=True) | ~Q(reason=""), name="return_needs_reason"
            ),
            models.CheckConstraint(
                condition=Q(office__in=Office.values), name="filing_decision_office"
            ),
            models.CheckConstraint(condition=Q(round__gte=1), name="filing_decision_round"),
        ]

    def __str__(self) -> str:
        return f"{self.get_office_display()}：{'同意备案' if self.accept else '退回'}"
