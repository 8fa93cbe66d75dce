"""What every benchmark prints: figures, and where a baseline exists, the ratio to it."""

import json
import os
import resource
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


@dataclass
class Figure:
    bench: str
    name: str
    value: float
    unit: str
    # The figure it is compared with, measured in the same run (ratio = value / baseline).
    baseline: float | None = None
    target: str = ""

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None

    def line(self) -> str:
        text = f"{self.bench:<22} {self.name:<34} {self.value:>12.3f} {self.unit:<8}"
        if self.ratio is not None:
            text += f"  基线 {self.baseline:.3f}  比值 {self.ratio:.2f}"
        if self.target:
            text += f"  目标 {self.target}"
        return text

    def as_dict(self) -> dict:
        return {**asdict(self), "ratio": self.ratio}


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    box: list[float] = []
    start = time.perf_counter()
    yield box
    box.append(time.perf_counter() - start)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scratch_dir(name: str) -> Path:
    root = Path(os.environ.get("FUPIN_BENCH_DIR", tempfile.gettempdir())) / "fupin-bench" / name
    root.mkdir(parents=True, exist_ok=True)
    return root


def dump(figures: list[Figure]) -> str:
    return json.dumps([f.as_dict() for f in figures], ensure_ascii=False, indent=2)
