"""Every URL and API endpoint, walked by people of two villages, two townships, two counties:
no one sees or changes the other's data.

Routes are discovered from the URL configuration, so a new page or endpoint is walked
automatically; one whose URL arguments this file cannot fill makes the test fail until it
is taught here.
"""

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone

from fupin.accounts.services import user_create
from fupin.audit.models import AuditEvent
from fupin.checks.services import checks_run
from fupin.custody.services import (
    check_plan,
    reading_record,
    room_create,
    shelf_create,
    thing_place,
)
from fupin.disposal.services import (
    appraisal_conclude,
    appraisal_create,
    appraisal_decide,
    certificate_issue,
    group_member_add,
    hold_set,
    register_create,
    walkin_register,
)
from fupin.households.files.dossier import household_document_add
from fupin.households.models import Household
from fupin.households.registry.services import households_import
from fupin.photos.services import photo_group_create
from fupin.records.codes import box_label
from fupin.records.files import item_attach
from fupin.records.models import FondsSettings
from fupin.records.services import UNIT_SCHEDULE_LEVEL, items_arrange, items_box, items_lock
from fupin.records.volumes import volume_create
from fupin.regions.models import Unit, UnitKind
from fupin.scans.services import scan_upload
from fupin.schedule.selectors import rows_in_force
from fupin.schedule.services import refinement_create, refinement_item_add, schedule_load_annex
from fupin.supervision.inspections.services import checklist_create, inspection_record
from fupin.supervision.models import Checklist, FindingEvidence
from fupin.supervision.reports.services import report_build
from fupin.supervision.rules.services import rule_create
from fupin.transfer.services import batch_plan
from fupin.use.services import loan_create, use_request_create
from tests import objects_samples, scans_samples
from tests.conftest import World
from tests.households_samples import PLACES, household, write_sheet
from tests.records_fixtures import file_item, set_up_fonds


@dataclass(frozen=True)
class Side:
    persona: str
    region: str
    unit: str
    # Text that only this side's data contains: it must never reach the other side's pages.
    markers: tuple[str, ...]
    # An account homed on this side, the target of account pages.
    account: str = ""


PAIRS = [
    (
        Side("village_a", "420322100201", "committee_a", ("东岭村", "东岭文书")),
        Side("village_b", "420322100202", "committee_b", ("西岭村", "西岭文书")),
    ),
    (
        Side("township_a", "420322100", "town_a", ("东岭村", "西岭村", "城关文书")),
        Side("township_b", "420322101", "town_b", ("南坪村", "土门镇", "土门文书")),
    ),
    (
        Side("county_a", "420322", "office_a", ("郧西县", "东岭村", "郧西扶贫干部")),
        Side("county_b", "420323", "office_b", ("竹山县", "北坡村", "竹山扶贫干部")),
    ),
    (
        Side(
            "sysadmin_a", "420322", "office_a", ("郧西县", "东岭文书", "郧西系统管理员"), "county_a"
        ),
        Side(
            "sysadmin_b",
            "420323",
            "office_b",
            ("竹山县", "竹山扶贫干部", "竹山系统管理员"),
            "county_b",
        ),
    ),
    (
        Side(
            "secadmin_a", "420322", "office_a", ("郧西县", "东岭文书", "郧西保密管理员"), "county_a"
        ),
        Side(
            "secadmin_b",
            "420323",
            "office_b",
            ("竹山县", "竹山扶贫干部", "竹山保密管理员"),
            "county_b",
        ),
    ),
    (
        Side("auditor_a", "420322", "office_a", ("郧西县", "东岭文书", "郧西审计员"), "county_a"),
        Side(
            "auditor_b", "420323", "office_b", ("竹山县", "竹山扶贫干部", "竹山审计员"), "county_b"
        ),
    ),
]

