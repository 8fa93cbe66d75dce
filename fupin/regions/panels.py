"""Panels that apps above `regions` add to a region's or a unit's page (guidance visits, for
one). They register at start-up in their AppConfig.ready(), so `regions` never imports upward.
A panel is a function (actor, region or unit) → a template context with its "template", or None
when it has nothing to show that person."""

from collections.abc import Callable
from typing import Any

Panel = Callable[[Any, Any], dict[str, Any] | None]
_REGION: list[Panel] = []
_UNIT: list[Panel] = []


def register_region_panel(panel: Panel) -> None:
    if panel not in _REGION:
        _REGION.append(panel)


def register_unit_panel(panel: Panel) -> None:
    if panel not in _UNIT:
        _UNIT.append(panel)


def region_panels(actor: Any, region: Any) -> list[dict[str, Any]]:
    return [found for panel in _REGION if (found := panel(actor, region)) is not None]


def unit_panels(actor: Any, unit: Any) -> list[dict[str, Any]]:
    return [found for panel in _UNIT if (found := panel(actor, unit)) is not None]
