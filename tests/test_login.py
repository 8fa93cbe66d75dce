"""Sign-in: audited successes and failures, throttling, and the forced first password change."""

from django.test import Client, override_settings
from django.urls import reverse

from fupin.audit.models import AuditEvent
from tests.conftest import PASSWORD


def attempt(client: Client, username: str, password: str):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.9.8.7"
    )


def test_success_is_audited_with_address(world):
    response = attempt(Client(), "village_a", PASSWORD)
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="auth.login").last()
    assert (event.actor_name, event.ip, event.region_code) == (
        "village_a",
        "10.9.8.7",
        "420322100201",
    )


def test_failure_is_audited_and_explained_in_chinese(world):
    response = attempt(Client(), "village_a", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    event = AuditEvent.objects.filter(action="auth.login_failed").last()
    assert (event.actor_name, event.ip) == ("village_a", "10.9.8.7")


def test_unknown_account_failure_is_audited(world):
    attempt(Client(), "nobody", "whatever-123")
    assert AuditEvent.objects.filter(action="auth.login_failed", actor_name="nobody").exists()


@override_settings(LOGIN_MAX_FAILURES=3)
def test_repeated_failures_lock_the_account_even_for_the_right_password(world):
    client = Client()
    for _ in range(3):
        attempt(client, "village_a", "wrong-password")
    response = attempt(client, "village_a", PASSWORD)
    assert response.status_code == 200
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account is not locked by village_a's failures.
    assert attempt(Client(), "village_b", PASSWORD).status_code == 302


def test_initial_password_must_be_changed_outside_demo_mode(world):
    user = world.users["village_a"]
    user.must_change_password = True
    user.save()
    client = world.client("village_a")
    assert client.get(reverse("home")).url == reverse("password_change")
    assert client.get("/api/v1/accounts/me").status_code == 403
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password": "Qingshan-Lushui-88",
            "new_password2": "Qingshan-Lushui-88",
        },
    )
    assert response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action="user.password_change", actor_name="village_a").exists()


@override_settings(DEMO_MODE=True)
def test_demo_mode_keeps_demo_passwords(world):
    user = world.users["village_a"]
    user.must_change_password = True
    user.save()
    assert world.client("village_a").get(reverse("home")).status_code == 200


def test_weak_new_password_is_refused(world):
    client = world.client("village_a")
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "密码" in response.content.decode()
    world.users["village_a"].refresh_from_db()
    assert world.users["village_a"].check_password(PASSWORD)


def test_passwords_are_hashed_with_argon2(world):
    world.users["village_a"].refresh_from_db()
    assert world.users["village_a"].password.startswith("argon2")


def test_logout_is_audited(world):
    client = world.client("village_a")
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(action="auth.logout", actor_name="village_a").exists()
    assert client.get(reverse("home")).status_code == 302
