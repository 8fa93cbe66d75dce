"""The demo county 郧西县 (420322): villages, units with archive duties, the schedule, and one
login for every role. Everything goes through the apps' services, so the audit trail records
the load like any other work; a second run finds everything in place and changes nothing.
"""

from dataclasses import asdict, dataclass, field
from pathlib import Path
from random import Random
from tempfile import TemporaryDirectory
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fupin.accounts.access import access_region, visible_regions, visible_units, visible_users
from fupin.accounts.models import User
from fupin.accounts.roles import Role
from fupin.accounts.services import role_grant, user_create
from fupin.core.planner import statistics_refresh
from fupin.core.tabular import write_table
from fupin.demo.custody import load_demo_custody
from fupin.demo.disposal import load_demo_expiring, load_demo_household_certificate
from fupin.demo.generate import VILLAGE_HEADER, Village, generate_villages, person_name
from fupin.demo.households import load_demo_households
from fupin.demo.records import load_demo_records
from fupin.demo.supervision import load_demo_inspection, load_demo_reports
from fupin.demo.transfer import load_demo_transfer
from fupin.demo.use import load_demo_use
from fupin.regions.importing import demo_region_files
from fupin.regions.models import Level, Region, Unit, UnitKind
from fupin.regions.services import regions_import, unit_create, unit_set_stationed_villages
from fupin.schedule.services import schedule_load_annex

DEMO_CITY = "4203"
DEMO_COUNTY = "420322"
DEMO_PASSWORD = "Fupin-Demo-2016"
SEED = 2016
VILLAGES_PER_TOWNSHIP = (8, 15)
WORK_TEAMS = 4

# County-level units by kind; the county's name is put in front of each `{}`.
COUNTY_UNITS = (
    (UnitKind.PARTY_GOV, "中共{}委员会", "县委办公室"),
    (UnitKind.PARTY_GOV, "{}人民政府", "县政府办公室"),
    (UnitKind.POVERTY_OFFICE, "{}扶贫开发办公室", "综合股"),
    (UnitKind.ARCHIVE_BUREAU, "{}档案局", "业务指导股"),
    (UnitKind.ARCHIVES, "{}档案馆", "接收征集股"),
    (UnitKind.DEPARTMENT, "{}民政局", "社会救助股"),
    (UnitKind.DEPARTMENT, "{}教育局", "学生资助中心"),
    (UnitKind.DEPARTMENT, "{}卫生健康局", "基层卫生股"),
    (UnitKind.DEPARTMENT, "{}住房和城乡建设局", "村镇建设股"),
    (UnitKind.DEPARTMENT, "{}农业农村局", "产业发展股"),
    (UnitKind.DEPARTMENT, "{}人力资源和社会保障局", "就业服务局"),
    (UnitKind.ENTERPRISE, "{}天河茶业有限公司", "综合部"),
    (UnitKind.FINANCIAL, "{}农村商业银行", "普惠金融部"),
    (UnitKind.SCHOOL, "{}职业技术学校", "校长办公室"),
    (UnitKind.HOSPITAL, "{}人民医院", "院长办公室"),
    (UnitKind.MASS_ORG, "{}妇女联合会", "办公室"),
    (UnitKind.SOCIAL_ORG, "{}慈善会", "秘书处"),
)

