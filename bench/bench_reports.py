"""Building and rolling up one quarter's reports for a province (FUPIN_BENCH_SCALE=1.0:
103 counties, 1,442 townships, 25,000 villages, 2,000,000 households; e.g. 0.01 for a quick
run). Generating the data is timed apart from building and rolling up the reports."""

import os

from bench.common import Figure, stopwatch

BENCH = "reports"
LEVELS = ("village", "township", "county", "city")


def run() -> list[Figure]:
    from django.db import transaction

    from bench.province import ProvinceSize, generate_province
    from fupin.supervision.models import QuarterReport, ReportStatus
    from fupin.supervision.reports.quarters import Quarter
    from fupin.supervision.reports.rollup import live_tree
    from fupin.supervision.reports.services import reports_build_tree

    scale = float(os.environ.get("FUPIN_BENCH_SCALE", "1.0"))
    quarter = Quarter.parse("2016Q3")
    figures: list[Figure] = []
    # Rolled back at the end, so benchmarks that run after this one see the database unchanged.
    with transaction.atomic():
        with stopwatch() as generated:
            counts = generate_province(ProvinceSize.scaled(scale), quarter.span())
        figures.append(Figure(BENCH, f"生成数据（{counts['households']} 户）", generated[0], "s"))
        with stopwatch() as built:
            reports_build_tree(actor=None, quarter=str(quarter), region_code="42")
        # Each level's reports go up accepted (the flow itself is not what is timed here),
        # and the levels above are rebuilt on them, up to the province.
        with stopwatch() as rolled:
            for level in LEVELS:
                QuarterReport.objects.filter(quarter=str(quarter), region__level=level).update(
                    status=ReportStatus.ACCEPTED
                )
                reports_build_tree(actor=None, quarter=str(quarter), region_code="42")
        with stopwatch() as live:
            tree = live_tree(quarter, "42")
        province = QuarterReport.objects.get(quarter=str(quarter), region_id="42").figures
        mismatched = [k for k, v in tree["42"].items() if province.get(k) != v]
        assert not mismatched, f"逐级汇总与直接统计不一致：{mismatched}"
        total = built[0] + rolled[0]
        n = QuarterReport.objects.filter(quarter=str(quarter)).count()
        figures += [
            Figure(BENCH, f"生成 {n} 份季报（草稿）", built[0], "s"),
            Figure(BENCH, "逐级审核后汇总到省", rolled[0], "s", baseline=built[0]),
            Figure(BENCH, "生成并汇总合计", total, "s", target="< 60 s"),
            Figure(BENCH, "按当前数据直接汇总全省", live[0], "s"),
        ]
        transaction.set_rollback(True)
    return figures
