import operator
from functools import reduce

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact


class Level(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市（州）"
    COUNTY = "county", "县（市、区）"
    TOWNSHIP = "township", "乡（镇、街道）"
    VILLAGE = "village", "村（居）"


CODE_LENGTH = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
}
LEVEL_BY_LENGTH = {length: level for level, length in CODE_LENGTH.items()}
LEVEL_ORDER = list(CODE_LENGTH)


def code_matches_level() -> Q:
    """The code's length is fixed by the level; a database check, not just a form check."""
    parts = [
        Q(Exact(F("level"), level.value) & Exact(Length("code"), length))
        for level, length in CODE_LENGTH.items()
    ]
    return reduce(operator.or_, parts)


class Region(models.Model):
    """A statistical division. Its code is a prefix path, so scope checks are prefix ranges."""

    code = models.CharField(max_length=12, primary_key=True)
    name = models.CharField(max_length=100)
    level = models.CharField(max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_poor = models.BooleanField("贫困县/贫困村", default=False)
    exit_year = models.PositiveSmallIntegerField("摘帽/出列年度", null=True, blank=True)
    # 精准扶贫工作结束: set on a province, city or county and inherited below unless set lower
    # (fupin.regions.selectors.campaign_end); after it no new yearly papers are owed and the
    # records fall due for transfer to the archives by transfer_due_on.
    campaign_ended_on = models.DateField("精准扶贫工作结束日期", null=True, blank=True)
    transfer_due_on = models.DateField("移交进馆期限", null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "行政区划"
        constraints = [
            models.CheckConstraint(
                condition=code_matches_level(),
                name="region_code_matches_level",
            ),
            models.CheckConstraint(
                condition=Q(exit_year__isnull=True) | Q(is_poor=True),
                name="region_exit_only_if_poor",
            ),
            models.CheckConstraint(
                condition=Q(transfer_due_on__isnull=True)
                | Q(campaign_ended_on__isnull=False, transfer_due_on__gte=F("campaign_ended_on")),
                name="region_transfer_due_after_end",
            ),
        ]
        indexes = [models.Index(fields=["level", "code"], name="region_level_code")]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def audit_region_code(self) -> str:
        return self.code

    @property
    def poverty_label(self) -> str:
        if not self.is_poor:
            return ""
        noun = "贫困县" if self.level == Level.COUNTY else "贫困村"
        if self.exit_year:
            verb = "摘帽" if self.level == Level.COUNTY else "出列"
            return f"{noun}（{self.exit_year}年{verb}）"
        return noun


class RegionNameChange(models.Model):
    """Renames are history, not overwrites: records keep the code they were filed under."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="name_changes")
    old_name = models.CharField(max_length=100)
    new_name = models.CharField(max_length=100)
    changed_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.region_id}: {self.old_name} → {self.new_name}"


class UnitKind(models.TextChoices):
    PARTY_GOV = "party_gov", "党委、政府"
    POVERTY_OFFICE = "poverty_office", "扶贫办"
    ARCHIVE_BUREAU = "archive_bureau", "档案局"
    ARCHIVES = "archives", "综合档案馆"
    DEPARTMENT = "department", "行业部门"
    ENTERPRISE = "enterprise", "企业"
    FINANCIAL = "financial", "金融机构"
    SCHOOL = "school", "学校"
    HOSPITAL = "hospital", "医疗机构"
    MASS_ORG = "mass_org", "群团组织"
    SOCIAL_ORG = "social_org", "社会组织"
    WORK_TEAM = "work_team", "驻村工作队"
    TOWNSHIP_GOV = "township_gov", "乡镇党委、政府"
    VILLAGE_COMMITTEE = "village_committee", "村委会"


class Unit(models.Model):
    """A unit with archive duties (立档单位); section 二 of the policy names its people."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="units")
    kind = models.CharField("单位类别", max_length=20, choices=UnitKind.choices)
    name = models.CharField("单位名称", max_length=200)
    fonds_code = models.CharField("全宗号", max_length=20, unique=True)
    fonds_name = models.CharField("全宗名称", max_length=200)
    leader = models.CharField("分管领导", max_length=100, blank=True)
    responsible_department = models.CharField("责任部门", max_length=100, blank=True)
    archivists = models.CharField("档案工作人员", max_length=300, blank=True)
    # Villages a work team is stationed in (驻点村): their archives count against the unit.
    stationed_villages = models.ManyToManyField(
        Region, blank=True, related_name="stationed_units", verbose_name="驻点村"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = "立档单位"
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unit_name_unique_in_region")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_region_code(self) -> str:
        return self.region_id

    @property
    def level(self) -> str:
        return self.region.level
