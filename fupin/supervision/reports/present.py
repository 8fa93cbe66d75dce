"""A report as people read it: labelled figures, the change since last quarter, trace-down."""

from dataclasses import dataclass, field
from typing import Any

from fupin.regions.models import Region
from fupin.supervision.models import QuarterReport
from fupin.supervision.reports.figures import BY_KEY, ENTERED, FIGURES, RATIOS
from fupin.supervision.reports.quarters import Quarter
from fupin.supervision.reports.rollup import subtree

TRACE_LIMIT = 200


@dataclass
class Line:
    key: str
    label: str
    measure: str
    value: Any
    previous: Any = None
    traceable: bool = True

    @property
    def delta(self) -> Any:
        if isinstance(self.value, int) and isinstance(self.previous, int):
            return self.value - self.previous
        return None


def _previous(report: QuarterReport) -> QuarterReport | None:
    before = str(Quarter.parse(report.quarter).previous())
    return QuarterReport.objects.filter(
        quarter=before, region_id=report.region_id, unit_id=report.unit_id
    ).first()


def report_lines(report: QuarterReport) -> list[Line]:
    """Every figure with its value last quarter (from the ledger), ratios as percentages."""
    prev = _previous(report)
    old = prev.figures if prev else {}
    lines = [
        Line(f.key, f.label, f.measure, report.figures.get(f.key, 0), old.get(f.key))
        for f in FIGURES
    ]
    for ratio in RATIOS:
        now, then = ratio.value(report.figures), ratio.value(old) if prev else None
        lines.append(Line(ratio.key, ratio.label, "%", _percent(now), _percent(then), False))
    for e in ENTERED:
        value = report.figures.get(e.key, 0) if e.numeric else report.entered.get(e.key, "")
        lines.append(
            Line(e.key, e.label, "", value, old.get(e.key) if e.numeric else None, e.numeric)
        )
    return lines


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@dataclass
class Trace:
    key: str
    label: str
    total: int
    children: list[dict[str, Any]] = field(default_factory=list)
    own: list[str] = field(default_factory=list)
    own_count: int = 0


def trace(report: QuarterReport, key: str) -> Trace:
    """Where a figure comes from: each region directly below with its figure from the data
    (and its report's status beside it, never its source), and the rows of the report's own
    units (or village) that make the rest."""
    numeric = {f.key for f in FIGURES} | {e.key for e in ENTERED if e.numeric}
    if key not in numeric:
        raise KeyError(key)
    label = BY_KEY[key].label if key in BY_KEY else next(e.label for e in ENTERED if e.key == key)
    found = Trace(key, label, int(report.figures.get(key, 0)))
    quarter = Quarter.parse(report.quarter)
    if report.region_id:
        tree = subtree(quarter, report.region_id)
        reports = {
            r.region_id: r
            for r in QuarterReport.objects.filter(
                quarter=report.quarter, region__parent_id=report.region_id
            )
        }
        names = dict(Region.objects.filter(parent_id=report.region_id).values_list("code", "name"))
        for code in tree.children(report.region_id):
            below = reports.get(code)
            found.children.append(
                {
                    "report_id": below.pk if below else None,
                    "name": names[code],
                    "code": code,
                    "value": tree.totals[code].get(key, 0),
                    "status": below.get_status_display() if below else "未生成",
                    "source": "下级系统数据包" if code in tree.supplied else "本系统数据",
                }
            )
    if key in BY_KEY:
        span = quarter.span()
        rows = BY_KEY[key].trace(span, region_code=report.region_id or "", unit_id=report.unit_id)
        found.own_count = rows.count()
        found.own = [str(row) for row in rows[:TRACE_LIMIT]]
    return found
