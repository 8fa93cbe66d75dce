"""Generating the registration sheet: 100,000 households streamed to .csv and to .xlsx.

Memory must stay flat however many households are asked for, so the peak after the big runs
is compared with the peak after a 10,000-household warm-up (ratio ≈ 1 means flat).
"""

from bench.common import Figure, peak_rss_mb, scratch_dir, stopwatch
from fupin.core.tabular import write_table
from fupin.demo.generate import HouseholdSheet, generate_villages
from fupin.households.registry.sheet import HEADER as COLUMNS

HOUSEHOLDS = 100_000
WARM_UP = 10_000
# The real townships of 郧西县, so names and codes look like the demo county's.
TOWNSHIPS = [f"420322{n}" for n in (*range(100, 109), *range(200, 207))]


def _write(path_name: str, households: int) -> tuple[float, int]:
    villages = list(generate_villages(TOWNSHIPS, (8, 15), seed=1))
    made = HouseholdSheet(villages, households, seed=1)
    with stopwatch() as took:
        rows = write_table(scratch_dir("generate") / path_name, COLUMNS, made.rows())
    return took[0], rows


def run() -> list[Figure]:
    _write("warm-up.csv", WARM_UP)
    flat = peak_rss_mb()
    figures = []
    for suffix in ("csv", "xlsx"):
        seconds, rows = _write(f"households.{suffix}", HOUSEHOLDS)
        figures += [
            Figure("generate", f"{suffix} 10 万户用时", seconds, "s"),
            Figure("generate", f"{suffix} 写出速度", rows / seconds, "行/秒"),
            Figure("generate", f"{suffix} 之后峰值内存", peak_rss_mb(), "MB", baseline=flat),
        ]
    return figures
