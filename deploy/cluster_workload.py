"""The test cluster's workload (run by deploy/cluster, in the root namespace, as the operator
and the people using the system): registration sheets imported through host A's web, scans
uploaded through it and read by the workers of hosts A and B, host B killed in the middle of
a job, the fixity cycle over both stores; then checks and figures.

Everything goes through the public surface (HTTP API of host A, `fupin` commands); the
database is only read, to check and to count (psycopg, no Django here)."""

import argparse
import contextlib
import http.cookiejar
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import psycopg

PASSWORD = "Fupin-Demo-2016"
SCANNER = "danwei1"  # the county poverty office's archivist: scans its items
# Townships of the demo county without households yet, each with an archivist the operator
# adds for the run (the demo has one for 城关镇 only): each sheet is all new households.
TOWNSHIPS = {"420322101": "zhen_tumen", "420322102": "zhen_shangjin"}
ADD_ARCHIVISTS = """
from fupin.accounts.roles import Role
from fupin.accounts.services import role_grant, user_create
from fupin.regions.models import Region
for code, name in {names!r}.items():
    region = Region.objects.get(code=code)
    user = user_create(actor=None, username=name, full_name=region.name + "档案员",
                       home_region=region, password={password!r}, must_change_password=False)
    role_grant(actor=None, user_id=user.pk, role=Role.TOWNSHIP_ARCHIVIST, region=region)
"""
SCAN_TEXTS = ["郧西县扶贫开发办公室", "贫困户申请书", "精准扶贫档案", "帮扶责任人", "脱贫验收表"]


class Failed(Exception):
    """The workload did not do what it must: the message says what, in Chinese."""


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


# --- the people at their browsers ------------------------------------------------------


class Browser:
    """A signed-in session against host A: cookies, the CSRF token, JSON and multipart."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _token(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def send(
        self, path: str, body: bytes | None = None, content_type: str = "", timeout: float = 300
    ) -> tuple[int, Any]:
        headers = {"X-CSRFToken": self._token(), "Referer": self.base + "/"}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode(errors="replace")

    def sign_in(self, username: str) -> None:
        self.send("/accounts/login/")
        form = f"username={username}&password={PASSWORD}&csrfmiddlewaretoken={self._token()}"
        status, _ = self.send(
            "/accounts/login/", form.encode(), "application/x-www-form-urlencoded"
        )
        if not any(c.name == "sessionid" for c in self.jar):
            raise Failed(f"{username} 未能登录主机 A（状态 {status}）")

    def upload(self, path: str, filename: str, content: bytes, fields: dict[str, str]) -> Any:
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        status, answer = self.send(
            path, b"".join(parts), f"multipart/form-data; boundary={boundary}"
        )
        if status not in (200, 201, 202):
            raise Failed(f"上传 {filename} 到 {path} 失败：{status} {str(answer)[:300]}")
        return answer

    def post_json(self, path: str, data: dict) -> Any:
        status, answer = self.send(path, json.dumps(data).encode(), "application/json")
        if status not in (200, 201, 202):
            raise Failed(f"{path} 失败：{status} {str(answer)[:300]}")
        return answer

    def get_json(self, path: str) -> Any:
        status, answer = self.send(path)
        if status != 200:
            raise Failed(f"{path} 失败：{status} {str(answer)[:300]}")
        return answer


# --- watching /healthz all along ---------------------------------------------------------


@dataclass
class Health:
    base: str
    probes: int = 0
    failures: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=10) as response:
                    response.read()
            except urllib.error.HTTPError as exc:
                self.failures.append(f"{time.strftime('%H:%M:%S')} {exc.code} {exc.read()[:200]!r}")
            except OSError as exc:
                self.failures.append(f"{time.strftime('%H:%M:%S')} {exc}")
            self.probes += 1
            self.stop.wait(1)


# --- the data ----------------------------------------------------------------------------


def scan_pdf(texts: list[str]) -> bytes:
    """A scanner's PDF: image pages with one line of Chinese each, no text layer."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    font_file = resources.files("paperang_p2_fonts_cjk").joinpath("fonts/wqy-microhei.ttc")
    with resources.as_file(font_file) as path:
        font = ImageFont.truetype(str(path), 44)
    out = io.BytesIO()
    doc = canvas.Canvas(out)
    for text in texts:
        image = Image.new("RGB", (900, 300), "white")
        ImageDraw.Draw(image).text((50, 110), text, font=font, fill="black")
        width, height = 900 * 72 / 150, 300 * 72 / 150
        doc.setPageSize((width, height))
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        buffer.seek(0)
        doc.drawImage(ImageReader(buffer), 0, 0, width, height)
        doc.showPage()
    doc.save()
    return out.getvalue()


