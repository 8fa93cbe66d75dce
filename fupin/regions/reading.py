"""Region and unit reads for the pages and the API, all through the access layer.

Data readers browse their own area; system administrators (who hold no data-reading role)
browse the regions they administer, to manage units and poverty flags there.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from fupin.accounts.access import scope_roots, user_scope, visible_regions, visible_units
from fupin.accounts.roles import Cap
from fupin.regions.models import Region, Unit

BROWSE_CAPS = (Cap.DATA_READ, Cap.USERS_MANAGE)


def browsable_regions(actor: Any) -> QuerySet[Region]:
    reading, managing = (visible_regions(actor, cap) for cap in BROWSE_CAPS)
    return reading | managing


def browse_region(actor: Any, code: str) -> Region:
    region = browsable_regions(actor).filter(code=code).first()
    if region is None:
        raise Http404("未找到该区划，或不在您的管辖范围内。")
    return region


def browse_roots(actor: Any) -> list[Region]:
    """Where navigation starts: the topmost regions reached under either capability."""
    found = {r.code: r for cap in BROWSE_CAPS for r in scope_roots(actor, cap)}
    return [
        region
        for code, region in sorted(found.items())
        if not any(code != other and code.startswith(other) for other in found)
    ]


def browsable_units(actor: Any) -> QuerySet[Unit]:
    reading, managing = (visible_units(actor, cap) for cap in BROWSE_CAPS)
    return reading | managing


def browse_unit(actor: Any, unit_id: int) -> Unit:
    unit = browsable_units(actor).filter(pk=unit_id).first()
    if unit is None:
        raise Http404("未找到该单位，或不在您的管辖范围内。")
    return unit


def can_manage(actor: Any, region_code: str) -> bool:
    return user_scope(actor).covers_region(Cap.USERS_MANAGE, region_code)