# How to fill each URL argument with an object that belongs to one side.
KWARG_SOURCES: dict[str, Callable[[World, Side], str]] = {
    "code": lambda w, s: s.region,
    "unit_id": lambda w, s: str(w.units[s.unit].pk),
    "user_id": lambda w, s: str(w.users[s.account or s.persona].pk),
    "assignment_id": lambda w, s: str(w.users[s.account or s.persona].assignments.first().pk),
    "refinement_id": lambda w, s: str(w.extra[s.unit].pk),
    "item_id": lambda w, s: str(w.extra[s.unit].rows.first().pk),
    "record_id": lambda w, s: str(w.extra[f"{s.unit}:item"].pk),
    "box_id": lambda w, s: str(w.extra[f"{s.unit}:item"].box_id),
    "file_id": lambda w, s: str(w.extra[f"{s.unit}:item"].files.order_by("position").first().pk),
    "job_id": lambda w, s: str(w.extra[f"{s.unit}:scan_job"].pk),
    "volume_id": lambda w, s: str(w.extra[f"{s.unit}:volume"].pk),
    "group_id": lambda w, s: str(w.extra[f"{s.unit}:photo_group"].pk),
    "household_id": lambda w, s: str(w.extra[f"{s.region}:household"].pk),
    "batch_id": lambda w, s: str(w.extra[f"{s.region}:batch"]),
    "document_id": lambda w, s: str(w.extra[f"{s.region}:document"].pk),
    "request_id": lambda w, s: str(w.extra[f"{s.unit}:use_request"].pk),
    "loan_id": lambda w, s: str(w.extra[f"{s.unit}:loan"].pk),
    "report_id": lambda w, s: str(w.extra[f"{s.region}:report"].pk),
    "rule_id": lambda w, s: str(w.extra[f"{s.unit}:rule"].pk),
    "inspection_id": lambda w, s: str(w.extra[f"{s.unit}:inspection"].pk),
    "order_id": lambda w, s: str(w.extra[f"{s.unit}:inspection"].orders.get().pk),
    "evidence_id": lambda w, s: str(
        FindingEvidence.objects.get(finding__inspection=w.extra[f"{s.unit}:inspection"]).pk
    ),
    "room_id": lambda w, s: str(w.extra[f"{s.unit}:room"].pk),
    "check_id": lambda w, s: str(w.extra[f"{s.unit}:check"].pk),
    "appraisal_id": lambda w, s: str(w.extra[f"{s.unit}:appraisal"].pk),
    "register_id": lambda w, s: str(w.extra[f"{s.unit}:register"].pk),
    "hold_id": lambda w, s: str(w.extra[f"{s.unit}:hold"].pk),
    "run_id": lambda w, s: str(w.extra[f"{s.unit}:check_run"].pk),
    "transfer_id": lambda w, s: str(w.extra[f"{s.unit}:transfer"].pk),
    "certificate_id": lambda w, s: str(w.extra[f"{s.unit}:certificate"].pk),
}
# Arguments that pick a format, not an object: such routes are walked like list pages.
NEUTRAL_KWARGS = {
    "fmt": "csv",
    "form": "spine",
    "token": "no-such-upload",
    "page": "1",
    "key": "items",
    # The public catalogue's fonds pages answer everyone alike.
    "fonds": "X000",
}
# Routes whose neutral argument takes other values than the default above.
NEUTRAL_BY_ROUTE = {"volumes/": {"form": "list"}}
SKIP_PREFIXES = ("static/",)
ALLOWED_FOR_OTHERS = {403, 404, 405}
# The API also refuses a body that does not fit the endpoint's schema before any code runs.
ALLOWED_FOR_OTHERS_API = ALLOWED_FOR_OTHERS | {422}


@dataclass(frozen=True)
class Route:
    template: str
    kwargs: tuple[str, ...]

    def fill(self, values: dict[str, str]) -> str:
        path = self.template
        for name, value in values.items():
            path = re.sub(rf"<(?:\w+:)?{name}>", value, path)
        return "/" + path


def _walk(patterns, prefix: str = "") -> Iterator[Route]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + _text(p.pattern))
        elif isinstance(p, URLPattern):
            yield Route(prefix + _text(p.pattern), tuple(_kwargs(p.pattern)))


