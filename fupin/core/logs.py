"""One line per log event, key=value (default) or JSON (FUPIN_LOG_FORMAT=json), every line of
a request carrying its request id; and the request line itself (RequestLogMiddleware).

Imported by the settings (the formatter) and by gunicorn (the logger class) before Django is
set up, so nothing here imports Django at module level."""

import contextvars
import datetime
import json
import logging
import os
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from gunicorn import glogging

# The request being served in this thread (or task being run by the worker): on every line.
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# What a proxy may hand on as the request id (nginx's $request_id is 32 hex digits); anything
# else is replaced, so a client cannot put spaces, quotes or newlines into the log.
_GOOD_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_BARE = re.compile(r"[^\s\"=\\]+")
# LogRecord's own attributes; everything else a caller passed in `extra` is a field of the line.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}


def log_format() -> str:
    found = os.environ.get("FUPIN_LOG_FORMAT", "kv").strip().lower() or "kv"
    if found not in ("kv", "json"):
        raise ValueError(f"FUPIN_LOG_FORMAT“{found}”无效：应为 kv（键=值）或 json。")
    return found


def _quoted(value: Any) -> str:
    text = value if isinstance(value, str) else str(value)
    if text and _BARE.fullmatch(text):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


class LineFormatter(logging.Formatter):
    """time, level, logger, request id, message, then the record's extra fields; a traceback
    goes into the same line (exc=…) so a log collector never splits an event."""

    def __init__(self, fmt: str | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.kind = fmt if fmt in ("kv", "json") else log_format()

    def format(self, record: logging.LogRecord) -> str:
        fields: dict[str, Any] = {
            "ts": datetime.datetime.fromtimestamp(record.created)
            .astimezone()
            .isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "rid": getattr(record, "request_id", None) or request_id.get(),
            "pid": record.process,
            "msg": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_") and key not in fields:
                fields[key] = value
        if record.exc_info:
            fields["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            fields["exc"] = record.exc_text
        if self.kind == "json":
            return json.dumps(fields, ensure_ascii=False, default=str)
        return " ".join(f"{key}={_quoted(value)}" for key, value in fields.items())


def incoming_id(header: str | None) -> str:
    if header and _GOOD_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestLogMiddleware:
    """Outermost: gives the request its id (the proxy's X-Request-ID, else a new one), sends it
    back in the response, and logs one line per request. The query string is left out: a
    search can hold a resident's ID number."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response
        self.log = logging.getLogger("fupin.request")

    def __call__(self, request: Any) -> Any:
        rid = incoming_id(request.META.get("HTTP_X_REQUEST_ID"))
        # Not reset on the way out: Django logs a failed response (django.request) after the
        # middleware has returned, and that line belongs to this request too. The thread's
        # next request sets its own.
        request_id.set(rid)
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = rid
        self._line(request, response.status_code, started, response)
        return response

    def _line(self, request: Any, status: int, started: float, response: Any) -> None:
        if status < 400 and request.path == "/healthz":
            return  # the proxy asks every few seconds; only a failing check is news
        level = logging.ERROR if status >= 500 else logging.INFO
        if not self.log.isEnabledFor(level):
            return
        size = len(response.content) if not getattr(response, "streaming", False) else "-"
        self.log.log(
            level,
            "请求",
            extra={
                "method": request.method,
                "path": request.path,
                "status": status,
                "ms": round((time.perf_counter() - started) * 1000, 1),
                "bytes": size,
                "ip": _client(request),
                "user": _user_id(request),
            },
        )


def _client(request: Any) -> str:
    from fupin.core.middleware import client_ip

    return client_ip(request)


def _user_id(request: Any) -> Any:
    # Only a user the request already loaded: the log line must not cost a query.
    from django.utils.functional import empty

    user = getattr(request, "user", None)
    wrapped: Any = getattr(user, "_wrapped", empty)
    if wrapped is empty or wrapped is None:
        return "-"
    return wrapped.pk if wrapped.is_authenticated else "-"


class GunicornLogger(glogging.Logger):
    """gunicorn's own messages (start, workers booted or killed, timeouts) in the same one-line
    format as the application's. Its access log stays off: the application logs each request
    with its id (RequestLogMiddleware)."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        formatter = LineFormatter()
        for handler in self.error_log.handlers:
            handler.setFormatter(formatter)
