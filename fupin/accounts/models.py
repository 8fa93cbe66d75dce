from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from fupin.accounts.roles import SEPARATED_ADMINS, Clearance, Role

ORDINARY_ROLES = sorted(r.value for r in Role if r not in SEPARATED_ADMINS)


class User(AbstractUser):
    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    clearance = models.CharField(
        "涉密级别", max_length=12, choices=Clearance.choices, blank=True, default=""
    )
    # Initial and demo accounts must pick their own password before doing anything else.
    must_change_password = models.BooleanField(default=True)
    # The region whose administrators manage this account.
    home_region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, verbose_name="所属区划"
    )

    class Meta:
        verbose_name = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def name_and_login(self) -> str:
        """姓名（登录名）: how pages name a person, so two 张伟 are told apart."""
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username

    @property
    def audit_region_code(self) -> str:
        return self.home_region_id or ""


class RoleAssignment(models.Model):
    """A role held by a user over a region (and everything under it) or over one unit."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, verbose_name="辖区"
    )
    unit = models.ForeignKey(
        "regions.Unit", null=True, blank=True, on_delete=models.PROTECT, verbose_name="单位"
    )
    # Set only for the separated administrator roles: the unique constraint below then
    # makes "one account, at most one of the three" a database guarantee.
    admin_class = models.CharField(  # noqa: DJ001 - NULL keeps ordinary roles out of the unique index
        max_length=30, null=True, blank=True, editable=False
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "角色授权"
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False, unit__isnull=True)
                | Q(region__isnull=True, unit__isnull=False),
                name="assignment_one_scope",
            ),
            models.CheckConstraint(
                condition=Q(admin_class__isnull=True, role__in=ORDINARY_ROLES)
                | Q(
                    admin_class=models.F("role"), role__in=sorted(r.value for r in SEPARATED_ADMINS)
                ),
                name="assignment_admin_class_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(admin_class__isnull=False),
                name="one_separated_admin_role_per_user",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=Q(unit__isnull=True),
                name="assignment_unique_region",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=Q(region__isnull=True),
                name="assignment_unique_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.scope_label}"

    @property
    def scope_label(self) -> str:
        return str(self.unit) if self.unit_id else str(self.region)

    @property
    def audit_region_code(self) -> str:
        return self.region_id or (self.unit.region_id if self.unit else "")
