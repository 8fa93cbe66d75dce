"""Title → schedule row suggestions: accuracy on the held-out labelled titles, and latency."""

import json
import time
from pathlib import Path

from bench.common import Figure, stopwatch

BENCH = "suggest"
TITLES = Path(__file__).resolve().parent.parent / "tests" / "data" / "suggest_titles.json"
ROUNDS = 5


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run() -> list[Figure]:
    from django.db import transaction

    from fupin.regions.models import Level, Region
    from fupin.schedule.selectors import base_version, rows_in_force
    from fupin.schedule.services import schedule_load_annex
    from fupin.schedule.suggest import suggest

    labelled = json.loads(TITLES.read_text(encoding="utf-8"))
    # Rolled back at the end, so benchmarks that run after this one see the database unchanged.
    with transaction.atomic():
        Region.objects.get_or_create(
            code="42", defaults={"name": "湖北省", "level": Level.PROVINCE}
        )
        schedule_load_annex(actor=None)
        rows = rows_in_force(base_version())
        with stopwatch() as build:
            for level in ("county", "township", "village"):
                suggest("", level=level, rows=rows)
        top1 = top3 = 0
        confidence = 0.0
        for t in labelled:
            found = suggest(t["title"], level=t["level"], rows=rows)
            keys = [(s.row.category, s.number) for s in found]
            top1 += bool(keys) and keys[0] == (t["category"], t["number"])
            top3 += (t["category"], t["number"]) in keys
            confidence += found[0].score if found else 0.0
        latencies = []
        for _ in range(ROUNDS):
            for t in labelled:
                start = time.perf_counter()
                suggest(t["title"], level=t["level"], rows=rows)
                latencies.append((time.perf_counter() - start) * 1000)
        transaction.set_rollback(True)
    n = len(labelled)
    return [
        Figure(BENCH, f"首选正确率（{n} 条题名）", top1 / n, "比例"),
        Figure(BENCH, "前三含正确条目的比例", top3 / n, "比例"),
        # Close to the first-choice accuracy when the confidence means what it says.
        Figure(BENCH, "首选平均置信度", confidence / n, "0–1"),
        Figure(BENCH, "建索引耗时（三个层级）", build[0] * 1000, "ms"),
        Figure(BENCH, "单次推荐耗时 p50", percentile(latencies, 0.5), "ms", target="< 5"),
        Figure(BENCH, "单次推荐耗时 p95", percentile(latencies, 0.95), "ms", target="< 5"),
    ]
