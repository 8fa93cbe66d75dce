"""Registered poor households (建档立卡) and their members, with the history of every change."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from fupin.core.lookups import Glob
from fupin.households.files.checklist import MEASURE_LABELS, MeasureKind
from fupin.households.registry.sheet import LABELS
from fupin.regions.models import Region


class HouseholdStatus(models.TextChoices):
    POOR = "poor", "贫困户"
    EXITED = "exited", "脱贫"
    RETURNED = "returned", "返贫"
    NEW = "new", "新识别"
    STABLE = "stable", "稳定脱贫"
    REMOVED = "removed", "清退"


STATUS_LABELS = dict(HouseholdStatus.choices)


def status_text(status: str, exit_year: int | None) -> str:
    """The status as people say it: an exited household with the year it exited."""
    label = STATUS_LABELS.get(status, status)
    exited = status in (HouseholdStatus.EXITED, HouseholdStatus.STABLE)
    return f"{label}（{exit_year}年）" if exited and exit_year else label


class ChangeKind(models.TextChoices):
    IDENTIFIED = "identified", "新识别"
    RETURNED = "returned", "返贫"
    EXITED = "exited", "脱贫"
    REMOVED = "removed", "清退"
    MEMBER_ADDED = "member_added", "成员增加"
    MEMBER_REMOVED = "member_removed", "成员减少"
    ATTRIBUTE = "attribute", "属性变更"


class IdentifiedBasis(models.TextChoices):
    """Where a household's 识别年度 comes from, so what is printed from it claims no more."""

    IDENTIFIED = "identified", "新识别"  # new in a village already registered: identified then
    SHEET = "sheet", "登记表识别年度"  # the sheet's own 识别年度 column (or entered as known)
    # Loaded by its village's first sheet without that column: all the registry knows is that
    # the household was registered in that sheet's data year.
    REGISTERED = "registered", "首次导入数据年度"


class ImportBatch(models.Model):
    """One imported sheet. The digest tells a re-import of the very same file from a newer one."""

    file_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    rows = models.PositiveIntegerField("行数")
    households = models.PositiveIntegerField("导入户数")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    region_code = models.CharField("覆盖区划", max_length=12, blank=True)
    # The year the sheet's data describe (the import's year unless told): a household's
    # identification and exit are dated by it, not by the day someone imported the file.
    data_year = models.PositiveSmallIntegerField("数据年度", null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at"]
        verbose_name = "导入批次"

    def __str__(self) -> str:
        return f"{self.file_name}（{self.at:%Y-%m-%d %H:%M}）"

    @property
    def audit_region_code(self) -> str:
        return self.region_code


class Household(models.Model):
    village = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="households",
        limit_choices_to={"level": "village"},
    )
    household_no = models.CharField(LABELS["household_no"], max_length=30, unique=True)
    head_name = models.CharField(LABELS["head_name"], max_length=50)
    size = models.PositiveSmallIntegerField(LABELS["size"])
    attribute = models.CharField(LABELS["attribute"], max_length=20)
    main_cause = models.CharField(LABELS["main_cause"], max_length=20)
    status = models.CharField(
        LABELS["status"],
        max_length=10,
        choices=HouseholdStatus.choices,
        default=HouseholdStatus.POOR,
    )
    identified_year = models.PositiveSmallIntegerField(
        LABELS["identified_year"], null=True, blank=True
    )
    identified_basis = models.CharField(
        "识别年度依据",
        max_length=10,
        choices=IdentifiedBasis.choices,
        default=IdentifiedBasis.SHEET,
    )
    exit_year = models.PositiveSmallIntegerField("脱贫年度", null=True, blank=True)
    income_per_capita = models.DecimalField(
        LABELS["income_per_capita"], max_digits=12, decimal_places=2, null=True, blank=True
    )
    natural_village = models.CharField(LABELS["natural_village"], max_length=50, blank=True)
    phone = models.CharField(LABELS["phone"], max_length=30, blank=True)
    dilapidated_house = models.BooleanField(LABELS["dilapidated_house"], null=True)
    water_safe = models.BooleanField(LABELS["water_safe"], null=True)
    water_difficulty = models.BooleanField(LABELS["water_difficulty"], null=True)
    updated_by = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The file's completeness, kept with the household so a province roll-up is one grouped scan;
    # recomputed by the households services whenever a document, measure or status changes.
    docs_required = models.PositiveIntegerField("应归档材料数", default=0)
    docs_missing = models.PositiveIntegerField("缺少材料数", default=0)
    missing_mask = models.BigIntegerField("缺少的材料类型", default=0)
    file_complete = models.BooleanField("档案齐全", default=False)

    class Meta:
        ordering = ["household_no"]
        verbose_name = "贫困户"
        constraints = [
            models.CheckConstraint(condition=Q(size__gte=1), name="household_size_positive"),
            models.CheckConstraint(
                condition=Q(status__in=HouseholdStatus.values), name="household_status_known"
            ),
            models.CheckConstraint(
                condition=Q(docs_missing__lte=F("docs_required"))
                & (Q(file_complete=False) | Q(docs_missing=0, docs_required__gt=0)),
                name="household_file_counts_consistent",
            ),
            models.CheckConstraint(
                condition=Q(exit_year__isnull=True)
                | Q(identified_year__isnull=True)
                | Q(exit_year__gte=F("identified_year")),
                name="household_exit_after_identified",
            ),
        ]
        indexes = [
            models.Index(fields=["village", "status"], name="household_village_status"),
            models.Index(fields=["village", "docs_missing"], name="household_village_missing"),
            models.Index(fields=["head_name"], name="household_head_name"),
        ]

    def __str__(self) -> str:
        return f"{self.head_name}户（{self.household_no}）"

    @property
    def audit_region_code(self) -> str:
        return self.village_id

    @property
    def status_shown(self) -> str:
        return status_text(self.status, self.exit_year)


