"""`fupin demo` loads the demo county; a second run finds it all in place and changes nothing."""

import json

from fupin.accounts.models import RoleAssignment, User
from fupin.cli import main
from fupin.regions.models import Level, Region, Unit, UnitKind


def load(capsys) -> dict:
    assert main(["demo", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def counts() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "poor": Region.objects.filter(is_poor=True).count(),
        "units": Unit.objects.count(),
        "stationed": Unit.stationed_villages.through.objects.count(),
        "users": User.objects.count(),
        "grants": RoleAssignment.objects.count(),
    }


def test_load_twice_changes_nothing(db, capsys):
    first = load(capsys)
    after_first = counts()
    second = load(capsys)
    assert counts() == after_first
    assert first["created_users"] == 13 and second["created_users"] == 0
    assert first["created_units"] == first["units"] and second["created_units"] == 0
    for key in ("regions", "villages", "poor_villages", "units", "logins"):
        assert first[key] == second[key]


def test_demo_county_contents(db, capsys):
    report = load(capsys)
    townships = Region.objects.filter(level=Level.TOWNSHIP, code__startswith="420322")
    assert townships.count() >= 10
    for township in townships:
        assert 8 <= Region.objects.filter(parent=township).count() <= 15
    assert 0 < report["poor_villages"] < report["villages"]
    kinds = set(Unit.objects.values_list("kind", flat=True))
    assert kinds == set(UnitKind.values)
    assert Unit.objects.filter(kind=UnitKind.TOWNSHIP_GOV).count() == townships.count()
    poor = Region.objects.filter(level=Level.VILLAGE, is_poor=True)
    assert Unit.objects.filter(kind=UnitKind.VILLAGE_COMMITTEE).count() == poor.count()
    for team in Unit.objects.filter(kind=UnitKind.WORK_TEAM):
        assert [v.is_poor for v in team.stationed_villages.all()] == [True]
    fonds = list(Unit.objects.values_list("fonds_code", flat=True))
    assert len(fonds) == len(set(fonds))
    assert all(u.archivists and u.leader for u in Unit.objects.all())
