from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

ALLOWED_PREFIXES = ("/accounts/", "/static/")


class ForcePasswordChangeMiddleware:
    """Initial and demo accounts must set their own password first (outside demo mode)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            not settings.DEMO_MODE
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(ALLOWED_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "请先修改初始密码。"}, status=403)
            return redirect("password_change")
        return self.get_response(request)
