"""A real browser for the key flows: Debian's Chromium driven by selenium, headless.

`./dev/test` installs chromium, chromium-driver and the WenQuanYi font when it can (root and
apt); without them these tests skip with the reason, except in CI, where they must run."""

import os
import shutil
from pathlib import Path

import pytest

SHOTS = Path(os.environ.get("FUPIN_SCREENSHOTS", "var/screenshots"))


def chrome():
    driver_path = shutil.which("chromedriver")
    browser_path = shutil.which("chromium")
    if not (driver_path and browser_path):
        reason = "没有安装 chromium 与 chromium-driver（./dev/test 以 root 运行时会自动安装）"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser_path
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--lang=zh-CN",
        "--window-size=1280,900",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(driver_path), options=options)


def shot(driver, name: str) -> Path:
    """Keep a screenshot of what the test saw, for people to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def sign_in(driver, base: str, username: str, password: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/accounts/login/")
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    from selenium.webdriver.support.ui import WebDriverWait

    # Signed in once the browser has left the sign-in page (a slow machine takes its time).
    WebDriverWait(driver, 60).until(lambda d: "/accounts/login/" not in d.current_url)


@pytest.fixture
def live_url(db):
    """The site served from a thread that shares the test's database connection, so the page
    sees the test's data inside its transaction. (A flushing live server cannot be used: the
    append-only audit trail refuses the flush.) One request at a time, as a clerk clicks."""
    import threading
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connections

    shared = connections["default"]
    shared.inc_thread_sharing()
    # As Django's own test client does: a request must not close the connection that holds
    # the test's open transaction (PostgreSQL would lose the test's data with it).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = make_server("127.0.0.1", 0, StaticFilesHandler(WSGIHandler()), handler_class=Quiet)

    def serve() -> None:
        connections["default"] = shared
        server.serve_forever(poll_interval=0.1)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(5)
    shared.dec_thread_sharing()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
