"""Every URL and API endpoint, walked by people of two villages, two townships, two counties:
no one sees or changes the other's data.

Routes are discovered from the URL configuration, so a new page or endpoint is walked
automatically; one whose URL arguments this file cannot fill makes the test fail until it
is taught here.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from fupin.audit.models import AuditEvent
from tests.conftest import World


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
        Side("village_a", "420322100201", "committee_a", ("东岭村", "village_a")),
        Side("village_b", "420322100202", "committee_b", ("西岭村", "village_b")),
    ),
    (
        Side("township_a", "420322100", "town_a", ("东岭村", "西岭村", "township_a")),
        Side("township_b", "420322101", "town_b", ("南坪村", "土门镇", "township_b")),
    ),
    (
        Side("county_a", "420322", "office_a", ("郧西县", "东岭村", "county_a")),
        Side("county_b", "420323", "office_b", ("竹山县", "北坡村", "county_b")),
    ),
    (
        Side("sysadmin_a", "420322", "office_a", ("郧西县", "village_a", "sysadmin_a"), "county_a"),
        Side("sysadmin_b", "420323", "office_b", ("竹山县", "county_b", "sysadmin_b"), "county_b"),
    ),
    (
        Side("secadmin_a", "420322", "office_a", ("郧西县", "village_a", "secadmin_a"), "county_a"),
        Side("secadmin_b", "420323", "office_b", ("竹山县", "county_b", "secadmin_b"), "county_b"),
    ),
    (
        Side("auditor_a", "420322", "office_a", ("郧西县", "village_a", "auditor_a"), "county_a"),
        Side("auditor_b", "420323", "office_b", ("竹山县", "county_b", "auditor_b"), "county_b"),
    ),
]

# How to fill each URL argument with an object that belongs to one side.
KWARG_SOURCES: dict[str, Callable[[World, Side], str]] = {
    "code": lambda w, s: s.region,
    "unit_id": lambda w, s: str(w.units[s.unit].pk),
    "user_id": lambda w, s: str(w.users[s.account or s.persona].pk),
    "assignment_id": lambda w, s: str(w.users[s.account or s.persona].assignments.first().pk),
    "fmt": lambda w, s: "csv",
}
SKIP_PREFIXES = ("static/",)
ALLOWED_FOR_OTHERS = {403, 404, 405}


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
    unknown = {(r.template, k) for r in all_routes() for k in r.kwargs if k not in KWARG_SOURCES}
    assert not unknown, f"教会本测试如何填写这些 URL 参数：{sorted(unknown)}"


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: f"{p[0].persona}-vs-{p[1].persona}")
def test_no_one_sees_or_changes_the_others_data(world, pair):
    failures: list[str] = []
    for me, other in (pair, pair[::-1]):
        for route in all_routes():
            if all(k in KWARG_SOURCES for k in route.kwargs):
                failures += _check_route(world, route, me, other)
    assert not failures, "\n".join(failures)


def _send(client, method: str, url: str, payload: dict[str, str]):
    if method == "get":
        return client.get(url)
    if method == "post":
        return client.post(url, payload)
    if method == "put":  # a JSON POST, as the API receives it
        return client.post(url, payload, content_type="application/json")
    return getattr(client, method)(url, payload, content_type="application/json")


def _writes_since(seq: int):
    return (
        AuditEvent.objects.filter(seq__gt=seq)
        .exclude(action__startswith="auth.")
        .exclude(action="audit.export")
    )


def _check_route(world: World, route: Route, me: Side, other: Side) -> list[str]:
    failures = []
    payload = hostile_payload(world, other)
    start = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    if route.kwargs:
        # The other side's object, by every method: refused, and nothing written at all.
        url = route.fill({k: KWARG_SOURCES[k](world, other) for k in route.kwargs})
        for method in ("get", "post", "patch", "delete"):
            status = _send(world.client(me.persona), method, url, payload).status_code
            if status not in ALLOWED_FOR_OTHERS:
                failures.append(f"{me.persona} {method.upper()} {url} → {status}")
        if written := list(_writes_since(start).values_list("summary", flat=True)):
            failures.append(f"{me.persona} 经 {url} 写入了：{written}")
        # My own object, with a body pointing at the other side: must not reach it.
        url = route.fill({k: KWARG_SOURCES[k](world, me) for k in route.kwargs})
        methods = ("post", "patch")
    else:
        url = route.fill({})
        response = world.client(me.persona).get(url)
        body = response.content.decode(errors="replace") if response.status_code == 200 else ""
        failures += [f"{me.persona} 在 {url} 看到了“{m}”" for m in other.markers if m in body]
        methods = ("post", "put")
    for method in methods:
        _send(world.client(me.persona), method, url, payload)
    for event in _writes_since(start):
        if event.region_code.startswith(other.region) or other.region in str(event.after or ""):
            failures.append(f"{me.persona} 经 {url} 改动了对方数据：{event.summary}")
    return failures