def fupin(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "fupin.cli", *args], capture_output=True, text=True, timeout=1800
    )
    if done.returncode != 0:
        raise Failed(f"fupin {' '.join(args)} 失败：{done.stderr.strip()[-800:]}")
    return done.stdout


# --- the run -----------------------------------------------------------------------------


class Run:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.db = psycopg.connect(args.db, autocommit=True)
        self.work = Path(args.work)
        self.figures: list[tuple[str, str]] = []
        self.health = Health(args.base)
        self.killed_at = 0.0

    def one(self, sql: str, params: tuple = ()) -> Any:
        return self.db.execute(sql, params).fetchone()

    def all(self, sql: str, params: tuple = ()) -> list[tuple]:
        return self.db.execute(sql, params).fetchall()

    def figure(self, name: str, value: Any) -> None:
        self.figures.append((name, str(value)))

    def wait(self, what: str, check, timeout: float, every: float = 1.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = check()
            if found:
                return found
            time.sleep(every)
        raise Failed(f"等待超时（{timeout:.0f} 秒）：{what}")

    def hosts_of_tasks(self, path_part: str, since: float) -> dict[str, int]:
        rows = self.all(
            """SELECT coalesce(b.host, '?'), count(*)
                 FROM django_tasks_database_dbtaskresult r
                 LEFT JOIN worker_workerbeat b ON b.worker_id = r.worker_ids ->> -1
                WHERE r.task_path LIKE %s AND r.status = 'SUCCESSFUL'
                  AND r.enqueued_at >= to_timestamp(%s)
                GROUP BY 1 ORDER BY 1""",
            (f"%{path_part}%", since),
        )
        return dict(rows)

    # 1. registration sheets through the web, previewed and applied by the workers
    def imports(self) -> None:
        per_sheet = 150 * self.args.scale
        fupin("manage", "shell", "-c", ADD_ARCHIVISTS.format(names=TOWNSHIPS, password=PASSWORD))
        sheets = []
        for township in TOWNSHIPS:
            out = self.work / f"建档立卡-{township}.xlsx"
            fupin(
                "demo", "generate", "households", "--township", township,
                "--households", str(per_sheet), "--seed", township[-3:], "--out", str(out),
            )  # fmt: skip
            sheets.append((township, out))
        before = self.one("SELECT count(*) FROM households_household")[0]
        browsers = []
        for township in TOWNSHIPS:
            browsers.append(Browser(self.args.base))
            browsers[-1].sign_in(TOWNSHIPS[township])
        started = time.time()
        jobs = []
        for browser, (_, sheet) in zip(browsers, sheets, strict=True):
            job = browser.upload(
                "/api/v1/households/import/preview", sheet.name, sheet.read_bytes(),
                {"skip_invalid": "true"},
            )  # fmt: skip
            jobs.append(job)
        say(f"已上传 {len(jobs)} 张建档立卡表（各 {per_sheet} 户），等待后台预览……")
        # Both previews run at once (one on each worker, as it happens); the imports are
        # confirmed one after the other: the generator gives the two townships some of the
        # same ID numbers, so the second sheet's plan changes when the first is imported and
        # its confirmation is refused (预览之后…已有变化) — then it is previewed again and
        # confirmed, as the page tells a clerk to do.
        previews = [self.previewed(b, job) for b, job in zip(browsers, jobs, strict=True)]
        say("两张表的预览均已完成，逐张确认导入……")
        imported = rows = skipped = again = 0
        for browser, (_, sheet), job in zip(browsers, sheets, previews, strict=True):
            done = self.applied(browser, job)
            if done is None:
                again += 1
                fresh = browser.upload(
                    "/api/v1/households/import/preview", sheet.name, sheet.read_bytes(),
                    {"skip_invalid": "true"},
                )  # fmt: skip
                done = self.applied(browser, self.previewed(browser, fresh))
                if done is None:
                    raise Failed(f"{sheet.name} 重新预览后仍被拒绝导入")
            report = done["report"]
            if not report["applied"]:
                raise Failed(f"{sheet.name} 的导入任务已完成，却未写入（applied=false）：{report}")
            imported += report["imported_households"]
            rows += report["rows"]
            # Rows the generator got wrong (an ID number already registered elsewhere) are
            # left out, as a county would with --skip-invalid.
            skipped += report["error_rows"]
        seconds = time.time() - started
        after = self.one("SELECT count(*) FROM households_household")[0]
        if after - before != imported or imported < per_sheet * len(sheets) * 0.9:
            raise Failed(
                f"导入后新增 {after - before} 户，导入报告 {imported} 户，"
                f"表中 {per_sheet * len(sheets)} 户"
            )
        hosts = self.hosts_of_tasks("households_import_job", started)
        self.figure(
            "建档立卡导入：户数 / 人行",
            f"{after - before} 户 / {rows} 行（生成器出错、跳过的行 {skipped}；"
            f"确认时因数据已变而重新预览 {again} 次）",
        )
        self.figure("建档立卡导入：上传→两表写完", f"{seconds:.1f} 秒，{rows / seconds:.0f} 行/秒")
        self.figure("建档立卡导入：任务所在主机", json.dumps(hosts, ensure_ascii=False))
        self.index(browsers[0])

    def index(self, browser: Browser) -> None:
        """The import queued its index changes; a search hands a large backlog to the workers
        (fupin/search/selectors.py), which apply it."""
        pending = self.one("SELECT count(*) FROM search_pending")[0]
        started = time.time()
        browser.get_json("/api/v1/search/?q=" + urllib.parse.quote("帮扶"))
        self.wait(
            "检索索引补入导入的改动",
            lambda: self.one("SELECT count(*) FROM search_pending")[0] == 0,
            1800,
            1,
        )
        hosts = self.hosts_of_tasks("search_sync_task", started)
        self.figure(
            "检索索引：导入后的改动补入",
            f"{pending} 条，{time.time() - started:.1f} 秒，"
            f"任务所在主机 {json.dumps(hosts, ensure_ascii=False)}",
        )

    def previewed(self, browser: Browser, job: dict) -> dict:
        url = f"/api/v1/households/import/jobs/{job['token']}"

        def check() -> Any:
            found = browser.get_json(url)
            if found["state"] == "failed":
                raise Failed(f"预览失败：{found['error']}")
            return found if found["state"] == "done" else None

        return self.wait("建档立卡表预览", check, 1800, 1)

    def applied(self, browser: Browser, job: dict) -> dict | None:
        """The confirmed import's finished job, or None when it was refused because the
        registry changed since its preview."""
        url = f"/api/v1/households/import/jobs/{job['token']}"
        browser.post_json(f"{url}/apply", {"digest": job["report"]["digest"]})

        def check() -> Any:
            found = browser.get_json(url)
            if found["state"] == "failed":
                if "预览之后" in found["error"]:
                    return {"refused": True}
                raise Failed(f"导入失败：{found['error']}")
            return found if found["stage"] == "apply" and found["state"] == "done" else None

        found = self.wait("建档立卡表导入", check, 3600, 1)
        return None if found.get("refused") else found

    # 2. scans through the web, OCR on both workers; 3. host B killed mid-job
    def scans(self) -> None:
        items = [
            row[0]
            for row in self.all(
                "SELECT id FROM records_recorditem WHERE unit_id = "
                "(SELECT unit_id FROM records_recorditem "
                "GROUP BY unit_id ORDER BY count(*) LIMIT 1) "
                "ORDER BY id"
            )
        ]
        count = 6 * self.args.scale
        browser = Browser(self.args.base)
        browser.sign_in(SCANNER)
        self.scans_started = time.time()
        job_ids = []
        for n in range(count):
            texts = [SCAN_TEXTS[(n + k) % len(SCAN_TEXTS)] + f"第{k + 1}页" for k in range(3)]
            item = items[n % len(items)]
            done = browser.upload(
                f"/api/v1/scans/items/{item}/files", f"扫描件-{n + 1}.pdf", scan_pdf(texts), {}
            )
            job_ids.append(done["job"]["id"])
        self.job_ids = sorted(set(job_ids))
        self.uploaded_at = time.time()
        say(
            f"已上传 {count} 份扫描件（各 3 页），识别任务 {len(self.job_ids)} 个，"
            "等待主机 B 接手一个……"
        )

        def b_mid_job() -> Any:
            # Once B has finished a job of its own and is half-way through another.
            return self.one(
                """SELECT id, pages_done, pages_total FROM scans_scanjob
                    WHERE status = 'running' AND worker LIKE 'fupin-host-b:%%'
                      AND pages_done >= 1 AND pages_done < pages_total
                      AND EXISTS (SELECT 1 FROM scans_scanjob d WHERE d.id = ANY(%s)
                                  AND d.status = 'done' AND d.worker LIKE 'fupin-host-b:%%')
                    ORDER BY id LIMIT 1""",
                (self.job_ids,),
            )

        victim = self.wait("主机 B 做完一个识别任务、正做下一个", b_mid_job, 1800, 0.3)
        self.kill_host_b()
        self.victim = victim[0]
        say(f"主机 B 已在识别任务 {victim[0]} 进行到 {victim[1]}/{victim[2]} 页时被强行停止。")

        def all_done() -> bool:
            left = self.one(
                "SELECT count(*) FILTER (WHERE status <> 'done'), "
                "count(*) FILTER (WHERE status = 'failed') FROM scans_scanjob WHERE id = ANY(%s)",
                (self.job_ids,),
            )
            if left[1]:
                raise Failed(f"{left[1]} 个识别任务失败")
            return left[0] == 0

        self.wait("全部识别任务完成", all_done, 3600, 2)
        finished = time.time()
        job = self.one(
            "SELECT worker, extract(epoch FROM finished_at), attempts "
            "FROM scans_scanjob WHERE id = %s",
            (self.victim,),
        )
        if not job[0].startswith("fupin-host-a:"):
            raise Failed(f"被停止主机上的任务 {self.victim} 最后由 {job[0]} 完成，应由主机 A 接管")
        unread = self.one(
            "SELECT count(*) FROM scans_scanpage p WHERE p.item_id IN "
            "(SELECT item_id FROM scans_scanjob WHERE id = ANY(%s)) AND p.text = ''",
            (self.job_ids,),
        )[0]
        if unread:
            raise Failed(f"{unread} 页扫描没有识别出文字")
        by_host = dict(
            self.all(
                "SELECT split_part(worker, ':', 1), count(*) FROM scans_scanjob "
                "WHERE id = ANY(%s) AND status = 'done' GROUP BY 1",
                (self.job_ids,),
            )
        )
        total_pages = self.one(
            "SELECT sum(pages_total) FROM scans_scanjob WHERE id = ANY(%s)", (self.job_ids,)
        )[0]
        seconds = finished - self.uploaded_at
        self.figure(
            "扫描识别：任务 / 页", f"{len(self.job_ids)} 个 / {total_pages} 页（全部有文字）"
        )
        self.figure(
            "扫描识别：上传完→全部识别完", f"{seconds:.1f} 秒，{total_pages / seconds:.2f} 页/秒"
        )
        self.figure("扫描识别：完成任务的主机", json.dumps(by_host, ensure_ascii=False))
        self.figure(
            "主机 B 被停止：其任务由主机 A 接管并完成",
            f"任务 {self.victim}，停止后 {float(job[1]) - self.killed_at:.1f} 秒完成"
            f"（第 {job[2]} 次尝试）",
        )

    def kill_host_b(self) -> None:
        """What a power cut does: every process of host B stops at once, its link goes dark."""
        found = subprocess.run(
            ["ip", "netns", "pids", self.args.kill_ns], capture_output=True, text=True, check=True
        ).stdout.split()
        for pid in found:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)
        subprocess.run(["ip", "link", "set", self.args.kill_link, "down"], check=True)
        self.killed_at = time.time()

    # 4. the fixity cycle: every object read through in both stores, runs on both workers
    def fixity(self) -> None:
        since = self.uploaded_at
        objects = self.one("SELECT count(*), coalesce(sum(size), 0) FROM objects_storedobject")

        def all_checked() -> bool:
            left = self.one(
                "SELECT count(*) FROM objects_storedobject "
                "WHERE fixity_checked_at IS NULL OR fixity_checked_at < to_timestamp(%s)",
                (since,),
            )[0]
            return left == 0

        self.wait("全部电子文件完成固定性检查", all_checked, 1800, 2)
        problems = self.one("SELECT count(*) FROM objects_storedobject WHERE fixity_problem <> ''")[
            0
        ]
        if problems:
            raise Failed(f"{problems} 个电子文件固定性检查不通过")
        self.figure(
            "固定性检查：电子文件（两处存储）",
            f"{objects[0]} 个，{objects[1] / 1024 / 1024:.1f} MB，全部在上传后重新核对通过",
        )

    def beats_sampler(self) -> None:
        """Which host ran each fixity run (the beat row names the last runner)."""
        self.fixity_runs: dict[int, str] = {}
        while not self.health.stop.is_set():
            try:
                row = self.one(
                    "SELECT runs, host FROM worker_beatrun WHERE name = 'objects.fixity'"
                )
                if row:
                    self.fixity_runs[row[0]] = row[1]
            except psycopg.Error:
                pass
            self.health.stop.wait(0.5)

    def main(self) -> int:
        threads = [
            threading.Thread(target=self.health.run, daemon=True),
            threading.Thread(target=self.beats_sampler, daemon=True),
        ]
        for thread in threads:
            thread.start()
        started = time.time()
        load_before = os.getloadavg()
        try:
            say("1/4 建档立卡表经主机 A 网页上传，后台预览并导入")
            self.imports()
            say("2/4 扫描件经主机 A 上传，两台主机识别；3/4 主机 B 中途被停止")
            self.scans()
            say("4/4 固定性检查（两处存储）")
            self.fixity()
        finally:
            self.health.stop.set()
            for thread in threads:
                thread.join(timeout=15)
        hosts: dict[str, int] = {}
        for host in self.fixity_runs.values():
            hosts[host] = hosts.get(host, 0) + 1
        self.figure("固定性检查：各主机运行次数（抽样）", json.dumps(hosts, ensure_ascii=False))
        pending = self.one("SELECT count(*) FROM search_pending")[0]
        self.figure("检索索引：结束时队列中（稍后补入）", pending)
        self.figure(
            "主机 A /healthz", f"{self.health.probes} 次探测，失败 {len(self.health.failures)} 次"
        )
        self.figure("总用时", f"{time.time() - started:.1f} 秒")
        self.figure(
            "负载（1/5/15 分钟）",
            f"开始 {load_before[0]:.2f}/{load_before[1]:.2f}/{load_before[2]:.2f}，"
            f"结束 {'/'.join(f'{x:.2f}' for x in os.getloadavg())}，{os.cpu_count()} 核",
        )
        print(f"\n== 测试集群结果（规模 {self.args.scale}） ==")
        width = max(len(name) for name, _ in self.figures)
        for name, value in self.figures:
            print(f"  {name.ljust(width)}  {value}")
        if self.health.failures:
            print("  /healthz 失败：")
            for line in self.health.failures[:10]:
                print(f"    {line}")
            raise Failed("主机 A 的 /healthz 在运行中失败过")
        return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="测试集群的工作负载（由 deploy/cluster 调用）")
    parser.add_argument("--base", required=True, help="主机 A 的网址")
    parser.add_argument("--db", required=True, help="只读核对用的数据库地址")
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--work", required=True, help="工作目录")
    parser.add_argument("--kill-ns", required=True, help="要停止的主机（网络命名空间）")
    parser.add_argument("--kill-link", required=True, help="该主机在根命名空间一侧的网卡")
    args = parser.parse_args()
    if args.scale < 1:
        parser.error("--scale 必须是正整数")
    try:
        return Run(args).main()
    except Failed as exc:
        print(f"\n测试集群未通过：{exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
