"""Safe defaults: CSP and framing headers, short-lived HttpOnly sessions, CSRF on forms."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD


def test_pages_carry_security_headers(world):
    response = Client().get(reverse("login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_sessions_are_short_and_cookies_are_httponly(world):
    client = Client()
    client.post(reverse("login"), {"username": "village_a", "password": PASSWORD})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert settings.SESSION_COOKIE_AGE <= 3600
    assert not settings.DEBUG


def test_forms_require_csrf(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "village_a", "password": PASSWORD})
    assert response.status_code == 403
