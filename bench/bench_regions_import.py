"""Importing the whole shared Hubei division set (1,599 rows), then re-importing it unchanged."""

import sys

from bench.common import SHARED, Figure, stopwatch

BENCH = "regions_import"
FILES = ("provinces.csv", "cities.csv", "areas.csv", "streets.csv")


def run() -> list[Figure]:
    folder = SHARED / "data" / "divisions"
    if not folder.is_dir():
        print(f"跳过：需要 {folder}（开发与 CI 机器才有）。", file=sys.stderr)
        return []
    from django.db import transaction

    from fupin.regions.models import Region
    from fupin.regions.services import regions_import

    paths = [folder / name for name in FILES]
    # Rolled back at the end, so benchmarks that run after this one see the database unchanged.
    with transaction.atomic():
        if Region.objects.exists():
            print("注意：数据库中已有区划，首次导入并非从空库开始。", file=sys.stderr)
        with stopwatch() as first:
            report = regions_import(actor=None, paths=paths)
        assert report.ok, report.errors
        rows = sum(sum(c.values()) for c in report.counts.values())
        with stopwatch() as again:
            repeat = regions_import(actor=None, paths=paths)
        assert all(c["added"] == c["renamed"] == 0 for c in repeat.counts.values())
        transaction.set_rollback(True)
    return [
        Figure(BENCH, "首次导入耗时", first[0], "s", target="< 5 s"),
        Figure(BENCH, "首次导入速度", rows / first[0], "行/s"),
        Figure(BENCH, "重复导入（全部未变）耗时", again[0], "s", baseline=first[0]),
    ]
