from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce

# 门类 codes (DA/T 13) are defined once, with the electronic files that are kept by them.
from fupin.objects.models import Category as CategoryCode
from fupin.schedule import retention
from fupin.schedule.models import Category

# DA/T 22's default reference code; placeholders are the Chinese element names.
EARLIEST_RECORD_YEAR = 2013
DEFAULT_TEMPLATE = "{全宗号}-{门类}·{年度}-{保管期限}-{机构问题}-{件号}"


# Which schedule category each 门类 is filed under.
SCHEDULE_CATEGORY = {
    CategoryCode.WS: Category.DOCUMENTS,
    CategoryCode.KJ: Category.SCITECH,
    CategoryCode.ZY: Category.PROFESSIONAL,
    CategoryCode.ZP: Category.AUDIOVISUAL,
    CategoryCode.LY: Category.AUDIOVISUAL,
    CategoryCode.LX: Category.AUDIOVISUAL,
    CategoryCode.SJ: Category.ELECTRONIC,
}
# A schedule category filed under exactly one 门类 implies it (专业 → ZY): the household file
# takes its 门类 from its annex rows, the records import reads “专业1” as ZY.
IMPLIED_CATEGORY: dict[str, CategoryCode] = {
    str(schedule): code
    for code, schedule in SCHEDULE_CATEGORY.items()
    if list(SCHEDULE_CATEGORY.values()).count(schedule) == 1
}


class Facet(models.TextChoices):
    DEPARTMENT = "department", "机构"
    SUBJECT = "subject", "问题"


class Secrecy(models.TextChoices):
    NONE = "", "—"
    INTERNAL = "internal", "内部"
    SECRET = "secret", "秘密"
    CONFIDENTIAL = "confidential", "机密"


class ItemStatus(models.TextChoices):
    DRAFT = "draft", "待整理"
    ARRANGED = "arranged", "已编号"
    LOCKED = "locked", "已归档"


class AccessMarking(models.TextChoices):
    """开放/控制: marked with a reason before a record goes to the archives, and reviewed there
    when the record reaches its opening date."""

    OPEN = "open", "开放"
    CONTROLLED = "controlled", "控制"


class FondsSettings(models.Model):
    """How one fonds (立档单位) is arranged: by department or by subject, and its code form."""

    unit = models.OneToOneField("regions.Unit", on_delete=models.CASCADE, related_name="fonds")
    facet = models.CharField("分类方法", max_length=12, choices=Facet.choices)
    code_template = models.CharField("档号格式", max_length=120, default=DEFAULT_TEMPLATE)
    # No record of the campaign can be older than its start (精准扶贫 was set out in late 2013);
    # a fonds that also holds older records says so here.
    earliest_year = models.PositiveSmallIntegerField(
        "最早年度", default=EARLIEST_RECORD_YEAR, validators=[MinValueValidator(1949)]
    )

    def __str__(self) -> str:
        return f"{self.unit} · 按{self.get_facet_display()}分类"


