"""While another process holds a long write (a CLI import: on SQLite the database's write
lock, on PostgreSQL the audit chain's head), other people's pages still open — the session's
expiry renewal and the search queue wait for a better moment — and a write of theirs (a
sign-in) answers a clear Chinese 503 "系统繁忙，请稍后重试", never a 500; once the import
ends, everything works again."""

import subprocess
import sys
import time

from tests.procs import ROOT, Browser, helper, installation, on_postgres, serve, stop

PORT = 8131


def hold(env, seconds: int) -> subprocess.Popen:
    kind = "hold-pg" if on_postgres() else "hold-sqlite"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.proc_helper", kind, str(seconds)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    return process


def test_pages_answer_while_a_long_write_holds_the_database(tmp_path):
    env = installation(tmp_path / "site", FUPIN_DB_WAIT_SECONDS="3")
    helper(env, "personas", "cun_a", "cun_b")
    server = serve(env, PORT, tmp_path / "serve.log")
    try:
        reader = Browser(f"http://127.0.0.1:{PORT}")
        assert reader.sign_in("cun_a", "Fupin-Test-2016!") == 302
        holder = hold(env, 20)
        try:
            started = time.monotonic()
            for path in (
                "/",
                "/search/?q=%E6%89%B6%E8%B4%AB",
                "/households/",
                "/custody/",
                "/regions/",
            ):
                status, text = reader.get(path)
                assert status == 200, (path, status, text[:300])
            late = Browser(f"http://127.0.0.1:{PORT}")
            late.get("/accounts/login/")
            status, text = late.post(
                "/accounts/login/", {"username": "cun_b", "password": "Fupin-Test-2016!"}
            )
            assert status == 503 and "系统繁忙，请稍后重试" in text, (status, text[:300])
            assert time.monotonic() - started < 18, "the pages waited for the whole import"
        finally:
            holder.wait(timeout=60)
        assert late.sign_in("cun_b", "Fupin-Test-2016!") == 302
        assert late.get("/")[0] == 200
    finally:
        stop(server)
    log = (tmp_path / "serve.log").read_text()
    # One line per failed request (fupin/core/logs.py), logged at any log level.
    assert "status=500" not in log and "Internal Server Error" not in log, log[-3000:]
