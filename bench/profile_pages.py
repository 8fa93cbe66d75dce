"""One request at a time, in-process, on the demo county: each load page's time and queries, for
finding where a page's time goes before and after a change (the load benchmark measures the
pages under concurrency; this measures one request of each without the server).

    FUPIN_DATA_DIR=/var/tmp/fupin-load python -m bench.profile_pages [--user fupinban]
        [--repeat 20] [--queries] [--profile PAGE]

The data directory must hold the demo county (`./bench/run load` with FUPIN_BENCH_KEEP_DB
leaves one). --queries prints each page's SQL grouped by statement shape, most repeated first;
--profile prints cProfile's top functions for one page.
"""

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from collections import Counter


def main() -> int:
    parser = argparse.ArgumentParser(description="逐页测量示范县页面的耗时与查询数")
    parser.add_argument("--user", default="fupinban")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--queries", action="store_true", help="打印每页的查询（按语句形状归并）")
    parser.add_argument("--profile", help="对这一页做 cProfile（home/search/households/item）")
    parser.add_argument("--pages", nargs="*", help="只测这几页")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")
    os.environ.setdefault("FUPIN_DEMO", "1")
    os.environ.setdefault("FUPIN_REQUEST_LOG", "0")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from bench.bench_load import _pages
    from fupin.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=args.user))
    pages = _pages()
    if args.pages:
        pages = {k: v for k, v in pages.items() if k in args.pages}
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        # Not CaptureQueriesContext: every request resets the connection's query log.
        captured: list[str] = []

        def record(execute, sql, params, many, context, captured=captured):  # type: ignore[no-untyped-def]
            captured.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            client.get(path)
        times, cpu = [], []
        for _ in range(args.repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        # The CPU time barely moves when other work shares the cores; the wall time does.
        print(
            f"{name:<11} {len(captured):>4} 条查询  "
            f"中位 {statistics.median(times):7.1f} ms  最快 {min(times):7.1f} ms  "
            f"CPU 中位 {statistics.median(cpu):6.2f} ms"
        )
        if args.queries:
            shapes = Counter(re.sub(r"\b\d+\b|'[^']*'|%s", "?", sql)[:220] for sql in captured)
            for shape, count in shapes.most_common():
                print(f"   {count:>4} × {shape}")
        if args.profile == name:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.repeat):
                client.get(path)
            profiler.disable()
            pstats.Stats(profiler, stream=sys.stdout).sort_stats(
                os.environ.get("PROFILE_SORT", "cumulative")
            ).print_stats(
                os.environ.get("PROFILE_FILTER", ""), int(os.environ.get("PROFILE_LINES", "45"))
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
