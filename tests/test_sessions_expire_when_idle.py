"""A signed-in session ends SESSION_COOKIE_AGE after its last use, however long it was used
before; while used it is saved at most once a minute, not on every page view."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD


@pytest.fixture
def clock(monkeypatch):
    """timezone.now, moved on by hand (the session store and the middleware both read it)."""
    start = timezone.now()
    state = {"now": start}
    monkeypatch.setattr(timezone, "now", lambda: state["now"])

    def advance(seconds: float) -> None:
        state["now"] += timedelta(seconds=seconds)

    return advance


def signed_in() -> Client:
    client = Client()
    client.post(reverse("login"), {"username": "village_a", "password": PASSWORD})
    return client


def session_writes(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return sum("UPDATE" in q["sql"] and "django_session" in q["sql"] for q in queries)


def test_a_session_in_use_lives_on_and_an_idle_one_ends(world, clock):
    client = signed_in()
    age = settings.SESSION_COOKIE_AGE
    for _ in range(3):  # used every (age - 30) seconds: three times the age in all
        clock(age - 30)
        assert client.get(reverse("home")).status_code == 200
    clock(age + 1)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_session_is_saved_at_most_once_a_minute(world, clock):
    client = signed_in()
    clock(61)
    assert session_writes(client) == 1
    clock(30)
    assert session_writes(client) == 0
    clock(31)
    assert session_writes(client) == 1
