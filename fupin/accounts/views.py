from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fupin.accounts import services
from fupin.accounts.access import (
    access_region,
    access_unit,
    access_user,
    require_cap,
    user_scope,
    visible_regions,
    visible_users,
)
from fupin.accounts.forms import PasswordResetForm, RoleGrantForm, UserCreateForm
from fupin.accounts.roles import Cap, Clearance


def _admin_cap(request: HttpRequest) -> str:
    scope = user_scope(request.user)
    if not (scope.has(Cap.USERS_MANAGE) or scope.has(Cap.ROLES_GRANT)):
        require_cap(request.user, Cap.USERS_MANAGE)
    return Cap.USERS_MANAGE if scope.has(Cap.USERS_MANAGE) else Cap.ROLES_GRANT


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _admin_cap(request)
    q = request.GET.get("q", "").strip()
    users = visible_users(request.user).prefetch_related("assignments__region", "assignments__unit")
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    context = {
        "users": users.order_by("username"),
        "q": q,
        "can_create": user_scope(request.user).has(Cap.USERS_MANAGE),
    }
    return render(request, "accounts/user_list.html", context)


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    require_cap(request.user, Cap.USERS_MANAGE)
    regions = visible_regions(request.user, Cap.USERS_MANAGE).exclude(level="village")
    form = UserCreateForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                phone=data["phone"],
                password=data["password"],
                home_region=access_region(request.user, data["home_region"], Cap.USERS_MANAGE),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已创建用户 {user.username}。")
            return redirect("accounts:user_detail", user_id=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    cap = _admin_cap(request)
    target = access_user(request.user, user_id, cap)
    context = {
        "target": target,
        "assignments": target.assignments.select_related("region", "unit"),
        "grant_form": RoleGrantForm(),
        "reset_form": PasswordResetForm(),
        "can_manage": user_scope(request.user).has(Cap.USERS_MANAGE),
        "can_grant": user_scope(request.user).has(Cap.ROLES_GRANT),
        "clearances": Clearance.choices,
    }
    return render(request, "accounts/user_detail.html", context)


def _done(request: HttpRequest, user_id: int, action, success: str) -> HttpResponse:
    """Run one service call for a POST button; show its Chinese error or the success message."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect("accounts:user_detail", user_id=user_id)


@login_required
@require_POST
def user_toggle_active(request: HttpRequest, user_id: int) -> HttpResponse:
    active = request.POST.get("active") == "1"
    return _done(
        request,
        user_id,
        lambda: services.user_set_active(actor=request.user, user_id=user_id, active=active),
        "账号已启用。" if active else "账号已停用。",
    )


@login_required
@require_POST
def user_reset_password(request: HttpRequest, user_id: int) -> HttpResponse:
    password = request.POST.get("password", "")
    return _done(
        request,
        user_id,
        lambda: services.user_reset_password(
            actor=request.user, user_id=user_id, password=password
        ),
        "密码已重置，用户下次登录时须修改。",
    )


@login_required
@require_POST
def user_set_clearance(request: HttpRequest, user_id: int) -> HttpResponse:
    clearance = request.POST.get("clearance", "")
    return _done(
        request,
        user_id,
        lambda: services.user_set_clearance(
            actor=request.user, user_id=user_id, clearance=clearance
        ),
        "涉密级别已设置。",
    )


@login_required
@require_POST
def role_grant(request: HttpRequest, user_id: int) -> HttpResponse:
    form = RoleGrantForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写角色与授权范围。")
        return redirect("accounts:user_detail", user_id=user_id)
    data = form.cleaned_data

    def grant() -> None:
        region = (
            access_region(request.user, data["region"], Cap.ROLES_GRANT) if data["region"] else None
        )
        unit = access_unit(request.user, data["unit"], Cap.ROLES_GRANT) if data["unit"] else None
        services.role_grant(
            actor=request.user, user_id=user_id, role=data["role"], region=region, unit=unit
        )

    return _done(request, user_id, grant, "已授予角色。")


@login_required
@require_POST
def role_revoke(request: HttpRequest, user_id: int, assignment_id: int) -> HttpResponse:
    access_user(request.user, user_id, Cap.ROLES_GRANT)
    return _done(
        request,
        user_id,
        lambda: services.role_revoke(
            actor=request.user, user_id=user_id, assignment_id=assignment_id
        ),
        "已撤销授权。",
    )
