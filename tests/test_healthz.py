"""/healthz for the reverse proxy: 200 when the database and every object store answer, 503
naming what failed; no sign-in; and the one-line logs with the request id (FUPIN_LOG_FORMAT).
The S3 store is a real S3-protocol server (moto's server mode, tests/objects_stores.py)."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.test import Client

from fupin.objects.storeconf import FS_BACKEND, replica_storage
from tests.objects_stores import S3_KEYS, s3_bucket, s3_server  # noqa: F401
from tests.procs import ROOT, start, stop, wait_for

# The deploy stream's ports (8190–8199).
UNUSED_PORTS = range(8191, 8195)
SERVE_PORTS = range(8195, 8199)


def _free(ports: range) -> int:
    for port in ports:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    pytest.fail(f"127.0.0.1:{ports.start}–{ports.stop - 1} 都被占用。")


@pytest.fixture
def s3_endpoint(request) -> str:
    return request.getfixturevalue("s3_server")


def _s3_replica(settings, endpoint: str, bucket: str) -> None:
    entry = replica_storage(
        {
            "FUPIN_REPLICA_S3_BUCKET": bucket,
            "FUPIN_REPLICA_S3_ENDPOINT": endpoint,
            "FUPIN_REPLICA_S3_ACCESS_KEY": S3_KEYS["access_key"],
            "FUPIN_REPLICA_S3_SECRET_KEY": S3_KEYS["secret_key"],
            "FUPIN_REPLICA_S3_REGION": "us-east-1",
        }
    )
    settings.STORAGES = {**settings.STORAGES, "replica": entry}


def _probe(host: str = "testserver"):
    response = Client().get("/healthz", HTTP_HOST=host)
    return response.status_code, response.json(), response


@pytest.fixture
def disk_store(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": FS_BACKEND, "OPTIONS": {"location": str(tmp_path / "media")}},
    }
    return tmp_path


def test_healthy_answers_200_without_sign_in_even_by_address(db, disk_store):
    # A proxy probes each backend by its address, which is not a served host name.
    status, body, response = _probe(host="10.77.0.2:8000")
    assert status == 200, body
    assert body["status"] == "ok" and body["failed"] == []
    assert body["checks"]["database"]["ok"] and body["checks"]["primary"]["ok"]
    assert "数据库" in body["message"] and "主存储" in body["message"]
    assert not response.cookies, "健康检查不应建立会话"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Request-ID"]


def test_store_that_cannot_be_reached_is_named_with_503(db, settings, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the store's folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": FS_BACKEND, "OPTIONS": {"location": str(blocker / "media")}},
    }
    status, body, _ = _probe()
    assert status == 503
    assert body["status"] == "fail" and body["failed"] == ["primary"]
    assert body["checks"]["database"]["ok"]
    assert body["checks"]["primary"]["error"] == "存储目录不存在且无法创建"
    assert "主存储" in body["message"]
    assert str(tmp_path) not in json.dumps(body), "路径只写日志，不对外"


def test_only_get_and_head(db, disk_store):
    response = Client().post("/healthz")
    assert response.status_code == 405
    assert "GET" in response.json()["detail"]
    assert Client().head("/healthz").status_code == 200


def test_s3_replica_on_a_real_s3_server(db, settings, disk_store, s3_endpoint):
    _s3_replica(settings, s3_endpoint, s3_bucket(s3_endpoint))
    status, body, _ = _probe()
    assert status == 200, body
    assert body["checks"]["replica"] == {
        "ok": True,
        "kind": "s3",
        "ms": body["checks"]["replica"]["ms"],
    }
    assert "第二存储" in body["message"]


def test_missing_bucket_is_a_failed_replica(db, settings, disk_store, s3_endpoint):
    _s3_replica(settings, s3_endpoint, "no-such-bucket-" + uuid.uuid4().hex[:8])
    status, body, _ = _probe()
    assert status == 503
    assert body["failed"] == ["replica"]
    assert body["checks"]["replica"]["error"] == "存储桶不存在"


def test_s3_server_down_fails_fast(db, settings, disk_store):
    port = _free(UNUSED_PORTS)  # nothing listens there
    _s3_replica(settings, f"http://127.0.0.1:{port}", "fupin")
    started = time.monotonic()
    status, body, _ = _probe()
    assert time.monotonic() - started < settings.FUPIN_HEALTH_SECONDS + 2
    assert status == 503 and body["failed"] == ["replica"]
    assert body["checks"]["replica"]["error"] == "无法连接存储服务"


def _serve_env(folder: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.pop("DATABASE_URL", None)  # the log lines do not depend on the database
    env.pop("FUPIN_TESTING", None)
    env.update(
        FUPIN_DATA_DIR=str(folder),
        FUPIN_SECRET_KEY="health-test",
        FUPIN_AUDIT_KEY="t1:" + "ab" * 32,
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="fupin.settings",
        **extra,
    )
    return env


def _get(url: str, headers: dict[str, str]) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0  # not listening yet


@pytest.mark.parametrize("kind", ["kv", "json"])
def test_served_requests_log_one_line_with_the_request_id(tmp_path, kind):
    port = _free(SERVE_PORTS)
    log = tmp_path / "serve.log"
    server = start(
        _serve_env(tmp_path, FUPIN_LOG_FORMAT=kind),
        "serve",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        log=log,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: _get(f"{base}/healthz", {}) == 200, 60, "网页服务启动")
        assert (
            _get(f"{base}/accounts/login/?q=420322199001011234", {"X-Request-ID": "req-42"}) == 200
        )
        # A request id a client made up with spaces or quotes is replaced, never logged as is.
        assert _get(f"{base}/accounts/login/", {"X-Request-ID": 'x" evil=1'}) == 200
    finally:
        stop(server)
    lines = log.read_text().splitlines()
    mine = [line for line in lines if "req-42" in line]
    assert len(mine) == 1, lines
    assert "420322199001011234" not in log.read_text(), "查询串（可能含身份证号）不应写入日志"
    assert "evil" not in log.read_text()
    if kind == "json":
        event = json.loads(mine[0])
        assert event["rid"] == "req-42" and event["status"] == 200
        assert event["path"] == "/accounts/login/" and event["logger"] == "fupin.request"
        assert all(json.loads(line) for line in lines if line.startswith("{"))
        booted = [json.loads(line) for line in lines if "gunicorn" in line]
        assert booted, "gunicorn 自身的日志也应是一行 JSON"
    else:
        assert " rid=req-42 " in mine[0] and " status=200 " in mine[0]
        assert " path=/accounts/login/ " in mine[0]
        assert any(line.startswith("ts=") and "logger=gunicorn.error" in line for line in lines)


def test_database_unreachable_is_named_with_503(tmp_path):
    # A served installation whose database cannot be opened: SQLite's file is a folder, or
    # PostgreSQL's port has no server behind it.
    extra = {}
    if os.environ.get("DATABASE_URL"):
        extra["DATABASE_URL"] = (
            f"postgres://postgres@127.0.0.1:{_free(range(8199, 8200))}/fupin_deploy_x"
        )
    else:
        (tmp_path / "fupin.sqlite3").mkdir()
    port = _free(SERVE_PORTS)
    server = start(
        _serve_env(tmp_path, **extra),
        "serve",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        log=tmp_path / "serve.log",
    )
    try:
        url = f"http://127.0.0.1:{port}/healthz"
        wait_for(lambda: _get(url, {}) == 503, 60, "网页服务启动")
        with pytest.raises(urllib.error.HTTPError) as failed:
            urllib.request.urlopen(url, timeout=30)
        body = json.loads(failed.value.read())
    finally:
        stop(server)
    assert body["failed"] == ["database"]
    assert body["checks"]["database"]["error"] == "无法连接数据库或查询失败"
    assert body["checks"]["primary"]["ok"]
    assert "数据库" in body["message"]
    logged = (tmp_path / "serve.log").read_text()
    assert "健康检查失败" in logged and "check=database" in logged


def test_unknown_log_format_is_refused_in_chinese(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "fupin.cli", "worker", "status", "--json"],
        env=_serve_env(tmp_path, FUPIN_LOG_FORMAT="xml"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "FUPIN_LOG_FORMAT“xml”无效" in done.stderr
