"""A report as people read it: labelled figures, the change since last quarter, trace-down."""

from dataclasses import dataclass, field
from typing import Any

from fupin.supervision.figures import BY_KEY, ENTERED, FIGURES, RATIOS
from fupin.supervision.models import QuarterReport, ReportStatus
from fupin.supervision.quarters import Quarter

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
    """Where a figure comes from: the accepted reports below that went into it, and the rows
    of the report's own units (or village) that make the rest."""
    numeric = {f.key for f in FIGURES} | {e.key for e in ENTERED if e.numeric}
    if key not in numeric:
        raise KeyError(key)
    label = BY_KEY[key].label if key in BY_KEY else next(e.label for e in ENTERED if e.key == key)
    found = Trace(key, label, int(report.figures.get(key, 0)))
    if report.region_id:
        below = QuarterReport.objects.filter(
            quarter=report.quarter,
            region__parent_id=report.region_id,
            status=ReportStatus.ACCEPTED,
            decided_at__lte=report.built_at,
        ).select_related("region")
        found.children = [
            {
                "report_id": r.pk,
                "name": r.region.name,
                "code": r.region_id,  # type: ignore[union-attr]
                "value": int(r.figures.get(key, 0)),
            }
            for r in below
        ]
    if key in BY_KEY:
        span = Quarter.parse(report.quarter).span()
        rows = BY_KEY[key].trace(span, region_code=report.region_id or "", unit_id=report.unit_id)
        found.own_count = rows.count()
        found.own = [str(row) for row in rows[:TRACE_LIMIT]]
    return found