def _text(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return str(pattern)
    # A regex route: turn its named groups into <name> placeholders.
    text = pattern.regex.pattern.lstrip("^").rstrip("$")
    return re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", text).replace("\\.", ".")


def _kwargs(pattern) -> list[str]:
    if isinstance(pattern, RegexPattern):
        return list(pattern.regex.groupindex)
    return re.findall(r"<(?:\w+:)?(\w+)>", str(pattern))


def all_routes() -> list[Route]:
    return [
        r for r in _walk(get_resolver().url_patterns) if not r.template.startswith(SKIP_PREFIXES)
    ]


def hostile_payload(w: World, other: Side) -> dict[str, str]:
    """A form or JSON body aimed at the other side's region and unit in every usual field."""
    unit = str(w.units[other.unit].pk)
    return {
        "region": other.region,
        "home_region": other.region,
        "region_code": other.region,
        "owner_region": other.region,
        "code": other.region,
        "unit": unit,
        "unit_id": unit,
        "owner_unit": unit,
        "user_id": str(w.users[other.persona].pk),
        "role": "village_archivist",
        "username": "intruder",
        "full_name": "入侵者",
        "name": "入侵者",
        "password": "Ruqin-Zhe-2016!",
    }


def test_every_route_argument_is_understood():
    known = KWARG_SOURCES.keys() | NEUTRAL_KWARGS.keys()
    unknown = {(r.template, k) for r in all_routes() for k in r.kwargs if k not in known}
    assert not unknown, f"教会本测试如何填写这些 URL 参数：{sorted(unknown)}"


def object_kwargs(route: Route) -> list[str]:
    return [k for k in route.kwargs if k not in NEUTRAL_KWARGS]


def add_refinements(world: World, pair: tuple[Side, Side], tmp_path) -> None:
    """Each side's unit gets a refinement with one item, so refinement pages have objects."""
    schedule_load_annex(actor=None)
    for side in pair:
        version = refinement_create(
            actor=None,
            title=f"{side.unit}细化",
            effective_from=date(2017, 1, 1),
            owner_unit=world.units[side.unit].pk,
        )
        row = rows_in_force(version.parent)[0]
        refinement_item_add(
            actor=None,
            refinement_id=version.pk,
            parent_row_id=row.pk,
            scope_text="细化条目",
            retention_options=["Y"],
        )
        world.extra[side.unit] = version
        world.extra[f"{side.unit}:rule"] = rule_create(
            actor=None,
            owner_region=side.region[:6],
            title=f"{side.markers[0]}实施细则",
            body="第一条",
            effective_from=date(2016, 10, 1),
        )
        add_record(world, side)
        add_household(world, side, tmp_path)
        add_supervision(world, side)
        add_transfer(world, side)


def add_transfer(world: World, side: Side) -> None:
    """A planned transfer of the side's unit to its county's archives (made here if absent)."""
    county = world.units[side.unit].region_id[:6]
    if not Unit.objects.filter(region_id=county, kind=UnitKind.ARCHIVES).exists():
        Unit.objects.create(
            region_id=county, kind=UnitKind.ARCHIVES, name=f"{county}综合档案馆",
            fonds_code=f"A{county[-3:]}", fonds_name="综合档案馆",
        )  # fmt: skip
    world.extra[f"{side.unit}:transfer"] = batch_plan(
        actor=None, unit_id=world.units[side.unit].pk, early_reason="本单位无档案库房"
    )


def add_supervision(world: World, side: Side) -> None:
    """A quarterly report of the side's region and an inspection of its unit with an order."""
    world.extra[f"{side.region}:report"] = report_build(
        actor=None, quarter="2016Q3", region_code=side.region
    )
    checklist = Checklist.objects.first() or checklist_create(
        actor=None, name="检查表", pass_score=5, items=[("档案安全", 10)]
    )
    world.extra[f"{side.unit}:inspection"] = inspection_record(
        actor=None,
        unit_id=world.units[side.unit].pk,
        checklist_id=checklist.pk,
        inspected_on=date(2016, 9, 1),
        findings=[{"item_id": checklist.items.get().pk, "score": 8}],
        orders=[("整理库房", date(2016, 10, 1))],
        evidence={
            checklist.items.get().pk: [
                ("库房.pdf", io.BytesIO(objects_samples.pdf(text=side.unit)))
            ]
        },
    )


def add_household(world: World, side: Side, folder) -> None:
    """One registered household in a village inside the side's region."""
    village = next(code for code in sorted(PLACES) if code.startswith(side.region))
    rows = household(village, int(side.region) % 89 + 1, size=2)
    sheet = write_sheet(folder / f"{side.persona}.xlsx", rows)
    report = households_import(actor=None, path=sheet)
    assert report.ok, report
    found = Household.objects.get(village_id=village)
    world.extra[f"{side.region}:household"] = found
    world.extra[f"{side.region}:batch"] = report.batch_id
    committee = Unit.objects.filter(region_id=village, kind=UnitKind.VILLAGE_COMMITTEE).first()
    if committee is None:
        committee = Unit.objects.create(
            region_id=village,
            kind=UnitKind.VILLAGE_COMMITTEE,
            name=f"{PLACES[village][2]}委会",
            fonds_code=f"V{village[-5:]}",
            fonds_name=f"{PLACES[village][2]}委会",
        )
    if not FondsSettings.objects.filter(unit=committee).exists():
        set_up_fonds(committee)
    world.extra[f"{side.region}:document"] = household_document_add(
        actor=None, household_id=found.pk, number=1, date=date(2016, 3, 1), pages=1
    )


def add_record(world: World, side: Side) -> None:
    """Each side's unit gets a fonds with one numbered, boxed item."""
    unit = world.units[side.unit]
    classes = set_up_fonds(unit)
    level = UNIT_SCHEDULE_LEVEL[unit.region.level]
    item = file_item(unit, classes["BGS"], level=level, title=f"{side.markers[0]}扶贫工作总结")
    items_arrange(actor=None, unit_id=unit.pk, year=2016)
    items_box(actor=None, unit_id=unit.pk, item_ids=[item.pk])
    scan = io.BytesIO(objects_samples.pdf(text=side.unit))
    item_attach(actor=None, item_id=item.pk, stream=scan, filename="扫描件.pdf")
    page = io.BytesIO(scans_samples.jpeg(side.markers[0]))
    upload = scan_upload(actor=None, item_id=item.pk, stream=page, filename="扫描页.jpg")
    world.extra[f"{side.unit}:scan_job"] = upload.job
    item.refresh_from_db()
    world.extra[f"{side.unit}:item"] = item
    world.extra[f"{side.unit}:check_run"] = checks_run(actor=None, stage="keeping", items=[item])
    other = file_item(unit, classes["YWK"], level=level, title="项目文件", category="ZY")
    add_use(world, side, item.reference_code)
    add_storage(world, side, item)
    world.extra[f"{side.unit}:photo_group"] = photo_group_create(
        actor=None, unit_id=unit.pk, year=2016, retention="Y", title=f"{side.markers[0]}活动照片"
    )
    add_disposal(world, side, unit, classes, level)
    world.extra[f"{side.unit}:volume"] = volume_create(
        actor=None,
        unit_id=unit.pk,
        category="ZY",
        year=2016,
        retention="Y",
        project="项目",
        title="项目案卷",
        item_ids=[other.pk],
    )


def add_storage(world: World, side: Side, item) -> None:
    """A storage room of the side's unit named after the side, its box on the shelf, a
    reading and an open inventory check."""
    room = room_create(actor=None, unit_id=world.units[side.unit].pk, name=f"{side.markers[0]}库房")
    shelf = shelf_create(actor=None, room_id=room.pk, code="A", levels=1, columns=2)
    thing_place(
        actor=None,
        code=box_label(item.box_id),
        position_id=shelf.positions.first().pk,
        reason="上架",
    )
    reading_record(actor=None, room_id=room.pk, temperature="30", humidity="50")
    world.extra[f"{side.unit}:room"] = room
    world.extra[f"{side.unit}:check"] = check_plan(actor=None, room_id=room.pk)


def add_disposal(world: World, side: Side, unit, classes, level) -> None:
    """An expired record appraised onto a destruction register, and a hold on another."""
    expired = file_item(
        unit, classes["BGS"], level=level, title=f"{side.markers[0]}值班表", retention="D10",
        number={"county": "49", "township": "19", "village": "15"}[level], day=date(2015, 3, 1),
    )  # fmt: skip
    items_arrange(actor=None, unit_id=unit.pk, year=2015)
    items_lock(actor=None, unit_id=unit.pk, item_ids=[expired.pk])
    for name in ("组长甲", "成员乙"):
        group_member_add(actor=None, unit_id=unit.pk, name=name, post="干部")
    appraisal = appraisal_create(actor=None, unit_id=unit.pk, item_ids=[expired.pk])
    appraisal_decide(
        actor=None, appraisal_id=appraisal.pk,
        decisions=[{"item_id": expired.pk, "decision": "destroy", "reason": "无价值"}],
    )  # fmt: skip
    appraisal_conclude(actor=None, appraisal_id=appraisal.pk)
    world.extra[f"{side.unit}:appraisal"] = appraisal
    world.extra[f"{side.unit}:register"] = register_create(
        actor=None, appraisal_id=appraisal.pk, supervisor_1="甲", supervisor_2="乙"
    )
    expired.refresh_from_db()
    world.extra[f"{side.unit}:hold"] = hold_set(
        actor=None, unit_id=unit.pk, codes=[expired.reference_code], kind="audit", reason="审计"
    )
    walk_in = walkin_register(
        actor=None, unit_id=unit.pk, visitor_name=f"{side.markers[-1]}", consulted="值班表",
        id_number="420322********0011", purpose=f"{side.markers[0]}查档",
    )  # fmt: skip
    world.extra[f"{side.unit}:certificate"] = certificate_issue(
        actor=None, unit_id=unit.pk, kind="copy", item_id=expired.pk, walk_in_id=walk_in.pk
    )


def add_use(world: World, side: Side, code: str) -> None:
    """A pending request for the side's item by a reader of the side, and a loan of it."""
    reader = user_create(
        actor=None,
        username=f"{side.persona}_reader",
        full_name="查阅人",
        home_region=world.regions[side.region],
        password="Chayue-Ren-2016!",
        must_change_password=False,
    )
    world.extra[f"{side.unit}:use_request"] = use_request_create(
        actor=reader, codes=[code], purpose="编写村志", days=5
    )
    world.extra[f"{side.unit}:loan"] = loan_create(
        actor=None,
        unit_id=world.units[side.unit].pk,
        borrower_name="借阅人",
        codes=[code],
        purpose="核对原件",
        due_on=timezone.localdate() + timedelta(days=10),
    )


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: f"{p[0].persona}-vs-{p[1].persona}")
def test_no_one_sees_or_changes_the_others_data(world, pair, tmp_path):
    add_refinements(world, pair, tmp_path)
    routes = [
        r for r in all_routes() if all(k in KWARG_SOURCES or k in NEUTRAL_KWARGS for k in r.kwargs)
    ]
    failures: list[str] = []
    # First everything aimed at the other side's objects, then writes to one's own objects
    # (which may change them, and must not reach the other side).
    for me, other in (pair, pair[::-1]):
        for route in routes:
            failures += _look(world, route, me, other)
    for me, other in (pair, pair[::-1]):
        for route in routes:
            failures += _write_own(world, route, me, other)
    assert not failures, "\n".join(failures)


