"""Computing report figures: one GROUP BY per figure for a whole subtree, sums in memory.

A region's figures are always what the data of its whole subtree says, whoever has reported:
a county's report built before its villages have reported still counts every household of
them. Who has reported is shown beside the figures, never used as their source — otherwise a
late village would make the county look empty. The figures people type in (staff, training)
are data too: they come from the reports of the subtree as they stand, whatever their status.

The one exception is a region whose data this installation does not hold (a county running
its own system): the accepted package that came from that installation supplies its figures.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from fupin.regions.models import Region
from fupin.supervision.models import QuarterReport, ReportStatus
from fupin.supervision.reports.figures import ENTERED, FIGURES, Span, add_into, zero
from fupin.supervision.reports.quarters import Quarter

NUMERIC_ENTERED = tuple(e.key for e in ENTERED if e.numeric)


def own_figures(span: Span, prefix: str, exact: bool = False) -> dict[str, dict[str, int]]:
    """Every region's own figures under a prefix (or of that one region), one aggregate query
    per figure."""
    found: dict[str, dict[str, int]] = defaultdict(zero)
    for figure in FIGURES:
        for code, n in figure.by_region(span, prefix, exact).items():
            found[code][figure.key] = n
    return found


def unit_figures(span: Span, unit_ids: list[int]) -> dict[int, dict[str, int]]:
    found: dict[int, dict[str, int]] = {uid: zero() for uid in unit_ids}
    for figure in FIGURES:
        for uid, n in figure.by_unit(span, unit_ids).items():
            found[uid][figure.key] = n
    return found


def entered_numbers(entered: dict) -> dict[str, int]:
    return {key: int(entered.get(key) or 0) for key in NUMERIC_ENTERED}


def blank() -> dict[str, int]:
    """Every key a region report carries: the computed figures and the numeric entered ones."""
    return zero() | dict.fromkeys(NUMERIC_ENTERED, 0)


@dataclass
class Subtree:
    """Each region of a subtree with everything below it added in."""

    totals: dict[str, dict[str, int]]
    parent_of: dict[str, str | None]
    # Regions not held here whose figures came from an accepted package, with that report.
    supplied: dict[str, QuarterReport] = field(default_factory=dict)

    def children(self, code: str) -> list[str]:
        return sorted(c for c, parent in self.parent_of.items() if parent == code)


def subtree(quarter: Quarter, prefix: str, entered: dict[str, dict] | None = None) -> Subtree:
    """The figures of `prefix` and of every region below it, from the data. `entered`
    overrides the typed-in figures of some regions (a report being edited)."""
    own = own_figures(quarter.span(), prefix)
    parent_of: dict[str, str | None] = dict(
        Region.objects.filter(code__startswith=prefix).values_list("code", "parent_id")
    )
    reports = QuarterReport.objects.filter(
        quarter=str(quarter), region__code__startswith=prefix
    ).only("region_id", "entered", "figures", "sender", "status")
    typed = {r.region_id: r.entered for r in reports} | (entered or {})
    packages = {
        r.region_id: r
        for r in reports
        if r.sender and r.status == ReportStatus.ACCEPTED and r.region_id != prefix
    }
    found = Subtree({code: blank() for code in parent_of}, parent_of)
    held = dict.fromkeys(parent_of, False)
    # Codes are prefix paths, so the longer code is always the lower level: children first.
    for code in sorted(parent_of, key=len, reverse=True):
        mine = own.get(code, {})
        held[code] = held[code] or any(mine.values())
        total = found.totals[code]
        add_into(total, mine)
        add_into(total, entered_numbers(typed.get(code) or {}))
        if not held[code] and code in packages:
            found.totals[code] = total = blank()
            add_into(total, packages[code].figures)
            found.supplied[code] = packages[code]
        parent = parent_of[code]
        if parent in found.totals:
            add_into(found.totals[parent], total)
            held[parent] = held[parent] or held[code]
    return found


def live_tree(quarter: Quarter, prefix: str) -> dict[str, dict[str, int]]:
    """Every region under prefix with everything below it added in, reported or not."""
    return subtree(quarter, prefix).totals
