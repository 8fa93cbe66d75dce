"""`fupin backup` on the demo county plus generated files (2 GB by default; `--gb` or
FUPIN_BENCH_BACKUP_GB to change): backup create, verify and restore into an empty
installation, each timed, with the files kept on disk and in an S3 bucket (moto's server
mode, a real S3-protocol server on 127.0.0.1:8125–8129). Every installation is its own
process tree with its own database (SQLite, or DATABASE_URL's server), as in production."""

import json
import math
import os
import random
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.common import Figure, scratch_dir

BENCH = "backup"
ROOT = Path(__file__).resolve().parent.parent
AUDIT_KEY = "bench:0123456789abcdef0123456789abcdef"
S3_KEYS = ("fupin-bench", "fupin-bench-secret")


def _corpus(gb: float) -> Path:
    total = int(gb * 1024**3)
    folder = scratch_dir(f"backup-{gb:g}gb")
    files = sorted(folder.glob("*.bin"))
    if files and sum(f.stat().st_size for f in files) >= total * 0.99:
        return folder
    shutil.rmtree(folder)
    folder.mkdir(parents=True)
    rng, written, n = random.Random(2016), 0, 0
    while written < total:
        size = min(total - written, int(math.exp(rng.uniform(math.log(1024), math.log(50 << 20)))))
        (folder / f"{n:05d}.bin").write_bytes(os.urandom(max(size, 1)))
        written, n = written + max(size, 1), n + 1
    return folder


def _pg_url(name: str) -> str:
    base = os.environ["DATABASE_URL"]
    return base.rsplit("/", 1)[0] + "/" + name


def _pg_fresh(name: str) -> None:
    import psycopg

    with psycopg.connect(_pg_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


class Site:
    def __init__(self, folder: Path, extra: dict[str, str]) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        self.env.update(
            FUPIN_TESTING="1",
            FUPIN_DATA_DIR=str(folder),
            FUPIN_AUDIT_KEY=AUDIT_KEY,
            DJANGO_SETTINGS_MODULE="fupin.settings",
            PYTHONPATH=str(ROOT),
            **extra,
        )
        if os.environ.get("DATABASE_URL"):
            name = f"fupin_bench_backup_{folder.name}"
            _pg_fresh(name)
            self.env["DATABASE_URL"] = _pg_url(name)
        self.fupin("manage", "migrate", "-v0")

    def fupin(self, *args: str) -> Any:
        done = subprocess.run(
            [sys.executable, "-m", "fupin.cli", *args],
            env=self.env, cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"fupin {' '.join(args)} 失败：{done.stderr[-2000:]}")
        return json.loads(done.stdout) if "--json" in args else done.stdout

    def timed(self, *args: str) -> tuple[float, Any]:
        start = time.perf_counter()
        result = self.fupin(*args)
        return time.perf_counter() - start, result


def _moto() -> tuple[subprocess.Popen, str]:
    for port in range(8125, 8130):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                continue
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        endpoint = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1)
                return process, endpoint
            except OSError:
                time.sleep(0.2)
        process.kill()
    raise RuntimeError("无法在 127.0.0.1:8125–8129 启动 S3 服务器（moto）。")


def _bucket(endpoint: str, name: str) -> dict[str, str]:
    import boto3

    boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id=S3_KEYS[0],
        aws_secret_access_key=S3_KEYS[1], region_name="us-east-1",
    ).create_bucket(Bucket=name)  # fmt: skip
    return {
        "FUPIN_S3_BUCKET": name,
        "FUPIN_S3_ENDPOINT": endpoint,
        "AWS_ACCESS_KEY_ID": S3_KEYS[0],
        "AWS_SECRET_ACCESS_KEY": S3_KEYS[1],
        "AWS_DEFAULT_REGION": "us-east-1",
    }


def _round(kind: str, corpus: Path, work: Path, store: dict[str, str], dest_store: dict) -> list:
    source = Site(work / f"{kind}-src", store)
    source.fupin("demo", "--json")
    source.fupin("objects", "capture", str(corpus), "--category", "SJ", "--json")
    dest = work / f"{kind}-backup"
    shutil.rmtree(dest, ignore_errors=True)
    created_s, made = source.timed("backup", "create", str(dest), "--json")
    again_s, _ = source.timed("backup", "create", str(dest), "--json")
    verify_s, _ = source.timed("backup", "verify", str(dest), "--json")
    target = Site(work / f"{kind}-dst", dest_store)
    restore_s, restored = target.timed("backup", "restore", str(dest), "--json")
    if not (restored["ok"] and restored["audit"]["ok"]):
        raise RuntimeError(f"恢复后核对未通过：{restored}")
    mb = made["bytes_copied"] / 1024**2
    return [
        Figure(BENCH, f"{kind}: 文件数", made["objects"], "个"),
        Figure(BENCH, f"{kind}: backup create", created_s, "s"),
        Figure(BENCH, f"{kind}: create 吞吐", mb / created_s, "MB/s"),
        Figure(BENCH, f"{kind}: 再次 create（增量）", again_s, "s"),
        Figure(BENCH, f"{kind}: backup verify", verify_s, "s"),
        Figure(BENCH, f"{kind}: backup restore", restore_s, "s"),
        Figure(BENCH, f"{kind}: restore 吞吐", mb / restore_s, "MB/s"),
    ]


def run() -> list[Figure]:
    gb = float(os.environ.get("FUPIN_BENCH_BACKUP_GB", "2"))
    corpus = _corpus(gb)
    work = scratch_dir("backup-work")
    figures = [Figure(BENCH, "生成文件总量", gb, "GB")]
    figures += _round("disk", corpus, work, {}, {})
    moto, endpoint = _moto()
    try:
        figures += _round(
            "s3", corpus, work, _bucket(endpoint, "bench-src"), _bucket(endpoint, "bench-dst")
        )
    finally:
        moto.terminate()
        moto.wait(timeout=30)
    shutil.rmtree(work, ignore_errors=True)
    return figures
