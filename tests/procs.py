"""A real installation for tests that run `fupin worker` or `fupin serve` as processes:
its own SQLite file, or its own PostgreSQL database when the suite runs on PostgreSQL
(`<name>_proc`, made afresh). The test database of pytest-django lives inside one rolled-back
transaction, which other processes cannot see."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dj_database_url

ROOT = Path(__file__).resolve().parent.parent


def on_postgres() -> bool:
    return bool(os.environ.get("DATABASE_URL"))


def installation(folder: Path, **extra: str) -> dict[str, str]:
    """Environment of a fresh installation, migrated."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        FUPIN_DATA_DIR=str(folder),
        FUPIN_TESTING="1",
        FUPIN_DEMO="1",
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="fupin.settings",
        **extra,
    )
    if on_postgres():
        env["DATABASE_URL"] = _fresh_pg_database()
    fupin(env, "setup", timeout=600)
    return env


def _fresh_pg_database() -> str:
    import psycopg

    url = os.environ["DATABASE_URL"]
    parsed = dj_database_url.parse(url)
    name = f"{parsed['NAME']}_proc"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + f"/{name}"


def pg_admin(env: dict[str, str], *statements: str) -> None:
    """Statements run on the maintenance database about the installation's database."""
    import psycopg

    name = env["DATABASE_URL"].rsplit("/", 1)[1]
    admin = env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement.replace("{db}", name))


def fupin(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "fupin.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def helper(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tests.proc_helper", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


def start(env: dict[str, str], *args: str, log: Path) -> subprocess.Popen:
    handle = log.open("w")
    return subprocess.Popen(
        [sys.executable, "-m", "fupin.cli", *args],
        env=env,
        cwd=ROOT,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> int:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            return process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    return process.wait()


def wait_for(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"等待超时：{what}")


class Browser:
    """A signed-in person's browser against a real server: cookies, the CSRF token, and
    redirects reported (not followed)."""

    def __init__(self, base: str) -> None:
        import http.cookiejar
        import urllib.request

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: Any, **kwargs: Any) -> None:
                return None

        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def _send(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        import urllib.error
        import urllib.parse
        import urllib.request

        body = None
        headers = {"Referer": self.base + "/"}
        if data is not None:
            token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
            body = urllib.parse.urlencode(data | {"csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")

    def get(self, path: str) -> tuple[int, str]:
        return self._send(path)

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str]:
        return self._send(path, data)

    def sign_in(self, username: str, password: str) -> int:
        self.get("/accounts/login/")
        status, _ = self.post("/accounts/login/", {"username": username, "password": password})
        return status


def serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    server = start(env, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2", log=log)
    import socket

    def listening() -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    wait_for(listening, 60, "网页服务启动")
    return server
