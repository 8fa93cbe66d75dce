"""Reads of regions that several apps need."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from fupin.regions.models import CODE_LENGTH, Region


@dataclass(frozen=True)
class CampaignEnd:
    ended_on: date
    transfer_due_on: date | None
    # The region whose setting applies (the nearest one at or above the asked region).
    set_on: str


def ancestor_codes(code: str) -> list[str]:
    """The code itself and every code above it, nearest first."""
    return [code[:n] for n in sorted(set(CODE_LENGTH.values()), reverse=True) if n <= len(code)]


def campaign_end(code: str) -> CampaignEnd | None:
    """When poverty-alleviation work ended for a region: its own setting, else the nearest
    region above it that has one."""
    found = (
        Region.objects.filter(code__in=ancestor_codes(code), campaign_ended_on__isnull=False)
        .order_by("-code")
        .values_list("code", "campaign_ended_on", "transfer_due_on")
        .first()
    )
    if found is None:
        return None
    set_on, ended_on, due_on = found
    assert ended_on is not None
    return CampaignEnd(ended_on=ended_on, transfer_due_on=due_on, set_on=set_on)


def campaign_end_years(codes: Iterable[str]) -> dict[str, int | None]:
    """For many regions at once (one query): the year their campaign ended, or None."""
    wanted = set(codes)
    above = {a for code in wanted for a in ancestor_codes(code)}
    settings = dict(
        Region.objects.filter(code__in=above, campaign_ended_on__isnull=False).values_list(
            "code", "campaign_ended_on"
        )
    )
    found: dict[str, int | None] = {}
    for code in wanted:
        nearest = next((settings[a] for a in ancestor_codes(code) if a in settings), None)
        found[code] = nearest.year if nearest else None
    return found
