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
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")
