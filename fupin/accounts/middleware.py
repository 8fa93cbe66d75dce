from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone

from fupin.core.busy import try_write

ALLOWED_PREFIXES = ("/accounts/", "/static/")
# A signed-in session's expiry (SESSION_COOKIE_AGE after its last use) is pushed back at most
# this often: idle sessions still end within a minute of the limit.
RENEW_SECONDS = 60
RENEWED = "renewed_at"


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


class IdleSessionMiddleware:
    """Keeps a signed-in session alive while it is used. Saving the session on every request
    (SESSION_SAVE_EVERY_REQUEST) would make every page view a write transaction, which SQLite
    serialises across all users; here the stored expiry moves on once a minute at most."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = request.session
        if SESSION_KEY in session and not session.modified:
            now = int(timezone.now().timestamp())
            if now - session.get(RENEWED, 0) >= RENEW_SECONDS:
                # Saved here, not by SessionMiddleware: while a long import holds the database
                # the renewal waits for the next page instead of failing this one.
                session[RENEWED] = now
                try_write(session.save)
                session.modified = False
        return response
