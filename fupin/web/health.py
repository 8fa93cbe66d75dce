"""GET /healthz for the reverse proxy and the operators' monitoring: 200 when the database and
every object store answer, 503 naming what failed. No sign-in, no session, no template: it is
answered before the rest of the middleware, so a proxy may probe a backend by its address
(Host not in FUPIN_ALLOWED_HOSTS). The reasons are short Chinese categories; the details,
which may name hosts, go to the log only."""

import concurrent.futures
import logging
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

from fupin.objects.reach import Reach, store_reach, store_reach_prepare
from fupin.objects.stores import STORE_LABELS, store_keys

PATH = "/healthz"
LABELS = {"database": "数据库", **STORE_LABELS}
log = logging.getLogger("fupin.health")
# Store checks run side by side and are waited for at most FUPIN_HEALTH_SECONDS; a store that
# hangs (a dead network share) leaves its thread behind, never the request.
_pool = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="healthz")


def _database() -> Reach:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return Reach(False, connection.vendor, "无法连接数据库或查询失败", repr(exc))
    return Reach(True, connection.vendor)


def _timed(check: Callable[[], Reach]) -> tuple[Reach, float]:
    started = time.perf_counter()
    found = check()
    return found, round((time.perf_counter() - started) * 1000, 1)


def health_checks() -> dict[str, dict[str, Any]]:
    seconds = settings.FUPIN_HEALTH_SECONDS
    futures = {
        key: _pool.submit(_timed, partial(store_reach, key, seconds)) for key in store_keys()
    }
    results: dict[str, tuple[Reach, float]] = {"database": _timed(_database)}
    # The stores' own timeouts are `seconds`; a second more for the threads to be scheduled
    # on a busy machine.
    deadline = time.monotonic() + seconds + 1
    for key, future in futures.items():
        try:
            results[key] = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except concurrent.futures.TimeoutError:
            results[key] = (Reach(False, "?", f"检查超时（超过 {seconds:g} 秒）"), seconds * 1000)
    checks = {}
    for key, (found, ms) in results.items():
        checks[key] = {"ok": found.ok, "kind": found.kind, "ms": ms}
        if not found.ok:
            checks[key]["error"] = found.error
            log.warning(
                "健康检查失败", extra={"check": key, "error": found.error, "detail": found.detail}
            )
    return checks


def healthz(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return JsonResponse(
            {"detail": "只支持 GET 或 HEAD。"},
            status=405,
            headers={"Allow": "GET, HEAD"},
            json_dumps_params={"ensure_ascii": False},
        )
    checks = health_checks()
    failed = [key for key, found in checks.items() if not found["ok"]]
    if failed:
        message = "不可用：" + "；".join(
            f"{LABELS[key]}（{checks[key]['error']}）" for key in failed
        )
    else:
        message = "正常：" + "、".join(LABELS[key] for key in checks) + "均可访问"
    body = {
        "status": "fail" if failed else "ok",
        "message": message,
        "failed": failed,
        "checks": checks,
    }
    response = JsonResponse(
        body, status=503 if failed else 200, json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "no-store"
    return response


class HealthMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Each web process builds its probes as it starts, not in the first probe's time.
        for key in store_keys():
            store_reach_prepare(key, settings.FUPIN_HEALTH_SECONDS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == PATH:
            return healthz(request)
        return self.get_response(request)
