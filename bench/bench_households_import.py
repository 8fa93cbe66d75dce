"""Importing the registration sheet: 1,000,000 person rows (about 330,000 households) from one
.xlsx, through `fupin households import` in a child process (its peak memory is the child's).

The floor, measured in the same run on the same file: the fastest reader here (calamine, which
holds the whole sheet in memory) plus the fastest bulk write of the same rows into a bare table —
`COPY … FROM STDIN` on PostgreSQL, `executemany` of one prepared INSERT on SQLite (which has no
COPY). Targets: ratio ≤ 2, peak memory < 1 GB. FUPIN_BENCH_HOUSEHOLDS scales it down.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Figure, scratch_dir, stopwatch

BENCH = "households_import"
TOWNSHIPS = [f"420322{n}" for n in (*range(100, 109), *range(200, 207))]
INSERT_CHUNK = 10_000


def _regions() -> tuple[list, dict[str, str]]:
    from fupin.core.tabular import write_table
    from fupin.demo.generate import VILLAGE_HEADER, generate_villages
    from fupin.regions.importing import demo_region_files
    from fupin.regions.models import Region
    from fupin.regions.services import regions_import

    villages = list(generate_villages(TOWNSHIPS, (8, 15), seed=1))
    path = scratch_dir(BENCH) / "villages.csv"
    write_table(path, VILLAGE_HEADER, (v.row() for v in villages))
    report = regions_import(actor=None, paths=[*demo_region_files(), path])
    assert report.ok, report.errors[:3]
    names = dict(Region.objects.filter(code__startswith="420322").values_list("code", "name"))
    return villages, names


def _sheet(villages: list, names: dict[str, str], households: int) -> Path:
    """Generated once per size and kept in the scratch folder (writing it takes minutes)."""
    from fupin.core.tabular import write_table
    from fupin.demo.generate import HouseholdSheet
    from fupin.households.registry.sheet import HEADER as COLUMNS

    path = scratch_dir(BENCH) / f"households-{households}.xlsx"
    if not path.exists():
        partial = path.with_suffix(".partial.xlsx")
        write_table(partial, COLUMNS, HouseholdSheet(villages, households, 1, names).rows())
        partial.rename(path)
    return path


def _floor(path: Path) -> tuple[float, int]:
    from django.db import connection, transaction
    from python_calamine import CalamineWorkbook

    columns = ", ".join(f"c{i} text" for i in range(26))
    marks = ", ".join(["%s"] * 26)
    with stopwatch() as took:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        rows = sheet.iter_rows()
        next(rows)  # header
        count = 0
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE bench_floor ({columns})")
            if connection.vendor == "postgresql":
                with cursor.cursor.copy("COPY bench_floor FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([str(v) for v in row[:26]])
                        count += 1
            else:
                chunk: list[list[str]] = []
                for row in rows:
                    chunk.append([str(v) for v in row[:26]])
                    if len(chunk) == INSERT_CHUNK:
                        cursor.executemany(f"INSERT INTO bench_floor VALUES ({marks})", chunk)
                        count += len(chunk)
                        chunk = []
                cursor.executemany(f"INSERT INTO bench_floor VALUES ({marks})", chunk)
                count += len(chunk)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_floor")
    return took[0], count


def _high_water_mb(pid: int) -> float:
    """The process's own peak resident memory (VmHWM of its address space)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _import(path: Path) -> tuple[float, dict, float]:
    """Runs the command and follows its peak memory from /proc while it runs: getrusage's
    figure for a child also counts the parent's memory at the moment the child was started,
    which after the floor's whole-sheet read is two gigabytes that the import never used."""
    command = [sys.executable, "-m", "fupin.cli", "households", "import", str(path), "--json"]
    # Output to files, not pipes: nothing reads a pipe while the loop below polls.
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, env=os.environ.copy())
        peak = 0.0
        while child.poll() is None:
            peak = max(peak, _high_water_mb(child.pid))
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if child.returncode != 0:
            raise RuntimeError(err.read()[-2000:] or out.read()[-2000:])
        return seconds, json.loads(out.read()), peak


def run() -> list[Figure]:
    from django.db import connection

    households = int(os.environ.get("FUPIN_BENCH_HOUSEHOLDS", "330000"))
    villages, names = _regions()
    with stopwatch() as made:
        path = _sheet(villages, names, households)
    floor, rows = _floor(path)
    writer = "COPY" if connection.vendor == "postgresql" else "executemany"
    seconds, report, peak = _import(path)
    assert report["imported_households"] == households, report.get("errors", [])[:3]
    return [
        Figure(BENCH, "表格生成（首次，之后复用）", made[0], "s"),
        Figure(
            BENCH,
            f"导入 {rows:,} 行 {households:,} 户",
            seconds,
            "s",
            baseline=floor,
            target="比值 ≤ 2",
        ),
        Figure(BENCH, "导入速度", rows / seconds, "行/秒"),
        Figure(
            BENCH,
            f"下限：calamine 读取 + {writer}",
            rows / floor,
            "行/秒",
        ),
        Figure(BENCH, "导入进程峰值内存", peak, "MB", target="< 1024 MB"),
    ]
