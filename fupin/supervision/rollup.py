"""Computing report figures: one GROUP BY per figure for a whole subtree, sums in memory.

A region's report = its own figures (units located there; households, if a village) plus the
accepted reports of the regions directly below. The live tree adds every region's own
figures up to its ancestors, whatever was reported: what the data says today.
"""

from collections import defaultdict

from fupin.regions.models import Region
from fupin.supervision.figures import ENTERED, FIGURES, Span, add_into, zero
from fupin.supervision.models import QuarterReport, ReportStatus
from fupin.supervision.quarters import Quarter

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


def accepted_children(quarter: Quarter, under: str, exact: bool = False) -> dict[str, list]:
    """Accepted region reports by the region they went up to: those of the regions directly
    below `under` (exact), or of every region below it (a prefix, for whole subtrees)."""
    where = {"region__parent_id": under} if exact else {"region__code__startswith": under}
    reports = QuarterReport.objects.filter(
        quarter=str(quarter), status=ReportStatus.ACCEPTED, **where
    ).select_related("region")
    found: dict[str, list[QuarterReport]] = defaultdict(list)
    for report in reports:
        found[report.region.parent_id].append(report)  # type: ignore[union-attr,index]
    return found


def region_total(
    own: dict[str, int], children: list[QuarterReport], entered: dict
) -> dict[str, int]:
    total = zero() | {key: 0 for key in NUMERIC_ENTERED}
    add_into(total, own)
    add_into(total, entered_numbers(entered))
    for child in children:
        add_into(total, child.figures)
    return total


def live_tree(quarter: Quarter, prefix: str) -> dict[str, dict[str, int]]:
    """Every region under prefix with everything below it added in, reported or not."""
    own = own_figures(quarter.span(), prefix)
    codes = Region.objects.filter(code__startswith=prefix).values_list("code", "parent_id")
    parent_of = dict(codes)
    totals: dict[str, dict[str, int]] = {code: zero() for code in parent_of}
    for code in sorted(parent_of, key=len, reverse=True):
        add_into(totals[code], own.get(code, {}))
        parent = parent_of[code]
        if parent in totals:
            add_into(totals[parent], totals[code])
    return totals