class Person(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person_no = models.CharField(LABELS["person_no"], max_length=40)
    name = models.CharField(LABELS["name"], max_length=50)
    # The registry's rule: one person, one row, anywhere in the province (a constraint in
    # Meta, not unique=True, which on PostgreSQL adds a second index for LIKE that no read
    # uses and a registration import pays for on each of a million rows).
    id_number = models.CharField(LABELS["id_number"], max_length=18)
    relation = models.CharField(LABELS["relation"], max_length=10)
    ethnicity = models.CharField(LABELS["ethnicity"], max_length=20, blank=True)
    education = models.CharField(LABELS["education"], max_length=20, blank=True)
    schooling = models.CharField(LABELS["schooling"], max_length=20, blank=True)
    health = models.CharField(LABELS["health"], max_length=20, blank=True)
    labour_skill = models.CharField(LABELS["labour_skill"], max_length=20, blank=True)
    work_status = models.CharField(LABELS["work_status"], max_length=20, blank=True)
    work_months = models.PositiveSmallIntegerField(LABELS["work_months"], null=True, blank=True)
    serious_illness_insurance = models.BooleanField(LABELS["serious_illness_insurance"], null=True)

    class Meta:
        ordering = ["household_id", "person_no"]
        verbose_name = "家庭成员"
        constraints = [
            models.CheckConstraint(
                condition=Q(work_months__isnull=True) | Q(work_months__lte=12),
                name="person_work_months_in_year",
            ),
            models.CheckConstraint(
                condition=Glob(F("id_number"), "[0-9]" * 17 + "[0-9X]"),
                name="person_id_number_form",
            ),
            models.UniqueConstraint(fields=["id_number"], name="person_id_number_unique"),
        ]
        indexes = [models.Index(fields=["person_no"], name="person_no")]

    def __str__(self) -> str:
        return f"{self.name}（{self.person_no}）"


class HouseholdChange(models.Model):
    """What an import changed. Values are kept as the sheet wrote them, phones masked on output."""

    # No index of their own: the indexes below begin with each (one index fewer to keep up
    # per row of an import's history).
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="changes", db_index=False
    )
    batch = models.ForeignKey(
        ImportBatch,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes",
        db_index=False,
    )
    kind = models.CharField(max_length=20, choices=ChangeKind.choices)
    field = models.CharField("项目", max_length=30, blank=True)
    person_no = models.CharField("人编号", max_length=40, blank=True)
    person_name = models.CharField("姓名", max_length=50, blank=True)
    before = models.CharField("原值", max_length=100, blank=True)
    after = models.CharField("新值", max_length=100, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "农户变动"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ChangeKind.values), name="household_change_kind_known"
            ),
            models.CheckConstraint(
                condition=~Q(kind=ChangeKind.ATTRIBUTE) | ~Q(field=""),
                name="household_change_attribute_names_field",
            ),
        ]
        indexes = [
            models.Index(fields=["batch", "kind"], name="household_change_batch_kind"),
            models.Index(fields=["household", "at"], name="household_change_history"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.field}"


class HouseholdFile(models.Model):
    """一户一档: the household's volume in its village committee's fonds."""

    household = models.OneToOneField(Household, on_delete=models.CASCADE, related_name="file")
    volume = models.OneToOneField(
        "records.Volume", on_delete=models.PROTECT, related_name="household_file"
    )
    exit_accepted_year = models.PositiveSmallIntegerField("脱贫验收年度", null=True, blank=True)
    exit_accepted_at = models.DateTimeField("脱贫验收时间", null=True, blank=True)
    exit_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "一户一档"

    def __str__(self) -> str:
        return f"{self.household}档案"


class HouseholdDocument(models.Model):
    """A record item filed in a household's file as one of the 15 checklist types."""

    file = models.ForeignKey(HouseholdFile, on_delete=models.CASCADE, related_name="documents")
    item = models.OneToOneField(
        "records.RecordItem", on_delete=models.PROTECT, related_name="household_document"
    )
    number = models.PositiveSmallIntegerField("材料类型")
    year = models.PositiveSmallIntegerField("年度")

    class Meta:
        ordering = ["number", "year", "pk"]
        verbose_name = "户档材料"
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=15), name="household_document_type_known"
            )
        ]
        indexes = [models.Index(fields=["file", "number", "year"], name="household_doc_type")]

    def __str__(self) -> str:
        return f"{self.number}·{self.year}"


