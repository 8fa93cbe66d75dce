"""Pages under load through the reverse proxy, as a province runs them: Debian's nginx with
deploy/nginx.conf (its upstream pointed at two `fupin serve` processes, plain HTTP on
127.0.0.1 instead of TLS) in front of two web processes, while two `fupin worker` processes
are kept busy reading scans (OCR), set up as deploy/ runs them on one machine (WEB_ENV and
WORKER_ENV below; FUPIN_WEB_WORKERS and the like in the environment override them); `wrk`
for FUPIN_BENCH_LOAD_SECONDS (60) at FUPIN_BENCH_LOAD_CONNECTIONS (50) on the pages of
bench_load (home, search, household list, item), signed in as the county poverty office.
Figures per page: requests/s, p50 / p99, errors, the share of requests each web process
answered (nginx's log), the OCR pages the workers read meanwhile, the web processes' CPU
time per request (bench_load) and the load average. Target (issue 20): p99 < 300 ms, no
errors.

nginx and wrk come from Debian (`apt-get install nginx-light wrk`, done here when missing
and apt works; otherwise the benchmark says so and skips)."""

import contextlib
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.bench_load import _check, _demo, _pages, _session, _wrk, cpu_seconds, warm_up
from bench.common import Figure, scratch_dir

BENCH = "load_proxy"
PROXY_PORT = int(os.environ.get("FUPIN_BENCH_PROXY_PORT", "8192"))
WEB_PORTS = (PROXY_PORT + 1, PROXY_PORT + 2)
ROOT = Path(__file__).resolve().parent.parent
SCAN_TEXTS = ["郧西县扶贫开发办公室", "贫困户申请书", "精准扶贫档案", "帮扶责任人", "脱贫验收表"]


def _tools() -> bool:
    missing = [tool for tool in ("nginx", "wrk") if shutil.which(tool) is None]
    if missing and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"安装 {'、'.join(missing)}（Debian 软件包）……", file=sys.stderr)
        packages = ["nginx-light" if t == "nginx" else t for t in missing]
        subprocess.run(["apt-get", "install", "-y", "-q", *packages], capture_output=True)
    missing = [tool for tool in ("nginx", "wrk") if shutil.which(tool) is None]
    if missing:
        print(
            f"需要 {'、'.join(missing)}（apt-get install nginx-light wrk），未安装，跳过 {BENCH}。",
            file=sys.stderr,
        )
        return False
    return True