def _send(client, method: str, url: str, payload: dict[str, str]):
    if method == "get":
        return client.get(url)
    if method == "post" and not url.startswith("/api/"):
        return client.post(url, payload)
    if method == "put":  # a JSON POST, as the API receives it
        return client.post(url, payload, content_type="application/json")
    return getattr(client, method)(url, payload, content_type="application/json")


def _last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def _writes_since(seq: int):
    return (
        AuditEvent.objects.filter(seq__gt=seq)
        .exclude(action__startswith="auth.")
        .exclude(action="audit.export")
    )


def _fill(world: World, route: Route, side: Side) -> str:
    values = {k: KWARG_SOURCES[k](world, side) for k in object_kwargs(route)}
    neutral = dict(NEUTRAL_KWARGS)
    for marker, overrides in NEUTRAL_BY_ROUTE.items():
        if marker in route.template:
            neutral |= overrides
    return route.fill(values | {k: v for k, v in neutral.items() if k in route.kwargs})


def _look(world: World, route: Route, me: Side, other: Side) -> list[str]:
    """The other side's objects answer 403/404/405 to every method and change nothing;
    pages without objects show nothing of the other side."""
    failures = []
    start = _last_seq()
    if object_kwargs(route):
        url = _fill(world, route, other)
        for method in ("get", "post", "patch", "delete"):
            status = _send(
                world.client(me.persona), method, url, hostile_payload(world, other)
            ).status_code
            allowed = ALLOWED_FOR_OTHERS_API if url.startswith("/api/") else ALLOWED_FOR_OTHERS
            if status not in allowed:
                failures.append(f"{me.persona} {method.upper()} {url} → {status}")
    else:
        url = _fill(world, route, me)
        response = world.client(me.persona).get(url)
        body = response.content.decode(errors="replace") if response.status_code == 200 else ""
        failures += [f"{me.persona} 在 {url} 看到了“{m}”" for m in other.markers if m in body]
    if written := list(_writes_since(start).values_list("summary", flat=True)):
        failures.append(f"{me.persona} 经 {url} 写入了：{written}")
    return failures


def _write_own(world: World, route: Route, me: Side, other: Side) -> list[str]:
    """Writes to my own objects (or creations) carrying the other side's codes in every field."""
    start = _last_seq()
    url = _fill(world, route, me)
    methods = ("post", "patch") if object_kwargs(route) else ("post", "put")
    for method in methods:
        _send(world.client(me.persona), method, url, hostile_payload(world, other))
    return [
        f"{me.persona} 经 {url} 改动了对方数据：{event.summary}"
        for event in _writes_since(start)
        if event.region_code.startswith(other.region)
    ]
