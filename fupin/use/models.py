from django.conf import settings
from django.db import models
from django.db.models import Q

# A grant never runs longer than this; a longer need is a new request.
MAX_GRANT_DAYS = 30


class RequestStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "未批准"


class UseRequest(models.Model):
    """A request to consult items outside one's scope or above one's clearance (利用申请).
    Approved, it is the grant itself: the items, to the requester, until `expires_at`."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="use_requests"
    )
    # All items of one request are held by one unit, so one custodian decides on it.
    unit = models.ForeignKey(
        "regions.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="保管单位"
    )
    items = models.ManyToManyField("records.RecordItem", related_name="+")
    volumes = models.ManyToManyField("records.Volume", related_name="+", blank=True)
    purpose = models.CharField("利用目的", max_length=500)
    days = models.PositiveSmallIntegerField("申请天数")
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="审批人",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    expires_at = models.DateTimeField("授权截止", null=True, blank=True)
    reason = models.CharField("不予批准理由", max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["requester", "status", "expires_at"], name="use_grant_lookup")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=1, days__lte=MAX_GRANT_DAYS), name="use_request_days"
            ),
            models.CheckConstraint(condition=~Q(purpose=""), name="use_request_has_purpose"),
            models.CheckConstraint(
                condition=~Q(status="approved")
                | Q(expires_at__isnull=False, decided_at__isnull=False),
                name="use_grant_has_expiry",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | (Q(decided_at__isnull=False) & ~Q(reason="")),
                name="use_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"利用申请第{self.pk}号"

    @property
    def audit_region_code(self) -> str:
        return self.unit.region_id


class Loan(models.Model):
    """Paper originals lent out (借阅): who has what, since when, until when."""

    unit = models.ForeignKey(
        "regions.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="保管单位"
    )
    borrower_name = models.CharField("借阅人", max_length=50)
    borrower_unit = models.CharField("借阅人单位", max_length=200, blank=True)
    purpose = models.CharField("利用目的", max_length=500)
    items = models.ManyToManyField("records.RecordItem", related_name="+", blank=True)
    volumes = models.ManyToManyField("records.Volume", related_name="+", blank=True)
    lent_on = models.DateField("借出日期")
    due_on = models.DateField("应还日期")
    returned_on = models.DateField("归还日期", null=True, blank=True)
    lender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="经办人",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["returned_on", "due_on"], name="loan_open_due")]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=models.F("lent_on")), name="loan_due"),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=models.F("lent_on")),
                name="loan_returned_after_lent",
            ),
            models.CheckConstraint(condition=~Q(borrower_name=""), name="loan_has_borrower"),
        ]

    def __str__(self) -> str:
        return f"借阅第{self.pk}号（{self.borrower_name}）"

    @property
    def audit_region_code(self) -> str:
        return self.unit.region_id