def nginx_config(folder: Path) -> Path:
    """deploy/nginx.conf as shipped, with the bench's upstreams, a plain-HTTP listener on
    127.0.0.1 and its files in `folder`."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    servers = "".join(
        f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;\n" for port in WEB_PORTS
    )
    text = re.sub(
        r"(upstream fupin_web \{\n(?:\s*#.*\n)*)(?:\s*server .*\n)+", rf"\1{servers}", text
    )
    # The redirecting port-80 server goes; the TLS server listens in plain HTTP.
    text = re.sub(r"# Plain HTTP only redirects\.\nserver \{.*?\n\}\n", "", text, flags=re.S)
    text = text.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{PROXY_PORT};")
    text = re.sub(r"\n\s*ssl_\w+ [^;]*;", "", text)
    text = text.replace("/var/log/nginx/", f"{folder}/")
    main = folder / "nginx.conf"
    main.write_text(
        f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nworker_processes auto;\n"
        "events { worker_connections 1024; }\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {folder}/body;\n"
        f"  proxy_temp_path {folder}/proxy;\n{text}\n}}\n"
    )
    done = subprocess.run(["nginx", "-t", "-c", str(main)], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"nginx 配置检查未通过：{done.stderr}")
    return main


# As deploy/ runs them on a machine shared by web and workers: the web processes of both
# instances together about cores + 1, each worker one OCR thread at a lower priority
# (fupin-worker.service's Nice=10), so the pages get the cores first.
WEB_ENV = {"FUPIN_WEB_WORKERS": str(max(1, -(-((os.cpu_count() or 1) + 1) // len(WEB_PORTS))))}
WORKER_ENV = {"FUPIN_OCR_THREADS": "1"}
WORKER_NICE = ["nice", "-n", "10"]


def _start(
    args: list[str], log: Path, env: dict[str, str], prefix: list[str] | None = None
) -> subprocess.Popen:
    env = env | os.environ | {"FUPIN_DEMO": "1"}  # the caller's own settings win
    env.pop("FUPIN_TESTING", None)
    return subprocess.Popen(
        [*(prefix or []), sys.executable, "-m", "fupin.cli", *args], env=env, cwd=ROOT,
        stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def _listening(port: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise RuntimeError(f"127.0.0.1:{port} 未能启动")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _scan_pdf(texts: list[str]) -> bytes:
    from deploy.cluster_workload import scan_pdf

    return scan_pdf(texts)


class Busy:
    """Keeps OCR work queued for the two workers: scans uploaded to items at the start, read
    again whenever the queue runs low (the services the page and `fupin scans` call)."""

    def __init__(self, folder: Path) -> None:
        from fupin.records.models import RecordItem

        self.items = list(RecordItem.objects.order_by("pk").values_list("pk", flat=True)[:12])
        self.folder = folder
        self.stop = threading.Event()

    def pages_read(self) -> int:
        from django.db.models import Sum

        from fupin.scans.models import ScanJob

        return ScanJob.objects.aggregate(n=Sum("pages_done"))["n"] or 0

    def queued(self) -> int:
        from fupin.scans.models import JobStatus, ScanJob

        return ScanJob.objects.filter(status=JobStatus.QUEUED).count()

    def fill(self) -> None:
        from fupin.scans.services import scan_upload

        for n, item in enumerate(self.items):
            texts = [SCAN_TEXTS[(n + k) % 5] + f"第{k + 1}页" for k in range(3)]
            scan_upload(
                actor=None, item_id=item, stream=io.BytesIO(_scan_pdf(texts)),
                filename=f"扫描件-{n}.pdf",
            )  # fmt: skip

    def run(self) -> None:
        from django.core.exceptions import ValidationError
        from django.db import connection

        from fupin.scans.services import scan_ocr_request

        while not self.stop.wait(3):
            if self.queued() < 4:
                for item in self.items:
                    with contextlib.suppress(ValidationError):  # that item is being read now
                        scan_ocr_request(actor=None, item_id=item, again=True)
        connection.close()


def _shares(log: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    if log.exists():
        for found in re.finditer(r"upstream=(\S+)", log.read_text()):
            counts[found.group(1)] = counts.get(found.group(1), 0) + 1
        log.write_text("")
    return counts


def run() -> list[Figure]:
    if not _tools():
        return []
    _demo()
    pages = _pages()
    seconds = int(os.environ.get("FUPIN_BENCH_LOAD_SECONDS", "60"))
    connections = int(os.environ.get("FUPIN_BENCH_LOAD_CONNECTIONS", "50"))
    engine = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    folder = scratch_dir(BENCH)
    for stale in ("nginx.pid", "fupin.access.log", "error.log"):
        (folder / stale).unlink(missing_ok=True)
    config = nginx_config(folder)
    busy = Busy(folder)
    print("上传扫描件，给两个后台任务进程排满文字识别……", file=sys.stderr)
    busy.fill()
    processes = [
        _start(["serve", "--bind", f"127.0.0.1:{port}"], folder / f"web-{port}.log", WEB_ENV)
        for port in WEB_PORTS
    ]
    processes += [
        _start(["worker"], folder / f"worker-{n}.log", WORKER_ENV, WORKER_NICE) for n in (1, 2)
    ]
    nginx = subprocess.Popen(
        ["nginx", "-c", str(config), "-g", "daemon off;"], start_new_session=True,
        stdout=(folder / "nginx.out").open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    processes.append(nginx)
    feeder = threading.Thread(target=busy.run, daemon=True)
    figures: list[Figure] = []
    try:
        for port in (*WEB_PORTS, PROXY_PORT):
            _listening(port)
        feeder.start()
        base = f"http://127.0.0.1:{PROXY_PORT}"
        cookie = _session(base)
        _shares(folder / "fupin.access.log")
        for name, path in pages.items():
            _check(base, cookie, path)
            warm_up(base + path, cookie, connections)
            before = busy.pages_read()
            webs = [p.pid for p in processes[: len(WEB_PORTS)]]
            cpu = cpu_seconds(webs)
            found = _wrk(base + path, cookie, seconds, connections)
            cpu = cpu_seconds(webs) - cpu
            load = os.getloadavg()[0]
            read = busy.pages_read() - before
            shares = _shares(folder / "fupin.access.log")
            total = sum(shares.values()) or 1
            tag = f"{engine} {name}"
            figures += [
                Figure(BENCH, f"{tag} requests/s", found["rps"], "req/s"),
                Figure(
                    BENCH,
                    f"{tag} web CPU per request",
                    cpu / max(found["requests"], 1) * 1000,
                    "ms",
                ),
                Figure(BENCH, f"{tag} p50", found["p50"], "ms"),
                Figure(BENCH, f"{tag} p99", found["p99"], "ms", target="< 300"),
                Figure(BENCH, f"{tag} errors", found["errors"], "", target="0"),
                Figure(BENCH, f"{tag} load average (1 min)", load, ""),
                Figure(BENCH, f"{tag} OCR pages read meanwhile", read, "pages"),
            ]
            for port in WEB_PORTS:
                share = shares.get(f"127.0.0.1:{port}", 0) / total * 100
                figures.append(Figure(BENCH, f"{tag} answered by :{port}", share, "%"))
    finally:
        busy.stop.set()
        feeder.join(timeout=120)
        for process in reversed(processes):
            _stop(process)
    return figures
