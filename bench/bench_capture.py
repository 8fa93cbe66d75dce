"""Capturing a folder of files of mixed sizes (1 KB – 50 MB, 2 GB in all by default;
FUPIN_BENCH_CAPTURE_MB to change), against a plain single-pass SHA-256+SM3 read of the same
files measured in the same run. Target: capture ≥ 0.8 of the plain read's throughput."""

import hashlib
import math
import os
import random
import shutil
import tempfile
from pathlib import Path

from bench.common import Figure, scratch_dir, stopwatch

BENCH = "capture"
CHUNK = 1 << 20


def _corpus(total_mb: int) -> list[Path]:
    folder = scratch_dir(f"capture-{total_mb}mb")
    files = sorted(folder.glob("*.bin"))
    if files and sum(f.stat().st_size for f in files) >= total_mb * 1024 * 1024 * 0.99:
        return files
    shutil.rmtree(folder)
    folder.mkdir(parents=True)
    rng, written, n = random.Random(2016), 0, 0
    while written < total_mb * 1024 * 1024:
        size = int(math.exp(rng.uniform(math.log(1024), math.log(50 * 1024 * 1024))))
        (folder / f"{n:05d}.bin").write_bytes(os.urandom(size))
        written, n = written + size, n + 1
    return sorted(folder.glob("*.bin"))


def _plain_read(files: list[Path]) -> None:
    for path in files:
        sha, sm3 = hashlib.sha256(), hashlib.new("sm3")
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                sha.update(chunk)
                sm3.update(chunk)
        sha.hexdigest(), sm3.hexdigest()


def run() -> list[Figure]:
    from django.db import transaction
    from django.test import override_settings

    from fupin.objects.services import object_capture

    total_mb = int(os.environ.get("FUPIN_BENCH_CAPTURE_MB", "2048"))
    files = _corpus(total_mb)
    size_mb = sum(f.stat().st_size for f in files) / (1024 * 1024)
    media = tempfile.mkdtemp(prefix="fupin-bench-media-")
    try:
        with stopwatch() as plain:
            _plain_read(files)
        with override_settings(MEDIA_ROOT=media), transaction.atomic(), stopwatch() as taken:
            for path in files:
                with path.open("rb") as handle:
                    object_capture(actor=None, stream=handle, filename=path.name, category="SJ")
            transaction.set_rollback(True)
    finally:
        shutil.rmtree(media, ignore_errors=True)
    return [
        Figure(BENCH, f"接收 {len(files)} 个文件，共 {size_mb:.0f} MB", taken[0], "s"),
        Figure(BENCH, "接收速度（文件）", len(files) / taken[0], "个/s"),
        Figure(
            BENCH,
            "接收速度（数据）",
            size_mb / taken[0],
            "MB/s",
            baseline=size_mb / plain[0],
            target="比值 ≥ 0.8",
        ),
    ]
