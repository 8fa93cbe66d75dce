"""Server-rendered SVG charts (no script): bars by region, a line of quarters. The template
draws the shapes from these plain numbers."""

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, BAR_HEIGHT, LABEL_WIDTH = 640, 22, 140
PLOT_HEIGHT, STEP = 200, 80


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    y: int
    width: float


def bars(rows: Sequence[tuple[str, float, str]], maximum: float | None = None) -> dict:
    """Horizontal bars: (label, value, shown text) scaled to the largest value or `maximum`."""
    top = maximum or max((v for _, v, _ in rows), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 70
    shapes = [
        Bar(label, value, text, i * (BAR_HEIGHT + 6), round(span * value / top, 1))
        for i, (label, value, text) in enumerate(rows)
    ]
    return {"bars": shapes, "height": len(shapes) * (BAR_HEIGHT + 6) + 4, "width": WIDTH,
            "label_width": LABEL_WIDTH, "bar_height": BAR_HEIGHT}  # fmt: skip


@dataclass(frozen=True)
class Point:
    label: str
    value: int
    x: int
    y: float


def trend(points: Sequence[tuple[str, int]]) -> dict:
    """A line through each quarter's value, oldest first."""
    top = max((v for _, v in points), default=0) or 1
    shapes = [
        Point(label, value, 40 + i * STEP, round(20 + PLOT_HEIGHT * (1 - value / top), 1))
        for i, (label, value) in enumerate(points)
    ]
    path = " ".join(f"{p.x},{p.y}" for p in shapes)
    return {"points": shapes, "path": path, "width": 80 + STEP * max(len(shapes) - 1, 1),
            "height": PLOT_HEIGHT + 60, "base": PLOT_HEIGHT + 20}  # fmt: skip
