"""A form sent without a valid CSRF token is refused with a Chinese page (403) that says what
to do — not Django's English one."""

from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD


def test_missing_token_is_explained_in_chinese(world):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"))
    response = client.post(reverse("login"), {"username": "village_a", "password": PASSWORD})
    text = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期，请重新提交" in text and "安全令牌" in text
    assert "CSRF verification failed" not in text and "Forbidden" not in text


def test_missing_cookie_is_named(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "village_a", "password": "x"})
    assert response.status_code == 403
    assert "浏览器没有带上安全 Cookie" in response.content.decode()
