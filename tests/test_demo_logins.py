"""The demo prints one login per role; they sign in, and the three administrators are three."""

import json

from django.test import Client
from django.urls import reverse

from fupin.accounts.models import RoleAssignment, User
from fupin.accounts.roles import ROLE_LEVELS, SEPARATED_ADMINS, Role
from fupin.cli import main
from fupin.demo.services import DEMO_PASSWORD


def test_every_role_has_a_demo_login(db, capsys):
    assert main(["demo"]) == 0
    text = capsys.readouterr().out
    assert DEMO_PASSWORD in text and "http://" in text
    for username in ("cun1", "cun2", "zhen1", "danwei1", "gongzuodui1", "fupinban"):
        assert username in text
    held = set(RoleAssignment.objects.values_list("role", flat=True))
    assert held == set(Role.values)
    for grant in RoleAssignment.objects.select_related("region", "unit"):
        levels = ROLE_LEVELS[grant.role]
        assert grant.unit_id if levels is None else grant.region.level in levels
    city = {a.role for a in RoleAssignment.objects.filter(region_id="4203")}
    assert city == {Role.POVERTY_OFFICE, Role.BUREAU_INSPECTOR}


def test_three_administrators_are_three_accounts(db, capsys):
    assert main(["demo", "--json"]) == 0
    logins = json.loads(capsys.readouterr().out)["logins"]
    admins = RoleAssignment.objects.filter(role__in=SEPARATED_ADMINS)
    assert admins.count() == 3
    assert len(set(admins.values_list("user_id", flat=True))) == 3
    assert {x["username"] for x in logins} >= {"xitong", "anquan", "shenji"}


def test_villages_are_separated(db, capsys):
    main(["demo"])
    one, two = (RoleAssignment.objects.get(user__username=u).region for u in ("cun1", "cun2"))
    township = RoleAssignment.objects.get(user__username="zhen1").region
    assert one != two and one.is_poor and two.is_poor
    assert one.code.startswith(township.code)
    assert not two.code.startswith(one.code)


def test_demo_login_works_and_asks_for_a_new_password(db, capsys):
    main(["demo"])
    user = User.objects.get(username="cun1")
    assert user.must_change_password
    client = Client()
    assert client.login(username="cun1", password=DEMO_PASSWORD)
    assert not client.login(username="cun1", password="wrong-password-1")
    web = Client()
    response = web.post("/accounts/login/", {"username": "fupinban", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    # Outside demo mode the first page after sign-in is the password change.
    assert web.get("/").url == reverse("password_change")
