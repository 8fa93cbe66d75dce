"""Named personas in two counties, two townships and two villages, built through the services."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from fupin.accounts.models import User
from fupin.accounts.roles import Role
from fupin.accounts.services import role_grant, user_create
from fupin.regions.models import Level, Region, Unit, UnitKind

# The browser tests' live site (`live_url`) is a fixture of tests/browser.py.
pytest_plugins = ["tests.browser"]

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
PASSWORD = "Fupin-Test-2016!"

# Two counties of 十堰; in 郧西 two townships, in the first of them two villages.
REGIONS = [
    ("42", "湖北省", Level.PROVINCE),
    ("4203", "十堰市", Level.CITY),
    ("420322", "郧西县", Level.COUNTY),
    ("420323", "竹山县", Level.COUNTY),
    ("420322100", "城关镇", Level.TOWNSHIP),
    ("420322101", "土门镇", Level.TOWNSHIP),
    ("420323100", "城关镇", Level.TOWNSHIP),
    ("420322100201", "东岭村", Level.VILLAGE),
    ("420322100202", "西岭村", Level.VILLAGE),
    ("420322101201", "南坪村", Level.VILLAGE),
    ("420323100201", "北坡村", Level.VILLAGE),
]


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"需要 ../shared/{'/'.join(parts)}（开发与 CI 机器才有），此处不存在，跳过。")
    return path


@dataclass
class World:
    regions: dict[str, Region] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    # Objects a test adds to the world, by name.
    extra: dict[str, Any] = field(default_factory=dict)

    def client(self, persona: str) -> Client:
        client = Client()
        client.force_login(self.users[persona])
        return client


def make_persona(world: World, name: str, role: str, scope: Any, home: str) -> User:
    user = user_create(
        actor=None,
        username=name,
        full_name=name,
        home_region=world.regions[home],
        password=PASSWORD,
        must_change_password=False,
    )
    if isinstance(scope, Unit):
        role_grant(actor=None, user_id=user.pk, role=role, unit=scope)
    else:
        role_grant(actor=None, user_id=user.pk, role=role, region=world.regions[scope])
    world.users[name] = user
    return user


@pytest.fixture
def world(db) -> World:
    w = World()
    for code, name, level in REGIONS:
        parent = w.regions.get(code[: {6: 4, 4: 2, 9: 6, 12: 9}.get(len(code), 0)])
        poor = level in (Level.COUNTY, Level.VILLAGE)
        w.regions[code] = Region.objects.create(
            code=code, name=name, level=level, parent=parent, is_poor=poor
        )
    for key, code, kind, name in [
        ("office_a", "420322", UnitKind.POVERTY_OFFICE, "郧西县扶贫办"),
        ("office_b", "420323", UnitKind.POVERTY_OFFICE, "竹山县扶贫办"),
        ("team_a", "420322", UnitKind.WORK_TEAM, "郧西县驻东岭村工作队"),
        ("committee_a", "420322100201", UnitKind.VILLAGE_COMMITTEE, "东岭村委会"),
        ("committee_b", "420322100202", UnitKind.VILLAGE_COMMITTEE, "西岭村委会"),
        ("town_a", "420322100", UnitKind.TOWNSHIP_GOV, "城关镇人民政府"),
        ("town_b", "420322101", UnitKind.TOWNSHIP_GOV, "土门镇人民政府"),
    ]:
        w.units[key] = Unit.objects.create(
            region=w.regions[code],
            kind=kind,
            name=name,
            fonds_code=f"F{len(w.units) + 1:03d}",
            fonds_name=name,
        )
    w.units["team_a"].stationed_villages.add(w.regions["420322100201"])
    make_persona(w, "village_a", Role.VILLAGE_ARCHIVIST, "420322100201", "420322100201")
    make_persona(w, "village_b", Role.VILLAGE_ARCHIVIST, "420322100202", "420322100202")
    make_persona(w, "township_a", Role.TOWNSHIP_ARCHIVIST, "420322100", "420322100")
    make_persona(w, "township_b", Role.TOWNSHIP_ARCHIVIST, "420322101", "420322101")
    make_persona(w, "county_a", Role.POVERTY_OFFICE, "420322", "420322")
    make_persona(w, "county_b", Role.POVERTY_OFFICE, "420323", "420323")
    make_persona(w, "unit_a", Role.UNIT_ARCHIVIST, w.units["office_a"], "420322")
    make_persona(w, "team_a", Role.UNIT_ARCHIVIST, w.units["team_a"], "420322")
    make_persona(w, "bureau_city", Role.BUREAU_INSPECTOR, "4203", "4203")
    make_persona(w, "office_city", Role.POVERTY_OFFICE, "4203", "4203")
    make_persona(w, "sysadmin_a", Role.SYSADMIN, "420322", "420322")
    make_persona(w, "secadmin_a", Role.SECADMIN, "420322", "420322")
    make_persona(w, "auditor_a", Role.AUDITOR, "420322", "420322")
    make_persona(w, "sysadmin_b", Role.SYSADMIN, "420323", "420323")
    make_persona(w, "secadmin_b", Role.SECADMIN, "420323", "420323")
    make_persona(w, "auditor_b", Role.AUDITOR, "420323", "420323")
    make_persona(w, "auditor_province", Role.AUDITOR, "42", "42")
    return w


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    """Stored files of each test go to its own folder, never to the developer's var/."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # Audit anchors too: an anchor left by one test would speak against the next one's chain.
    settings.FUPIN_AUDIT_ANCHOR_DIR = str(tmp_path / "audit-anchors")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture(scope="session")
def live_template(tmp_path_factory):
    """A migrated, empty installation of its own (tests/disposal_live.py), copied per test."""
    from django.conf import settings

    from tests.disposal_live import Template

    template = Template(tmp_path_factory.mktemp("live-template"), settings.DATABASES["default"])
    yield template
    template.drop()