class ClassCode(models.Model):
    """A department (机构) or subject (问题) of a fonds, with its code in reference codes."""

    unit = models.ForeignKey("regions.Unit", on_delete=models.CASCADE, related_name="class_codes")
    facet = models.CharField(max_length=12, choices=Facet.choices)
    code = models.CharField("代码", max_length=12)
    name = models.CharField("名称", max_length=60)

    class Meta:
        ordering = ["unit_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="class_code_unique_in_fonds")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Box(models.Model):
    """A box holds items of one year, retention and class only (DA/T 22 §7)."""

    unit = models.ForeignKey("regions.Unit", on_delete=models.PROTECT, related_name="boxes")
    year = models.PositiveSmallIntegerField("年度")
    category = models.CharField("门类", max_length=2, choices=CategoryCode.choices)
    retention = models.CharField("保管期限", max_length=3, choices=retention.choices)
    class_code = models.ForeignKey(ClassCode, on_delete=models.PROTECT, verbose_name="机构（问题）")
    box_number = models.PositiveIntegerField("盒号")
    description = models.TextField("盒内文件情况说明", blank=True)
    arranger = models.CharField("整理人", max_length=50, blank=True)
    arranged_on = models.DateField("整理日期", null=True, blank=True)
    checker = models.CharField("检查人", max_length=50, blank=True)
    checked_on = models.DateField("检查日期", null=True, blank=True)

    class Meta:
        ordering = ["unit_id", "year", "category", "retention", "class_code_id", "box_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "category", "retention", "class_code", "box_number"],
                name="box_number_unique_in_class",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.retention}-{self.class_code.code} 第{self.box_number}盒"

    @property
    def audit_region_code(self) -> str:
        return self.unit.region_id


class RecordItem(models.Model):
    """One item (件) described after DA/T 22 / GB/T 18894."""

    unit = models.ForeignKey("regions.Unit", on_delete=models.PROTECT, related_name="items")
    year = models.PositiveSmallIntegerField("年度")
    category = models.CharField("门类", max_length=2, choices=CategoryCode.choices)
    schedule_version = models.ForeignKey(
        "schedule.ScheduleVersion", on_delete=models.PROTECT, related_name="+"
    )
    schedule_row = models.ForeignKey(
        "schedule.ScheduleRow", on_delete=models.PROTECT, related_name="items"
    )
    retention = models.CharField("保管期限", max_length=3, choices=retention.choices)
    class_code = models.ForeignKey(ClassCode, on_delete=models.PROTECT, verbose_name="机构（问题）")
    title = models.CharField("题名", max_length=500)
    title_by_archivist = models.BooleanField("自拟题名", default=False)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    responsible = models.CharField("责任者", max_length=200)
    date = models.DateField("日期")
    pages = models.PositiveIntegerField("页数")
    secrecy = models.CharField("密级", max_length=12, choices=Secrecy.choices, blank=True)
    notes = models.CharField("备注", max_length=500, blank=True)
    # 事由: items of one matter sit together; inside a matter by date, then importance.
    matter = models.CharField("事由", max_length=200, blank=True)
    importance = models.SmallIntegerField("重要程度", default=0)
    item_number = models.PositiveIntegerField("件号", null=True, blank=True)
    reference_code = models.CharField("档号", max_length=120, null=True, blank=True, unique=True)
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default=ItemStatus.DRAFT)
    box = models.ForeignKey(
        Box, null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Nullable without a default: the table carries search triggers, and on SQLite any other
    # new column rebuilds the table and drops them. None = not marked yet.
    access_marking = models.CharField(  # noqa: DJ001
        "开放/控制", max_length=10, choices=AccessMarking.choices, null=True, blank=True
    )
    access_marking_reason = models.CharField(  # noqa: DJ001
        "开放/控制理由", max_length=300, null=True, blank=True
    )
    # What appraisal and destruction (fupin.disposal) leave on the catalogue entry; nullable
    # without defaults for the same reason. A kept record's new retention: its arrangement and
    # 档号 keep the original one, so the keeping period counts from this (kept_retention()).
    appraised_retention = models.CharField(  # noqa: DJ001
        "鉴定后保管期限", max_length=3, choices=retention.choices, null=True, blank=True
    )
    # Destroyed: the entry stays (已销毁), shown to the custodians only, with its register.
    destroyed_at = models.DateTimeField("销毁时间", null=True, blank=True)
    destruction_register = models.CharField(  # noqa: DJ001
        "销毁清册编号", max_length=40, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [
            "unit_id",
            "year",
            "category",
            "retention",
            "class_code_id",
            "item_number",
            "pk",
        ]
        verbose_name = "文件（件）"
        indexes = [models.Index(fields=["unit", "year", "status"], name="item_unit_year_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "category", "retention", "class_code", "item_number"],
                condition=Q(item_number__isnull=False),
                name="item_number_unique_in_class",
            ),
            models.CheckConstraint(
                condition=~Q(status="locked")
                | Q(item_number__isnull=False, reference_code__isnull=False),
                name="locked_item_has_code",
            ),
            models.CheckConstraint(condition=Q(pages__gte=1), name="item_has_pages"),
        ]

    def __str__(self) -> str:
        return self.reference_code or self.display_title

    @property
    def display_title(self) -> str:
        return shown_title(self.title, self.title_by_archivist)

    @property
    def audit_region_code(self) -> str:
        return self.unit.region_id


def shown_title(title: str, by_archivist: bool) -> str:
    """An item's title as shown: one the archivist wrote (not the document's own) bracketed."""
    return f"[{title}]" if by_archivist else title


def kept_retention(prefix: str = "") -> Coalesce:
    """The retention a record is kept under now: the appraisal's, else the one filed."""
    return Coalesce(f"{prefix}appraised_retention", f"{prefix}retention")


class IssuedCode(models.Model):
    """Every reference code ever fixed by archiving: a code here is never issued again."""

    code = models.CharField(max_length=120, unique=True)
    item = models.OneToOneField(RecordItem, on_delete=models.PROTECT, related_name="issued")
    issued_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.code


class PartKind(models.TextChoices):
    SLIP = "slip", "处理单"
    TEXT = "text", "正文"
    ATTACHMENT = "attachment", "附件"
    ORIGINAL = "original", "原件"
    DRAFT = "draft", "定稿"
    FORWARDING = "forwarding", "转发文"
    FORWARDED = "forwarded", "被转发文"
    COPY = "copy", "复制件"
    REPLY = "reply", "批复"
    REQUEST = "request", "请示"
    TRANSLATION = "translation", "其他文字版本"


class ItemPart(models.Model):
    item = models.ForeignKey(RecordItem, on_delete=models.CASCADE, related_name="parts")
    kind = models.CharField("组成部分", max_length=12, choices=PartKind.choices)
    position = models.PositiveSmallIntegerField()
    title = models.CharField("名称", max_length=300, blank=True)
    pages = models.PositiveIntegerField("页数", default=1)

    class Meta:
        ordering = ["item_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="part_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title}"


class ItemFile(models.Model):
    """An electronic file of an item: a scan or the born-digital original, in order."""

    item = models.ForeignKey(RecordItem, on_delete=models.PROTECT, related_name="files")
    object = models.ForeignKey("objects.StoredObject", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    filename = models.CharField("文件名", max_length=255)
    pages = models.PositiveIntegerField("页数", null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="item_file_position"),
            models.UniqueConstraint(fields=["item", "object"], name="item_file_once"),
        ]

    def __str__(self) -> str:
        return self.filename


class Volume(models.Model):
    """A volume (案卷) of project or household documents, after GB/T 11822."""

    unit = models.ForeignKey("regions.Unit", on_delete=models.PROTECT, related_name="volumes")
    category = models.CharField("门类", max_length=2, choices=CategoryCode.choices)
    year = models.PositiveSmallIntegerField("年度")
    retention = models.CharField("保管期限", max_length=3, choices=retention.choices)
    project = models.CharField("项目（或户）名称", max_length=200)
    title = models.CharField("案卷题名", max_length=300)
    volume_number = models.PositiveIntegerField("案卷号")
    reference_code = models.CharField("档号", max_length=120, unique=True)
    description = models.TextField("本卷情况说明", blank=True)
    arranger = models.CharField("立卷人", max_length=50, blank=True)
    arranged_on = models.DateField("立卷日期", null=True, blank=True)
    checker = models.CharField("检查人", max_length=50, blank=True)
    checked_on = models.DateField("检查日期", null=True, blank=True)
    access_marking = models.CharField(  # noqa: DJ001
        "开放/控制", max_length=10, choices=AccessMarking.choices, null=True, blank=True
    )
    access_marking_reason = models.CharField(  # noqa: DJ001
        "开放/控制理由", max_length=300, null=True, blank=True
    )

    class Meta:
        ordering = ["unit_id", "category", "year", "volume_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "category", "year", "retention", "volume_number"],
                name="volume_number_unique",
            ),
            models.CheckConstraint(condition=Q(category__in=["KJ", "ZY"]), name="volume_category"),
        ]

    def __str__(self) -> str:
        return f"{self.reference_code} {self.title}"

    @property
    def audit_region_code(self) -> str:
        return self.unit.region_id


class VolumeEntry(models.Model):
    """A document in a volume, in order, with the pages it occupies (页号)."""

    volume = models.ForeignKey(Volume, on_delete=models.CASCADE, related_name="entries")
    item = models.OneToOneField(RecordItem, on_delete=models.PROTECT, related_name="volume_entry")
    seq = models.PositiveIntegerField("序号")
    first_page = models.PositiveIntegerField()
    last_page = models.PositiveIntegerField()

    class Meta:
        ordering = ["volume_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["volume", "seq"], name="volume_entry_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.volume_id}#{self.seq}"