class OfficerLevel(models.TextChoices):
    PROVINCE = "province", "省直"
    CITY = "city", "市直"
    COUNTY = "county", "县直"
    TOWNSHIP = "township", "乡镇"
    VILLAGE = "village", "村级"


class AssistanceOfficer(models.Model):
    """帮扶责任人; a change of officer ends one row and starts another."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="officers")
    name = models.CharField("姓名", max_length=50)
    unit_name = models.CharField("工作单位", max_length=100)
    unit_level = models.CharField("单位层级", max_length=10, choices=OfficerLevel.choices)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    start_date = models.DateField("帮扶开始日期")
    end_date = models.DateField("帮扶结束日期", null=True, blank=True)

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = "帮扶责任人"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="officer_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name


class AssistanceMeasure(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField("措施类别", max_length=12)
    year = models.PositiveSmallIntegerField("年度")
    project = models.CharField("项目", max_length=200)
    scale = models.CharField("规模", max_length=100, blank=True)
    funds = models.DecimalField("资金（元）", max_digits=12, decimal_places=2, default=0)
    deadline = models.DateField("完成时限", null=True, blank=True)

    class Meta:
        ordering = ["year", "pk"]
        verbose_name = "帮扶措施"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in MeasureKind]),
                name="measure_kind_known",
            ),
            models.CheckConstraint(condition=Q(funds__gte=0), name="measure_funds_not_negative"),
        ]

    def __str__(self) -> str:
        return self.project

    @property
    def kind_label(self) -> str:
        return MEASURE_LABELS[MeasureKind(self.kind)]


class YearlyIncome(models.Model):
    """年度收入核算: the four sources less production costs, per head of the household."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="incomes")
    year = models.PositiveSmallIntegerField("年度")
    wages = models.DecimalField("工资性收入", max_digits=12, decimal_places=2, default=0)
    business = models.DecimalField("经营性收入", max_digits=12, decimal_places=2, default=0)
    transfers = models.DecimalField("转移性收入", max_digits=12, decimal_places=2, default=0)
    property = models.DecimalField("财产性收入", max_digits=12, decimal_places=2, default=0)
    expenses = models.DecimalField("生产经营性支出", max_digits=12, decimal_places=2, default=0)
    net_income = models.DecimalField("家庭纯收入", max_digits=12, decimal_places=2)
    per_capita = models.DecimalField("人均纯收入", max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["year"]
        verbose_name = "年度收入"
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="income_once_per_year"),
            models.CheckConstraint(
                condition=Q(
                    net_income=F("wages")
                    + F("business")
                    + F("transfers")
                    + F("property")
                    - F("expenses")
                ),
                name="income_net_is_sum",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年"


class RelocationLink(models.Model):
    """A relocated household's county-level file (县级专业 1) linked to the household."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="relocation")
    item = models.ForeignKey("records.RecordItem", on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["linked_at", "pk"]
        verbose_name = "易地搬迁档案关联"
        constraints = [
            models.UniqueConstraint(fields=["household", "item"], name="relocation_link_once")
        ]

    def __str__(self) -> str:
        return f"{self.household_id}→{self.item_id}"


class CodeValue(models.Model):
    """One value of a coded column of the registration sheet (national code tables, kept as
    data): what the registry stores. Blank is always allowed and needs no row."""

    column = models.CharField("列", max_length=30)
    value = models.CharField("代码值", max_length=30)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["column", "position", "value"]
        verbose_name = "代码值"
        constraints = [
            models.UniqueConstraint(fields=["column", "value"], name="code_value_unique"),
            models.CheckConstraint(condition=~Q(value=""), name="code_value_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.column}：{self.value}"


class CodeAlias(models.Model):
    """Another spelling of a code value, as some year's national system or a province writes
    it; `value` blank means "nothing to report" (e.g. 在校生状况 非在校生). Matched after
    width folding and with spaces removed, so the alias is stored in that folded form."""

    column = models.CharField("列", max_length=30)
    alias = models.CharField("别名", max_length=30)
    value = models.CharField("对应代码值", max_length=30, blank=True)

    class Meta:
        ordering = ["column", "alias"]
        verbose_name = "代码别名"
        constraints = [
            models.UniqueConstraint(fields=["column", "alias"], name="code_alias_unique"),
            models.CheckConstraint(condition=~Q(alias=""), name="code_alias_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.column}：{self.alias} → {self.value or '（空）'}"
