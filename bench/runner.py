"""Discovers bench/bench_*.py; each has `run() -> list[Figure]` and sets up its own data."""

import argparse
import importlib
import os
import sys
import tempfile
from pathlib import Path

from bench.common import Figure, dump


def prepare_database() -> None:
    if not os.environ.get("DATABASE_URL"):
        # A throwaway SQLite database, or the one kept in FUPIN_BENCH_KEEP_DB between runs
        # (a benchmark may then reuse the data an earlier run generated: `search` does).
        kept = os.environ.get("FUPIN_BENCH_KEEP_DB")
        if kept:
            Path(kept).mkdir(parents=True, exist_ok=True)
        os.environ["FUPIN_DATA_DIR"] = kept or tempfile.mkdtemp(prefix="fupin-bench-db-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def main() -> int:
    parser = argparse.ArgumentParser(description="运行基准测试并打印结果")
    parser.add_argument("names", nargs="*")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--gb", type=float, help="backup 基准生成的文件总量（GB，默认 2）")
    parser.add_argument(
        "--n", type=int, help="数据量（支持它的基准使用，如 audit_verify 的事件数）"
    )
    args = parser.parse_args()
    if args.gb is not None:
        os.environ["FUPIN_BENCH_BACKUP_GB"] = str(args.gb)
    if args.n:
        os.environ["FUPIN_BENCH_N"] = str(args.n)
    here = Path(__file__).parent
    names = args.names or sorted(p.stem[len("bench_") :] for p in here.glob("bench_*.py"))
    prepare_database()
    figures: list[Figure] = []
    for name in names:
        module = importlib.import_module(f"bench.bench_{name}")
        print(f"== {name} ==", file=sys.stderr)
        found = module.run()
        for figure in found:
            print(figure.line(), file=sys.stderr)
        figures.extend(found)
    if args.json:
        print(dump(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
