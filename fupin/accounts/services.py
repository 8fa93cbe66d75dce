"""Writes to accounts and roles. Each is atomic and leaves its audit row in the same transaction."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from fupin.accounts.access import access_user, forget_scope, require_cap, user_scope
from fupin.accounts.models import RoleAssignment, User
from fupin.accounts.roles import ROLE_LEVELS, SEPARATED_ADMINS, UNIT_ROLES, Cap, Clearance, Role
from fupin.audit.models import AuditEvent
from fupin.audit.services import audit_record
from fupin.regions.models import Region, Unit

LOGIN_FAILED = "auth.login_failed"
LOGIN_OK = "auth.login"


def _user_state(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "phone": user.phone,
        "home_region": user.home_region_id,
        "is_active": user.is_active,
    }


def user_create(
    *,
    actor: Any,
    username: str,
    full_name: str,
    home_region: Region,
    password: str,
    phone: str = "",
    must_change_password: bool = True,
) -> User:
    require_cap(actor, Cap.USERS_MANAGE, home_region.code)
    username = username.strip()
    if not username:
        raise ValidationError("用户名不能为空。")
    if User.objects.filter(username=username).exists():
        raise ValidationError(f"用户名“{username}”已被使用。")
    candidate = User(username=username, full_name=full_name, home_region=home_region)
    validate_password(password, candidate)
    with transaction.atomic():
        user = User.objects.create_user(
            username=username,
            password=password,
            full_name=full_name.strip(),
            phone=phone.strip(),
            home_region=home_region,
            must_change_password=must_change_password,
        )
        audit_record(
            actor=actor,
            action="user.create",
            obj=user,
            after=_user_state(user),
            summary=f"创建用户 {username}",
        )
    return user


def user_set_active(*, actor: Any, user_id: int, active: bool) -> User:
    with transaction.atomic():
        user = access_user(actor, user_id, Cap.USERS_MANAGE)
        if actor is not None and user.pk == actor.pk and not active:
            raise ValidationError("不能停用自己的账号。")
        before = _user_state(user)
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="user.activate" if active else "user.deactivate",
            obj=user,
            before=before,
            after=_user_state(user),
            summary=f"{'启用' if active else '停用'}用户 {user.username}",
        )
    return user


def user_set_clearance(*, actor: Any, user_id: int, clearance: str) -> User:
    """The security administrator (安全保密管理员) sets how far up the secrecy scale one reads."""
    if clearance not in Clearance.values:
        raise ValidationError(f"未知涉密级别：{clearance}")
    with transaction.atomic():
        user = access_user(actor, user_id, Cap.ROLES_GRANT)
        if actor is not None and user.pk == actor.pk:
            raise PermissionDenied("不能设置本人的涉密级别。")
        before = user.clearance
        user.clearance = clearance
        user.save(update_fields=["clearance"])
        audit_record(
            actor=actor,
            action="user.clearance",
            obj=user,
            before={"clearance": before},
            after={"clearance": clearance},
            summary=f"设置 {user.username} 的涉密级别为 {Clearance(clearance).label}",
        )
    return user


def user_reset_password(*, actor: Any, user_id: int, password: str) -> User:
    """An administrator's reset: the user must choose a new password at next sign-in."""
    with transaction.atomic():
        user = access_user(actor, user_id, Cap.USERS_MANAGE)
        if actor is not None and user.pk == actor.pk:
            raise ValidationError("请通过“修改密码”修改本人密码。")
        validate_password(password, user)
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        audit_record(
            actor=actor,
            action="user.password_reset",
            obj=user,
            summary=f"重置用户 {user.username} 的密码",
        )
    return user


def user_change_own_password(*, actor: User, old_password: str, new_password: str) -> User:
    if not actor.check_password(old_password):
        raise ValidationError("原密码不正确。")
    if old_password == new_password:
        raise ValidationError("新密码不能与原密码相同。")
    validate_password(new_password, actor)
    with transaction.atomic():
        actor.set_password(new_password)
        actor.must_change_password = False
        actor.save(update_fields=["password", "must_change_password"])
        audit_record(actor=actor, action="user.password_change", obj=actor, summary="修改本人密码")
    return actor


def _check_role_scope(role: str, region: Region | None, unit: Unit | None) -> None:
    if role in UNIT_ROLES:
        if unit is None or region is not None:
            raise ValidationError(f"“{Role(role).label}”必须授予到具体单位。")
        return
    if region is None or unit is not None:
        raise ValidationError(f"“{Role(role).label}”必须授予到具体区划。")
    levels = ROLE_LEVELS[role]
    if levels is not None and region.level not in levels:
        raise ValidationError(f"“{Role(role).label}”不能授予到{region.get_level_display()}一级。")


