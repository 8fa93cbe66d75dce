"""Appraisal of expired records (到期鉴定), holds (保全), destruction registers (销毁清册) and
what a destruction leaves, and the archives' opening review (开放审核) with the public
catalogue it feeds."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from fupin.schedule import retention


class GroupRole(models.TextChoices):
    LEADER = "leader", "组长"
    DEPUTY = "deputy", "副组长"
    MEMBER = "member", "成员"


class GroupMember(models.Model):
    """A member of a unit's appraisal group (鉴定小组), with the post they hold."""

    unit = models.ForeignKey("regions.Unit", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务", max_length=100)
    role = models.CharField("组内分工", max_length=10, choices=GroupRole.choices)
    active = models.BooleanField("在组", default=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit_id", "-active", "role", "pk"]
        verbose_name = "鉴定小组成员"
        constraints = [
            models.CheckConstraint(condition=~Q(name="") & ~Q(post=""), name="member_named"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）"

    @property
    def audit_region_code(self) -> str:
        return self.unit.region_id


class HoldKind(models.TextChoices):
    AUDIT = "audit", "审计"
    DISPUTE = "dispute", "纠纷"
    INSPECTION = "inspection", "检查"


class Hold(models.Model):
    """保全: records that must be kept whatever their retention, while an audit, a dispute or an
    inspection needs them. Set and lifted with a reason by a custodian or the archive bureau."""

    unit = models.ForeignKey("regions.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("保全事由", max_length=12, choices=HoldKind.choices)
    reason = models.CharField("说明", max_length=300)
    items = models.ManyToManyField("records.RecordItem", related_name="+")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(auto_now_add=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.CharField("解除理由", max_length=300, blank=True)

    class Meta:
        ordering = ["-set_at", "-pk"]
        verbose_name = "档案保全"
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="hold_has_reason"),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True) | ~Q(lift_reason=""),
                name="hold_lift_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"保全第{self.pk}号（{self.get_kind_display()}）"

    @property
    def audit_region_code(self) -> str:
        return self.unit.region_id


class AppraisalStatus(models.TextChoices):
    OPEN = "open", "鉴定中"
    CONCLUDED = "concluded", "已完成"


class Appraisal(models.Model):
    """One batch of expired records reviewed by the unit's appraisal group (到期档案鉴定)."""

    unit = models.ForeignKey("regions.Unit", on_delete=models.PROTECT, related_name="+")
    number = models.CharField("鉴定编号", max_length=40, unique=True)
    # The group as it was when the batch was made: later changes do not rewrite the form.
    members = models.JSONField("鉴定小组", default=list)
    status = models.CharField(
        max_length=10, choices=AppraisalStatus.choices, default=AppraisalStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    opinion = models.CharField("鉴定意见", max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "到期档案鉴定"

    def __str__(self) -> str:
        return f"鉴定 {self.number}"

    @property
    def audit_region_code(self) -> str:
        return self.unit.region_id


class Decision(models.TextChoices):
    UNDECIDED = "", "待鉴定"
    KEEP = "keep", "继续保存"
    DESTROY = "destroy", "建议销毁"


class AppraisalEntry(models.Model):
    appraisal = models.ForeignKey(Appraisal, on_delete=models.PROTECT, related_name="entries")
    item = models.ForeignKey("records.RecordItem", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    new_retention = models.CharField(  # noqa: DJ001 - NULL: no new retention (not kept)
        "延长后保管期限", max_length=3, choices=retention.choices, null=True, blank=True
    )
    reason = models.CharField("鉴定理由", max_length=300, blank=True)

    class Meta:
        ordering = ["appraisal_id", "pk"]
        verbose_name = "鉴定条目"
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "item"], name="appraisal_item_once"),
            models.CheckConstraint(
                condition=Q(decision="") | ~Q(reason=""), name="appraisal_decision_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(decision="keep", new_retention__isnull=False)
                | (~Q(decision="keep") & Q(new_retention__isnull=True)),
                name="appraisal_keep_has_retention",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appraisal_id}:{self.item_id}"


class RegisterStatus(models.TextChoices):
    DRAFT = "draft", "待审批"
    REFUSED = "refused", "领导未批准"
    APPROVED = "approved", "已批准，待备案"
    RETURNED = "returned", "档案局退回"
    READY = "ready", "可实施销毁"
    DESTROYING = "destroying", "销毁中"
    DESTROYED = "destroyed", "已销毁"


class Register(models.Model):
    """销毁清册. Kept for ever: the database refuses to delete it or its entries."""

    unit = models.ForeignKey("regions.Unit", on_delete=models.PROTECT, related_name="+")
    number = models.CharField("清册编号", max_length=40, unique=True)
    appraisal = models.ForeignKey(
        Appraisal, null=True, blank=True, on_delete=models.PROTECT, related_name="registers"
    )
    status = models.CharField(
        max_length=12, choices=RegisterStatus.choices, default=RegisterStatus.DRAFT
    )
    supervisor_1 = models.CharField("监销人", max_length=50)
    supervisor_2 = models.CharField("监销人", max_length=50)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The leader in charge signs the paper register; the archivist records it here.
    approver_name = models.CharField("批准人", max_length=100, blank=True)
    approved_on = models.DateField("批准日期", null=True, blank=True)
    approval_opinion = models.CharField("审批意见", max_length=300, blank=True)
    approval_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filing_required = models.BooleanField("须报档案局备案", default=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField("备案时间", null=True, blank=True)
    filing_opinion = models.CharField("备案意见", max_length=300, blank=True)
    destroyed_on = models.DateField("销毁日期", null=True, blank=True)
    method = models.CharField("销毁方式", max_length=100, blank=True)
    place = models.CharField("销毁地点", max_length=100, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField("开始销毁", null=True, blank=True)
    finished_at = models.DateTimeField("销毁完成", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "档案销毁清册"
        constraints = [
            models.CheckConstraint(
                condition=~Q(supervisor_1="")
                & ~Q(supervisor_2="")
                & ~Q(supervisor_1=models.F("supervisor_2")),
                name="register_two_supervisors",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "refused"]) | ~Q(approver_name=""),
                name="register_approved_by_someone",
            ),
            models.CheckConstraint(
                condition=~Q(status="destroyed") | Q(finished_at__isnull=False),
                name="register_destroyed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"销毁清册 {self.number}"

    @property
    def audit_region_code(self) -> str:
        return self.unit.region_id


class RegisterEntry(models.Model):
    """One line of a register as printed: written once, never changed or deleted."""

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="entries")
    seq = models.PositiveIntegerField("序号")
    item = models.ForeignKey("records.RecordItem", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("题名", max_length=500)
    year = models.PositiveSmallIntegerField("年度")
    reference_code = models.CharField("档号", max_length=120)
    retention = models.CharField("应保管期限", max_length=3, choices=retention.choices)
    kept_years = models.PositiveSmallIntegerField("已保管期限")
    pages = models.PositiveIntegerField("页数")
    notes = models.CharField("备注", max_length=300, blank=True)

    class Meta:
        ordering = ["register_id", "seq"]
        verbose_name = "销毁清册条目"
        constraints = [
            models.UniqueConstraint(fields=["register", "seq"], name="register_entry_seq"),
            models.UniqueConstraint(fields=["register", "item"], name="register_entry_once"),
        ]

    def __str__(self) -> str:
        return f"{self.register_id}#{self.seq}"


class FileRole(models.TextChoices):
    FILE = "file", "电子文件"
    DERIVATIVE = "derivative", "缩略图等派生文件"


class DestroyedFile(models.Model):
    """A stored file a destruction removed (or left, when a live record shares its bytes),
    with its digests: the destruction certificate lists these. `deleted_at` is set once its
    bytes are confirmed gone from every store; until then the destruction is still running."""

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="files")
    item = models.ForeignKey("records.RecordItem", on_delete=models.PROTECT, related_name="+")
    object = models.ForeignKey("objects.StoredObject", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=12, choices=FileRole.choices)
    filename = models.CharField("文件名", max_length=255)
    sha256 = models.CharField(max_length=64)
    sm3 = models.CharField(max_length=64, blank=True)
    size = models.BigIntegerField()
    format = models.CharField(max_length=10)
    # Content-addressed bytes another live record also holds are not deleted: only this
    # record's link to them is.
    shared = models.BooleanField("与在存档案共用，未删除", default=False)
    stores = models.JSONField("已删除的存储", default=list)
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True)

    class Meta:
        ordering = ["register_id", "item_id", "pk"]
        verbose_name = "已销毁电子文件"
        constraints = [
            models.UniqueConstraint(
                fields=["register", "item", "object"], name="destroyed_file_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} {self.sha256[:12]}…"


class Opening(models.TextChoices):
    OPEN = "open", "开放"
    CONTROLLED = "controlled", "控制"


class OpeningDecision(models.Model):
    """The archives' opening review of one record (开放审核); the newest decision holds."""

    item = models.ForeignKey("records.RecordItem", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField("审核结论", max_length=12, choices=Opening.choices)
    reason = models.CharField("理由", max_length=300)
    release_files = models.BooleanField("公布电子文件", default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item_id", "-decided_at", "-pk"]
        verbose_name = "开放审核"
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="opening_has_reason"),
            models.CheckConstraint(
                condition=Q(decision="open") | Q(release_files=False),
                name="opening_release_only_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.get_decision_display()}"


class PublicRecord(models.Model):
    """What the public catalogue and OAI-PMH may show of an opened record, and nothing more:
    copied from the record when it is opened, withdrawn (kept, for harvesters' deletions)
    when it is controlled again."""

    item = models.OneToOneField(
        "records.RecordItem", on_delete=models.PROTECT, related_name="+", primary_key=True
    )
    reference_code = models.CharField("档号", max_length=120, unique=True)
    title = models.CharField("题名", max_length=500)
    date = models.DateField("日期")
    year = models.PositiveSmallIntegerField("年度")
    fonds_code = models.CharField("全宗号", max_length=20)
    fonds_name = models.CharField("全宗名称", max_length=200)
    category = models.CharField("门类", max_length=20)
    class_name = models.CharField("机构（问题）", max_length=60)
    responsible = models.CharField("责任者", max_length=200)
    files_released = models.BooleanField("电子文件已公布", default=False)
    withdrawn = models.BooleanField("已撤回", default=False)
    # When its public description last changed: OAI-PMH's datestamp.
    changed_at = models.DateTimeField("更新时间", db_index=True)

    class Meta:
        ordering = ["fonds_code", "year", "reference_code"]
        verbose_name = "开放档案目录"
        indexes = [
            models.Index(fields=["withdrawn", "fonds_code", "year"], name="public_record_browse"),
        ]

    def __str__(self) -> str:
        return f"{self.reference_code} {self.title}"


class WalkIn(models.Model):
    """查档登记: someone (a villager, mostly) consulting records in person at a village, a
    township or the archives. Only the masked ID number is kept."""

    unit = models.ForeignKey("regions.Unit", on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField("查档日期")
    visitor_name = models.CharField("查档人", max_length=50)
    id_masked = models.CharField("身份证号（遮挡）", max_length=18)
    purpose = models.CharField("查档目的", max_length=300)
    consulted = models.CharField("查阅内容", max_length=500)
    household = models.ForeignKey(
        "households.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    copies = models.PositiveSmallIntegerField("复制页数", default=0)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-registered_at", "-pk"]
        verbose_name = "查档登记"
        constraints = [
            models.CheckConstraint(
                condition=~Q(visitor_name="") & ~Q(purpose="") & ~Q(consulted=""),
                name="walkin_filled",
            ),
        ]

    def __str__(self) -> str:
        return f"查档登记第{self.pk}号（{self.visitor_name}）"

    @property
    def audit_region_code(self) -> str:
        return self.unit.region_id


class CertificateKind(models.TextChoices):
    HOUSEHOLD = "household", "建档立卡信息证明"
    COPY = "copy", "档案复制件证明"


class Certificate(models.Model):
    """档案证明: issued from a household's file or as a certified copy of a record. What it
    says is fixed when it is issued; anyone holding its verification code (the QR code) may
    learn only whether it is genuine, its number, issuer and date."""

    unit = models.ForeignKey("regions.Unit", on_delete=models.PROTECT, related_name="+")
    number = models.CharField("证明编号", max_length=40, unique=True)
    kind = models.CharField("证明类别", max_length=10, choices=CertificateKind.choices)
    code = models.CharField("核验码", max_length=64, unique=True)
    issuer = models.CharField("出具单位", max_length=200)
    issued_on = models.DateField("出具日期")
    subject = models.CharField("证明对象", max_length=100)
    statement = models.TextField("证明内容")
    household = models.ForeignKey(
        "households.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        "records.RecordItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    walk_in = models.ForeignKey(
        WalkIn, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True, db_index=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.CharField("撤销理由", max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = "档案证明"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="household", household__isnull=False)
                | Q(kind="copy", item__isnull=False),
                name="certificate_has_source",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoke_reason=""),
                name="certificate_revoke_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"档案证明 {self.number}"

    @property
    def audit_region_code(self) -> str:
        return self.unit.region_id


class VerifyWindow(models.Model):
    """Public verification requests per client address and ten-minute window: the public page
    answers only so many, so codes cannot be tried in bulk."""

    address = models.CharField(max_length=64)
    window = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["address", "window"], name="verify_window_once"),
        ]
        indexes = [models.Index(fields=["window"], name="verify_window_age")]

    def __str__(self) -> str:
        return f"{self.address} {self.window:%H:%M} {self.hits}"
