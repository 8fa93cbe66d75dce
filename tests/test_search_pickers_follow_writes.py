"""The search page's pickers are kept between searches (regions, units and schedule rows change
rarely), but a unit created or a grant given shows on the very next search, and one person's
pickers are never another's."""

from fupin.accounts.roles import Role
from fupin.accounts.services import role_grant
from fupin.regions.services import unit_create
from tests.test_search_pickers import form


def test_a_new_unit_is_offered_on_the_next_search(world):
    assert "新建合作社（西岭村）" not in form(world, "township_a", q="村").options["unit"].values()
    unit_create(
        actor=None, region=world.regions["420322100202"], kind="enterprise",
        name="新建合作社", fonds_code="X901",
    )  # fmt: skip
    assert "新建合作社（西岭村）" in form(world, "township_a", q="村").options["unit"].values()


def test_a_new_grant_widens_the_pickers_at_once(world):
    assert set(form(world, "village_a", q="村").options["region"]) == {"", "420322100201"}
    role_grant(
        actor=None,
        user_id=world.users["village_a"].pk,
        role=Role.VILLAGE_ARCHIVIST,
        region=world.regions["420322100202"],
    )
    regions = set(form(world, "village_a", q="村").options["region"])
    assert regions == {"", "420322100201", "420322100202"}


def test_two_people_asking_the_same_get_their_own(world):
    for _ in range(2):
        township = form(world, "township_a", q="村").options["region"]
        village = form(world, "village_a", q="村").options["region"]
        assert "420322100" in township and "420322100202" in township
        assert set(village) == {"", "420322100201"}