def role_grant(
    *, actor: Any, user_id: int, role: str, region: Region | None = None, unit: Unit | None = None
) -> RoleAssignment:
    if role not in Role.values:
        raise ValidationError(f"未知角色：{role}")
    _check_role_scope(role, region, unit)
    target_region = region.code if region else unit.region_id  # type: ignore[union-attr]
    require_cap(actor, Cap.ROLES_GRANT, target_region)
    with transaction.atomic():
        user = access_user(actor, user_id, Cap.ROLES_GRANT)
        if actor is not None and user.pk == actor.pk:
            raise PermissionDenied("不能给自己授予角色。")
        held = set(user.assignments.values_list("role", flat=True))
        if role in SEPARATED_ADMINS and held & (SEPARATED_ADMINS - {role}):
            raise ValidationError(
                "三员分立：系统管理员、安全保密管理员、安全审计员不能由同一账号兼任。"
            )
        try:
            with transaction.atomic():
                assignment = RoleAssignment.objects.create(
                    user=user,
                    role=role,
                    region=region,
                    unit=unit,
                    admin_class=role if role in SEPARATED_ADMINS else None,
                )
        except IntegrityError as exc:
            raise ValidationError("该用户已拥有此授权，或违反三员分立。") from exc
        audit_record(
            actor=actor,
            action="role.grant",
            obj=assignment,
            region_code=target_region,
            after={"user": user.username, "role": role, "scope": assignment.scope_label},
            summary=f"授予 {user.username} {Role(role).label}（{assignment.scope_label}）",
        )
        forget_scope(user)
    return assignment


def role_revoke(*, actor: Any, user_id: int, assignment_id: int) -> None:
    with transaction.atomic():
        assignment = (
            RoleAssignment.objects.select_related("user", "unit", "region")
            .filter(pk=assignment_id, user_id=user_id)
            .first()
        )
        if assignment is None:
            raise ValidationError("授权不存在。")
        region_code = assignment.audit_region_code
        if not user_scope(actor).covers_region(Cap.ROLES_GRANT, region_code):
            raise PermissionDenied("您不能撤销辖区外的授权。")
        before = {
            "user": assignment.user.username,
            "role": assignment.role,
            "scope": assignment.scope_label,
        }
        assignment.delete()
        audit_record(
            actor=actor,
            action="role.revoke",
            object_type="accounts.roleassignment",
            object_id=assignment_id,
            region_code=region_code,
            before=before,
            summary=f"撤销 {before['user']} 的{Role(before['role']).label}",
        )


# Sign-in attempts refused by a lock are recorded under their own action: they do not count
# as failures, so hammering a locked account does not keep it locked.
LOGIN_THROTTLED = "auth.login_throttled"
LONGEST_LOCK = timedelta(hours=24)
KNOWN_ADDRESS = timedelta(days=30)


def login_locked_until(*, username: str, ip: str) -> datetime | None:
    """When the sign-in of `username` from `ip` may be tried again, or None if it may now.

    - Per account AND address: LOGIN_MAX_FAILURES failures since its last success lock the
      pair for LOGIN_LOCK_MINUTES after the last one; each further round of failures doubles
      the lock (at most a day). Someone elsewhere failing on an account does not lock its
      owner out.
    - Per address (password spraying across accounts): 4 × LOGIN_MAX_FAILURES failures
      within LOGIN_LOCK_MINUTES lock the address — except for accounts that signed in from
      it in the last 30 days, so colleagues behind the same NAT keep signing in."""
    now = timezone.now()
    lock = timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    limit = max(1, settings.LOGIN_MAX_FAILURES)
    failed = AuditEvent.objects.filter(action=LOGIN_FAILED, at__gte=now - LONGEST_LOCK)
    succeeded = AuditEvent.objects.filter(action=LOGIN_OK, actor_name=username)
    pair = failed.filter(actor_name=username, ip=ip)
    last_ok = succeeded.filter(ip=ip).order_by("-at").values_list("at", flat=True).first()
    if last_ok is not None:
        pair = pair.filter(at__gt=last_ok)
    times = list(pair.order_by("-at").values_list("at", flat=True)[: limit * 8])
    if len(times) >= limit:
        rounds = (len(times) - limit) // limit
        until = times[0] + min(lock * 2**rounds, LONGEST_LOCK)
        if until > now:
            return until
    if ip:
        spray = failed.filter(ip=ip, at__gte=now - lock)
        if spray.count() >= limit * 4:
            known = last_ok is not None and last_ok >= now - KNOWN_ADDRESS
            last = spray.order_by("-at").values_list("at", flat=True).first()
            if not known and last is not None:
                return last + lock
    return None


def auth_login_throttled(*, username: str, ip: str, until: datetime) -> None:
    with transaction.atomic():
        audit_record(
            actor=None,
            actor_name=username[:150],
            ip=ip,
            action=LOGIN_THROTTLED,
            summary=f"登录失败次数过多，已暂时锁定至 {timezone.localtime(until):%H:%M}",
        )


def auth_login_failed(*, username: str, ip: str, reason: str) -> None:
    user = User.objects.filter(username=username).first()
    with transaction.atomic():
        audit_record(
            actor=None,
            actor_name=username[:150],
            ip=ip,
            action=LOGIN_FAILED,
            region_code=(user.home_region_id or "") if user else "",
            object_type="accounts.user" if user else "",
            object_id=user.pk if user else "",
            summary=reason,
        )


def auth_logged_in(*, user: User, ip: str) -> None:
    with transaction.atomic():
        audit_record(actor=user, action=LOGIN_OK, obj=user, ip=ip, summary="登录成功")


def auth_logged_out(*, user: User, ip: str) -> None:
    with transaction.atomic():
        audit_record(actor=user, action="auth.logout", obj=user, ip=ip, summary="退出登录")
