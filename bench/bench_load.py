"""Pages under load: `fupin serve` (gunicorn) on the demo county, signed in as the county
poverty office (the widest home page of the demo), and Debian's `wrk` for
FUPIN_BENCH_LOAD_SECONDS (default 60) at FUPIN_BENCH_LOAD_CONNECTIONS (default 50) on the
home page, a search, the household list and an item page, one after the other
(FUPIN_BENCH_LOAD_PAGES=home,item for some of them), each after a warm-up (`warm_up`). Figures per
page: requests/s, latency p50 / p99, errors (non-2xx/3xx answers and socket errors), and the
machine's load average when the page's run ended, and the CPU time the web processes spent per
request (user + system, from /proc: unlike the latencies, it hardly moves when other work shares
the cores, so it compares code before and after on a busy machine), and the busiest web process's
share of that CPU (how evenly the connections spread). Target: no errors, p99 < 300 ms.

Needs `wrk` (Debian: `apt-get install wrk`); without it the benchmark says so and skips.
"""

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench.common import Figure, scratch_dir

BENCH = "load"
PORT = int(os.environ.get("FUPIN_BENCH_LOAD_PORT", "8132"))
USER = os.environ.get("FUPIN_BENCH_LOAD_USER", "fupinban")
ROOT = Path(__file__).resolve().parent.parent


def _demo() -> None:
    from fupin.demo.services import DEMO_COUNTY, demo_load
    from fupin.regions.models import Unit

    if not Unit.objects.filter(region__code__startswith=DEMO_COUNTY).exists():
        print("载入示范县（首次约 2–3 分钟）……", file=sys.stderr)
        demo_load(actor=None)
    # The index as a worker would have brought it up to date: a search of a demo whose changes
    # are still queued finds nothing and measures only the notice saying so.
    from fupin.search.services import search_sync

    search_sync(actor=None)


def _pages() -> dict[str, str]:
    from fupin.records.models import RecordItem

    item = RecordItem.objects.filter(reference_code__isnull=False).order_by("pk").first()
    assert item is not None, "示范数据中没有已归档的文件"
    pages = {
        "home": "/",
        "search": "/search/?q=" + urllib.parse.quote("扶贫"),
        "households": "/households/",
        "item": f"/records/items/{item.pk}/",
    }
    # FUPIN_BENCH_LOAD_PAGES=home,item: only these (comparing one page before and after).
    chosen = [p for p in os.environ.get("FUPIN_BENCH_LOAD_PAGES", "").split(",") if p]
    return {k: v for k, v in pages.items() if k in chosen} if chosen else pages


def _server(log: Path) -> subprocess.Popen:
    env = os.environ | {"FUPIN_DEMO": "1"}
    env.pop("FUPIN_TESTING", None)
    command = [sys.executable, "-m", "fupin.cli", "serve", "--bind", f"127.0.0.1:{PORT}"]
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", PORT)) == 0:
                return process
        time.sleep(0.3)
    raise RuntimeError(f"网页服务未能启动，见 {log}")


def _session(base: str) -> str:
    from fupin.demo.services import DEMO_PASSWORD

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(base + "/accounts/login/").read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    form = {"username": USER, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
    request = urllib.request.Request(
        base + "/accounts/login/",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Referer": base + "/"},
    )
    opener.open(request).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def _check(base: str, cookie: str, path: str) -> None:
    """The page answers 200 to this session (a redirect to the login would count as success
    for wrk)."""
    request = urllib.request.Request(base + path, headers={"Cookie": cookie})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    with urllib.request.build_opener(NoRedirect()).open(request) as response:
        assert response.status == 200, (path, response.status)


def _ms(text: str) -> float:
    """wrk's durations ("812.50us", "1.20ms", "2.01s", "1.00m"); NaN when it printed none
    (no request finished)."""
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if found is None:
        return float("nan")
    number, unit = found.groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def cpu_by_process(roots: list[int]) -> dict[int, float]:
    """User + system CPU seconds of these processes and their children (gunicorn's master and
    its workers), each as far as it has run until now."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        pid, ppid = int(stat.parent.name), int(fields[1])
        if pid in roots or ppid in roots:
            found[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return found


def cpu_seconds(roots: list[int]) -> float:
    return sum(cpu_by_process(roots).values())


def busiest_share(before: dict[int, float], after: dict[int, float]) -> float:
    """The busiest web process's share of the web processes' CPU during a run, in per cent:
    a process holds the connections it accepted, and its GIL lets it use one core at most, so
    a share far above 1 / processes means connections spread unevenly and a core idled."""
    spent = [after[pid] - before.get(pid, 0.0) for pid in after]
    return 100 * max(spent) / max(sum(spent), 1e-9)


def warm_up(url: str, cookie: str, connections: int) -> None:
    """FUPIN_BENCH_LOAD_WARMUP seconds (default 5) of the same load before the measured run,
    not counted: every web process and thread opens its database connection, compiles its
    templates and fills its page cache first, as a server in service has long done. Without
    it the first requests (seconds each while all of them start at once on a busy machine)
    made the whole p99 of a short run."""
    seconds = int(os.environ.get("FUPIN_BENCH_LOAD_WARMUP", "5"))
    if seconds > 0:
        subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-H", f"Cookie: {cookie}", url],
            capture_output=True, check=True,
        )  # fmt: skip


def _wrk(url: str, cookie: str, seconds: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
         "-H", f"Cookie: {cookie}", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    print(out, file=sys.stderr)
    found = {
        "requests": float(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
        "errors": 0.0,
    }
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        found["errors"] += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    ):
        found["errors"] += sum(int(n) for n in match.groups())
    return found


def run() -> list[Figure]:
    if shutil.which("wrk") is None:
        print(
            "需要 wrk（Debian/Ubuntu：apt-get install wrk），未安装，跳过 load。", file=sys.stderr
        )
        return []
    _demo()
    pages = _pages()
    seconds = int(os.environ.get("FUPIN_BENCH_LOAD_SECONDS", "60"))
    connections = int(os.environ.get("FUPIN_BENCH_LOAD_CONNECTIONS", "50"))
    engine = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    log = scratch_dir(BENCH) / "serve.log"
    server = _server(log)
    figures: list[Figure] = []
    try:
        base = f"http://127.0.0.1:{PORT}"
        cookie = _session(base)
        for name, path in pages.items():
            _check(base, cookie, path)
            warm_up(base + path, cookie, connections)
            before = cpu_by_process([server.pid])
            found = _wrk(base + path, cookie, seconds, connections)
            after = cpu_by_process([server.pid])
            cpu = sum(after.values()) - sum(before.values())
            load = os.getloadavg()[0]
            tag = f"{engine} {name}"
            per_request = cpu / max(found["requests"], 1) * 1000
            figures += [
                Figure(BENCH, f"{tag} requests/s", found["rps"], "req/s"),
                Figure(BENCH, f"{tag} CPU per request", per_request, "ms"),
                Figure(
                    BENCH, f"{tag} busiest process's CPU share", busiest_share(before, after), "%"
                ),
                Figure(BENCH, f"{tag} p50", found["p50"], "ms"),
                Figure(BENCH, f"{tag} p99", found["p99"], "ms", target="< 300"),
                Figure(BENCH, f"{tag} errors", found["errors"], "", target="0"),
                Figure(BENCH, f"{tag} load average (1 min)", load, ""),
            ]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return figures
