"""Sign-in locks that an attacker cannot turn against users: attempts refused by a lock do
not extend it; the lock is per account and address, doubling with each further round of
failures; an address locked for spraying passwords across accounts still lets in the
accounts that sign in from it normally (colleagues behind one NAT)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD

OFFICE = "198.51.100.20"


class Clock:
    def __init__(self) -> None:
        self.now = timezone.now()

    def __call__(self):
        return self.now

    def forward(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


@pytest.fixture
def clock():
    moving = Clock()
    with mock.patch("django.utils.timezone.now", moving):
        yield moving


def sign_in(username: str, password: str, ip: str = OFFICE):
    client = Client()
    response = client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )
    return response.status_code == 302, response.content.decode()


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCK_MINUTES=15)
def test_throttled_attempts_do_not_extend_the_lock(world, clock):
    for _ in range(3):
        sign_in("village_a", "wrong-password")
    for _ in range(5):  # hammering the locked account, for ten minutes
        clock.forward(2)
        ok, text = sign_in("village_a", "wrong-password")
        assert not ok and "已暂时锁定" in text
    clock.forward(6)  # 16 minutes after the last real failure
    assert sign_in("village_a", PASSWORD)[0]


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCK_MINUTES=15)
def test_lock_doubles_with_each_round(world, clock):
    for _ in range(3):
        sign_in("village_a", "wrong-password")
    for _ in range(3):  # one more failure after each lock ends
        clock.forward(16)
        assert "用户名或密码错误" in sign_in("village_a", "wrong-password")[1]
    # six failures: the second round, a 30-minute lock from the last failure
    clock.forward(16)
    assert not sign_in("village_a", PASSWORD)[0]
    clock.forward(15)
    assert sign_in("village_a", PASSWORD)[0]


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCK_MINUTES=15)
def test_failures_elsewhere_do_not_lock_the_owner_out(world, clock):
    for _ in range(6):
        sign_in("village_a", "wrong-password", ip="203.0.113.66")
    assert not sign_in("village_a", PASSWORD, ip="203.0.113.66")[0]
    assert sign_in("village_a", PASSWORD, ip=OFFICE)[0]


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCK_MINUTES=15)
def test_spraying_from_a_nat_does_not_refuse_its_regular_users(world, clock):
    assert sign_in("village_b", PASSWORD)[0]  # village_b works from the office every day
    clock.forward(60)
    for name in ["township_a", "county_a", "nobody1", "nobody2", "nobody3", "nobody4"]:
        sign_in(name, "wrong-password")
        sign_in(name, "wrong-password-2")  # 12 failures from the office's one address
    assert sign_in("village_b", PASSWORD)[0]
    ok, text = sign_in("village_a", PASSWORD)  # never signed in from here: held back
    assert not ok and "已暂时锁定" in text
    assert sign_in("village_a", PASSWORD, ip="203.0.113.5")[0]
