import sys

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.http import require_POST

from fupin.accounts.services import auth_logged_in, auth_logged_out, user_change_own_password
from fupin.core.busy import is_transient
from fupin.core.middleware import client_ip
from fupin.web.forms import LoginForm, PasswordChangeForm
from fupin.web.home import home_html


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        auth_logged_in(user=form.user, ip=client_ip(request))
        target = request.GET.get("next", "")
        return redirect(
            target if target.startswith("/") and not target.startswith("//") else "home"
        )
    return render(request, "web/login.html", {"form": form})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        auth_logged_out(user=request.user, ip=client_ip(request))
    logout(request)
    return redirect("login")


@login_required
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_change_own_password(
                actor=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect("home")
    return render(request, "web/password_change.html", {"form": form})


@login_required
def home_view(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"panels_html": home_html(request.user)})


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler. A database busy with another process's long write (or away for a
    moment) is not a fault: the person is asked to try again (503), and nothing was saved."""
    exc = sys.exc_info()[1]
    if exc is not None and is_transient(exc):
        words = "系统繁忙，请稍后重试：另一项较大的导入或处理正在写入数据库，本次操作未保存。"
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse({"detail": words}, status=503)
        else:
            response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))


# Django's reasons, as the person at the browser can act on them.
CSRF_WORDS = {
    "CSRF cookie not set.": "浏览器没有带上安全 Cookie",
    "CSRF token missing.": "提交的表单缺少安全令牌",
    "CSRF token from POST": "表单的安全令牌已失效",
    "CSRF token": "表单的安全令牌已失效",
    "Referer checking failed - no Referer.": "浏览器没有说明提交来自哪个页面",
    "Referer checking failed": "提交来自本站以外的页面，或来源地址不安全",
    "Origin checking failed": "提交来自本站以外的页面",
}


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the refusal in Chinese (403), never Django's English page."""
    why = next((w for key, w in CSRF_WORDS.items() if key in reason), "安全令牌无效")
    return render(request, "403_csrf.html", {"why": why}, status=403)
