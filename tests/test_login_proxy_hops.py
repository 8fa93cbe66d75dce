"""X-Forwarded-For is believed only as far as our own proxies wrote it: with no proxies
configured it is ignored; behind N proxies the address is the N-th entry from the right, so a
client cannot forge the address the audit trail records and the throttle counts."""

from django.test import Client, override_settings
from django.urls import reverse

from fupin.audit.models import AuditEvent


def failed_from(xff: str) -> str:
    Client().post(
        reverse("login"), {"username": "village_a", "password": "wrong-password"},
        REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR=xff,
    )  # fmt: skip
    return AuditEvent.objects.filter(action="auth.login_failed").last().ip


@override_settings(FUPIN_PROXY_HOPS=0)
def test_no_proxies_the_header_is_ignored(world):
    assert failed_from("1.2.3.4") == "192.0.2.10"


@override_settings(FUPIN_PROXY_HOPS=1)
def test_one_proxy_its_own_entry_counts(world):
    assert failed_from("6.6.6.6, 203.0.113.7") == "203.0.113.7"  # 6.6.6.6 is the client's word
    assert failed_from("203.0.113.8") == "203.0.113.8"
    assert failed_from("") == "192.0.2.10"


@override_settings(FUPIN_PROXY_HOPS=2)
def test_two_proxies(world):
    assert failed_from("6.6.6.6, 203.0.113.7, 10.0.0.2") == "203.0.113.7"
    assert failed_from("10.0.0.2") == "192.0.2.10"  # fewer entries than proxies: not via them


@override_settings(FUPIN_PROXY_HOPS=1, LOGIN_MAX_FAILURES=3)
def test_a_forged_header_does_not_escape_the_lock(world):
    for n in range(3):
        failed_from(f"10.1.1.{n}, 203.0.113.9")
    response = Client().post(
        reverse("login"), {"username": "village_a", "password": "wrong-password"},
        REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="10.1.1.99, 203.0.113.9",
    )  # fmt: skip
    assert "已暂时锁定" in response.content.decode()