# username, full name, role, scope key (resolved in _persona_scopes).
PERSONAS = (
    ("cun1", "王秀兰", Role.VILLAGE_ARCHIVIST, "village"),
    ("cun2", "李春梅", Role.VILLAGE_ARCHIVIST, "neighbour_village"),
    ("zhen1", "陈建华", Role.TOWNSHIP_ARCHIVIST, "township"),
    ("danwei1", "刘芳", Role.UNIT_ARCHIVIST, "poverty_office"),
    ("gongzuodui1", "张伟", Role.UNIT_ARCHIVIST, "work_team"),
    ("fupinban", "赵志刚", Role.POVERTY_OFFICE, "county"),
    ("danganju", "周丽", Role.BUREAU_INSPECTOR, "county"),
    ("danganguan", "吴敏", Role.ARCHIVES_RECEIVER, "county"),
    ("shi_fupinban", "孙海涛", Role.POVERTY_OFFICE, "city"),
    ("shi_danganju", "黄燕", Role.BUREAU_INSPECTOR, "city"),
    ("xitong", "马军", Role.SYSADMIN, "county"),
    ("anquan", "朱静", Role.SECADMIN, "county"),
    ("shenji", "胡明", Role.AUDITOR, "county"),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    role: str
    scope: str


@dataclass
class DemoReport:
    county: str
    regions: int
    villages: int
    poor_villages: int
    units: int
    password: str
    logins: list[DemoLogin] = field(default_factory=list)
    # What this run added; zero on a second run.
    created_units: int = 0
    created_users: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def demo_load(*, actor: Any = None) -> DemoReport:
    # One transaction: a failed load leaves nothing half-made for the next attempt to trip on.
    with transaction.atomic():
        _import(actor, demo_region_files())
        county = access_region(actor, DEMO_COUNTY)
        villages = _load_villages(actor)
        units, created_units = _load_units(actor, county, villages)
        schedule_load_annex(actor=actor)
        scopes = _persona_scopes(actor, county, villages, units)
        created_users = _load_personas(actor, scopes)
        committee = visible_units(actor).get(
            region_id=scopes["village"].pk, kind=UnitKind.VILLAGE_COMMITTEE
        )
        load_demo_records(actor, scopes["poverty_office"], committee)  # type: ignore[arg-type]
        load_demo_expiring(actor, scopes["poverty_office"], committee)  # type: ignore[arg-type]
        load_demo_households(
            actor,
            scopes["township"],  # type: ignore[arg-type]
            [scopes["village"], scopes["neighbour_village"]],  # type: ignore[list-item]
        )
        load_demo_household_certificate(actor, committee)
        load_demo_use(
            actor,
            committee,
            scopes["poverty_office"],  # type: ignore[arg-type]
            User.objects.get(username="cun2"),
        )
        load_demo_custody(actor, scopes["poverty_office"])  # type: ignore[arg-type]
        load_demo_transfer(actor, county, committee)
        load_demo_reports(scopes["township"], county)  # type: ignore[arg-type]
        load_demo_inspection(scopes["poverty_office"])  # type: ignore[arg-type]
        statistics_refresh()
    in_county = visible_regions(actor).filter(code__startswith=DEMO_COUNTY)
    village_rows = in_county.filter(level=Level.VILLAGE)
    return DemoReport(
        county=str(county),
        regions=visible_regions(actor).count(),
        villages=village_rows.count(),
        poor_villages=village_rows.filter(is_poor=True).count(),
        units=visible_units(actor).filter(region__code__startswith=DEMO_COUNTY).count(),
        password=DEMO_PASSWORD,
        logins=_logins(actor),
        created_units=created_units,
        created_users=created_users,
    )


def _import(actor: Any, paths: list[Path]) -> None:
    report = regions_import(actor=actor, paths=paths)
    if not report.ok:
        raise ValidationError([str(issue) for issue in report.errors])


def _load_villages(actor: Any) -> list[Village]:
    townships = visible_regions(actor).filter(level=Level.TOWNSHIP, code__startswith=DEMO_COUNTY)
    codes = list(townships.values_list("code", flat=True))
    villages = list(generate_villages(codes, VILLAGES_PER_TOWNSHIP, SEED))
    with TemporaryDirectory(prefix="fupin-demo-") as tmp:
        path = Path(tmp) / "villages.csv"
        write_table(path, VILLAGE_HEADER, (v.row() for v in villages))
        _import(actor, [path])
    return villages


@dataclass(frozen=True)
class _UnitSpec:
    region: Region
    kind: str
    name: str
    fonds_code: str
    department: str
    stationed: str = ""  # the work team's village


def _unit_specs(actor: Any, county: Region, villages: list[Village]) -> list[_UnitSpec]:
    in_county = visible_regions(actor).filter(code__startswith=county.code)
    townships = list(in_county.filter(level=Level.TOWNSHIP))
    specs = [
        _UnitSpec(county, kind, pattern.format(county.name), f"Z{n:03d}", department)
        for n, (kind, pattern, department) in enumerate(COUNTY_UNITS, start=1)
    ]
    township_names = {t.code: t.name for t in townships}
    for n, village in enumerate(_team_villages(villages), start=len(specs) + 1):
        name = f"{county.name}驻{township_names[village.code[:9]]}{village.name}工作队"
        specs.append(_UnitSpec(county, UnitKind.WORK_TEAM, name, f"Z{n:03d}", "队部", village.code))
    specs += [
        _UnitSpec(
            township,
            UnitKind.TOWNSHIP_GOV,
            _township_government(township.name),
            f"X{township.code[6:]}",
            "党政办公室",
        )
        for township in townships
    ]
    poor = in_county.filter(level=Level.VILLAGE, is_poor=True)
    specs += [
        _UnitSpec(
            village,
            UnitKind.VILLAGE_COMMITTEE,
            f"{village.name}村民委员会",
            f"C{village.code[6:]}",
            "村两委",
        )
        for village in poor
    ]
    return specs


def _team_villages(villages: list[Village]) -> list[Village]:
    """Poor villages of different townships, one team each."""
    chosen: dict[str, Village] = {}
    for village in villages:
        if village.is_poor and len(chosen) < WORK_TEAMS:
            chosen.setdefault(village.code[:9], village)
    return list(chosen.values())


def _township_government(name: str) -> str:
    if name.endswith(("镇", "乡")):
        return f"{name}人民政府"
    if name.endswith("街道"):
        return f"{name}办事处"
    return name if name.endswith("管委会") else f"{name}管理委员会"


def _load_units(actor: Any, county: Region, villages: list[Village]) -> tuple[list[Unit], int]:
    existing = {
        u.fonds_code: u for u in visible_units(actor).filter(region__code__startswith=county.code)
    }
    units, created = [], 0
    for spec in _unit_specs(actor, county, villages):
        unit = existing.get(spec.fonds_code)
        if unit is None:
            # Seeded by the fonds code, so a unit's people do not depend on the units before it.
            rng = Random(f"{SEED}:{spec.fonds_code}")
            unit = unit_create(
                actor=actor,
                region=spec.region,
                kind=spec.kind,
                name=spec.name,
                fonds_code=spec.fonds_code,
                fonds_name=spec.name,
                leader=_staff_name(rng),
                responsible_department=spec.department,
                archivists="、".join(_staff_name(rng) for _ in range(rng.randint(1, 2))),
            )
            created += 1
        if spec.stationed:
            unit_set_stationed_villages(
                actor=actor, unit_id=unit.pk, village_codes=[spec.stationed]
            )
        units.append(unit)
    return units, created


def _staff_name(rng: Random) -> str:
    return person_name(rng, male=rng.random() < 0.6, birth_year=rng.randint(1965, 1992))


def _persona_scopes(
    actor: Any, county: Region, villages: list[Village], units: list[Unit]
) -> dict[str, Region | Unit]:
    village = _team_villages(villages)[0]
    poor = [v for v in villages if v.is_poor and v != village]
    # A neighbour in the same township shows that one village cannot see the other's files.
    neighbour = next((v for v in poor if v.code[:9] == village.code[:9]), poor[0])
    team = next(u for u in units if u.kind == UnitKind.WORK_TEAM)
    office = next(u for u in units if u.kind == UnitKind.POVERTY_OFFICE)
    return {
        "village": access_region(actor, village.code),
        "neighbour_village": access_region(actor, neighbour.code),
        "township": access_region(actor, village.code[:9]),
        "poverty_office": office,
        "work_team": team,
        "county": county,
        "city": access_region(actor, DEMO_CITY),
    }


def _load_personas(actor: Any, scopes: dict[str, Region | Unit]) -> int:
    names = [username for username, *_ in PERSONAS]
    taken = set(visible_users(actor).filter(username__in=names).values_list("username", flat=True))
    created = 0
    for username, full_name, role, key in PERSONAS:
        if username in taken:
            continue
        scope = scopes[key]
        unit, region = (scope, None) if isinstance(scope, Unit) else (None, scope)
        home = scope.region if isinstance(scope, Unit) else scope
        user = user_create(
            actor=actor,
            username=username,
            full_name=full_name,
            home_region=home,
            password=DEMO_PASSWORD,
            # Outside demo mode the app makes each of them choose a password at first sign-in.
            must_change_password=True,
        )
        role_grant(actor=actor, user_id=user.pk, role=role, region=region, unit=unit)
        created += 1
    return created


def _logins(actor: Any) -> list[DemoLogin]:
    names = [username for username, *_ in PERSONAS]
    users: dict[str, User] = {
        u.username: u
        for u in visible_users(actor)
        .filter(username__in=names)
        .prefetch_related("assignments__region", "assignments__unit")
    }
    return [
        DemoLogin(username, users[username].full_name, Role(a.role).label, a.scope_label)
        for username in names
        if username in users
        for a in users[username].assignments.all()
    ]
