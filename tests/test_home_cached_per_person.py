"""The home page's panels are cached (fupin/accounts/scoped_cache.py), but never shared between
people and never stale after a write made through the services."""

import re

from fupin.accounts.roles import Role
from fupin.accounts.services import role_grant, user_create
from tests.conftest import PASSWORD


def user_count(html: str) -> int:
    found = re.search(r'<div class="stat">(\d+)</div><div class="muted">本级用户</div>', html)
    assert found, html
    return int(found.group(1))


def test_two_counties_each_see_their_own_home_every_time(world):
    for _ in range(3):
        a = world.client("county_a").get("/").content.decode()
        b = world.client("county_b").get("/").content.decode()
        assert "郧西县" in a and "竹山县" not in a
        assert "竹山县" in b and "郧西县" not in b


def test_a_write_by_someone_else_shows_on_the_next_visit(world):
    admin = world.client("sysadmin_a")
    before = user_count(admin.get("/").content.decode())
    assert user_count(admin.get("/").content.decode()) == before
    user_create(
        actor=None,
        username="new_clerk",
        full_name="新档案员",
        home_region=world.regions["420322100202"],
        password=PASSWORD,
        must_change_password=False,
    )
    assert user_count(admin.get("/").content.decode()) == before + 1


def test_a_new_grant_shows_at_once(world):
    clerk = world.client("village_a")
    assert "西岭村" not in clerk.get("/").content.decode()
    role_grant(
        actor=None,
        user_id=world.users["village_a"].pk,
        role=Role.VILLAGE_ARCHIVIST,
        region=world.regions["420322100202"],
    )
    assert "西岭村" in clerk.get("/").content.decode()
