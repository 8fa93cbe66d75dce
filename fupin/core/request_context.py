"""The client address of the request being served, for audit rows written deep in services."""

from contextvars import ContextVar

_ip: ContextVar[str] = ContextVar("fupin_request_ip", default="")


def current_ip() -> str:
    return _ip.get()


def set_current_ip(value: str) -> None:
    _ip.set(value)
