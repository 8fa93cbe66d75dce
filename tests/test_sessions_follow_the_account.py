"""A signed-in session holds only while its account does: a deactivated account or a changed
password ends it at the next page, and the account the session loads is the one stored, its
values as the ORM reads them (the user is read in SQL of its own: accounts.backends)."""

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD


def signed_in() -> Client:
    client = Client()
    client.post(reverse("login"), {"username": "village_a", "password": PASSWORD})
    assert client.get(reverse("home")).status_code == 200
    return client


def sent_to_login(client: Client) -> bool:
    response = client.get(reverse("home"))
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_deactivated_account_is_signed_out(world):
    client = signed_in()
    get_user_model().objects.filter(username="village_a").update(is_active=False)
    assert sent_to_login(client)


def test_a_changed_password_signs_other_sessions_out(world):
    client = signed_in()
    user = get_user_model().objects.get(username="village_a")
    user.set_password("another-long-password-1")
    user.save()
    assert sent_to_login(client)


def test_the_loaded_account_is_the_stored_one(world):
    client = signed_in()
    stored = get_user_model().objects.get(username="village_a")
    loaded = client.get(reverse("home")).wsgi_request.user
    fields = [f.attname for f in stored._meta.concrete_fields]
    assert [getattr(loaded, f) for f in fields] == [getattr(stored, f) for f in fields]
    assert [type(getattr(loaded, f)) for f in fields] == [type(getattr(stored, f)) for f in fields]
    assert loaded.last_login is not None and loaded.last_login.tzinfo is not None
    assert loaded._state.adding is False and loaded._state.db == stored._state.db
