from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from fupin.core.request_context import set_current_ip


class ContentSecurityPolicyMiddleware:
    """Sends the CSP header and remembers the client address for the audit trail."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        set_current_ip(client_ip(request))
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if request.path.startswith("/api/v1/docs"):
            # The bundled Swagger UI sets inline styles; its scripts still come only from here.
            policy = policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        response.headers.setdefault("Content-Security-Policy", policy)
        return response


def client_ip(request: HttpRequest) -> str:
    """The address the sign-in throttle and the audit trail record. Behind FUPIN_PROXY_HOPS
    proxies, the entry the outermost of OUR proxies appended to X-Forwarded-For (counted from
    the right): entries left of it come from the client and can say anything. Without
    configured proxies the header is ignored."""
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.FUPIN_PROXY_HOPS
    if hops <= 0:
        return remote
    entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [e for e in entries if e]
    if len(entries) < hops:
        return remote  # fewer entries than our proxies add: not through them
    return entries[-hops][:64]
